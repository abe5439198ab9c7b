/* A scripted board on a pseudo-terminal, for unit tests of the serial client:
 * a child process waits for each expected byte string, then answers with canned
 * bytes (optionally one byte at a time, to exercise split reads). */
#ifndef PTY_PEER_H
#define PTY_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct pty_step {
    const char *expect;     /* wait until the input so far contains this (NULL: no wait) */
    size_t expect_len;      /* 0: strlen(expect) */
    const char *reply;      /* then write this (NULL: nothing) */
    size_t reply_len;       /* 0: strlen(reply) */
    bool trickle;           /* write the reply one byte at a time */
    unsigned delay_ms;      /* sleep before replying */
    unsigned quiet_ms;      /* after the match, fail unless nothing more arrives for this
                             * long (proves the client waits, e.g. for flow control) */
} pty_step;

typedef struct pty_peer {
    pid_t pid;
    char path[128];         /* the slave side, for mr_transport_open */
    int master;
    int slave;              /* held open by the test process until finish */
} pty_peer;

/* Fork the peer; it runs the steps, then keeps reading (silent) until the test
 * closes its side or hang_up_at_end says to close the pty. */
int pty_peer_start(pty_peer *p, const pty_step *steps, size_t n, bool hang_up_at_end);
/* Wait for the peer; returns 0 when every expectation was met. */
int pty_peer_finish(pty_peer *p);

#endif
