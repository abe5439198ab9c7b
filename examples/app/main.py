# Example app for the simulated board: blinks an LED at the rate in data/config.json.
import json
import time

from lib import blink

with open("/rom/data/config.json") as f:
    config = json.load(f)

blink.run(config["pin"], config["period_ms"])
