#!/bin/sh
# make run: open the partition manager. With no board attached it uses the built-in
# simulated board (kept in the user's state directory, preloaded with examples/app).
set -eu
bin=$1
exec "$bin"
