#include "term.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "colors.h"
#include "tui.h"
#include "tui_curses.h"

volatile sig_atomic_t tui_interrupted;
volatile sig_atomic_t tui_terminated;

static volatile sig_atomic_t active;
static int saved_stderr = -1;
static FILE *log_file;
static SCREEN *screen;
static FILE *null_out, *null_in;
static bool atexit_done;

static void on_stop_signal(int sig)
{
    /* ^C asks to stop (the loop cancels work or quits); a second one, or SIGTERM
     * while nothing looks at the flags, still ends cleanly from the loop. */
    if (sig == SIGINT)
        tui_interrupted = 1;
    else
        tui_terminated = 1;
}

static void on_crash(int sig)
{
    /* Give the terminal back, then die of the same signal so the exit status and
     * any core dump stay truthful. */
    if (saved_stderr >= 0)
        dup2(saved_stderr, 2);
    if (active) {
        active = 0;
        endwin();
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void at_exit(void)
{
    tui_term_stop();
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_stop_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_crash;
    sa.sa_flags = SA_RESETHAND;
    const int crash[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    for (size_t i = 0; i < sizeof crash / sizeof crash[0]; i++)
        sigaction(crash[i], &sa, NULL);
}

static void redirect_stderr(void)
{
    log_file = tmpfile();
    if (!log_file)
        return;
    fflush(stderr);
    saved_stderr = dup(2);
    if (saved_stderr < 0 || dup2(fileno(log_file), 2) < 0) {
        fclose(log_file);
        log_file = NULL;
        if (saved_stderr >= 0)
            close(saved_stderr);
        saved_stderr = -1;
    }
}

static void restore_stderr(void)
{
    if (saved_stderr < 0)
        return;
    fflush(stderr);
    dup2(saved_stderr, 2);
    close(saved_stderr);
    saved_stderr = -1;
    if (log_file) {
        /* whatever libraries printed while the screen was up, now readable */
        rewind(log_file);
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, log_file)) > 0)
            fwrite(buf, 1, n, stderr);
        fclose(log_file);
        log_file = NULL;
    }
}

int tui_term_start(bool scripted, mr_err *err)
{
    if (!atexit_done) {
        atexit(at_exit);
        atexit_done = true;
    }
    install_signals();
    if (scripted) {
        null_out = fopen("/dev/null", "w");
        null_in = fopen("/dev/null", "r");
        const char *term = getenv("TERM");
        if (!null_out || !null_in)
            return mr_fail_errno(err, "cannot open /dev/null");
        screen = newterm(term && *term ? term : "dumb", null_out, null_in);
        if (!screen)
            return mr_fail(err, "cannot start the screen for TERM=%s", term ? term : "");
        set_term(screen);
    } else {
        if (!isatty(0) || !isatty(1))
            return mr_fail(err, "the partition manager needs a terminal (use a subcommand "
                                "in scripts: mpromfs --help)");
        const char *term = getenv("TERM");
        screen = newterm(NULL, stdout, stdin);
        if (!screen)
            return mr_fail(err, "cannot use the terminal TERM=%s", term ? term : "(unset)");
        set_term(screen);
    }
    active = 1;
    redirect_stderr();
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    intrflush(stdscr, FALSE);
    set_escdelay(25);
    curs_set(0);
    tui_colors_init();
    return 0;
}

void tui_term_stop(void)
{
    if (active) {
        active = 0;
        endwin();
    }
    if (screen) {
        delscreen(screen);
        screen = NULL;
    }
    if (null_out) {
        fclose(null_out);
        null_out = NULL;
    }
    if (null_in) {
        fclose(null_in);
        null_in = NULL;
    }
    restore_stderr();
}

bool tui_term_active(void)
{
    return active;
}
