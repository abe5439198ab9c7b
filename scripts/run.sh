#!/bin/sh
# make run: open the partition manager. With no board attached it uses the built-in
# simulated board (kept in the user's state directory, preloaded with examples/app).
# Until the TUI exists, it builds examples/app into a temporary image and lists it.
set -eu
bin=$1
here=$(cd "$(dirname "$0")/.." && pwd)
if "$bin" tui --help >/dev/null 2>&1; then
    exec "$bin"
fi
echo "(the partition manager is not built yet: showing examples/app built into an image)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mpromfs-run.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
"$bin" build -o "$tmp/app.romfs" "$here/examples/app"
echo
"$bin" ls -l "$tmp/app.romfs"
