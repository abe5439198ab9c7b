#!/bin/sh
# Byte identity: every golden tree built with --no-mpy is exactly the image mpremote wrote.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"
n=0
for tarball in "$MPROMFS_GOLDEN"/*.tar; do
    name=$(basename "$tarball" .tar)
    mkdir -p "$T/$name.src"
    tar -xf "$tarball" -C "$T/$name.src"
    expect_status 0 "$MPROMFS" build --no-mpy -o "$T/$name.romfs" "$T/$name.src/$name"
    cmp "$T/$name.romfs" "$MPROMFS_GOLDEN/$name.romfs" || fail "$name: not byte-identical to mpremote's image"
    expect_status 0 "$MPROMFS" verify "$T/$name.romfs"
    n=$((n + 1))
done
[ "$n" -ge 2 ] || fail "only $n golden trees found in $MPROMFS_GOLDEN"
for img in "$MPROMFS_GOLDEN"/*.romfs; do
    expect_status 0 "$MPROMFS" verify "$img"
    contains "$T/out" ": OK:"
done
echo "golden: $n trees byte-identical"
