# The terminal is given back on every way out: q, ^C, SIGTERM and a crash (SIGSEGV):
# the shell prompt returns and the tty settings are what they were.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"
. "$MPROMFS_ROOT/tests/lib/tmux.sh"
"$MPROMFS" sim create "$T/board" >/dev/null
tui_shell 80 24
tui_run "stty -g > before"
n=0
for how in q ctrl-c term segv; do
    n=$((n + 1))
    tui_run "clear; sh -c 'echo \$\$ > pid; exec \"$MPROMFS\" -d sim:$T/board'; echo exit-$n-\$?"
    wait_for "0   128K  4096"
    case $how in
        q) keys q ;;
        ctrl-c) keys C-c ;;
        term) kill -TERM "$(cat "$T/pid")" ;;
        segv) kill -SEGV "$(cat "$T/pid")" ;;
    esac
    case $how in
        segv) code=139 ;;   # died of the signal, after giving the terminal back
        term) code=143 ;;
        *) code=0 ;;
    esac
    wait_for "exit-$n-$code"
    wait_gone "0   128K  4096"
    # the shell computes the marker, so the typed command line cannot match it
    tui_run "stty -g > after; cmp -s before after && echo TTY-SAME-\$((100+$n))"
    wait_for "TTY-SAME-$((100 + n))"
done
