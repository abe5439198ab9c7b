#!/bin/sh
# Round trips on random trees (fixed seeds): build, verify, extract, compare with
# diff -r, diff the image against the source directory, rebuild the extracted tree.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"
cd "$T"
for seed in 1 2 3; do
    LC_ALL=C awk -v seed=$seed -v root="src$seed" -v files=60 -f "$MPROMFS_ROOT/tests/lib/gentree.awk"
    expect_status 0 "$MPROMFS" build -q --no-mpy -o "img$seed.romfs" "src$seed"
    expect_status 0 "$MPROMFS" verify "img$seed.romfs"
    expect_status 0 "$MPROMFS" extract "img$seed.romfs" "out$seed"
    diff -r "src$seed" "out$seed" || fail "seed $seed: extracted tree differs from the source"
    expect_status 0 "$MPROMFS" diff "img$seed.romfs" "src$seed"
    contains "$T/out" "0 added, 0 removed, 0 changed, 0 moved"
    expect_status 0 "$MPROMFS" build -q --no-mpy -o "again$seed.romfs" "out$seed"
    cmp "img$seed.romfs" "again$seed.romfs" || fail "seed $seed: rebuilding the extracted tree differs"
    files=$(find "src$seed" -type f | wc -l); dirs=$(find "src$seed" -mindepth 1 -type d | wc -l)
    expect_status 0 "$MPROMFS" ls "img$seed.romfs"
    contains "$T/out" "$files files, $dirs directories"
    # names of 127 and 128 bytes and sizes at the varuint boundaries were generated
    find "src$seed" -name "$(printf '%0127d' 0 | tr 0 '?')" | grep -q . || fail "seed $seed: no 127-byte name"
done
echo "roundtrip: ok"
