# Responsive with a 10,000-file local directory and a 20,000-entry image: the
# screens come up and move at once (types are looked up only for the rows shown).
. "$MPROMFS_ROOT/tests/lib/testlib.sh"
. "$MPROMFS_ROOT/tests/lib/tmux.sh"
"$MPROMFS" sim create "$T/board" >/dev/null
mkdir -p "$T/many" "$T/tree" "$T/files"
(cd "$T/many" && seq -f 'f%05g.py' 0 9999 | xargs touch)
# 100 directories of 200 files each: links to one directory (the build follows them)
(cd "$T/files" && seq -f 'f%03g.txt' 0 199 | xargs touch)
for d in $(seq -f 'd%03g' 0 99); do ln -s ../files "$T/tree/$d"; done
"$MPROMFS" build -o "$T/big.romfs" "$T/tree" >/dev/null
tui_shell 80 24
start=$(date +%s)
tui_run "'$MPROMFS' -C '$T/many' -d sim:$T/board"
wait_for "10000 files, 0 dirs"
keys End
wait_for "f09999.py"
keys Home
wait_for "f00000.py"
keys q
wait_for 'TUI-TEST$ '
tui_run "'$MPROMFS' -C '$T' -d sim:$T/board"
wait_for "0   128K  4096"
keys /
keys -l big.romfs
keys Enter Enter
wait_for "Board  ~/big.romfs  /"
screen_has "20000 files, 100 dirs"
keys End Enter
wait_for "Board  ~/big.romfs  /d099/"
keys End
wait_for "f199.txt"
keys m
wait_for "Legend:"
screen_has "20000 files"
screen_has "~/big.romfs  255K in 64 units of 4096, image 255K"
screen_has "    0 HHHHHHHH"
keys q q
wait_for 'TUI-TEST$ '
echo "large: $(( $(date +%s) - start )) s in all"
