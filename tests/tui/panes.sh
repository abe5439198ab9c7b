# Both panes listed: local files with types and build marks; the board's partitions,
# then partition 0's tree with sizes, addresses and alignment; search and walking.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"
. "$MPROMFS_ROOT/tests/lib/tmux.sh"
"$MPROMFS" sim create "$T/board" >/dev/null
"$MPROMFS" deploy -d "sim:$T/board" -p 0 --no-mpy "$MPROMFS_ROOT/examples/app" >/dev/null
mkdir -p "$T/work/lib"
printf 'print(1)\n' > "$T/work/main.py"
printf '{"a": 1}\n' > "$T/work/config.json"
printf 'x' > "$T/work/caf$(printf '\303\251').txt"
printf 'x' > "$T/work/$(printf '\346\227\245\346\234\254').txt"      # two wide characters
printf 'x' > "$T/work/bad$(printf '\377')name"                          # not UTF-8 at all
tui_shell 80 24
tui_run "cd work && '$MPROMFS' -d sim:$T/board"
wait_for "Local  ~/work"
wait_for "Board  sim:"
screen_has "config.json           9 JSON"
screen_has "! café.txt"
screen_has "! 日本.txt              1"
screen_has "! bad?name"
screen_has "0   128K  4096   1072   127K ROMFS"
screen_has "1   1.0M   64K      0   1.0M empty"
keys Tab Enter
wait_for "Board  partition 0  /"
screen_has "main.py            248 0x08100338     8"
# search, then Enter opens the directory found; Backspace comes back to it
keys /
keys -l lib
wait_for "Search: lib"
keys Enter
wait_gone "Search: lib"
wait_for "/lib/: 2 entries, record at"
keys Enter
wait_for "Board  partition 0  /lib/"
screen_has "blink.py"
keys BSpace
wait_for "/lib/: 2 entries"      # back at the root, the cursor on lib/
screen | grep -q 'Board  partition 0  /$' || fail "not back at the root"
# sort by size: the biggest file first
keys z
wait_for "dirs; by size"
