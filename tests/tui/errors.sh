# Errors are shown in the UI, on the status line, never written over the screen;
# the program goes on after them.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"
. "$MPROMFS_ROOT/tests/lib/tmux.sh"
"$MPROMFS" sim create "$T/board" >/dev/null
printf 'not an image' > "$T/junk.romfs"
tui_shell 80 24
tui_run "'$MPROMFS' -d sim:$T/board 2>'$T/stderr'"
wait_for "0   128K  4096"
# an image file that does not exist
keys I
wait_for "Open image file:"
keys -l "$T/missing.romfs"
keys Enter
wait_for "error: "
screen_has "missing.romfs"
screen > "$T/s1"
head -n 1 "$T/s1" | grep -q '^ mpromfs  board: simulated board' || fail "the title row was overwritten"
# an erased partition explains itself instead of failing
keys Tab Enter
wait_for "no ROMFS image here"
# a file that is not an image opens with the reason
keys BSpace I
keys -l "$T/junk.romfs"
keys Enter
wait_for "not a valid image"
# a deploy of something that cannot be built is refused before the board is touched
mkdir -p "$T/bad"
printf x > "$T/bad/caf$(printf '\303\251').py"
keys q
wait_for 'TUI-TEST$ '
tui_run "'$MPROMFS' -C '$T/bad' -d sim:$T/board 2>'$T/stderr'"
wait_for "0   128K  4096"
keys d
wait_for "error: "
screen_has "ASCII"
keys q
wait_for 'TUI-TEST$ '
[ ! -s "$T/stderr" ] || { cat "$T/stderr"; fail "the TUI wrote to stderr"; }
