/* Choosing a transport for a path, and the wrappers every caller goes through:
 * they count bytes and, with -v, log the wire to stderr in a readable form. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "transport.h"

uint64_t mr_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

bool mr_path_is_pty(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISCHR(st.st_mode))
        return false;
    /* Unix98 pty slaves live on majors 136-143 (what mpremote checks too). */
    unsigned maj = major(st.st_rdev);
    return maj >= 136 && maj <= 143;
}

int mr_transport_open(const char *path, uint32_t baud, bool verbose, mr_transport **out,
                      mr_err *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT)
            return mr_fail(err, "serial port %s does not exist; 'mpromfs devs' lists the ports",
                           path);
        return mr_fail_errno(err, "cannot open serial port %s", path);
    }
    if (!S_ISCHR(st.st_mode))
        return mr_fail(err, "%s is not a serial port (not a character device)", path);
    int rc;
    if (mr_path_is_pty(path)) {
        rc = mr_transport_open_termios(path, baud, out, err);
    } else {
        /* A real port: libserialport first; whatever it cannot open (no sysfs entry,
         * no modem-control ioctls) may still be a terminal termios can drive. */
        mr_err sp_err;
        rc = mr_transport_open_libserialport(path, baud, out, &sp_err);
        if (rc != 0 && strstr(sp_err.msg, " is busy")) {
            *err = sp_err; /* termios would find it just as busy */
            return -1;
        }
        if (rc != 0) {
            rc = mr_transport_open_termios(path, baud, out, err);
            if (rc != 0)
                mr_wrap(err, "%s (libserialport: %s)", path, sp_err.msg);
        }
    }
    if (rc == 0)
        (*out)->verbose = verbose;
    return rc;
}

static void log_bytes(const char *dir, const uint8_t *b, size_t n)
{
    fprintf(stderr, "%s ", dir);
    for (size_t i = 0; i < n; i++) {
        uint8_t c = b[i];
        if (c == '\n')
            fputs("\\n", stderr);
        else if (c == '\r')
            fputs("\\r", stderr);
        else if (c == '\\')
            fputs("\\\\", stderr);
        else if (c >= 0x20 && c < 0x7f)
            fputc(c, stderr);
        else
            fprintf(stderr, "\\x%02x", c);
    }
    fputc('\n', stderr);
}

int mr_transport_read(mr_transport *t, uint8_t *buf, size_t cap, uint64_t deadline_ms,
                      size_t *got, mr_err *err)
{
    *got = 0;
    if (t->ops->read(t, buf, cap, deadline_ms, got, err) != 0)
        return -1;
    t->bytes_received += *got;
    if (t->verbose && *got)
        log_bytes("<<", buf, *got);
    return 0;
}

int mr_transport_write(mr_transport *t, const uint8_t *buf, size_t len, mr_err *err)
{
    if (t->verbose && len)
        log_bytes(">>", buf, len);
    if (t->ops->write(t, buf, len, err) != 0)
        return -1;
    t->bytes_sent += len;
    return 0;
}

int mr_transport_discard_input(mr_transport *t, mr_err *err)
{
    return t->ops->discard_input(t, err);
}

int mr_transport_drain(mr_transport *t, mr_err *err)
{
    return t->ops->drain(t, err);
}

void mr_transport_close(mr_transport *t)
{
    if (t)
        t->ops->close(t);
}
