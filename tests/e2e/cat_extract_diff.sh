#!/bin/sh
# mpromfs cat, extract (never outside DIR) and diff.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"
cd "$T"
G=$MPROMFS_GOLDEN
tar -xf "$G/basic.tar"

expect_status 0 "$MPROMFS" cat "$G/basic.romfs" /lib/helper.py
cmp "$T/out" basic/lib/helper.py || fail "cat gave other bytes"
expect_status 0 "$MPROMFS" cat "$G/edge.romfs" sizes/s00000.bin
[ -s "$T/out" ] && fail "cat of an empty file printed something"
expect_status 1 "$MPROMFS" cat "$G/basic.romfs" lib
contains "$T/err" "lib is a directory"
expect_status 1 "$MPROMFS" cat "$G/basic.romfs" nope.py
contains "$T/err" "nope.py: no such file in the image"
expect_status 2 "$MPROMFS" cat "$G/basic.romfs"
expect_status 0 "$MPROMFS" cat --help

# extract: into a new dir, into an empty one; refuses a non-empty one
expect_status 0 "$MPROMFS" extract "$G/edge.romfs" edge.out
tar -xf "$G/edge.tar"
diff -r edge edge.out || fail "extracted edge differs from its source"
mkdir empty.out
expect_status 0 "$MPROMFS" extract "$G/basic.romfs" empty.out
diff -r basic empty.out
expect_status 1 "$MPROMFS" extract "$G/basic.romfs" basic
contains "$T/err" "basic is not empty"
ln -s basic link.out
expect_status 1 "$MPROMFS" extract "$G/basic.romfs" link.out
contains "$T/err" "link.out exists and is not a directory"

# hostile names: nothing is written anywhere, the message says what and where
mkdir jail && cd jail
img() { printf '\322\315\061'; printf "$1"; }
img '\006\004\004\002..\002\000' > dotdot.romfs        # a directory named ..
img '\010\005\006\001/\002\000\000\000' > slash.romfs  # a file named /
img '\006\005\004\000\002\000\000' > empty.romfs       # an empty name
img '\012\005\010\003a/b\002\001x' > sep.romfs         # a name with a slash
img '\200\014\005\004\001a\002\000\005\004\001a\002\000' > dup.romfs
for bad in dotdot slash empty sep dup; do
    expect_status 1 "$MPROMFS" extract $bad.romfs out
    [ -e out ] && fail "$bad: out was created"
    ls -A | grep -v '\.romfs$' | grep -q . && fail "$bad: left $(ls -A)"
    ls -A .. | grep -qv '^\(basic\|edge\|edge.out\|empty.out\|link.out\|jail\|out\|err\)$' && fail "$bad: wrote beside the jail: $(ls -A ..)"
done
expect_status 1 "$MPROMFS" extract dup.romfs out
contains "$T/err" "refusing to extract: duplicate name 'a'"
expect_status 1 "$MPROMFS" extract dotdot.romfs out
contains "$T/err" "name '..' at byte offset"
cd ..

# diff: image against image, image against directory
cp -r basic changed
echo more >> changed/main.py
mv changed/utils.py changed/lib/utils.py
printf new > changed/new.txt
rm changed/README.txt
expect_status 0 "$MPROMFS" diff "$G/basic.romfs" basic
contains "$T/out" "0 added, 0 removed, 0 changed, 0 moved, 7 unchanged"
expect_status 1 "$MPROMFS" diff "$G/basic.romfs" changed
contains "$T/out" "removed  README.txt  (12 bytes)"
contains "$T/out" "added    new.txt  (3 bytes)"
contains "$T/out" "changed  main.py  (69 -> 74 bytes)"
contains "$T/out" "moved    utils.py -> lib/utils.py  (same 15 bytes"
contains "$T/out" "moved    data/config.json  (same 36 bytes, offset 0x37 -> 0x1d)"
contains "$T/out" "1 added, 1 removed, 1 changed, 3 moved, 2 unchanged"
expect_status 2 "$MPROMFS" diff "$G/basic.romfs" missing.romfs
contains "$T/err" "missing.romfs"
expect_status 2 "$MPROMFS" diff "$G/basic.romfs"
expect_status 0 "$MPROMFS" diff --help
echo "cat/extract/diff: ok"
