#!/bin/sh
# mpromfs deploy through the serial backend to the simulated board on a pty (sim
# serve), both partition styles: deploy, nothing to do, one-file change, --reset;
# Ctrl-C during a paced deploy stops at a safe point and says what the board holds;
# the port vanishing mid-deploy says the same; running again finishes the job.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"
B=$T/board
$MPROMFS sim create "$B" -p 0 --size 512K --erase-unit 4K --write-min 16 \
    -p 1 --size 512K --erase-unit 4K --write-min 256 --style block >/dev/null

serve_pid=
serve() { # extra args...
    rm -f "$T/tty"
    $MPROMFS sim serve "$B" --link "$T/tty" "$@" >"$T/serve.log" 2>&1 &
    serve_pid=$!
    i=0
    while [ ! -e "$T/tty" ]; do
        i=$((i + 1)); [ $i -lt 100 ] || { cat "$T/serve.log" >&2; fail "sim serve did not start"; }
        sleep 0.05
    done
}
stop_serve() { kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; }
trap 'stop_serve; rm -rf "$T"' EXIT INT TERM

mk_app() { # DIR SEED FILES
    mkdir -p "$1/lib" "$1/data"
    i=0
    while [ $i -lt "$3" ]; do
        awk -v s="$2" -v i=$i 'BEGIN{srand(s*100+i); for(l=0;l<120;l++){printf "x%d = %d  # %d\n", l, int(rand()*1e6), i}}' \
            > "$1/lib/mod$i.py"
        awk -v s="$2" -v i=$i 'BEGIN{srand(s*1000+i); for(l=0;l<700;l++) printf "%c", 33+int(rand()*90)}' \
            > "$1/data/blob$i.bin"
        i=$((i + 1))
    done
    printf 'import lib\nprint("main")\n' > "$1/main.py"
}
mk_app "$T/app" 1 12

serve
for part in 0 1; do
    expect_status 0 $MPROMFS deploy -d "$T/tty" -p $part --no-mpy "$T/app"
    contains "$T/out" ", verified"
    contains "$T/out" "whole session (connect, plan, write, verify):"
    total=$(sed -n 's/^  units changed: [0-9]* of \([0-9]*\).*/\1/p' "$T/out")
    expect_status 0 $MPROMFS deploy -d "$T/tty" -p $part --no-mpy "$T/app"
    contains "$T/out" "nothing to write: the partition already holds this image"
    cp -r "$T/app" "$T/app2"
    printf '%700s' '' | tr ' ' 'Z' > "$T/app2/data/blob3.bin"
    expect_status 0 $MPROMFS deploy -d "$T/tty" -p $part --no-mpy "$T/app2"
    contains "$T/out" "units changed: 2 of $total"
    contains "$T/out" "~ data/blob3.bin (700 -> 700 bytes)"
    rm -rf "$T/app2"
done
expect_status 0 $MPROMFS deploy -d "$T/tty" -p 0 --no-mpy --reset "$T/app"
contains "$T/out" "after a soft reset /rom lists the image's"
stop_serve

# Ctrl-C while a deploy runs on a slow link (57600 baud, and the client told so, so
# that its time-outs scale): a clean stop between batches
mk_app "$T/other" 2 40
serve --baud 57600
$MPROMFS deploy -d "serial:$T/tty@57600" -p 0 --no-mpy "$T/other" >"$T/out" 2>"$T/err" &
pid=$!
# once writing has begun (a background job of sh starts with SIGINT ignored; deploy
# takes SIGINT over for its writing phase, as an interactive Ctrl-C reaches it)
i=0
until grep -q "erasing unit 0" "$T/out"; do
    i=$((i + 1)); [ $i -lt 400 ] || fail "the deploy never started writing"
    sleep 0.05
done
sleep 1
kill -INT $pid
set +e; wait $pid; rc=$?; set -e
[ $rc -eq 130 ] || { cat "$T/out" "$T/err" >&2; fail "Ctrl-C: exit $rc, wanted 130"; }
cat "$T/err"
contains "$T/err" "mpromfs: deploy cancelled"
contains "$T/err" "partition 0 holds no valid image; "
contains "$T/err" "run the same command again to finish"
done_units=$(sed -n 's/.*no valid image; \([0-9]*\) of \([0-9]*\) units written.*/\1/p' "$T/err")
all_units=$(sed -n 's/.*no valid image; \([0-9]*\) of \([0-9]*\) units written.*/\2/p' "$T/err")
stop_serve

# the port vanishing mid-deploy (the board unplugged): the same account of the board
serve --baud 57600
$MPROMFS deploy -d "serial:$T/tty@57600" -p 1 --no-mpy "$T/other" >"$T/out" 2>"$T/err" &
pid=$!
i=0
until grep -q "erasing unit 0" "$T/out"; do
    i=$((i + 1)); [ $i -lt 400 ] || fail "the deploy never started writing"
    sleep 0.05
done
sleep 1
stop_serve
set +e; wait $pid; rc=$?; set -e
[ $rc -eq 1 ] || { cat "$T/out" "$T/err" >&2; fail "port vanished: exit $rc, wanted 1"; }
cat "$T/err"
contains "$T/err" "partition 1 holds no valid image; "
contains "$T/err" "run the same command again to finish"

# running the same commands again finishes both, sending only what is still missing
serve
expect_status 0 $MPROMFS deploy -d "$T/tty" -p 0 --no-mpy "$T/other"
redo=$(sed -n 's/^  units changed: \([0-9]*\) of.*/\1/p' "$T/out")
[ "$redo" -le $((all_units - done_units)) ] || fail "resume rewrote $redo units; $done_units of $all_units were done"
expect_status 0 $MPROMFS deploy -d "$T/tty" -p 1 --no-mpy "$T/other"
contains "$T/out" ", verified"
expect_status 0 $MPROMFS deploy -d "$T/tty" -p 0 --no-mpy "$T/other"
contains "$T/out" "nothing to write"
echo "deploy through the pty: ok"
