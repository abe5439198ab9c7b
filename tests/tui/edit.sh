# Edit the partition's image as a staged tree: delete, rename, add from the local
# pane, save as an image file, revert; the size and fit follow every change; closing
# with staged changes asks first. Nothing reaches the board without a commit.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"
. "$MPROMFS_ROOT/tests/lib/tmux.sh"
"$MPROMFS" sim create "$T/board" >/dev/null
"$MPROMFS" deploy -d "sim:$T/board" -p 0 --no-mpy "$MPROMFS_ROOT/examples/app" >/dev/null
cp "$T/board/part0.bin" "$T/before.bin"
mkdir -p "$T/work"
printf 'print("added")\n' > "$T/work/extra.py"
tui_shell 80 24
tui_run "'$MPROMFS' -C '$T/work' -d sim:$T/board"
wait_for "ROMFS"
keys Tab Enter e
wait_for "Staged  partition 0  /"
wait_for "image 1072 of 128K (1%), fits"
# delete main.py (the staged tree is focused; its cursor starts on ..)
keys /
keys -l main
keys Enter
wait_gone "Search:"
keys DC
wait_for "image 810 of 128K (1%), fits, changed"
# rename data/ to assets/
keys /
keys -l data
keys Enter F2
wait_for "Rename to: data"
keys C-u
keys -l assets
keys Enter
wait_for "assets/"
# add extra.py from the local pane
keys Tab /
keys -l extra
keys Enter +
wait_for "added ~/work/extra.py"
keys Tab
wait_for "extra.py"
screen_has "changed"
# save as an image file; it lists what was staged
keys S
wait_for "Save image as: $T/work/edited.romfs"
keys Enter
wait_for "saved the staged tree as"
"$MPROMFS" ls "$T/work/edited.romfs" > "$T/ls.txt"
contains "$T/ls.txt" "assets/sine.bin"
contains "$T/ls.txt" "extra.py"
if grep -q "main.py" "$T/ls.txt"; then fail "main.py was deleted"; fi
# revert, then close: the board was never written
keys u
wait_for "reverted to partition 0"
wait_for "image 1072 of 128K (1%), fits"
keys +
wait_for "changed"
keys q
wait_for "q again discards them"
keys q
wait_for "Board  partition 0  /"
cmp -s "$T/before.bin" "$T/board/part0.bin" || fail "editing without a commit changed the board"
