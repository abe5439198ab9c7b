/* Internals shared by the serial_*.c files (not for other layers). */
#ifndef MR_SERIAL_PRIV_H
#define MR_SERIAL_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "device.h"
#include "rawrepl.h"
#include "repr.h"
#include "serial_device.h"

typedef struct serial_part {
    bool known;             /* info fetched */
    mr_part_info info;
    bool write_min_known;   /* learned from the first erase (op 3 answers it) */
    uint32_t write_min;     /* what op 3 answered */
    bool read_only;         /* ops 3-5 answered -22 */
} serial_part;

typedef struct serial_board {
    mr_transport *t;
    mr_rawrepl repl;
    mr_open_opts opts;
    uint32_t baud;          /* for time estimates: the link rate, 115200 when unknown */
    unsigned nparts;
    serial_part parts[MR_MAX_PARTITIONS];
    mr_dev_caps caps;
    bool fromhex, hexlify, uctypes, ilistdir, listdir;
    int cur_part;           /* whose object is bound to d and m on the board; -1 none */
    bool unmounted;         /* vfs.umount('/rom') done */
    bool warned_uctypes;
} serial_board;

/* A growing program text. */
typedef struct prog {
    char *s;
    size_t len, cap;
    bool oom;
} prog;

void prog_init(prog *p);
void prog_add(prog *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void prog_add_raw(prog *p, const char *s, size_t n);
void prog_free(prog *p);

/* Run a program; its stdout in *out (free it). timeout_ms 0 = the base; out_max
 * bounds the reply. Updates the device's link statistics. */
int sb_exec(mr_device *dev, const prog *p, unsigned timeout_ms, size_t out_max, char **out,
            size_t *out_len, mr_err *err);
/* Run a program that prints one repr; parse it. */
int sb_eval(mr_device *dev, const prog *p, unsigned timeout_ms, size_t out_max,
            mr_value *v, mr_err *err);
/* Append "d=vfs.rom_ioctl(2,I);m=memoryview(d)" unless partition I is bound. */
void sb_bind(serial_board *b, prog *p, unsigned part);
/* The time the link needs for n bytes, in ms (at the board's rate or 115200). */
unsigned sb_link_ms(const serial_board *b, uint64_t n);
/* Describe a negative rom_ioctl result: "-22 (EINVAL)". */
void sb_errno_text(long e, char *out, size_t cap);

int sb_fetch_info(mr_device *dev, unsigned part, mr_err *err);
/* Enter-time probe of what the firmware offers (again after a soft reset). */
int sb_setup(mr_device *dev, mr_err *err);

/* Ops, in serial_io.c, serial_write.c, serial_list.c. */
int sb_read(mr_device *, unsigned part, uint64_t off, uint8_t *buf, size_t len, mr_err *);
int sb_hash(mr_device *, unsigned part, uint64_t off, uint32_t unit, size_t count,
            mr_hash_algo *algo, uint8_t (*out)[32], mr_err *);
int sb_erase(mr_device *, unsigned part, uint64_t off, uint64_t len, mr_err *);
int sb_write(mr_device *, unsigned part, const mr_write_op *ops, size_t n, mr_progress_fn fn,
             void *ctx, mr_err *);
int sb_complete(mr_device *, unsigned part, mr_err *);
int sb_reset_and_list(mr_device *, char ***paths, size_t *n, mr_err *);

static inline serial_board *board_of(mr_device *dev)
{
    return (serial_board *)dev->impl;
}

#endif
