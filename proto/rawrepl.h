/* A MicroPython raw REPL session over a transport: interrupt, enter (optionally
 * soft-resetting), run programs (raw-paste mode with flow control when the board
 * offers it, the plain raw REPL otherwise), leave. Every wait has a deadline. */
#ifndef MR_RAWREPL_H
#define MR_RAWREPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "transport.h"

typedef struct mr_rawrepl {
    mr_transport *t;
    unsigned timeout_ms;        /* base wait for an answer */
    bool try_raw_paste;         /* cleared once the board says it has none */
    bool used_raw_paste;        /* the last program went through raw-paste */
    bool at_prompt;             /* the board's '>' has been consumed */
    bool board_raised;          /* the last exec failed because the program raised */
    uint64_t round_trips;       /* programs run */
    uint8_t pend[4096];         /* read but not yet consumed */
    size_t pend_pos, pend_len;
} mr_rawrepl;

void mr_rawrepl_init(mr_rawrepl *r, mr_transport *t, unsigned timeout_ms);
/* Interrupt whatever runs (\r\x03), enter the raw REPL (\r\x01), optionally soft
 * reset (\x04), and wait for the banner and prompt. */
int mr_rawrepl_enter(mr_rawrepl *r, bool soft_reset, mr_err *err);
/* Soft-reset from inside the raw REPL; back at the prompt afterwards. */
int mr_rawrepl_soft_reset(mr_rawrepl *r, mr_err *err);
/* Run one program. On success *out (malloc'd, NUL-terminated, caller frees) holds
 * its stdout, at most out_max bytes. timeout_ms (0: the base) bounds the wait for
 * the answer's first byte (scale it with the work asked); once the answer streams
 * in, a silence longer than the base time-out ends it. When the program raised, fails with the board's traceback in *err
 * and sets r->board_raised. */
int mr_rawrepl_exec(mr_rawrepl *r, const char *src, size_t len, unsigned timeout_ms,
                    size_t out_max, char **out, size_t *out_len, mr_err *err);
/* Back to the friendly REPL (\r\x02). Errors are ignored: used on the way out. */
void mr_rawrepl_leave(mr_rawrepl *r);

#endif
