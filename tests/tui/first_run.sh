# With no -d and no board attached, the built-in simulated board is created in the
# state directory and preloaded with the example app; `q` gives the shell back.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"
. "$MPROMFS_ROOT/tests/lib/tmux.sh"
tui_shell 80 24
tui_run "'$MPROMFS'"
wait_for "board: simulated board in ~/state/mpromfs/sim"
wait_for "0   128K  4096   1072   127K ROMFS"
[ -f "$T/state/mpromfs/sim/board.conf" ] || fail "no board.conf in the state directory"
keys q
wait_for 'TUI-TEST$ '
wait_gone "board: simulated"
# partition 0 holds the example app as an image (the partition's file is the flash)
"$MPROMFS" ls "$T/state/mpromfs/sim/part0.bin" > "$T/ls.txt" 2>&1 || { cat "$T/ls.txt"; fail "ls of the built-in board"; }
contains "$T/ls.txt" "main.py"
contains "$T/ls.txt" "sine.bin"
