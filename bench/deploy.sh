#!/bin/sh
# Deploy over a serial link against the mpremote strategy, measured in the same run
# on the simulated board served on a pty (mpromfs sim serve), unthrottled and paced at
# 115200 baud. The baseline (deploy_baseline) sends what `mpremote romfs deploy` sends
# over the same transport and raw REPL client.
#   full deploy of an app tree: bytes on the wire and round trips, ours / baseline
#       (targets <= 0.7x bytes, <= 0.25x round trips)
#   redeploy after a one-file change in a 1 MiB image: bytes on the wire / image size
#       (target <= 5%)
#   wall time at 115200 baud / the time the bytes sent need at that rate (target <= 1.2x)
# "Bytes on the wire" counts both directions, every byte of the session from the
# first Ctrl-C to the last reply.
set -eu
: "${MPROMFS:?}" "${BENCH_BIN:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/mpromfs-bench-deploy.XXXXXX")
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    rm -rf "$T"
}
trap cleanup EXIT INT TERM
if ! "$MPROMFS" sim serve --help >/dev/null 2>&1; then
    echo "deploy: skipped: this build has no 'mpromfs sim serve' (the pty board) to measure against"
    exit 0
fi
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
now() { date +%s.%N; }

# serve NAME [ARGS...]: a fresh board (2 MiB partition 0, 4 KiB units) on a pty at $T/NAME.tty
serve() {
    name=$1; shift
    "$MPROMFS" sim create "$T/board-$name" -p 0 --size 2M --erase-unit 4K --write-min 16 >/dev/null
    "$MPROMFS" sim serve "$T/board-$name" --link "$T/$name.tty" "$@" >"$T/$name.log" 2>&1 &
    pids="$pids $!"
    i=0
    while [ ! -e "$T/$name.tty" ]; do
        i=$((i + 1)); [ $i -lt 100 ] || { cat "$T/$name.log" >&2; exit 1; }
        sleep 0.05
    done
}
# ours LOG: sent received round_trips of the whole session, from the summary
ours() {
    sed -n 's/^  whole session.*: \([0-9]*\) bytes sent, \([0-9]*\) received, \([0-9]*\) round trips$/\1 \2 \3/p' "$1"
}
baseline() { # PTY IMAGE -> sent received round_trips seconds
    "$BENCH_BIN/deploy_baseline" "$1" "$2" 0 | sed 's/[a-z_]*=//g'
}

"$BENCH_BIN/genapp" "$T/app" 200000 1
"$MPROMFS" build -q --no-mpy -o "$T/app.romfs" "$T/app"
app_size=$(stat -c %s "$T/app.romfs")
nfiles=$(find "$T/app" -type f | wc -l)

# 1. full deploy, unthrottled: each side on its own fresh board
serve base
serve mine
set -- $(baseline "$T/base.tty" "$T/app.romfs"); b_sent=$1; b_recv=$2; b_rt=$3
"$MPROMFS" deploy -d "$T/mine.tty" --no-mpy "$T/app" >"$T/mine.out"
set -- $(ours "$T/mine.out"); m_sent=$1; m_recv=$2; m_rt=$3
echo "deploy: full deploy of an app tree ($nfiles files, image $app_size bytes):"
echo "deploy:   bytes on the wire, ours/mpremote: $(ratio $((m_sent + m_recv)) $((b_sent + b_recv)))x (target <= 0.7x; ours $m_sent sent + $m_recv received, mpremote $b_sent + $b_recv; sent only: $(ratio "$m_sent" "$b_sent")x)"
echo "deploy:   round trips, ours/mpremote: $(ratio "$m_rt" "$b_rt")x (target <= 0.25x; ours $m_rt, mpremote $b_rt)"

# 2. redeploy after a one-file change in a 1 MiB image
"$BENCH_BIN/genapp" "$T/big" 1040000 2
"$MPROMFS" build -q --no-mpy -o "$T/big.romfs" "$T/big"
big_size=$(stat -c %s "$T/big.romfs")
serve big
"$MPROMFS" deploy -d "$T/big.tty" --no-mpy "$T/big" >/dev/null
f=$(find "$T/big/lib" -name '*.py' | sort | sed -n 5p)
# a constant edited in place (same length): only the units holding it differ
line=$(grep -n 'const(0x' "$f" | head -1 | cut -d: -f1)
sed -i "${line}y/0123456789abcdef/123456789abcdef0/" "$f"
"$MPROMFS" deploy -d "$T/big.tty" --no-mpy "$T/big" >"$T/big.out"
set -- $(ours "$T/big.out"); r_sent=$1; r_recv=$2; r_rt=$3
units=$(sed -n 's/^  units changed: \(.*\) (erase.*/\1/p' "$T/big.out")
echo "deploy: redeploy after one file changed in place in a $big_size-byte image: bytes on the wire / image size: $(awk -v a=$((r_sent + r_recv)) -v b="$big_size" 'BEGIN { printf "%.1f%%", 100 * a / b }') (target <= 5%; $r_sent sent + $r_recv received, $r_rt round trips, units $units)"
# the same file growing by a line: every later byte moves (mpremote's layout has no slack)
printf '# one more line\n' >> "$f"
"$MPROMFS" deploy -d "$T/big.tty" --no-mpy "$T/big" >"$T/big2.out"
set -- $(ours "$T/big2.out"); g_sent=$1; g_recv=$2
units=$(sed -n 's/^  units changed: \(.*\) (erase.*/\1/p' "$T/big2.out")
echo "deploy: redeploy after the same file grew by a line: bytes on the wire / image size: $(awk -v a=$((g_sent + g_recv)) -v b="$big_size" 'BEGIN { printf "%.1f%%", 100 * a / b }') (informational: units $units; every unit after the file moved)"

# 3. at 115200 baud: wall time over what the bytes sent need at that rate
serve slow --baud 115200
t0=$(now)
"$MPROMFS" deploy -d "$T/slow.tty" --no-mpy "$T/app" >"$T/slow.out"
t1=$(now)
set -- $(ours "$T/slow.out"); s_sent=$1
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
need=$(awk -v n="$s_sent" 'BEGIN { printf "%.2f", n * 10 / 115200 }')
echo "deploy: at 115200 baud, wall time / time the bytes sent need: $(ratio "$wall" "$need")x (target <= 1.2x; $wall s for $s_sent bytes = $need s at the line rate)"
serve slowbase --baud 115200
set -- $(baseline "$T/slowbase.tty" "$T/app.romfs"); sb_sent=$1; sb_secs=$4
echo "deploy: at 115200 baud, wall time ours/mpremote: $(ratio "$wall" "$sb_secs")x (informational; mpremote strategy $sb_secs s for $sb_sent bytes)"
