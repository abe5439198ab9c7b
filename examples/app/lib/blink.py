import time

from machine import Pin


def run(pin, period_ms):
    led = Pin(pin, Pin.OUT)
    while True:
        led.toggle()
        time.sleep_ms(period_ms // 2)
