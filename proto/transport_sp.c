/* The libserialport transport: real serial ports (USB CDC-ACM, USB-UART bridges). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <time.h>

#include <libserialport.h>

#include "transport.h"

typedef struct {
    struct sp_port *port;
} sp_impl;

static struct sp_port *port_of(mr_transport *t)
{
    return ((sp_impl *)t->impl)->port;
}

static int sp_fail(mr_err *err, const char *what, const char *path, enum sp_return r)
{
    if (r == SP_ERR_FAIL) {
        char *m = sp_last_error_message();
        mr_fail(err, "%s %s: %s", what, path, m ? m : "failed");
        sp_free_error_message(m);
        return -1;
    }
    return mr_fail(err, "%s %s: libserialport error %d", what, path, (int)r);
}

static int sp_read_dl(mr_transport *t, uint8_t *buf, size_t cap, uint64_t deadline_ms,
                      size_t *got, mr_err *err)
{
    *got = 0;
    uint64_t now = mr_now_ms();
    unsigned wait = now >= deadline_ms ? 0 : (unsigned)(deadline_ms - now);
    /* sp_blocking_read_next returns as soon as something arrives; a zero timeout
     * would block forever, so the expired case polls without waiting. */
    enum sp_return r = wait ? sp_blocking_read_next(port_of(t), buf, cap, wait)
                            : sp_nonblocking_read(port_of(t), buf, cap);
    if (r < 0)
        return sp_fail(err, "lost the connection to", t->path, r);
    *got = (size_t)r;
    return 0;
}

static int sp_write_all(mr_transport *t, const uint8_t *buf, size_t len, mr_err *err)
{
    size_t done = 0;
    while (done < len) {
        enum sp_return r = sp_blocking_write(port_of(t), buf + done, len - done, 10000);
        if (r < 0)
            return sp_fail(err, "cannot write to", t->path, r);
        if (r == 0)
            return mr_fail(err, "%s accepts no data (10 s); is the board stuck?", t->path);
        done += (size_t)r;
    }
    return 0;
}

static int sp_discard(mr_transport *t, mr_err *err)
{
    enum sp_return r = sp_flush(port_of(t), SP_BUF_INPUT);
    if (r < 0)
        return sp_fail(err, "cannot read from", t->path, r);
    return 0;
}

/* sp_drain (tcdrain) could wait forever on a board that stopped reading: poll the
 * output queue instead, for at most a second. */
static int sp_drain_t(mr_transport *t, mr_err *err)
{
    uint64_t deadline = mr_now_ms() + 1000;
    for (;;) {
        enum sp_return queued = sp_output_waiting(port_of(t));
        if (queued <= 0)
            return 0;
        if (mr_now_ms() >= deadline)
            return mr_fail(err, "%s did not take the last %d bytes within 1 s", t->path, (int)queued);
        struct timespec ts = {.tv_sec = 0, .tv_nsec = 2000000L};
        nanosleep(&ts, NULL);
    }
}

static void sp_close_t(mr_transport *t)
{
    sp_close(port_of(t));
    sp_free_port(port_of(t));
    free(t->impl);
    free(t);
}

static const struct mr_transport_ops sp_ops = {sp_read_dl, sp_write_all, sp_discard, sp_drain_t,
                                               sp_close_t};

int mr_transport_open_libserialport(const char *path, uint32_t baud, mr_transport **out,
                                    mr_err *err)
{
    struct sp_port *port = NULL;
    enum sp_return r = sp_get_port_by_name(path, &port);
    if (r != SP_OK)
        return sp_fail(err, "no such serial port", path, r);
    r = sp_open(port, SP_MODE_READ_WRITE);
    if (r != SP_OK) {
        int e = errno;
        sp_free_port(port);
        if (r == SP_ERR_FAIL && e == EBUSY)
            return mr_fail(err, "serial port %s is busy (another program has it open?)", path);
        return sp_fail(err, "cannot open serial port", path, r);
    }
    int fd = -1;
    if (sp_get_port_handle(port, &fd) == SP_OK && fd >= 0 &&
        flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
        sp_close(port);
        sp_free_port(port);
        return mr_fail(err, "serial port %s is busy: another program (mpremote, a terminal, "
                            "another mpromfs) has it open", path);
    }
    /* 115200 8N1, no flow control; DTR and RTS asserted as pyserial does on open. */
    if (sp_set_baudrate(port, (int)(baud ? baud : 115200)) != SP_OK || sp_set_bits(port, 8) != SP_OK ||
        sp_set_parity(port, SP_PARITY_NONE) != SP_OK || sp_set_stopbits(port, 1) != SP_OK ||
        sp_set_flowcontrol(port, SP_FLOWCONTROL_NONE) != SP_OK) {
        sp_fail(err, "cannot configure serial port", path, SP_ERR_FAIL);
        sp_close(port);
        sp_free_port(port);
        return -1;
    }
    sp_set_dtr(port, SP_DTR_ON);
    sp_set_rts(port, SP_RTS_ON);
    mr_transport *t = calloc(1, sizeof *t);
    sp_impl *impl = calloc(1, sizeof *impl);
    if (!t || !impl) {
        free(t);
        free(impl);
        sp_close(port);
        sp_free_port(port);
        return mr_fail(err, "out of memory");
    }
    impl->port = port;
    t->ops = &sp_ops;
    t->impl = impl;
    snprintf(t->path, sizeof t->path, "%s", path);
    *out = t;
    return 0;
}
