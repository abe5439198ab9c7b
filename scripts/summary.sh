#!/bin/sh
# Sum the "stage passed failed" lines that each stage of `make check` appended and
# print the one closing line; exit non-zero when anything failed.
counts=${1:-build/check.counts}
[ -f "$counts" ] || { echo "check: no results in $counts"; exit 1; }
awk '
    { printf "  %-28s %5d passed, %d failed\n", $1, $2, $3; p += $2; f += $3 }
    END { printf "check: %d passed, %d failed\n", p, f; exit (f > 0 || p == 0) }
' "$counts"
