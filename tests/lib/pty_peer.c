/* See pty_peer.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "pty_peer.h"

static void nap(unsigned ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int run_steps(int fd, const pty_step *steps, size_t n)
{
    static char seen[1 << 20];
    size_t seen_len = 0, search_from = 0;
    for (size_t s = 0; s < n; s++) {
        const pty_step *st = &steps[s];
        if (st->expect) {
            size_t el = st->expect_len ? st->expect_len : strlen(st->expect);
            for (;;) {
                void *hit = seen_len >= search_from + el
                                ? memmem(seen + search_from, seen_len - search_from, st->expect, el)
                                : NULL;
                if (hit) {
                    search_from = (size_t)((char *)hit - seen) + el;
                    break;
                }
                struct pollfd p = {.fd = fd, .events = POLLIN};
                if (poll(&p, 1, 10000) <= 0)
                    return 10 + (int)s; /* the client never sent it */
                ssize_t k = read(fd, seen + seen_len, sizeof seen - seen_len);
                if (k <= 0)
                    return 10 + (int)s;
                seen_len += (size_t)k;
            }
        }
        if (st->quiet_ms) {
            struct pollfd p = {.fd = fd, .events = POLLIN};
            if (seen_len > search_from || poll(&p, 1, (int)st->quiet_ms) != 0)
                return 50 + (int)s; /* the client sent more than it should have */
        }
        if (st->delay_ms)
            nap(st->delay_ms);
        if (st->reply) {
            size_t rl = st->reply_len ? st->reply_len : strlen(st->reply);
            for (size_t i = 0; i < rl;) {
                size_t k = st->trickle ? 1 : rl - i;
                ssize_t w = write(fd, st->reply + i, k);
                if (w <= 0)
                    return 2;
                i += (size_t)w;
                if (st->trickle)
                    nap(1);
            }
        }
    }
    return 0;
}

int pty_peer_start(pty_peer *p, const pty_step *steps, size_t n, bool hang_up_at_end)
{
    memset(p, 0, sizeof *p);
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0 || grantpt(m) != 0 || unlockpt(m) != 0)
        return -1;
    snprintf(p->path, sizeof p->path, "%s", ptsname(m));
    /* Raw on the slave side too, so \r and control bytes pass untouched even
     * before the client configures it. */
    int s = open(p->path, O_RDWR | O_NOCTTY);
    if (s >= 0) {
        struct termios t;
        tcgetattr(s, &t);
        cfmakeraw(&t);
        tcsetattr(s, TCSANOW, &t);
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (s >= 0)
            close(s);
        int rc = run_steps(m, steps, n);
        if (!hang_up_at_end) {
            char junk[4096];
            struct pollfd pf = {.fd = m, .events = POLLIN};
            while (poll(&pf, 1, 5000) > 0 && read(m, junk, sizeof junk) > 0)
                ;
        }
        _exit(rc);
    }
    p->pid = pid;
    p->master = -1;
    close(m); /* the child holds the master; its exit hangs up the pty */
    /* Keep a slave open until pty_peer_finish: a pty with no slave open reads as
     * hung up, and the child would take that for the client going away before
     * the client has even opened it. */
    p->slave = s;
    return 0;
}

int pty_peer_finish(pty_peer *p)
{
    int status = 0;
    if (p->slave >= 0)
        close(p->slave);
    p->slave = -1;
    /* The child exits when the client closes the pty (or its script ends with a
     * hang-up); one still running after that is stuck on an unmet expectation. */
    for (int i = 0; i < 2400; i++) {
        pid_t r = waitpid(p->pid, &status, WNOHANG);
        if (r == p->pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        nap(5);
    }
    kill(p->pid, SIGKILL);
    waitpid(p->pid, &status, 0);
    return -1;
}
