# The partition map: erase units marked by content with a legend; the cursor on a
# file lights its units, the grid cursor lights the file. Colour and monochrome.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"
. "$MPROMFS_ROOT/tests/lib/tmux.sh"
"$MPROMFS" sim create "$T/board" >/dev/null
"$MPROMFS" deploy -d "sim:$T/board" -p 0 --no-mpy "$MPROMFS_ROOT/examples/app" >/dev/null
for mode in colour mono; do
    # a server per run: starting one while the last one shuts down can fail
    TMUX_SOCK="mpromfs-test-$$-$mode"
    tui_shell 80 24
    if [ $mode = mono ]; then
        tui_run "TERM=vt100 NO_COLOR=1 '$MPROMFS' -d sim:$T/board"
    else
        tui_run "'$MPROMFS' -d sim:$T/board"
    fi
    wait_for "ROMFS"
    keys Tab m
    wait_for "Legend: H header+dirs # file data : padding . free W to write"
    screen_has "partition 0  128K in 32 units of 4096, image 1072"
    # unit 0 holds the whole image: data, then 31 free units
    screen_has "     0 ##.............................."
    screen_has " 10000 ................................"
    screen_has "unit 0 @0x8100000: file data"
    keys Tab
    wait_for ">data/config.json"
    keys Right
    wait_for "unit 1 @0x8101000: free (erased)"
    keys q
    wait_for "Board  partition 0  /"
    keys q
    wait_for 'TUI-TEST$ '
    tmx kill-server >/dev/null 2>&1 || true
done
