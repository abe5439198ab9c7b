/* The REPL of a simulated MicroPython board as a byte-in, byte-out state machine:
 * the friendly REPL (banner, ">>> ", line editing, paste mode), the raw REPL
 * (Ctrl-A, "OK" + stdout + \x04 + stderr + \x04 + ">"), raw-paste mode with its
 * flow-control windows, soft reset (Ctrl-D), Ctrl-B and Ctrl-C. It knows nothing of
 * ptys: the serve loop feeds it what the host sent and ships what it writes, so the
 * framing is testable on scripted bytes. Programs run in the py interpreter. */
#ifndef MR_SERVE_REPL_H
#define MR_SERVE_REPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "py.h"

#define SERVE_VERSION_BANNER "MicroPython v1.25.0 on 2026-01-01"
#define SERVE_RAW_BANNER "raw REPL; CTRL-B to exit\r\n"
#define SERVE_SOFT_REBOOT "MPY: soft reboot\r\n"
#define SERVE_PASTE_WINDOW 128 /* half of a board's 256-byte stdin buffer, as ports use */

typedef struct serve_repl serve_repl;

typedef void (*serve_write_fn)(void *ctx, const uint8_t *data, size_t len);
/* Called while a program runs: read whatever the host sent meanwhile and hand it to
 * serve_repl_push; return true when it contained Ctrl-C. May be NULL. */
typedef bool (*serve_poll_fn)(void *ctx, serve_repl *r);

typedef struct serve_repl_config {
    py_config py;           /* the interpreter and its board */
    serve_write_fn write;
    void *write_ctx;
    serve_poll_fn poll;
    void *poll_ctx;
    uint16_t paste_window;  /* 0: SERVE_PASTE_WINDOW */
} serve_repl_config;

serve_repl *serve_repl_new(const serve_repl_config *cfg);
void serve_repl_free(serve_repl *r);
/* What a board prints when it boots (or a host connects): the friendly banner. */
void serve_repl_boot(serve_repl *r);
/* Bytes from the host: processed at once (programs run to completion inside). */
void serve_repl_feed(serve_repl *r, const uint8_t *data, size_t len);
/* Bytes that arrived while a program ran (from the poll callback); Ctrl-C bytes are
 * the caller's to act on and must not be pushed. */
void serve_repl_push(serve_repl *r, const uint8_t *data, size_t len);
/* True once the simulated power was cut: the board must stop answering. */
bool serve_repl_dead(const serve_repl *r);
/* Programs run since the board started (for logs and tests). */
unsigned long serve_repl_programs(const serve_repl *r);

#endif
