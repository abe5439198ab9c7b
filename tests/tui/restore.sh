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
    wait_for "exit-$n-"
    wait_gone "0   128K  4096"
    case $how in
        segv) screen_has "exit-$n-139" ;;
        term) screen_has "exit-$n-143" ;;
        *) screen_has "exit-$n-0" ;;
    esac
    tui_run "stty -g > after; cmp -s before after && echo tty-same-$n"
    wait_for "tty-same-$n"
done
