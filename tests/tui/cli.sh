# The command around the TUI: help, the key list, usage errors, and a clear refusal
# when there is no terminal.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"
expect_status 0 "$MPROMFS" tui --help
contains "$T/out" "Usage: mpromfs [tui] [-d DEV] [-C DIR]"
expect_status 0 "$MPROMFS" tui --keys
contains "$T/out" '| `Tab` | Local pane, Board pane, Partition map, Edit | switch pane |'
contains "$T/out" '| `y` | Deploy | confirm: write the plan to the board |'
expect_status 2 "$MPROMFS" tui --bogus
contains "$T/err" "unknown option --bogus"
expect_status 2 "$MPROMFS" -d
contains "$T/err" "option -d needs a value"
expect_status 2 "$MPROMFS" tui extra
# no terminal: says so, exits 1, leaves nothing behind
"$MPROMFS" sim create "$T/board" >/dev/null
expect_status 1 "$MPROMFS" -d "sim:$T/board" </dev/null
contains "$T/err" "needs a terminal"
# a board that cannot be opened is reported on the screen, not fatal
HOME="$T" LINES=24 COLUMNS=80 TERM=dumb MPROMFS_TUI_KEYS='' MPROMFS_TUI_DUMP="$T/screen" \
    "$MPROMFS" -d "sim:$T/nothing-here" -C "$T" >"$T/out" 2>"$T/err" || fail "exit status $?"
contains "$T/screen" "No board is open."
contains "$T/screen" "error: "
[ ! -s "$T/err" ] || { cat "$T/err"; fail "stderr was written"; }
