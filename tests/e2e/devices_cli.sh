#!/bin/sh
# query, read and ls -d on the in-process simulated board, device names and the
# errors a user meets before any board answers (these need no pty).
. "$MPROMFS_ROOT/tests/lib/testlib.sh"
cd "$T"
tar -xf "$MPROMFS_GOLDEN/basic.tar"
"$MPROMFS" build -q --no-mpy -o basic.romfs basic
"$MPROMFS" sim create board -p 1 --style block >/dev/null
dd if=basic.romfs of=board/part0.bin conv=notrunc status=none

expect_status 0 "$MPROMFS" query -d sim:board
cat > want <<'OUT'
ROMFS0 partition has size 131072 bytes (32 blocks of 4096 bytes each)
  Raw contents: d2:cd:31:82:03:05:19:0a:52:45:41:44 ...
  ROMFS image size: 259
  Base address: 0x08100000
  Erase unit: 4096 bytes, write size: 16 bytes, writable
  Kind: memoryview (stm32 style)
  Image: 5 files, 2 directories, 264 bytes with its header, 130808 bytes free after it
ROMFS1 partition has size 1048576 bytes (16 blocks of 65536 bytes each)
  Raw contents: ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff ...
  Not a valid ROMFS
  Base address: 0x90000000
  Erase unit: 65536 bytes, write size: 16 bytes, writable
  Kind: block device (rp2/esp32 style)
OUT
diff -u want "$T/out" || fail "query output"

expect_status 0 "$MPROMFS" query -d sim:board -p 1
contains "$T/out" "ROMFS1 partition has size 1048576"
grep -q ROMFS0 "$T/out" && fail "-p 1 showed partition 0"
expect_status 1 "$MPROMFS" query -d sim:board -p 3
contains "$T/err" "partition 3 does not exist"
expect_status 2 "$MPROMFS" query -p x
expect_status 2 "$MPROMFS" query --timeout 0

# read: the whole partition or the image, written only when complete
expect_status 0 "$MPROMFS" read -d sim:board -p 0 --image-only -o img
cmp img basic.romfs || fail "--image-only differs from the image"
contains "$T/out" "read 264 bytes (the image) of partition 0 into img"
expect_status 0 "$MPROMFS" read -d sim:board -p 0 -o whole
cmp whole board/part0.bin || fail "whole read differs"
"$MPROMFS" read -d sim:board -p 0 --image-only > piped
cmp piped basic.romfs || fail "read to a pipe differs"
expect_status 1 "$MPROMFS" read -d sim:board -p 1 --image-only -o none
contains "$T/err" "partition 1 holds no ROMFS image"
[ -e none ] && fail "a failed read left a file behind"
ls none.tmp.* 2>/dev/null && fail "a failed read left a temp file behind"
expect_status 1 "$MPROMFS" read -d sim:board -p 2 -o none
[ -e none ] && fail "a failed read left a file behind"

# ls on the board: real addresses from the partition's base
expect_status 0 "$MPROMFS" ls -d sim:board -p 0
contains "$T/out" "0x08100"
contains "$T/out" "partition 131072 bytes"
expect_status 0 "$MPROMFS" ls sim:board -p 0 lib
contains "$T/out" "lib/helper.py"
expect_status 0 "$MPROMFS" ls --base 0 -d sim:board
grep -q "0x08100" "$T/out" && fail "--base 0 was ignored"
expect_status 1 "$MPROMFS" ls -d sim:board -p 1
contains "$T/err" "holds no ROMFS image"

# device names that cannot work, each with a message saying what to do
expect_status 1 "$MPROMFS" query -d /dev/ttyACM_mpromfs_missing
contains "$T/err" "does not exist; 'mpromfs devs' lists the ports"
expect_status 1 "$MPROMFS" query -d ttyACM0
contains "$T/err" "a0-a3, u0-u3"
expect_status 1 "$MPROMFS" query -d serial:/dev/x@fast
contains "$T/err" "bad baud rate"
expect_status 1 "$MPROMFS" query -d "$T/img"
contains "$T/err" "is not a serial port"

# devs never fails for want of hardware
expect_status 0 "$MPROMFS" devs
expect_status 2 "$MPROMFS" devs extra
expect_status 0 "$MPROMFS" devs --help
contains "$T/out" "Usage: mpromfs devs"
