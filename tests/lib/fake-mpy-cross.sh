#!/bin/sh
# A test double of mpy-cross, created for the tests (not the real compiler).
# Takes mpy-cross's options (-o OUT, -s NAME, -march=ARCH, -X..., -O...), writes
# a valid .mpy v6 header ('M', 6, arch<<2 | sub-version 3, small-int bits 31)
# followed by a marker and the source, and fails like mpy-cross does (exit 1, a
# traceback on stderr) when the source contains FAKE_MPY_CROSS_FAIL.
# FAKE_MPY_CROSS_LOG, when set, gets one line per call with all arguments.
set -eu
out=; name=; src=; arch=0
[ -n "${FAKE_MPY_CROSS_LOG:-}" ] && echo "$*" >> "$FAKE_MPY_CROSS_LOG"
while [ $# -gt 0 ]; do
    case $1 in
        -o) out=$2; shift 2 ;;
        -s) name=$2; shift 2 ;;
        -march=x64) arch=2; shift ;;
        -march=armv6m) arch=4; shift ;;
        -march=armv7m) arch=5; shift ;;
        -march=armv7emsp) arch=7; shift ;;
        -march=xtensawin) arch=10; shift ;;
        -march=rv32imc) arch=11; shift ;;
        -march=*) echo "fake-mpy-cross: unknown architecture ${1#-march=}" >&2; exit 1 ;;
        -X*|-O*|-b*) shift ;;
        -*) echo "fake-mpy-cross: unknown option $1" >&2; exit 2 ;;
        *) src=$1; shift ;;
    esac
done
[ -n "$src" ] || { echo "fake-mpy-cross: no input file" >&2; exit 1; }
[ -n "$out" ] || out=${src%.py}.mpy
[ -n "$name" ] || name=$src
if grep -n FAKE_MPY_CROSS_FAIL "$src" >/dev/null 2>&1; then
    line=$(grep -n FAKE_MPY_CROSS_FAIL "$src" | head -1 | cut -d: -f1)
    printf 'Traceback (most recent call last):\n  File "%s", line %s\nSyntaxError: invalid syntax\n' "$name" "$line" >&2
    exit 1
fi
{
    printf 'M\006'
    printf "\\$(printf '%03o' $((arch ? arch * 4 + 3 : 0)))"
    printf '\037'
    printf 'FAKE %s\n' "$name"
    cat "$src"
} > "$out"
