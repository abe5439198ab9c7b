#!/bin/sh
# mpromfs ls and verify on golden and corrupted images.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"
cd "$T"
G=$MPROMFS_GOLDEN

expect_status 0 "$MPROMFS" ls "$G/basic.romfs"
contains "$T/out" "SIZE  OFFSET    ADDRESS     ALIGN  DATA      PATH"
contains "$T/out" "  12  0x000014  0x00000014      4  verbatim  README.txt"
contains "$T/out" "   -  0x00005b  0x0000005b      -  dir       lib/"
contains "$T/out" "5 files, 2 directories, image 264 bytes, partition 264 bytes, 0 bytes free"

expect_status 0 "$MPROMFS" ls -l --base 0x08000000 "$G/basic.romfs" lib
contains "$T/out" "0x0800006f"
contains "$T/out" "Python script"
contains "$T/out" "1 file, 0 directories"

expect_status 0 "$MPROMFS" ls --json "$G/micropython-tests-random.romfs"
contains "$T/out" '"path": "romfs_sentinel.txt", "type": "file", "size": 103'
contains "$T/out" '"files": 7, "dirs": 0'
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["entries"])==7' "$T/out"

# a partition: the image followed by erased flash
cp "$G/basic.romfs" part.bin && head -c 4096 /dev/zero | tr '\0' '\377' >> part.bin
expect_status 0 "$MPROMFS" ls part.bin
contains "$T/out" "image 264 bytes, partition 4360 bytes, 4096 bytes free"
expect_status 0 "$MPROMFS" verify part.bin
contains "$T/out" "4096 bytes after the image (0 not erased to 0xff)"

expect_status 1 "$MPROMFS" ls "$G/basic.romfs" nope
contains "$T/err" "nope: no such file or directory in the image"
expect_status 1 "$MPROMFS" ls missing.romfs
contains "$T/err" "cannot open missing.romfs"
expect_status 2 "$MPROMFS" ls
expect_status 2 "$MPROMFS" ls --base zz "$G/basic.romfs"
expect_status 0 "$MPROMFS" ls --help
contains "$T/out" "Usage: mpromfs ls"

# corrupted: truncated, and a length pointing past the end
head -c 100 "$G/basic.romfs" > cut.romfs
expect_status 1 "$MPROMFS" verify cut.romfs
contains "$T/out" "claims 259 payload bytes from byte offset 5"
contains "$T/out" "FAILED"
expect_status 1 "$MPROMFS" ls cut.romfs
contains "$T/err" "truncated image"
printf '\322\315\061\004\005\020\001a' > past.romfs
expect_status 1 "$MPROMFS" verify past.romfs
contains "$T/out" "record at byte offset 4 (kind 5) claims 16 payload bytes"
printf 'hello world' > text.romfs
expect_status 1 "$MPROMFS" verify text.romfs
contains "$T/out" "not a ROMFS image"
# a duplicate parses (the board reads the first) but does not verify
printf '\322\315\061\200\014\005\004\001a\002\000\005\004\001a\002\000' > dup.romfs
expect_status 1 "$MPROMFS" verify dup.romfs
contains "$T/out" "duplicate name 'a'"
expect_status 0 "$MPROMFS" ls dup.romfs
contains "$T/err" "warning: duplicate name"
expect_status 0 "$MPROMFS" verify "$G/basic.romfs" "$G/edge.romfs"
expect_status 1 "$MPROMFS" verify "$G/basic.romfs" cut.romfs
# indirect data: a file whose bytes live in a data area elsewhere in the image
printf '\322\315\061\014\002\002xy\005\006\001a\003\002\002\002' > ind.romfs
expect_status 0 "$MPROMFS" ls ind.romfs
contains "$T/out" "   2  0x000006  0x00000006      2  indirect  a"
contains "$T/out" "1 file, 0 directories, image 16 bytes, partition 16 bytes, 0 bytes free; 1 other record (padding, data areas, unknown kinds)"
expect_status 0 "$MPROMFS" cat ind.romfs a
[ "$(cat "$T/out")" = xy ] || fail "cat of indirect data gave '$(cat "$T/out")'"
expect_status 0 "$MPROMFS" verify ind.romfs
contains "$T/out" "note: data record outside a file (4 bytes, a data area) (byte offset 4)"
contains "$T/out" "OK: 1 file, 0 directories, image 16 bytes"
expect_status 0 "$MPROMFS" ls --json ind.romfs
contains "$T/out" '"storage": "indirect"'
contains "$T/out" '"notes": ['
# a partition whose tail is not erased
cp "$G/basic.romfs" dirty.bin && printf 'junk' >> dirty.bin
expect_status 0 "$MPROMFS" ls dirty.bin
contains "$T/out" "4 bytes free (4 not erased)"
echo "ls/verify: ok"
