#!/bin/sh
# mpromfs build with alignment rules, layout files, mpy-cross, --size and OpenMV
# configs; mpromfs ls --format openmv, --check-align and --size.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"
cd "$T"
tar -xf "$MPROMFS_GOLDEN/basic.tar"
tar -xf "$MPROMFS_GOLDEN/edge.tar"
M=$MPROMFS
no_output() { [ -e "$1" ] && fail "$1 was left behind"; true; }

# 1. No rule, or rules that match nothing, or alignment 1: mpremote's bytes.
for args in "" "--base 0x10000001" "--align nomatch*=16" "--align 1" "--align 16 --align 1"; do
    # shellcheck disable=SC2086
    expect_status 0 "$M" build --no-mpy $args -o plain.romfs edge
    cmp plain.romfs "$MPROMFS_GOLDEN/edge.romfs" || fail "'$args' changed the image"
done

# 2. Rules at several bases: every file the rules name is aligned, the image is
#    valid for the project's reader and for verify, and padding is at the bound.
#    (test_build_layout checks the bytes with a reader that mirrors vfs_rom.c.)
for base in 0 1 0x10000003 0x2000fffe 0x90000000; do
    for rules in "--align 4" "--align *.bin=64 --align *.py=8" "--align **/leaf.py=4096 --align 16" \
                 "--align order/*=32 --align a.py=2"; do
        # shellcheck disable=SC2086
        expect_status 0 "$M" build --no-mpy --base "$base" $rules -o al.romfs edge
        contains "$T/out" "alignment padding"
        # inline: exactly the lower bound; with a data area: below what inline needs
        if lb=$(sed -n 's/.*padding \([0-9]*\) bytes, lower bound \([0-9]*\)/\1 \2/p' "$T/out") && [ -n "$lb" ]; then
            set -- $lb
            [ "$1" = "$2" ] || fail "base $base, rules '$rules': padding $1 above the lower bound $2"
        else
            set -- $(sed -n 's/.*padding \([0-9]*\) bytes (inline layouts need at least \([0-9]*\))/\1 \2/p' "$T/out")
            [ "$1" -le "$2" ] || fail "base $base, rules '$rules': data area padding $1 above the inline bound $2"
        fi
        expect_status 0 "$M" verify al.romfs
        # the same rules, checked on the image by the reader
        check=$(echo "$rules" | sed 's/--align /--check-align /g')
        # shellcheck disable=SC2086
        expect_status 0 "$M" ls --base "$base" $check al.romfs
        grep -q MISALIGNED "$T/out" && fail "base $base '$rules': $(grep MISALIGNED "$T/out")"
    done
done

# An image built for one base is misaligned at another, and ls says so (exit 1).
expect_status 0 "$M" build --no-mpy --base 0x1000 --align '*.bin=64' -o b64.romfs edge
expect_status 1 "$M" ls --base 0x1001 --check-align '*.bin=64' b64.romfs
contains "$T/out" "MISALIGNED"; contains "$T/out" "bin/ff.bin"

# 3. A layout file, the same rules: the same image.
cat > layout.txt <<'L'
# alignment for the edge tree
*.bin      align=64     # DMA buffers

order/*    align=0x20
L
expect_status 0 "$M" build --no-mpy --layout layout.txt -o lf.romfs edge
expect_status 0 "$M" build --no-mpy --align '*.bin=64' --align 'order/*=32' -o la.romfs edge
cmp lf.romfs la.romfs || fail "layout file and --align differ"
expect_status 0 "$M" ls --check-align layout.txt lf.romfs
contains "$T/out" "bin/ff.bin  (layout.txt:2)"

# 4. Bad rules: clear messages, usage errors exit 2, nothing written.
expect_status 2 "$M" build --no-mpy --align 3 -o x.romfs edge
contains "$T/err" "--align 3: alignment 3 is not a power of two"; no_output x.romfs
expect_status 2 "$M" build --no-mpy --align '*.bin=131072' -o x.romfs edge
contains "$T/err" "alignment 131072 is larger than 65536"; no_output x.romfs
expect_status 2 "$M" build --no-mpy --align '[a=16' -o x.romfs edge
contains "$T/err" "bad glob '[a'"; no_output x.romfs
printf '*.bin align=16\n*.py  size=4\n' > bad.txt
expect_status 1 "$M" build --no-mpy --layout bad.txt -o x.romfs edge
contains "$T/err" "bad.txt:2: unknown key 'size' (the only key is align=N)"; no_output x.romfs
expect_status 1 "$M" build --no-mpy --layout missing.txt -o x.romfs edge
contains "$T/err" "cannot open layout file missing.txt"; no_output x.romfs
expect_status 2 "$M" ls --check-align '*.x=7' lf.romfs
contains "$T/err" "not a power of two"

# 5. --size: a summary with used/free; too big is an error before writing.
expect_status 0 "$M" build --no-mpy --size 1K -o s.romfs basic
contains "$T/out" "Image: 264 bytes = 176 data + 88 metadata + 0 alignment padding"
contains "$T/out" "Partition: 1024 bytes, 264 used (25.8%), 760 free"
expect_status 1 "$M" build --no-mpy --size 200 -o s2.romfs basic
contains "$T/err" "does not fit: 264 bytes for a partition of 200, 64 bytes too many"
contains "$T/err" "main.py"; no_output s2.romfs
expect_status 0 "$M" ls --size 1K s.romfs
contains "$T/out" "image 264 bytes, partition 1024 bytes, 760 bytes free"
expect_status 1 "$M" ls --size 100 s.romfs
contains "$T/err" "does not fit a partition of 100 bytes: 164 bytes too many"

# 6. mpy-cross: the test double through $MPY_CROSS; .mpy files in the image, none in
#    the source tree, arguments passed through, compile errors stop the build.
export MPY_CROSS="$MPROMFS_ROOT/tests/lib/fake-mpy-cross.sh" FAKE_MPY_CROSS_LOG="$T/calls"
before=$(find basic | sort | cksum)
expect_status 0 "$M" build --mpy-cross-args "-march=armv7emsp" -o m.romfs basic
contains "$T/out" "|-- main.py -> .mpy"
contains "$T/out" "|   \\-- helper.py -> .mpy"
grep -q Warning "$T/out" && fail "warning printed although mpy-cross was found"
[ "$(find basic | sort | cksum)" = "$before" ] || fail "the source tree changed"
contains "$T/calls" "-march=armv7emsp -o"
# the source name is what mpremote hands mpy-cross (DIR as typed + path), so that
# --mpy images are byte-identical to mpremote's with the same mpy-cross
contains "$T/calls" "-s basic/lib/helper.py"
expect_status 0 "$M" ls -l m.romfs
contains "$T/out" "lib/helper.mpy"; contains "$T/out" "mpy v6"
mkdir -p broken/lib && printf 'x = 1\n' > broken/ok.py && printf 'def f(:\n  FAKE_MPY_CROSS_FAIL\n' > broken/lib/bad.py
mkdir "$T/tmp"; export TMPDIR="$T/tmp"
expect_status 1 "$M" build -o broken.romfs broken
contains "$T/err" "mpy-cross could not compile broken/lib/bad.py"
contains "$T/err" "line 2"; contains "$T/err" "SyntaxError"; no_output broken.romfs
expect_status 0 "$M" build -q -o m2.romfs basic
[ -z "$(ls "$T/tmp")" ] || fail "temporary files left: $(ls "$T/tmp")"
unset TMPDIR
MPY_CROSS=/nonexistent expect_status 1 "$M" build -o y.romfs basic
contains "$T/err" "MPY_CROSS=/nonexistent is not an executable file"
unset MPY_CROSS FAKE_MPY_CROSS_LOG

# 7. OpenMV: romfs_config.json, files flat in config order, default alignment 4.
mkdir -p omv/lib/models omv/lib/haar
head -c 1001 /dev/urandom > omv/lib/models/person.tflite
printf 'person\nbackground\n' > omv/lib/models/person.txt
head -c 333 /dev/urandom > omv/lib/models/fomo.tflite
printf '<xml/>' > omv/lib/haar/eye.xml
cat > omv/romfs_config.json <<'J'
{
  "0": {
    "size": "0x2000",
    "entries": [
      {"type": "tflite", "path": "{TOP}/lib/models/*.tflite", "alignment": 16, "optimize": "Performance"},
      {"type": "haar", "path": "{TOP}/lib/haar/eye.xml", "stages": 0},
      {"type": "tflite", "path": "{TOP}/lib/models/none.tflite", "enabled": false}
    ]
  },
  "1": {"size": "0x200", "entries": [{"type": "tflite", "path": "{TOP}/lib/models/person.tflite"}]}
}
J
expect_status 0 "$M" build --config omv/romfs_config.json --base 0x90000000 -o omv0.img
contains "$T/err" "type tflite"; contains "$T/err" "copied verbatim"; contains "$T/err" "type haar"
contains "$T/out" "Partition: 8192 bytes"
expect_status 0 "$M" ls --format openmv --base 0x90000000 omv0.img
sed 's/.*  name: /name: /; s/.* name: /name: /' "$T/out" > names
printf 'name: fomo.tflite\nname: person.tflite\nname: person.txt\nname: eye.xml\n' > want
diff want names || fail "OpenMV order differs"
grep 'tflite' "$T/out" | grep -v -q 'alignment: \(16\|32\|64\|128\) ' && fail "a model is not aligned to 16"
grep -q 'NOT aligned' "$T/out" && fail "a file is under OpenMV's default alignment 4"
expect_status 0 "$M" ls --base 0x90000000 --check-align '*.tflite=16' --check-align '*.txt=4' omv0.img
# the default output name is OpenMV's
(cd omv && expect_status 0 "$M" build --config romfs_config.json -q) && [ -f omv/romfs0.img ] || fail "no romfs0.img"
expect_status 1 "$M" build --config omv/romfs_config.json --config-partition 1 -o omv1.img
contains "$T/err" "does not fit"; contains "$T/err" "partition of 512"; no_output omv1.img
expect_status 2 "$M" build --config omv/romfs_config.json basic
contains "$T/err" "give no directory"

# 8. --format openmv: the exact line format of OpenMV's romfs.ls_romfs().
#    The address is masked to 28 bits; directories are not listed.
expect_status 0 "$M" ls --format openmv --base 0x1234567C "$MPROMFS_GOLDEN/basic.romfs"
cat > want <<'W'
addr: 0x02345690  size: 12        alignment: 16    name: README.txt
addr: 0x02345723  size: 69        alignment: NOT aligned name: main.py
addr: 0x02345775  size: 15        alignment: NOT aligned name: utils.py
W
diff -u want "$T/out" || fail "--format openmv differs"
echo "layout: ok"
