/* One interface to a board's ROM partitions, whatever the board is: a real one on a
 * serial port (raw REPL, vfs.rom_ioctl) or the simulator (sim:DIR). The CLI, deploy
 * and the TUI use only this. Both partition styles (memoryview ports like stm32,
 * block-device ports like rp2/esp32) are hidden behind it.
 *
 * Every call returns 0, or -1 with a message in *err. Offsets and lengths are
 * checked against the partition before anything is sent or touched. */
#ifndef MR_DEVICE_H
#define MR_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define MR_MAX_PARTITIONS 16

typedef struct mr_part_info {
    unsigned index;
    uint64_t size;          /* bytes */
    uint64_t base;          /* memory-mapped address of byte 0; 0 when unknown */
    bool base_known;
    uint32_t erase_unit;    /* bytes; the whole partition when the board gives none */
    uint32_t write_min;     /* minimum write size in bytes (1 when unconstrained) */
    bool writable;          /* false: ops 3-5 answer -22 (read-only or no write support) */
    bool block_device;      /* rp2/esp32 style object rather than a memoryview */
    bool has_image;         /* starts with a ROMFS header whose payload fits */
    uint64_t image_size;    /* whole image record, when has_image */
    uint8_t head[16];       /* the partition's first bytes, as mpremote query shows them */
} mr_part_info;

typedef enum { MR_HASH_SHA256, MR_HASH_CRC32 } mr_hash_algo;

typedef struct mr_dev_caps {
    bool sha256;            /* hashlib.sha256 on the board */
    bool crc32;             /* binascii.crc32 */
    bool deflate;           /* deflate.DeflateIO */
    bool base64;            /* binascii.a2b_base64 / b2a_base64 */
    bool raw_paste;
    uint32_t mem_free;      /* gc.mem_free() after setup; 0 when unknown */
    uint32_t baud;          /* link rate for estimates; 0 when unthrottled/unknown */
} mr_dev_caps;

/* Running totals of what crossed the link (zero for the in-process simulator). */
typedef struct mr_link_stats {
    uint64_t bytes_sent;
    uint64_t bytes_received;
    uint64_t round_trips;   /* programs executed on the board */
} mr_link_stats;

/* One unit of programming work for mr_device_write: optionally erase the erase
 * units covering [offset, offset+len) first, then write data there. */
typedef struct mr_write_op {
    uint64_t offset;
    const uint8_t *data;
    size_t len;
    bool erase_first;
} mr_write_op;

/* Called after each batch the backend completes. Returning non-zero asks the
 * backend to stop at the next safe point (between batches): the call then fails
 * with a message saying it was cancelled. */
typedef int (*mr_progress_fn)(void *ctx, size_t ops_done, uint64_t bytes_done);

typedef struct mr_device mr_device;

struct mr_device_ops {
    int (*count)(mr_device *, unsigned *n, mr_err *);
    int (*info)(mr_device *, unsigned part, mr_part_info *, mr_err *);
    int (*caps)(mr_device *, mr_dev_caps *, mr_err *);
    int (*read)(mr_device *, unsigned part, uint64_t off, uint8_t *buf, size_t len, mr_err *);
    int (*erase)(mr_device *, unsigned part, uint64_t off, uint64_t len, mr_err *);
    int (*write)(mr_device *, unsigned part, const mr_write_op *ops, size_t n,
                 mr_progress_fn, void *ctx, mr_err *);
    int (*complete)(mr_device *, unsigned part, mr_err *);
    /* Digest `count` consecutive ranges of `unit` bytes starting at off (the last may
     * be short at the partition end) into out[i]. *algo says which the board used;
     * backends prefer SHA-256 and fall back to CRC-32 (stored big-endian in out[i][0..3]). */
    int (*hash)(mr_device *, unsigned part, uint64_t off, uint32_t unit, size_t count,
                mr_hash_algo *algo, uint8_t (*out)[32], mr_err *);
    /* Soft-reset the board, then list what is mounted at /rom (recursively, paths
     * relative to /rom, directories with a trailing '/'), one malloc'd string each. */
    int (*reset_and_list)(mr_device *, char ***paths, size_t *n, mr_err *);
    /* Release impl and whatever the backend holds; mr_device_close then frees the
     * mr_device itself (which the backend's open allocated with calloc). */
    void (*close)(mr_device *);
};

struct mr_device {
    const struct mr_device_ops *ops;
    char name[256];         /* what the user typed, for messages and the status line */
    char desc[256];         /* "simulated board in DIR", "/dev/ttyACM0 (Raspberry Pi Pico)" */
    mr_link_stats stats;
    void *impl;             /* backend state */
    void *checked;          /* device.c's cache of the partition table for range checks;
                             * backends leave it NULL (calloc) and never touch it */
    /* Things worth telling the user that are not errors ("no uctypes: base addresses
     * unknown"). proto/ never prints: each front end sets this to show them its way
     * (the CLI on stderr, the TUI in its status line). NULL drops them. */
    void (*warn)(void *ctx, const char *msg);
    void *warn_ctx;
};

/* Pass a warning to dev->warn, if a front end set one. */
void mr_device_warn(mr_device *dev, const char *fmt, ...) MR_PRINTF(2, 3);

typedef struct mr_open_opts {
    bool soft_reset;        /* soft-reset the board when entering the raw REPL */
    unsigned timeout_ms;    /* base time-out for an answer; scaled with the work asked */
    uint32_t baud;          /* serial rate when the name does not say; 0 = 115200 */
    bool verbose;           /* log the wire to stderr */
} mr_open_opts;

/* Open a board by name: "/dev/ttyACM0", "serial:/dev/ttyACM0[@BAUD]", "a0".."a3",
 * "u0".."u3", "auto", or "sim:DIR". opts may be NULL for defaults. */
int mr_device_open(const char *name, const mr_open_opts *opts, mr_device **out, mr_err *err);
void mr_device_close(mr_device *dev);

/* Thin checked wrappers over the ops table: they validate part and ranges against
 * the partition's info so backends and callers get one consistent error. */
int mr_device_count(mr_device *, unsigned *n, mr_err *);
int mr_device_info(mr_device *, unsigned part, mr_part_info *, mr_err *);
int mr_device_caps(mr_device *, mr_dev_caps *, mr_err *);
int mr_device_read(mr_device *, unsigned part, uint64_t off, uint8_t *buf, size_t len, mr_err *);
int mr_device_erase(mr_device *, unsigned part, uint64_t off, uint64_t len, mr_err *);
int mr_device_write(mr_device *, unsigned part, const mr_write_op *ops, size_t n,
                    mr_progress_fn, void *ctx, mr_err *);
int mr_device_complete(mr_device *, unsigned part, mr_err *);
int mr_device_hash(mr_device *, unsigned part, uint64_t off, uint32_t unit, size_t count,
                   mr_hash_algo *algo, uint8_t (*out)[32], mr_err *);
int mr_device_reset_and_list(mr_device *, char ***paths, size_t *n, mr_err *);

#endif
