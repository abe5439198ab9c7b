#!/bin/sh
# Runs every bench/*.sh with the built binary; each prints its ratio lines.
set -eu
build=$1
here=$(cd "$(dirname "$0")/.." && pwd)
export MPROMFS="$here/$build/mpromfs" MPROMFS_ROOT="$here" BENCH_BIN="$here/$build/bench"
for b in "$here"/bench/*.sh; do
    [ "$(basename "$b")" = run.sh ] && continue
    sh "$b"
done
