#!/bin/sh
# mpromfs sim serve on a real pty, spoken to with plain shell tools: the banner, the
# raw REPL and raw-paste framing, soft reset, variables kept between programs, a deploy
# the way mpremote does it (both partition styles), the symlink's life, link faults
# (baud pacing, stop after N bytes), a power cut, and firmware without ROMFS.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"

pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    [ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT INT TERM

# wait_for FILE TEXT [SECONDS]: until FILE holds TEXT (bytes, fixed string; line
# ends are folded so that grep sees one line, not alternatives)
wait_for() {
    n=0; limit=$(( ${3:-5} * 20 ))
    want=$(printf '%s' "$2" | tr '\r\n' '\034\035')
    while ! { [ -f "$1" ] && tr '\r\n' '\034\035' <"$1" | grep -aqF -- "$want"; }; do
        n=$((n + 1))
        [ $n -gt $limit ] && { od -c "$1" | tail -20 >&2; fail "no '$2' in $1"; }
        sleep 0.05
    done
}

# serve NAME [OPTIONS]: start a server for board $T/NAME with link $T/NAME.pty
serve() {
    name=$1; shift
    rm -f "$T/$name.out" # an old server's output must not count as this one's
    "$MPROMFS" sim serve "$T/$name" --link "$T/$name.pty" "$@" >"$T/$name.out" 2>"$T/$name.err" &
    last_pid=$!
    pids="$pids $last_pid"
    wait_for "$T/$name.out" /dev/pts/
    [ -L "$T/$name.pty" ] || fail "no link $T/$name.pty"
}

# wait_exit PID: wait (at most 10 s) for a server to end; $st is its status
wait_exit() {
    n=0
    while kill -0 "$1" 2>/dev/null; do
        n=$((n + 1))
        [ $n -gt 200 ] && fail "server $1 still runs"
        sleep 0.05
    done
    set +e; wait "$1"; st=$?; set -e
}

# connect NAME: fd 3 writes to the board, $T/NAME.wire collects what it answers
connect() {
    exec 3<>"$T/$1.pty"
    : >"$T/$1.wire"
    cat <&3 >>"$T/$1.wire" 2>/dev/null &
    pids="$pids $!"
    reader=$!
}

disconnect() {
    kill "$reader" 2>/dev/null || true
    wait "$reader" 2>/dev/null || true
    exec 3>&-
}

"$MPROMFS" sim create "$T/b" >/dev/null
serve b
grep -q "^/dev/pts/" "$T/b.out" || fail "the pty path is not on stdout"
connect b
# the boot banner waits in the pty for the first reader
wait_for "$T/b.wire" 'MicroPython v1.25.0 on 2026-01-01; simulated board with ROMFS (mpromfs)'
wait_for "$T/b.wire" 'Type "help()" for more information.'

# raw REPL and a program
printf '\r\003\r\001' >&3
wait_for "$T/b.wire" 'raw REPL; CTRL-B to exit'
printf 'import vfs\nprint(repr(vfs.rom_ioctl(1)))\ndev=vfs.rom_ioctl(2,0)\004' >&3
wait_for "$T/b.wire" "$(printf 'OK2\r\n\004\004>')"
# variables live on between programs
printf 'print(repr(len(dev)))\004' >&3
wait_for "$T/b.wire" "$(printf 'OK131072\r\n\004\004>')"
# a traceback comes after the first \004
printf 'print(nothere)\004' >&3
wait_for "$T/b.wire" "$(printf "NameError: name 'nothere' isn't defined\r\n\004>")"
# raw paste: R\001, window 128 (\200\000), then \001 (a shell string holds no NUL:
# the two halves are checked apart)
printf '\005A\001print(6*7)\004' >&3
wait_for "$T/b.wire" "$(printf '>R\001\200')"
wait_for "$T/b.wire" "$(printf '\001\00442\r\n\004\004>')"
# soft reset clears the variables
printf '\004' >&3
wait_for "$T/b.wire" "$(printf 'OK\r\nMPY: soft reboot\r\nraw REPL; CTRL-B to exit\r\n>')"
printf 'print(dev)\004' >&3
wait_for "$T/b.wire" "NameError: name 'dev' isn't defined"

# a deploy as mpremote sends it: erase, chunks through deflate+base64, write, complete
img="$MPROMFS_GOLDEN/basic.romfs"
size=$(wc -c <"$img")
printf 'import vfs\ntry:\n vfs.umount("/rom")\nexcept:\n pass\004' >&3
printf 'print(repr(vfs.rom_ioctl(3,0,0,4096)))\004' >&3
wait_for "$T/b.wire" "$(printf 'OK16\r\n\004\004>')"
# pad to a multiple of 16 bytes, the partition's minimum write
b64=$( (cat "$img"; head -c $(( (16 - size % 16) % 16 )) /dev/zero) | base64 -w0)
printf "from binascii import a2b_base64\nbuf=a2b_base64(b'%s')\nprint(repr(vfs.rom_ioctl(4,0,0,buf)), repr(vfs.rom_ioctl(5,0)))\004" "$b64" >&3
wait_for "$T/b.wire" "$(printf 'OK0 0\r\n\004\004>')"
printf '\r\002' >&3
wait_for "$T/b.wire" "$(printf '\r\nMicroPython v1.25.0')"
disconnect
head -c "$size" "$T/b/part0.bin" | cmp - "$img" || fail "partition 0 does not hold the deployed image"
expect_status 0 "$MPROMFS" ls "$T/b/part0.bin"

# SIGTERM: the server stops and removes its link
kill -TERM "$last_pid"
wait "$last_pid" || fail "serve exited non-zero after SIGTERM"
[ -e "$T/b.pty" ] && fail "the link survived SIGTERM"

# block-device partitions (rp2/esp32 style)
"$MPROMFS" sim create "$T/blk" --style block >/dev/null
serve blk
connect blk
printf '\r\003\r\001' >&3
wait_for "$T/blk.wire" 'raw REPL; CTRL-B to exit'
printf "import vfs\ndev=vfs.rom_ioctl(2,0)\nprint(repr(hasattr(dev,'ioctl')), dev.ioctl(4,0), dev.ioctl(5,0))\ndev.writeblocks(0,b'\\\\xd2\\\\xcd\\\\x31\\\\x02\\\\x01\\\\x00'+bytes(10),0)\nprint(bytes(memoryview(dev)[:6]))\004" >&3
wait_for "$T/blk.wire" "$(printf "OKTrue 32 4096\r\nb'\\\\xd2\\\\xcd1\\\\x02\\\\x01\\\\x00'\r\n\004\004>")"
disconnect
kill -INT "$last_pid"
wait "$last_pid" || fail "serve exited non-zero after SIGINT"
[ -e "$T/blk.pty" ] && fail "the link survived SIGINT"

# firmware without ROMFS
serve b --no-romfs --no-raw-paste
connect b
printf '\r\003\r\001' >&3
wait_for "$T/b.wire" 'raw REPL; CTRL-B to exit'
printf "\005A\001" >&3
wait_for "$T/b.wire" "$(printf '>R')"
od -An -c "$T/b.wire" | tr -s ' ' | grep -q 'R \\0' || fail "no R\\0 to the raw-paste request"
printf "import vfs\nprint(repr(hasattr(vfs,'rom_ioctl')))\004" >&3
wait_for "$T/b.wire" "$(printf 'OKFalse\r\n\004\004>')"
disconnect
kill "$last_pid"; wait "$last_pid" || true

# the link paced at 9600 baud: 600 bytes of output need about 0.6 s
serve b --baud 9600
connect b
wait_for "$T/b.wire" 'help()'
printf '\r\003\r\001' >&3
wait_for "$T/b.wire" 'raw REPL; CTRL-B to exit'
start=$(date +%s%N)
printf "print('x'*600)\004" >&3
wait_for "$T/b.wire" "$(printf '\004\004>')"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
disconnect
kill "$last_pid"; wait "$last_pid" || true
[ "$ms" -ge 550 ] || fail "600 bytes at 9600 baud took only $ms ms"
[ "$ms" -le 3000 ] || fail "600 bytes at 9600 baud took $ms ms"

# link fault: the board stops answering after 40 bytes
"$MPROMFS" sim fault "$T/b" --link-stop-after 40 >/dev/null
serve b
connect b
printf '\r\003\r\001' >&3
sleep 0.5
disconnect
[ "$(wc -c <"$T/b.wire")" -eq 40 ] || fail "the board sent $(wc -c <"$T/b.wire") bytes, not 40"
kill "$last_pid"; wait "$last_pid" || true
"$MPROMFS" sim fault "$T/b" --clear >/dev/null

# power cut on the next write: the server closes the pty, what was written stays
"$MPROMFS" sim fault "$T/b" --power-cut-after 0 >/dev/null
serve b
connect b
printf '\r\003\r\001' >&3
wait_for "$T/b.wire" 'raw REPL; CTRL-B to exit'
printf 'import vfs\nvfs.rom_ioctl(3,1,65536)\nvfs.rom_ioctl(4,1,0,bytes(16))\nprint("after")\004' >&3
wait_exit "$last_pid"
disconnect
[ "$st" -eq 1 ] || fail "serve exited $st after a power cut, wanted 1"
grep -q "power cut" "$T/b.err" || fail "no power-cut message: $(cat "$T/b.err")"
grep -aq after "$T/b.wire" && fail "the board kept running after the power cut"
[ -e "$T/b.pty" ] && fail "the link survived the power cut"
head -c "$size" "$T/b/part0.bin" | cmp - "$img" || fail "the power cut lost what was written"

# mpromfs's own serial client against the pty board: deploy, verify on the board,
# soft reset and list /rom through the os module (block-device partitions)
"$MPROMFS" sim create "$T/cli" --style block >/dev/null
serve cli
expect_status 0 "$MPROMFS" deploy -d "$T/cli.pty" "$MPROMFS_GOLDEN/edge.romfs" --reset
contains "$T/out" "verified"
contains "$T/out" "after a soft reset /rom lists"
expect_status 0 "$MPROMFS" ls -d "$T/cli.pty" -p 0
contains "$T/out" "24 files"
kill "$last_pid"; wait "$last_pid" || true

# usage errors
expect_status 2 "$MPROMFS" sim serve
expect_status 2 "$MPROMFS" sim serve "$T/b" --baud 12
expect_status 1 "$MPROMFS" sim serve "$T/nothere"
touch "$T/file"
expect_status 1 "$MPROMFS" sim serve "$T/b" --link "$T/file"
contains "$T/err" "not a symbolic link"
expect_status 0 "$MPROMFS" sim serve --help
contains "$T/out" "--no-raw-paste"
echo "sim serve: ok"
