# Resizing to 100x30 and back keeps a sane layout: title on the first row, both
# panes, key hints on the last row; wider panes show more columns.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"
. "$MPROMFS_ROOT/tests/lib/tmux.sh"
"$MPROMFS" sim create "$T/board" >/dev/null
"$MPROMFS" deploy -d "sim:$T/board" -p 0 --no-mpy "$MPROMFS_ROOT/examples/app" >/dev/null
tui_shell 80 24
tui_run "'$MPROMFS' -C '$MPROMFS_ROOT/examples/app' -d sim:$T/board"
wait_for "ROMFS"
keys Tab Enter
wait_for "main.py            248 0x08100338     8"
check_layout() { # rows cols
    screen > "$T/s.txt"
    [ "$(wc -l < "$T/s.txt")" -eq "$1" ] || fail "screen has $(wc -l < "$T/s.txt") rows, wanted $1"
    head -n 1 "$T/s.txt" | grep -q "^ mpromfs  board: simulated board" || { cat "$T/s.txt"; fail "no title row"; }
    tail -n 1 "$T/s.txt" | grep -q 'Tab:pane Enter:open' || fail "no key hints on the last row"
    sed -n 2p "$T/s.txt" | grep -q ' Local .*│ Board  partition 0' || fail "no pane titles on row 2"
    width=$(LC_ALL=C.UTF-8 wc -L < "$T/s.txt")
    [ "$width" -le "$2" ] || fail "a row is $width cells wide, wider than $2"
}
check_layout 24 80
resize 100 30
wait_for "Size Type          │Name                Size  Offset Address    Align"
check_layout 30 100
screen_has "main.py              248     338 0x08100338     8"
resize 80 24
wait_for "Size Type          │Name              Size Address    Align"
check_layout 24 80
screen_has "main.py            248 0x08100338     8"
keys q
wait_for 'TUI-TEST$ '
