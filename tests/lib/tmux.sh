# Drive the TUI in a private tmux server of fixed size and assert on the captured
# screen. Source after testlib.sh:  . "$MPROMFS_ROOT/tests/lib/tmux.sh"
# Every wait is a bounded poll of capture-pane: no bare sleeps that can race.
TMUX_SOCK="mpromfs-test-$$"
TMUX_TIMEOUT=${TMUX_TIMEOUT:-15}
tmx() { tmux -L "$TMUX_SOCK" -f /dev/null "$@"; }
tmux_cleanup() { tmx kill-server >/dev/null 2>&1 || true; rm -rf "$T"; }
trap tmux_cleanup EXIT INT TERM

# tui_shell COLS ROWS: a session running sh with a known prompt, in $T.
tui_shell() {
    tmx new-session -d -s t -x "$1" -y "$2" -c "$T" "env PS1='TUI-TEST\$ ' HOME='$T' XDG_STATE_HOME='$T/state' sh"
    tmx set-option -g status off >/dev/null
    wait_for 'TUI-TEST$'
}
# tui_run COMMAND-LINE: type a command into the shell (e.g. "$MPROMFS -d sim:board").
tui_run() { tmx send-keys -t t "$1" Enter; }
keys() { tmx send-keys -t t "$@"; }
screen() { tmx capture-pane -p -t t; }
# wait_for TEXT [SECONDS]: until the screen shows TEXT (fixed string).
wait_for() {
    limit=$(( ${2:-$TMUX_TIMEOUT} * 20 ))
    i=0
    while [ "$i" -lt "$limit" ]; do
        if screen | grep -qF -- "$1"; then return 0; fi
        i=$((i + 1)); sleep 0.05
    done
    echo "--- screen ---" >&2; screen >&2
    fail "timed out waiting for '$1'"
}
# wait_gone TEXT [SECONDS]: until the screen no longer shows TEXT.
wait_gone() {
    limit=$(( ${2:-$TMUX_TIMEOUT} * 20 ))
    i=0
    while [ "$i" -lt "$limit" ]; do
        if ! screen | grep -qF -- "$1"; then return 0; fi
        i=$((i + 1)); sleep 0.05
    done
    echo "--- screen ---" >&2; screen >&2
    fail "timed out waiting for '$1' to go"
}
# screen_has TEXT: assert now, no waiting.
screen_has() { screen | grep -qF -- "$1" || { screen >&2; fail "screen lacks '$1'"; }; }
# resize COLS ROWS
resize() { tmx resize-window -t t -x "$1" -y "$2"; }
