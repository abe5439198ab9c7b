#!/bin/sh
# mpromfs deploy against the in-process simulated board (sim:DIR), both partition
# styles: dry run, first deploy, nothing to do, one-file change, power cut + resume,
# and every bad input with the board's counters proving nothing was touched.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"
B=$T/board
$MPROMFS sim create "$B" -p 0 --size 256K --erase-unit 4K --write-min 16 \
    -p 1 --size 256K --erase-unit 4K --write-min 256 --style block >/dev/null

# counters PART: "erased-units writes completes" of one partition
counters() {
    $MPROMFS sim info "$B" | awk -v p="$1" '/^part +erases/{f=1;next} f&&$1==p{print $3 / 4096, $5, $7; exit}'
}

# an app of ~100 KiB over 25+ erase units: sources, data, a subdirectory
mk_app() { # DIR SEED
    mkdir -p "$1/lib" "$1/data"
    i=0
    while [ $i -lt 24 ]; do
        awk -v s="$2" -v i=$i 'BEGIN{srand(s*100+i); for(l=0;l<170;l++){printf "x%d = %d  # %d\n", l, int(rand()*1e6), i}}' \
            > "$1/lib/mod$i.py"
        awk -v s="$2" -v i=$i 'BEGIN{srand(s*1000+i); for(l=0;l<500;l++) printf "%c", 33+int(rand()*90)}' \
            > "$1/data/blob$i.bin"
        i=$((i + 1))
    done
    printf 'import lib\nprint("main")\n' > "$1/main.py"
}
mk_app "$T/app" 1
mk_app "$T/app3" 3
units3=$($MPROMFS deploy -d "sim:$B" --no-mpy --dry-run "$T/app3" | sed -n 's/^  compared \([0-9]*\) units.*/\1/p')

for part in 0 1; do
    # dry run on an empty board: a plan, nothing touched
    before=$(counters $part)
    expect_status 0 $MPROMFS deploy -d "sim:$B" -p $part --no-mpy --dry-run "$T/app"
    contains "$T/out" "board: no image on partition $part; every entry is new"
    contains "$T/out" "dry run: nothing was written"
    [ "$(counters $part)" = "$before" ] || fail "dry run touched partition $part"

    # first deploy: every unit, verified; plain progress lines (stdout is not a tty)
    expect_status 0 $MPROMFS deploy -d "sim:$B" -p $part --no-mpy "$T/app"
    contains "$T/out" "erasing unit 0 (the image header) first"
    contains "$T/out" "writing: 100%"
    contains "$T/out" ", verified"
    units=$(sed -n 's/^  units changed: \([0-9]*\) of \([0-9]*\).*/\2/p' "$T/out")
    [ "$units" -ge 20 ] || fail "the app should span at least 20 units, not $units"

    # the same again: nothing to do, nothing touched
    before=$(counters $part)
    expect_status 0 $MPROMFS deploy -d "sim:$B" -p $part --no-mpy "$T/app"
    contains "$T/out" "nothing to write: the partition already holds this image"
    [ "$(counters $part)" = "$before" ] || fail "an unchanged redeploy touched partition $part"

    # one file changed (same size): that unit and unit 0 only
    cp -r "$T/app" "$T/app2"
    printf '%500s' '' | tr ' ' 'Z' > "$T/app2/data/blob7.bin"
    expect_status 0 $MPROMFS deploy -d "sim:$B" -p $part --no-mpy --dry-run "$T/app2"
    contains "$T/out" "files: 0 added, 0 removed, 1 changed"
    contains "$T/out" "    ~ data/blob7.bin (500 -> 500 bytes)"
    before=$(counters $part)
    expect_status 0 $MPROMFS deploy -d "sim:$B" -p $part --no-mpy "$T/app2"
    contains "$T/out" "units changed: 2 of $units"
    set -- $before; e0=$1
    set -- $(counters $part); [ $(($1 - e0)) -eq 2 ] || fail "one-file change erased $(($1 - e0)) units, wanted 2"

    # power cut after 6 writes while deploying another app (every unit differs): no
    # valid image; the same command then sends only the units still wrong
    $MPROMFS sim fault "$B" --power-cut-after 6 >/dev/null
    expect_status 1 $MPROMFS deploy -d "sim:$B" -p $part --no-mpy "$T/app3"
    contains "$T/err" "partition $part holds no valid image; 6 of $units3 units written; run the same command again to finish"
    $MPROMFS sim info "$B" | awk -v p=$part '$1==p && /read-write/' | grep -q ' none$' \
        || fail "a valid image after the cut on partition $part"
    expect_status 0 $MPROMFS deploy -d "sim:$B" -p $part --no-mpy --reset "$T/app3"
    contains "$T/out" "units changed: $((units3 - 6)) of $units3"
    contains "$T/out" "after a soft reset /rom lists the image's"
    rm -rf "$T/app2"
done

# layout options: a directory is aligned for the partition's real address
base1=$($MPROMFS sim info "$B" | awk '$1=="1" && /read-write/ {for(i=2;i<=NF;i++) if ($i ~ /^0x/) {print $i; exit}}')
expect_status 0 $MPROMFS deploy -d "sim:$B" -p 1 --no-mpy --align '*.bin=64' "$MPROMFS_ROOT/examples/app"
contains "$T/out" "aligned 1 files for addresses from $base1"
$MPROMFS ls --base "$base1" "$B/part1.bin" > "$T/ls"
align=$(awk '$NF=="data/sine.bin" {print $4}' "$T/ls")
[ "$align" -ge 64 ] || fail "data/sine.bin aligned to $align on the board, wanted 64"

# bad inputs: errors before anything is touched
before="$(counters 0) / $(counters 1)"
expect_status 1 $MPROMFS deploy -d "sim:$B" --no-mpy "$T/missing"
contains "$T/err" "mpromfs: $T/missing: No such file or directory"
head -c 5000 /dev/zero > "$T/junk.img"
expect_status 1 $MPROMFS deploy -d "sim:$B" "$T/junk.img"
contains "$T/err" "not a valid ROMFS image"
cp "$T/junk.img" "$T/junk.bin"
expect_status 1 $MPROMFS deploy -d "sim:$B" "$T/junk.bin"
contains "$T/err" "not a directory, and not an image"
mkdir "$T/big"
head -c 300000 /dev/urandom > "$T/big/model.bin"
expect_status 1 $MPROMFS deploy -d "sim:$B" --no-mpy "$T/big"
contains "$T/err" "the image does not fit: "
$MPROMFS build -q --no-mpy -o "$T/big.romfs" "$T/big"
expect_status 1 $MPROMFS deploy -d "sim:$B" "$T/big.romfs"
contains "$T/err" "too big for partition 0 (262144 bytes); nothing was changed"
expect_status 1 $MPROMFS deploy -d "sim:$B" -p 3 --no-mpy "$T/app"
expect_status 2 $MPROMFS deploy -d "sim:$B" --bogus "$T/app"
expect_status 2 $MPROMFS deploy -d "sim:$B"
[ "$before" = "$(counters 0) / $(counters 1)" ] || fail "a bad input touched the board"

# a read-only partition (ops 3-5 answer -22): a clear error, nothing changed
$MPROMFS sim create "$T/ro" --size 128K --read-only >/dev/null
expect_status 1 $MPROMFS deploy -d "sim:$T/ro" --no-mpy "$T/app"
contains "$T/err" "partition 0 cannot be written: the board answers -22"
$MPROMFS sim info "$T/ro" | awk '/^part +erases/{f=1;next} f&&$1=="0"' | grep -q '^0 *0 *0 *0 *0 *0$' \
    || fail "the read-only board was touched"

expect_status 0 $MPROMFS deploy --help
contains "$T/out" "Usage: mpromfs deploy"
echo "deploy e2e: ok"
