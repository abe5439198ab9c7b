#!/bin/sh
# Build and run the libFuzzer targets in tests/fuzz (clang only).
#   fuzz.sh build                      build them into build-fuzz/
#   fuzz.sh short COUNTS               run each for a few seconds (make check)
#   fuzz.sh long COUNTS SECONDS        run each for SECONDS (make fuzz)
# Seeds: tests/fuzz/corpus/<target>/ plus the golden images for image parsers.
set -u
mode=${1:-build}; counts=${2:-/dev/null}; secs=${3:-6}
[ "$mode" = short ] && secs=${FUZZ_SHORT_SECONDS:-6}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
out=build-fuzz
mkdir -p "$out"
pkgs="ncursesw libserialport libmagic zlib"
cflags="-std=c11 -g -O1 -D_GNU_SOURCE -DMPROMFS_VERSION=\"fuzz\" -Isrc -Iproto -Iui $(pkg-config --cflags $pkgs)"
libs="$(pkg-config --libs $pkgs) -lm"
san="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
pass=0; fail=0
for f in tests/fuzz/fuzz_*.c; do
    [ -f "$f" ] || continue
    name=$(basename "$f" .c)
    # shellcheck disable=SC2086
    if ! clang $cflags $san -o "$out/$name" "$f" $(ls src/*.c proto/*.c 2>/dev/null) $libs 2>"$out/$name.build.log"; then
        echo "  FAIL  $name: does not build (see $out/$name.build.log)"; cat "$out/$name.build.log"
        fail=$((fail + 1)); continue
    fi
    [ "$mode" = build ] && continue
    corpus="$out/corpus-$name"; mkdir -p "$corpus"
    [ -d "tests/fuzz/corpus/$name" ] && cp -n tests/fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null
    if "$out/$name" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
            "$corpus" >"$out/$name.log" 2>&1; then
        pass=$((pass + 1)); echo "  ok    $name ($(grep -o 'Done [0-9]* runs' "$out/$name.log" | tail -1))"
    else
        fail=$((fail + 1)); echo "  FAIL  $name (log: $out/$name.log)"; tail -n 30 "$out/$name.log"
    fi
done
[ "$mode" = build ] && exit $fail
echo "fuzz: $pass passed, $fail failed"
echo "fuzz $pass $fail" >> "$counts"
[ "$fail" -eq 0 ]
