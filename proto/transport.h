/* A byte stream to a board: a real serial port (libserialport, which also knows
 * the USB identity) or a pseudo-terminal (plain termios: libserialport cannot open
 * ptys). The raw REPL client sees only this interface, so scripted peers on a pty
 * exercise exactly the code that talks to real boards. */
#ifndef MR_TRANSPORT_H
#define MR_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct mr_transport mr_transport;

struct mr_transport_ops {
    /* Wait until deadline_ms (mr_now_ms clock) for at least one byte; *got is 0 when
     * the deadline passed with nothing. -1 only when the link itself failed. */
    int (*read)(mr_transport *, uint8_t *buf, size_t cap, uint64_t deadline_ms, size_t *got,
                mr_err *);
    /* Write every byte (or fail). */
    int (*write)(mr_transport *, const uint8_t *buf, size_t len, mr_err *);
    /* Throw away whatever the board sent and we have not read yet. */
    int (*discard_input)(mr_transport *, mr_err *);
    /* Wait until every byte written has left for the board. */
    int (*drain)(mr_transport *, mr_err *);
    void (*close)(mr_transport *);
};

struct mr_transport {
    const struct mr_transport_ops *ops;
    char path[256];         /* for messages: "/dev/ttyACM0" */
    bool verbose;           /* log the wire to stderr */
    uint64_t bytes_sent, bytes_received;
    void *impl;
};

/* Milliseconds on a monotonic clock. */
uint64_t mr_now_ms(void);

/* Open a serial path at baud (0: 115200). Pseudo-terminals and anything
 * libserialport cannot open go through termios. */
int mr_transport_open(const char *path, uint32_t baud, bool verbose, mr_transport **out,
                      mr_err *err);
/* The two implementations, for tests that want a particular one. */
int mr_transport_open_termios(const char *path, uint32_t baud, mr_transport **out, mr_err *err);
int mr_transport_open_libserialport(const char *path, uint32_t baud, mr_transport **out,
                                    mr_err *err);
/* Is this path a pseudo-terminal (Unix98 pty slave, major 136-143)? */
bool mr_path_is_pty(const char *path);

int mr_transport_read(mr_transport *t, uint8_t *buf, size_t cap, uint64_t deadline_ms,
                      size_t *got, mr_err *err);
int mr_transport_write(mr_transport *t, const uint8_t *buf, size_t len, mr_err *err);
int mr_transport_discard_input(mr_transport *t, mr_err *err);
int mr_transport_drain(mr_transport *t, mr_err *err);
void mr_transport_close(mr_transport *t);

#endif
