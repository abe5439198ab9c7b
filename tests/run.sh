#!/bin/sh
# Run every test of one build variant: cmocka unit binaries, end-to-end shell
# scripts, TUI scripts in tmux. Usage: tests/run.sh BUILD_DIR [COUNTS_FILE]
# Prints a line per test and "N passed, N failed"; appends "stage P F" to COUNTS_FILE.
set -u
build=${1:-build}
counts=${2:-}
here=$(cd "$(dirname "$0")/.." && pwd)
export MPROMFS="$here/$build/mpromfs"
export MPROMFS_ROOT="$here"
export MPROMFS_GOLDEN="${MPROMFS_GOLDEN:-$here/tests/golden}"
export LC_ALL=C.UTF-8
log="$here/$build/test-logs"
rm -rf "$log"; mkdir -p "$log"
pass=0; fail=0; failed=""

# Failing logs are also kept in $build/failed-logs/ (never wiped by a later run), so
# a failure that does not come back on a re-run can still be read.
kept="$here/$build/failed-logs"
now_ms() { date +%s%3N; }

run_one() { # name, command...
    name=$1; shift
    t0=$(now_ms)
    if "$@" >"$log/$name.log" 2>&1; then
        pass=$((pass + 1)); echo "  ok    $name ($(( $(now_ms) - t0 )) ms)"
    else
        fail=$((fail + 1)); failed="$failed $name"
        echo "  FAIL  $name ($(( $(now_ms) - t0 )) ms, log: $build/test-logs/$name.log)"
        tail -n 20 "$log/$name.log" | sed 's/^/        /'
        mkdir -p "$kept"; cp "$log/$name.log" "$kept/$(date +%Y%m%d-%H%M%S)-$name.log"
    fi
}

echo "== $build: unit"
for t in "$here/$build"/tests/test_*; do
    [ -x "$t" ] || continue
    run_one "$(basename "$t")" "$t"
done
echo "== $build: end to end"
for t in "$here"/tests/e2e/*.sh; do
    [ -f "$t" ] || continue
    run_one "e2e_$(basename "$t" .sh)" sh "$t"
done
if command -v tmux >/dev/null 2>&1; then
    echo "== $build: tui (tmux)"
    for t in "$here"/tests/tui/*.sh; do
        [ -f "$t" ] || continue
        run_one "tui_$(basename "$t" .sh)" sh "$t"
    done
fi

echo "$build: $pass passed, $fail failed"
[ -n "$counts" ] && echo "$build $pass $fail" >> "$counts"
[ "$fail" -eq 0 ]
