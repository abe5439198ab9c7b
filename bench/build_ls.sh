#!/bin/sh
# Build and ls speed against reading the same bytes, measured in the same run.
#   build: 5,000 files / 64 MiB; baseline: cat of the same files to /dev/null. Target <= 1.5x
#   ls:    an image of 20,000 entries / 32 MiB; baseline: cat of the image.   Target <= 3x
# Peak memory (max RSS) of each, with build's against the largest file it copies.
set -eu
: "${MPROMFS:?}" "${BENCH_BIN:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/mpromfs-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
reps=${BENCH_REPS:-5}
m() { "$BENCH_BIN/measure" "$reps" "$@"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

"$BENCH_BIN/gentree" "$T/tree" 5000 67108864 1
find "$T/tree" -type f | sort > "$T/files"
cat $(cat "$T/files") > /dev/null # warm the page cache for both
set -- $(m sh -c "find '$T/tree' -type f -exec cat {} + > /dev/null"); cat_t=$1
set -- $(m "$MPROMFS" build -q --no-mpy -o "$T/tree.romfs" "$T/tree"); build_t=$1; build_rss=$2
largest=$(find "$T/tree" -type f -printf '%s\n' | sort -n | tail -1)
echo "build 5000 files / 64 MiB: $(printf '%.3f' "$build_t") s, cat $(printf '%.3f' "$cat_t") s: ratio $(ratio "$build_t" "$cat_t")x (target <= 1.5x); peak memory $build_rss KiB (largest file $((largest / 1024)) KiB, tree 65536 KiB)"

rm -rf "$T/tree" "$T/tree.romfs"
"$BENCH_BIN/gentree" "$T/ls" 20000 33554432 2
"$MPROMFS" build -q --no-mpy -o "$T/ls.romfs" "$T/ls"
entries=$(( $(find "$T/ls" -mindepth 1 | wc -l) ))
size=$(stat -c %s "$T/ls.romfs")
cat "$T/ls.romfs" > /dev/null
set -- $(m cat "$T/ls.romfs"); read_t=$1
set -- $(m "$MPROMFS" ls "$T/ls.romfs"); ls_t=$1; ls_rss=$2
set -- $(m "$MPROMFS" ls -l "$T/ls.romfs"); lsl_t=$1; lsl_rss=$2
echo "ls $entries entries / $((size / 1048576)) MiB image: $(printf '%.3f' "$ls_t") s, cat $(printf '%.3f' "$read_t") s: ratio $(ratio "$ls_t" "$read_t")x (target <= 3x); peak memory $ls_rss KiB (the mapped image counts: $((size / 1024)) KiB)"
echo "ls -l (libmagic types for every file): $(printf '%.3f' "$lsl_t") s: ratio $(ratio "$lsl_t" "$read_t")x (informational); peak memory $lsl_rss KiB"
