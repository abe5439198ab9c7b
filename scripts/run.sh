#!/bin/sh
# make run: open the partition manager. With no board attached it shows the built-in
# simulated board (kept in $XDG_STATE_HOME/mpromfs/sim, ~/.local/state/mpromfs/sim by
# default), created on first use and preloaded with examples/app.
set -eu
bin=$1
exec "$bin"
