/* The termios transport: pseudo-terminals (the simulated board, socat bridges,
 * QEMU) and any terminal libserialport will not open. Raw 8N1, no flow control,
 * poll() for deadlines. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "transport.h"

typedef struct {
    int fd;
} termios_impl;

static int fd_of(mr_transport *t)
{
    return ((termios_impl *)t->impl)->fd;
}

static int tt_read(mr_transport *t, uint8_t *buf, size_t cap, uint64_t deadline_ms,
                   size_t *got, mr_err *err)
{
    *got = 0;
    for (;;) {
        uint64_t now = mr_now_ms();
        int wait = now >= deadline_ms ? 0 : (int)(deadline_ms - now > 60000 ? 60000 : deadline_ms - now);
        struct pollfd p = {.fd = fd_of(t), .events = POLLIN};
        int r = poll(&p, 1, wait);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return mr_fail_errno(err, "lost the connection to %s", t->path);
        }
        if (r == 0) {
            if (mr_now_ms() >= deadline_ms)
                return 0;
            continue;
        }
        ssize_t n = read(fd_of(t), buf, cap);
        if (n > 0) {
            *got = (size_t)n;
            return 0;
        }
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        /* A pty whose other side closed reads 0 or fails with EIO: the board is gone. */
        if (n == 0 || errno == EIO)
            return mr_fail(err, "lost the connection to %s: the board went away (unplugged or reset?)",
                           t->path);
        return mr_fail_errno(err, "lost the connection to %s", t->path);
    }
}

static int tt_write(mr_transport *t, const uint8_t *buf, size_t len, mr_err *err)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd_of(t), buf + done, len - done);
        if (n > 0) {
            done += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            struct pollfd p = {.fd = fd_of(t), .events = POLLOUT};
            int r = poll(&p, 1, 10000);
            if (r == 0)
                return mr_fail(err, "%s accepts no data (10 s); is the board stuck?", t->path);
            continue;
        }
        if (n < 0 && errno == EIO)
            return mr_fail(err, "lost the connection to %s: the board went away (unplugged or reset?)",
                           t->path);
        return mr_fail_errno(err, "cannot write to %s", t->path);
    }
    return 0;
}

static int tt_discard(mr_transport *t, mr_err *err)
{
    uint8_t junk[512];
    for (;;) {
        ssize_t n = read(fd_of(t), junk, sizeof junk);
        if (n > 0)
            continue;
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0 || (n < 0 && errno == EAGAIN))
            return 0;
        if (errno == EIO)
            return mr_fail(err, "lost the connection to %s: the board went away", t->path);
        return mr_fail_errno(err, "cannot read from %s", t->path);
    }
}

/* tcdrain could wait forever on a board that stopped reading: poll the output
 * queue instead, for at most a second. */
static int tt_drain(mr_transport *t, mr_err *err)
{
    uint64_t deadline = mr_now_ms() + 1000;
    for (;;) {
        int queued = 0;
        if (ioctl(fd_of(t), TIOCOUTQ, &queued) != 0 || queued <= 0)
            return 0;
        if (mr_now_ms() >= deadline)
            return mr_fail(err, "%s did not take the last %d bytes within 1 s", t->path, queued);
        struct timespec ts = {.tv_sec = 0, .tv_nsec = 2000000L};
        nanosleep(&ts, NULL);
    }
}

static void tt_close(mr_transport *t)
{
    close(fd_of(t));
    free(t->impl);
    free(t);
}

static const struct mr_transport_ops termios_ops = {tt_read, tt_write, tt_discard, tt_drain,
                                                    tt_close};

static speed_t speed_for(uint32_t baud)
{
    switch (baud) {
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 230400: return B230400;
    case 460800: return B460800;
    case 921600: return B921600;
    case 1000000: return B1000000;
    case 2000000: return B2000000;
    default: return B115200;
    }
}

int mr_transport_open_termios(const char *path, uint32_t baud, mr_transport **out, mr_err *err)
{
    int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == EBUSY)
            return mr_fail(err, "serial port %s is busy (another program has it open?)", path);
        return mr_fail_errno(err, "cannot open serial port %s", path);
    }
    /* The lock pyserial takes for exclusive ports (mpremote's default): two
     * programs talking to one board at once would garble each other's replies. */
    if (flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
        close(fd);
        return mr_fail(err, "serial port %s is busy: another program (mpremote, a terminal, "
                            "another mpromfs) has it open", path);
    }
    struct termios tio;
    if (tcgetattr(fd, &tio) != 0) {
        mr_fail_errno(err, "%s is not a terminal", path);
        close(fd);
        return -1;
    }
    cfmakeraw(&tio);
    tio.c_cflag |= CLOCAL | CREAD;
    tio.c_cflag &= ~(tcflag_t)CRTSCTS;
    tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF | IXANY);
    tio.c_cc[VMIN] = 0;
    tio.c_cc[VTIME] = 0;
    speed_t sp = speed_for(baud ? baud : 115200);
    cfsetispeed(&tio, sp);
    cfsetospeed(&tio, sp);
    if (tcsetattr(fd, TCSANOW, &tio) != 0) {
        mr_fail_errno(err, "cannot configure %s", path);
        close(fd);
        return -1;
    }
    mr_transport *t = calloc(1, sizeof *t);
    termios_impl *impl = calloc(1, sizeof *impl);
    if (!t || !impl) {
        free(t);
        free(impl);
        close(fd);
        return mr_fail(err, "out of memory");
    }
    impl->fd = fd;
    t->ops = &termios_ops;
    t->impl = impl;
    snprintf(t->path, sizeof t->path, "%s", path);
    *out = t;
    return 0;
}
