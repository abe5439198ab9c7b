/* The pty side of `sim serve`: open a pseudo-terminal, keep a symlink to it, move
 * bytes between it and the REPL state machine, pace them at the emulated baud rate,
 * apply the link faults, and clean up on SIGINT/SIGTERM or a power cut. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "serve.h"
#include "serve_repl.h"
#include "sim.h"

/* ---- the simulator as the interpreter's board ---------------------------------- */
static int board_rc(int rc)
{
    return rc == MR_SIM_POWER_CUT ? PY_BOARD_POWER_CUT : rc;
}

static int sb_count(void *ctx)
{
    return (int)mr_sim_nparts(ctx);
}

static int sb_info(void *ctx, unsigned part, py_part *out)
{
    const mr_sim_conf *c = mr_sim_config(ctx);
    if (part >= c->nparts)
        return -EINVAL;
    const mr_sim_part_conf *p = &c->part[part];
    *out = (py_part){.size = p->size, .base = p->base, .erase_unit = p->erase_unit,
                     .write_min = p->write_min, .writable = p->writable,
                     .block_device = p->style == MR_SIM_BLOCK};
    return 0;
}

static int sb_read(void *ctx, unsigned part, uint64_t off, uint8_t *buf, size_t len)
{
    return board_rc(mr_sim_read(ctx, part, off, buf, len));
}

static int sb_erase(void *ctx, unsigned part, uint64_t off, uint64_t len)
{
    return board_rc(mr_sim_erase(ctx, part, off, len));
}

static int sb_write(void *ctx, unsigned part, uint64_t off, const uint8_t *data, size_t len)
{
    return board_rc(mr_sim_write(ctx, part, off, data, len));
}

static int sb_complete(void *ctx, unsigned part)
{
    return board_rc(mr_sim_complete(ctx, part));
}

const py_board_ops serve_sim_board_ops = {
    .count = sb_count,
    .info = sb_info,
    .read = sb_read,
    .erase = sb_erase,
    .write = sb_write,
    .complete = sb_complete,
};

/* ---- signals ------------------------------------------------------------------- */
static volatile sig_atomic_t quit_signal;

static void on_signal(int sig)
{
    quit_signal = sig;
}

static void install_signals(struct sigaction *old_int, struct sigaction *old_term,
                            struct sigaction *old_hup)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* no SA_RESTART: poll() returns EINTR so the loop sees the signal at once */
    sigaction(SIGINT, &sa, old_int);
    sigaction(SIGTERM, &sa, old_term);
    sigaction(SIGHUP, &sa, old_hup);
}

/* ---- the link ------------------------------------------------------------------ */
typedef struct link {
    int fd;                 /* pty master, non-blocking */
    uint32_t baud;
    int64_t out_next, in_next; /* monotonic ns before which the next byte cannot pass */
    uint64_t out_bytes, stop_after;
    bool stopped;
    FILE *log;
} link_t;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void sleep_until(int64_t t)
{
    int64_t d = t - now_ns();
    if (d <= 0)
        return;
    struct timespec ts = {.tv_sec = d / 1000000000, .tv_nsec = d % 1000000000};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR && !quit_signal)
        ;
}

/* A UART moves 10 bits per byte (start, 8 data, stop). */
static int64_t byte_ns(const link_t *l, size_t n)
{
    return (int64_t)n * 10 * 1000000000 / l->baud;
}

static void write_all(link_t *l, const uint8_t *d, size_t n)
{
    while (n && !quit_signal) {
        ssize_t w = write(l->fd, d, n);
        if (w > 0) {
            d += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno != EAGAIN && errno != EINTR)
            return; /* the pty is gone; the main loop notices */
        /* nobody reads: wait for room, as a board blocks on a full TX buffer */
        struct pollfd p = {.fd = l->fd, .events = POLLOUT};
        poll(&p, 1, 200);
    }
}

static void link_write(void *ctx, const uint8_t *d, size_t n)
{
    link_t *l = ctx;
    if (l->stopped)
        return;
    if (l->stop_after && n >= l->stop_after - l->out_bytes) {
        n = (size_t)(l->stop_after - l->out_bytes);
        l->stopped = true;
        if (l->log)
            fprintf(l->log, "mpromfs sim serve: link fault: the board stops answering after %llu bytes\n",
                    (unsigned long long)l->stop_after);
    }
    l->out_bytes += n;
    if (!l->baud) {
        write_all(l, d, n);
        return;
    }
    /* pace in slices of about 2 ms so a reply trickles out as on a real UART */
    size_t slice = l->baud / 10 / 500;
    if (slice < 1)
        slice = 1;
    int64_t t = now_ns();
    if (l->out_next < t)
        l->out_next = t;
    while (n && !quit_signal) {
        size_t k = n < slice ? n : slice;
        write_all(l, d, k);
        d += k;
        n -= k;
        l->out_next += byte_ns(l, k);
        sleep_until(l->out_next);
    }
}

/* While a program runs: collect what the host sends, and spot Ctrl-C. */
static bool link_poll(void *ctx, serve_repl *r)
{
    link_t *l = ctx;
    bool intr = quit_signal != 0;
    uint8_t buf[1024];
    ssize_t n;
    while ((n = read(l->fd, buf, sizeof buf)) > 0) {
        size_t start = 0;
        for (size_t i = 0; i < (size_t)n; i++)
            if (buf[i] == 0x03) {
                serve_repl_push(r, buf + start, i - start);
                start = i + 1;
                intr = true;
            }
        serve_repl_push(r, buf + start, (size_t)n - start);
    }
    return intr;
}

/* ---- the pty and its symlink ----------------------------------------------------- */
static int open_pty(int *master, int *slave, char *path, size_t pathlen, mr_err *err)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0)
        return mr_fail_errno(err, "cannot open a pseudo-terminal");
    if (grantpt(m) || unlockpt(m) || ptsname_r(m, path, pathlen)) {
        close(m);
        return mr_fail_errno(err, "cannot set up the pseudo-terminal");
    }
    /* Holding the slave open keeps the pty alive between clients (no EIO or hang-up
     * on the master when the last client closes) and lets us make it raw: no echo,
     * no line editing, no \n -> \r\n translation, as a USB CDC port behaves. */
    int s = open(path, O_RDWR | O_NOCTTY);
    if (s < 0) {
        close(m);
        return mr_fail_errno(err, "cannot open %s", path);
    }
    struct termios t;
    if (tcgetattr(s, &t) == 0) {
        cfmakeraw(&t);
        cfsetispeed(&t, B115200);
        cfsetospeed(&t, B115200);
        tcsetattr(s, TCSANOW, &t);
    }
    int fl = fcntl(m, F_GETFL);
    if (fl < 0 || fcntl(m, F_SETFL, fl | O_NONBLOCK) < 0) {
        close(s);
        close(m);
        return mr_fail_errno(err, "cannot make the pty non-blocking");
    }
    *master = m;
    *slave = s;
    return 0;
}

static int make_link(const char *link, const char *target, mr_err *err)
{
    struct stat st;
    if (lstat(link, &st) == 0 && !S_ISLNK(st.st_mode))
        return mr_fail(err, "%s exists and is not a symbolic link; not replacing it", link);
    char tmp[PATH_MAX];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp%ld", link, (long)getpid()) >= sizeof tmp)
        return mr_fail(err, "link path too long: %s", link);
    unlink(tmp);
    if (symlink(target, tmp))
        return mr_fail_errno(err, "cannot create the link %s", tmp);
    /* rename replaces an old link atomically: a client never sees no link */
    if (rename(tmp, link)) {
        int e = errno;
        unlink(tmp);
        errno = e;
        return mr_fail_errno(err, "cannot create the link %s", link);
    }
    return 0;
}

static void remove_link(const char *link, const char *target)
{
    char buf[PATH_MAX];
    ssize_t n = readlink(link, buf, sizeof buf - 1);
    if (n < 0)
        return;
    buf[n] = 0;
    /* only our own link: another server may have taken the name since */
    if (strcmp(buf, target) == 0)
        unlink(link);
}

/* ---- the loop ------------------------------------------------------------------ */
int serve_run(const serve_opts *o, mr_err *err)
{
    mr_sim *sim;
    if (mr_sim_open(o->dir, &sim, err))
        return -1;
    const mr_sim_conf *conf = mr_sim_config(sim);

    int master = -1, slave = -1;
    char path[128];
    if (open_pty(&master, &slave, path, sizeof path, err)) {
        mr_sim_close(sim);
        return -1;
    }
    if (o->link && make_link(o->link, path, err)) {
        close(slave);
        close(master);
        mr_sim_close(sim);
        return -1;
    }

    py_caps caps = o->caps;
    if (conf->no_sha256)
        caps.hashlib = false; /* sim create --no-sha256: the firmware has no hashlib */
    link_t l = {.fd = master, .baud = o->baud ? o->baud : conf->faults.link_baud,
                .stop_after = conf->faults.link_stop_after, .log = o->log};
    serve_repl_config rc = {
        .py = {.board = &serve_sim_board_ops, .board_ctx = sim, .caps = caps,
               .limits = py_default_limits(), .machine = "simulated board with ROMFS (mpromfs)"},
        .write = link_write,
        .write_ctx = &l,
        .poll = link_poll,
        .poll_ctx = &l,
    };
    serve_repl *r = serve_repl_new(&rc);
    if (!r) {
        if (o->link)
            remove_link(o->link, path);
        close(slave);
        close(master);
        mr_sim_close(sim);
        return mr_fail(err, "out of memory");
    }

    struct sigaction old_int, old_term, old_hup;
    quit_signal = 0;
    install_signals(&old_int, &old_term, &old_hup);

    if (o->announce) {
        fprintf(o->announce, "%s\n", path);
        fflush(o->announce);
    }
    if (o->log) {
        fprintf(o->log, "mpromfs sim serve: board %s on %s%s%s%s\n", o->dir, path,
                o->link ? " (link " : "", o->link ? o->link : "", o->link ? ")" : "");
        if (l.baud)
            fprintf(o->log, "mpromfs sim serve: link paced at %u baud\n", l.baud);
        fflush(o->log);
    }
    /* what a board prints when it boots; a host reading later finds it waiting */
    serve_repl_boot(r);

    int result = 0;
    uint8_t buf[4096];
    while (!quit_signal) {
        struct pollfd p = {.fd = master, .events = POLLIN};
        int pr = poll(&p, 1, 500);
        if (pr < 0) {
            if (errno == EINTR)
                continue;
            result = mr_fail_errno(err, "poll on %s", path);
            break;
        }
        if (pr == 0)
            continue;
        ssize_t n = read(master, buf, sizeof buf);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                continue;
            result = mr_fail_errno(err, "reading %s", path);
            break;
        }
        if (n == 0)
            continue;
        if (l.baud) {
            /* the bytes cannot have arrived faster than the line carries them */
            int64_t t = now_ns();
            if (l.in_next < t)
                l.in_next = t;
            l.in_next += byte_ns(&l, (size_t)n);
            sleep_until(l.in_next);
        }
        if (l.stopped)
            continue; /* a hung board: reads, never answers */
        serve_repl_feed(r, buf, (size_t)n);
        if (serve_repl_dead(r)) {
            result = mr_fail(err, "power cut on the simulated board in %s: the pty %s is closed; "
                                  "what was written before stays (mpromfs sim info %s)",
                             o->dir, path, o->dir);
            break;
        }
    }
    if (o->log && quit_signal)
        fprintf(o->log, "mpromfs sim serve: stopped by signal %d\n", (int)quit_signal);

    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    if (o->link)
        remove_link(o->link, path);
    serve_repl_free(r);
    close(slave);
    close(master);
    mr_sim_close(sim);
    return result;
}
