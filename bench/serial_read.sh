#!/bin/sh
# Reading a 1 MiB partition back through the serial backend, from `mpromfs sim serve`
# on a pty, measured in one run:
#   at 115200 baud: time / the time the partition's base64 needs on that link
#                   (1 MiB as base64 is 1398104 bytes, 10 bits a byte)   target <= 1.3x
#   unthrottled:    time / the in-process board's read of the same partition
#   round trips (programs run) per MiB, both runs
# BENCH_SERIAL_BAUD changes the paced rate (a faster one makes the run shorter).
set -eu
: "${MPROMFS:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/mpromfs-bench-serial.XXXXXX")
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$T"' EXIT INT TERM
baud=${BENCH_SERIAL_BAUD:-115200}
now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

"$MPROMFS" sim create "$T/board" --partitions 1 --size 1M --erase-unit 64K >/dev/null
head -c 1048576 /dev/urandom > "$T/board/part0.bin"

serve() {
    "$MPROMFS" sim serve "$T/board" --link "$T/tty" "$@" >"$T/serve.out" 2>&1 &
    pid=$!
    n=0
    until [ -L "$T/tty" ] && grep -q /dev/pts/ "$T/serve.out" 2>/dev/null; do
        n=$((n + 1)); [ $n -gt 100 ] && { echo "serial_read: sim serve did not start"; exit 1; }
        sleep 0.05
    done
}
stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; rm -f "$T/tty"; }
# read_once: time one whole-partition read; sets $t (seconds) and $trips
read_once() {
    a=$(now)
    "$MPROMFS" read -d "$T/tty" -p 0 -o "$T/back" --stats --timeout 30 >/dev/null 2>"$T/stats"
    b=$(now)
    t=$(secs "$a" "$b")
    cmp "$T/back" "$T/board/part0.bin" || { echo "serial_read: the bytes read back differ"; exit 1; }
    trips=$(sed -n 's/.* \([0-9]*\) round trips$/\1/p' "$T/stats")
    received=$(sed -n 's/.*sent, \([0-9]*\) bytes received.*/\1/p' "$T/stats")
}

a=$(now); "$MPROMFS" read -d "sim:$T/board" -p 0 -o "$T/direct" >/dev/null; b=$(now)
direct=$(secs "$a" "$b")

serve
read_once
stop
echo "serial read 1 MiB unthrottled: ${t} s, $(ratio "$t" "$direct")x the in-process board (${direct} s); $trips round trips/MiB; $received bytes received"

serve --baud "$baud"
read_once
stop
ideal=$(awk -v b="$baud" 'BEGIN { printf "%.3f", 1398104 * 10 / b }')
echo "serial read 1 MiB at $baud baud: ${t} s, $(ratio "$t" "$ideal")x the base64 time on the link (${ideal} s; target <= 1.3x); $trips round trips/MiB; $received bytes received"
