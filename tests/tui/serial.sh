# The TUI with a board on a serial line: `mpromfs sim serve` plays a MicroPython board
# on a pty (raw REPL, vfs.rom_ioctl) and the TUI lists its partitions, walks the
# image, and deploys to it through the serial backend, link rate paced so that the
# progress is seen; the board pane then lists the new files.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"
. "$MPROMFS_ROOT/tests/lib/tmux.sh"
serve_pid=""
serial_cleanup() {
    [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null
    tmux_cleanup
}
trap serial_cleanup EXIT INT TERM
"$MPROMFS" sim create "$T/board" >/dev/null
"$MPROMFS" deploy -d "sim:$T/board" -p 0 --no-mpy "$MPROMFS_ROOT/examples/app" >/dev/null
"$MPROMFS" sim serve "$T/board" --link "$T/board.pty" --baud 230400 >"$T/serve.out" 2>"$T/serve.err" &
serve_pid=$!
n=0
until [ -L "$T/board.pty" ] && grep -q /dev/pts/ "$T/serve.out" 2>/dev/null; do
    n=$((n + 1)); [ $n -gt 200 ] && fail "sim serve did not start"
    sleep 0.05
done
mkdir -p "$T/tree/lib"
printf 'print("over the wire")\n' > "$T/tree/wire.py"
head -c 9000 /dev/zero | tr '\0' 'w' > "$T/tree/lib/blob.bin"
tui_shell 80 24
tui_run "'$MPROMFS' -C '$T' -d '$T/board.pty'"
wait_for "0   128K  4096   1072   127K ROMFS"
keys Tab Enter
wait_for "Board  partition 0  /"
wait_for "main.py            248 0x08100338     8"
keys Tab /
keys -l tree
keys Enter
wait_gone "Search:"
keys d
wait_for "Deploy: the plan"
screen_has "files: 2 added, 6 removed, 0 changed"
screen_has "board: ~/board.pty"
keys y
wait_for "Deploy: done" 60
screen_has "verified"
keys q
wait_for "wire.py" 30
screen_has "0x081"
keys q
wait_for 'TUI-TEST$ '

# A board without uctypes: the backend's warning reaches the status line, not stderr
# (stderr of a full-screen program would land over the screen).
kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true
rm -f "$T/board.pty"
"$MPROMFS" sim serve "$T/board" --link "$T/board.pty" --no-uctypes >"$T/serve.out" 2>"$T/serve.err" &
serve_pid=$!
n=0
until [ -L "$T/board.pty" ]; do
    n=$((n + 1)); [ $n -gt 200 ] && fail "sim serve did not start again"
    sleep 0.05
done
tui_run "'$MPROMFS' -C '$T' -d '$T/board.pty' 2>'$T/tui.err'"
wait_for "no uctypes module: base addresses are unknown"
keys q
wait_for 'TUI-TEST$ '
[ ! -s "$T/tui.err" ] || { cat "$T/tui.err"; fail "the TUI wrote to stderr"; }
