/* The raw REPL's reply to one program, parsed as a pure function over bytes so it
 * can be fed any split of the stream (and fuzzed):
 *     [>...] OK  stdout  \x04  stderr  \x04  >        (plain raw REPL)
 *                stdout  \x04  stderr  \x04  >        (raw-paste, after the \x04 ack)
 * Plus the raw-paste negotiation reply (R\x01 + window, R\x00, or an old board's
 * banner). Every size is bounded; anything unexpected is an error naming what came. */
#ifndef MR_RAWREPL_FRAME_H
#define MR_RAWREPL_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define MR_FRAME_ERR_MAX (64u * 1024u) /* traceback text kept at most */

typedef enum {
    MR_FRAME_WANT_OK,
    MR_FRAME_STDOUT,
    MR_FRAME_STDERR,
    MR_FRAME_PROMPT,
    MR_FRAME_DONE,
} mr_frame_state;

typedef struct mr_frame {
    mr_frame_state state;
    unsigned ok_matched;    /* how much of "OK" has been seen */
    uint8_t *out;           /* stdout bytes, NUL-terminated for convenience */
    size_t out_len, out_cap, out_max;
    uint8_t *errtxt;        /* stderr (the traceback), NUL-terminated */
    size_t err_len, err_cap;
} mr_frame;

void mr_frame_init(mr_frame *f, bool expect_ok, size_t out_max);
/* Feed bytes. Returns 1 when the reply (through the final '>') is complete, with
 * *used bytes consumed (the rest belongs to what follows); 0 when all n bytes were
 * consumed and more are needed; -1 on a malformed or oversized reply. */
int mr_frame_feed(mr_frame *f, const uint8_t *d, size_t n, size_t *used, mr_err *err);
void mr_frame_free(mr_frame *f);

typedef enum {
    MR_PASTE_NEED_MORE,
    MR_PASTE_SUPPORTED,     /* "R\x01" + window: *window set, 4 bytes used */
    MR_PASTE_UNSUPPORTED,   /* "R\x00": 2 bytes used */
    MR_PASTE_OLD_BOARD,     /* the raw REPL banner: board does not know raw-paste */
    MR_PASTE_GARBAGE,
} mr_paste_reply;

/* Classify the start of the board's reply to "\x05A\x01". */
mr_paste_reply mr_paste_classify(const uint8_t *d, size_t n, uint16_t *window, size_t *used);

/* The raw REPL banner (what ctrl-A answers) and what ctrl-D answers in it. */
#define MR_RAW_BANNER "raw REPL; CTRL-B to exit\r\n"
#define MR_SOFT_REBOOT "soft reboot\r\n"

/* Render bytes for an error message: printable ASCII as is, the rest escaped,
 * at most cap-1 chars (ends with "..." when cut). */
void mr_escape_bytes(const uint8_t *d, size_t n, char *out, size_t cap);

#endif
