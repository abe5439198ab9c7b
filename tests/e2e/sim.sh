#!/bin/sh
# mpromfs sim create / info / fault / reset-counters, and hostile arguments.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"

# defaults that look like a real board
expect_status 0 "$MPROMFS" sim create "$T/b"
contains "$T/out" "created a simulated board in $T/b (use it as sim:$T/b)"
contains "$T/out" "0     128 KiB  4 KiB       16 B       0x08100000  memoryview  read-write  none"
contains "$T/out" "1     1 MiB    64 KiB      16 B       0x90000000  memoryview  read-write  none"
contains "$T/b/board.conf" "version=1"
contains "$T/b/board.conf" "part1.erase_unit=65536"
[ "$(wc -c < "$T/b/part0.bin")" -eq 131072 ] || fail "part0.bin size"
[ "$(wc -c < "$T/b/part1.bin")" -eq 1048576 ] || fail "part1.bin size"
[ "$(tr -d '\377' < "$T/b/part0.bin" | wc -c)" -eq 0 ] || fail "part0.bin is not erased"

# a second create on the same directory changes nothing
cp "$T/b/board.conf" "$T/conf.before"
expect_status 1 "$MPROMFS" sim create "$T/b" --partitions 1
contains "$T/err" "already holds a simulated board"
cmp -s "$T/b/board.conf" "$T/conf.before" || fail "board.conf changed"

# per-partition options: before -p for all, after -p N for N
expect_status 0 "$MPROMFS" sim create "$T/c" --partitions 3 --style block -p 1 --size 2M \
    --erase-unit 4K --write-min 256 -p 2 --read-only --base 0x10100000 --style memoryview
contains "$T/out" "0     128 KiB  4 KiB       16 B       0x08100000  block       read-write  none"
contains "$T/out" "1     2 MiB    4 KiB       256 B      0x90000000  block       read-write  none"
contains "$T/out" "2     256 KiB  4 KiB       16 B       0x10100000  memoryview  read-only   none"

# usage errors exit 2 and create nothing
expect_status 2 "$MPROMFS" sim create "$T/d" -p 2 --size 64K
contains "$T/err" "-p 2, but the board has 2 partitions; add --partitions 3"
expect_status 2 "$MPROMFS" sim create "$T/d" --size 100K --erase-unit 64K
contains "$T/err" "partition 0: size 102400 is not a multiple of the erase unit 65536"
expect_status 2 "$MPROMFS" sim create "$T/d" --partitions 5
expect_status 2 "$MPROMFS" sim create "$T/d" --style mmap
contains "$T/err" "use memoryview or block"
expect_status 2 "$MPROMFS" sim create "$T/d" --erase-unit 3K
contains "$T/err" "is not a power of two"
expect_status 2 "$MPROMFS" sim create
expect_status 2 "$MPROMFS" sim frobnicate "$T/d"
[ ! -e "$T/d" ] || fail "a failed create left $T/d"

expect_status 0 "$MPROMFS" sim info "$T/b"
contains "$T/out" "hashing on the board: SHA-256 (hashlib.sha256)"
expect_status 0 "$MPROMFS" sim create "$T/crc" --partitions 1 --no-sha256
contains "$T/out" "hashing on the board: CRC-32 only (no hashlib.sha256)"
contains "$T/crc/board.conf" "feature.sha256=no"

# a create that fails halfway leaves no half-made board
mkdir -p "$T/half/part1.bin"
expect_status 1 "$MPROMFS" sim create "$T/half"
contains "$T/err" "cannot create $T/half/part1.bin"
[ ! -e "$T/half/part0.bin" ] && [ ! -e "$T/half/board.conf" ] || fail "half-made board left behind"

# faults: arm, show, clear
expect_status 0 "$MPROMFS" sim fault "$T/b" --power-cut-after 3 --corrupt-write 2 \
    --link-stop-after 4K --link-baud 9600
contains "$T/out" "faults: power cut after 3 more writes (write 4 does not happen); write 2 from now (1 = the next) stores a flipped bit; link stops answering after 4096 bytes; link slowed to 9600 baud"
contains "$T/b/board.conf" "fault.power_cut_at_write=4"
contains "$T/b/board.conf" "link.baud=9600"
expect_status 0 "$MPROMFS" sim info "$T/b"
contains "$T/out" "simulated board in $T/b"
contains "$T/out" "faults: power cut after 3 more writes"
contains "$T/out" "0     0       0             0       0              0"
expect_status 0 "$MPROMFS" sim fault "$T/b" --clear --link-baud 115200
contains "$T/out" "faults: link slowed to 115200 baud"
expect_status 0 "$MPROMFS" sim fault "$T/b" --clear
contains "$T/out" "faults: none"
expect_status 2 "$MPROMFS" sim fault "$T/b"
expect_status 2 "$MPROMFS" sim fault "$T/b" --corrupt-write 0
expect_status 1 "$MPROMFS" sim fault "$T/nothing" --clear
contains "$T/err" "is not a simulated board (no board.conf)"
expect_status 0 "$MPROMFS" sim reset-counters "$T/b"
contains "$T/out" "counters of $T/b reset"

# a damaged descriptor is named, line and all
printf 'version=1\npartitions=1\npart0.size=lots\n' > "$T/b/board.conf"
expect_status 1 "$MPROMFS" sim info "$T/b"
contains "$T/err" "board.conf line 3: part0.size=lots: want a size"

# help goes to stdout, exit 0
for sub in create info fault reset-counters; do
    expect_status 0 "$MPROMFS" sim $sub --help
    contains "$T/out" "Usage: mpromfs sim $sub"
done
expect_status 0 "$MPROMFS" sim --help
contains "$T/out" "mpromfs sim create DIR"
# factory images: the bytes land as given, nothing is counted
expect_status 0 "$MPROMFS" sim create "$T/g" -p 0 --image "$MPROMFS_GOLDEN/basic.romfs" \
    -p 1 --image "$MPROMFS_GOLDEN/edge.romfs"
contains "$T/out" "0     128 KiB  4 KiB       16 B       0x08100000  memoryview  read-write  264 bytes"
contains "$T/out" "1     1 MiB    64 KiB      16 B       0x90000000  memoryview  read-write  54928 bytes"
contains "$T/out" "1     0       0             0       0              0"
head -c 264 "$T/g/part0.bin" | cmp -s - "$MPROMFS_GOLDEN/basic.romfs" || fail "part0 is not basic.romfs"
[ "$(tail -c +265 "$T/g/part0.bin" | tr -d '\377' | wc -c)" -eq 0 ] || fail "part0 tail not erased"
expect_status 1 "$MPROMFS" sim create "$T/h" --size 64K -p 0 --image "$MPROMFS_GOLDEN/micropython-tests-random.romfs"
contains "$T/err" "is larger than partition 0 (65536 bytes)"
[ ! -e "$T/h" ] || fail "a failed create left $T/h"
expect_status 2 "$MPROMFS" sim create "$T/h" --image "$MPROMFS_GOLDEN/basic.romfs"
contains "$T/err" "say which partition first"
expect_status 1 "$MPROMFS" sim create "$T/h" -p 0 --image "$T/missing.romfs"
contains "$T/err" "cannot open $T/missing.romfs"

# faults fire in-process too: a corrupt write is caught by deploy's verify, a power
# cut stops it; both disarm themselves, the counters say what reached the flash
expect_status 0 "$MPROMFS" sim create "$T/f" --partitions 1
expect_status 0 "$MPROMFS" sim fault "$T/f" --corrupt-write 1
expect_status 1 "$MPROMFS" deploy -d "sim:$T/f" --no-mpy "$MPROMFS_ROOT/examples/app"
contains "$T/f/board.conf" "fault.corrupt_write=0"
expect_status 0 "$MPROMFS" sim fault "$T/f" --power-cut-after 0
expect_status 0 "$MPROMFS" sim reset-counters "$T/f"
expect_status 1 "$MPROMFS" deploy -d "sim:$T/f" --no-mpy "$MPROMFS_ROOT/examples/app"
contains "$T/err" "power cut by the injected fault"
contains "$T/f/board.conf" "fault.power_cut_at_write=0"
expect_status 0 "$MPROMFS" sim info "$T/f"
contains "$T/out" "0     1       4096          0       0              0"
expect_status 0 "$MPROMFS" deploy -d "sim:$T/f" --no-mpy "$MPROMFS_ROOT/examples/app"

echo "sim e2e ok"
