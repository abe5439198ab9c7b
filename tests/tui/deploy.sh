# A deploy session: the plan first, then the write, then the board pane lists the
# new files with their addresses. Cancelling the plan writes nothing.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"
. "$MPROMFS_ROOT/tests/lib/tmux.sh"
"$MPROMFS" sim create "$T/board" >/dev/null
"$MPROMFS" deploy -d "sim:$T/board" -p 0 --no-mpy "$MPROMFS_ROOT/examples/app" >/dev/null
mkdir -p "$T/tree/data"
printf 'print("new")\n' > "$T/tree/new1.py"
head -c 6000 /dev/zero | tr '\0' 'z' > "$T/tree/data/blob.bin"
cp "$T/board/part0.bin" "$T/before.bin"
tui_shell 80 24
tui_run "'$MPROMFS' -C '$T' -d sim:$T/board"
wait_for "ROMFS"
keys /
keys -l tree
keys Enter
wait_gone "Search:"
# cancel first: nothing written
keys d
wait_for "Deploy: the plan"
screen_has "files: 2 added, 6 removed, 0 changed"
screen_has "warning: 1 data file not 4-byte aligned: data/blob.bin at 0x0810001d"
screen_has "     0 WWWW......"
screen_has "write 2 of 32 erase units"
keys c
wait_for "deploy cancelled: nothing was written, partition 0 is unchanged"
cmp -s "$T/before.bin" "$T/board/part0.bin" || fail "a cancelled plan changed the partition"
# now for real
keys d
wait_for "Deploy: the plan"
keys y
wait_for "Deploy: done"
screen_has "verified"
keys q
wait_for "Board  partition 0  /"
screen_has "new1.py"
screen_has "0x081"
wait_for "data/"
# an image file deploys as it is
"$MPROMFS" build -q --no-mpy -o "$T/app.romfs" "$MPROMFS_ROOT/examples/app"
keys Tab ^L
wait_for "app.romfs"
keys /
keys -l app.romfs
keys Enter
wait_gone "Search:"
keys d
wait_for "deploy ~/app.romfs to partition 0"
keys y
wait_for "Deploy: done"
keys q
wait_for "main.py            248 0x08100338     8"
