#!/bin/sh
# The serial backend end to end: `mpromfs sim serve` plays the board on a pty and
# query, read, ls -d and deploy talk to it through the termios transport and the raw
# REPL, for both partition kinds; then the faults a user meets: firmware without
# ROMFS, a partition out of range, old firmware without raw-paste or binascii, a
# board that goes silent mid-transfer, a board that is gone.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"

pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    rm -rf "$T"
}
trap cleanup EXIT INT TERM

# serve NAME [OPTIONS]: serve board $T/NAME on a pty linked at $T/NAME.pty
serve() {
    name=$1; shift
    rm -f "$T/$name.out"
    "$MPROMFS" sim serve "$T/$name" --link "$T/$name.pty" "$@" >"$T/$name.out" 2>"$T/$name.err" &
    last=$!
    pids="$pids $last"
    n=0
    until [ -L "$T/$name.pty" ] && grep -q /dev/pts/ "$T/$name.out" 2>/dev/null; do
        n=$((n + 1)); [ $n -gt 100 ] && fail "sim serve $name did not start"
        sleep 0.05
    done
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

cd "$T"
tar -xf "$MPROMFS_GOLDEN/basic.tar"
"$MPROMFS" build -q --no-mpy -o basic.romfs basic
cp "$MPROMFS_GOLDEN/micropython-tests-random.romfs" random.romfs
"$MPROMFS" sim create board -p 1 --style block >/dev/null
dd if=basic.romfs of=board/part0.bin conv=notrunc status=none
dd if=random.romfs of=board/part1.bin conv=notrunc status=none
serve board
DEV="$T/board.pty"

# query: mpremote's lines, then ours, for both kinds
expect_status 0 "$MPROMFS" query -d "$DEV"
contains out "ROMFS0 partition has size 131072 bytes (32 blocks of 4096 bytes each)"
contains out "  Raw contents: d2:cd:31:82:03:05:19:0a:52:45:41:44 ..."
contains out "  ROMFS image size: 259"  # mpremote prints the payload length
contains out "  Base address: 0x08100000"
contains out "  Image: 5 files, 2 directories"
contains out "ROMFS1 partition has size 1048576 bytes (16 blocks of 65536 bytes each)"
contains out "  Base address: 0x90000000"
contains out "  Kind: block device (rp2/esp32 style)"
# the same as the in-process board says, but for the write size a block device
# cannot report (the serial backend assumes 256-byte flash pages)
"$MPROMFS" query -d sim:board | sed 's/65536 bytes, write size: 16 bytes/65536 bytes, write size: 256 bytes/' > direct.txt
cp out viapty.txt
diff -u direct.txt viapty.txt || fail "query over the pty differs from the in-process board"

# read: the bytes the board holds, image only or the whole partition
expect_status 0 "$MPROMFS" read -d "$DEV" -p 0 --image-only -o img0
cmp img0 basic.romfs || fail "image read over the pty differs"
expect_status 0 "$MPROMFS" read -d "serial:$DEV" -p 1 -o whole1
cmp whole1 board/part1.bin || fail "block-device partition read over the pty differs"
expect_status 0 "$MPROMFS" read -d "$DEV" -p 1 --image-only -o img1
cmp img1 random.romfs || fail "block-device image read differs"

# ls -d: the listing at the partition's real base, as in-process
expect_status 0 "$MPROMFS" ls -d "$DEV" -p 1
"$MPROMFS" ls -d sim:board -p 1 > direct.txt
diff -u direct.txt out || fail "ls over the pty differs from the in-process board"
contains out "0x9000"

# deploy through the serial backend onto both kinds, then read back
"$MPROMFS" build -q --no-mpy -o random-on-0.romfs basic
expect_status 0 "$MPROMFS" deploy -d "$DEV" -p 0 random.romfs
expect_status 0 "$MPROMFS" read -d "$DEV" -p 0 --image-only -o back0
cmp back0 random.romfs || fail "deploy to the memoryview partition over the pty"
expect_status 0 "$MPROMFS" deploy -d "$DEV" -p 1 basic.romfs
expect_status 0 "$MPROMFS" read -d "$DEV" -p 1 --image-only -o back1
cmp back1 basic.romfs || fail "deploy to the block-device partition over the pty"

# --reset: soft reset, then the board's own /rom listing is checked against the image
expect_status 0 "$MPROMFS" deploy -d "$DEV" -p 0 --reset basic.romfs
contains out "after a soft reset /rom lists the image's 7 entries"

# a partition the board does not have
expect_status 1 "$MPROMFS" query -d "$DEV" -p 5
contains err "partition 5 does not exist"
expect_status 1 "$MPROMFS" read -d "$DEV" -p 7 -o none
[ -e none ] && fail "a failed read left a file"
stop "$last"

# a board that is gone: the link dangles
expect_status 1 "$MPROMFS" query -d "$DEV"
contains err "does not exist"

# firmware without ROMFS
"$MPROMFS" sim create plain >/dev/null
serve plain --no-romfs
expect_status 1 "$MPROMFS" query -d "$T/plain.pty"
contains err "ROMFS is not enabled in this firmware"
stop "$last"

# a read-only partition: the first erase is refused, and nothing reached the flash
"$MPROMFS" sim create ro --partitions 1 --read-only >/dev/null
serve ro
expect_status 1 "$MPROMFS" deploy -d "$T/ro.pty" -p 0 basic.romfs
contains err "partition 0 cannot be written on this board"
contains err "-22 (EINVAL)"
contains err "partition 0 is unchanged: nothing was erased or written"
! grep -q "run the same command again" err || fail "a refused deploy asks for a re-run"
stop "$last"
"$MPROMFS" sim info ro > info.txt
grep -q "^0     0       0             0       0" info.txt || { cat info.txt; fail "a refused deploy touched the flash"; }

# old firmware: no raw-paste, no binascii/deflate/hashlib/uctypes: same bytes come back
serve board --no-raw-paste --no-deflate --no-hashlib --no-uctypes
expect_status 0 "$MPROMFS" read -d "$DEV" -p 1 --image-only -o old1
cmp old1 basic.romfs || fail "read from old firmware differs"
contains err "no uctypes module"
expect_status 0 "$MPROMFS" query -d "$DEV" -p 0
contains out "Base address: unknown"
stop "$last"

# a board that stops answering mid-transfer: a clear error, no partial file
"$MPROMFS" sim fault board --link-stop-after 6000 >/dev/null
serve board
expect_status 1 "$MPROMFS" read -d "$DEV" -p 1 -o cut --timeout 1
contains err "went silent for 1 s in the middle of its answer"
[ -e cut ] && fail "an interrupted read left a file"
ls cut.tmp.* 2>/dev/null && fail "an interrupted read left a temp file"
stop "$last"
"$MPROMFS" sim fault board --clear >/dev/null

# a board that never answers at all (a program running, as far as we can tell)
"$MPROMFS" sim fault board --link-stop-after 1 >/dev/null
serve board
expect_status 1 "$MPROMFS" query -d "$DEV" --timeout 1
contains err "no answer from $DEV after 1 s"
contains err "is a program running? try --reset"
stop "$last"
