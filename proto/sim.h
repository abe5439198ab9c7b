/* The simulated board: file-backed NOR flash with a port's rom_ioctl rules.
 *
 * A board lives in a directory:
 *   board.conf   the descriptor: versioned key=value lines (partitions, faults), see
 *                mr_sim_conf_format for the exact keys; rewritten by temp file + rename
 *   partN.bin    partition N's bytes (0xff when created), mapped MAP_SHARED so every
 *                write is in the file the moment it returns, even if the process dies
 *   counters     erases, writes, bytes per partition, rewritten in place (same inode)
 *                after each operation; tests read them to prove nothing was touched
 *
 * Flash rules, as real NOR flash behind vfs.rom_ioctl behaves:
 *   - erase sets whole erase units to 0xff; a range not on unit boundaries is -EINVAL;
 *   - a write can only clear bits: the stored byte becomes old & new;
 *   - a write outside the partition, with offset or length not a multiple of the
 *     minimum write size, or to a read-only partition is -EINVAL, as a port answers;
 *   - reads are always allowed.
 * The flash-level functions return 0 or a negative errno exactly as a port would, so
 * the pty board (sim serve) can hand them back from vfs.rom_ioctl unchanged;
 * mr_sim_why() says in words why the last call was refused. MR_SIM_POWER_CUT is not an
 * errno: the board lost power (fault injection) and must vanish from its link.
 *
 * Faults (kept in board.conf, set with `mpromfs sim fault`):
 *   power cut    after N more writes the power goes: write N+1 does not happen, it and
 *                every later call return MR_SIM_POWER_CUT; what was written stays. The
 *                fault is disarmed on disk when it fires (the board boots normally next
 *                time it is opened).
 *   corrupt      the Nth write from now stores its data with one bit flipped (bit 4 of
 *                the byte in the middle of the buffer, as if damaged on the link) and
 *                reports success. Disarmed once it fires.
 *   link stop    the board stops answering after N more bytes on its link (applied by
 *                the pty board, recorded here).
 *   link baud    the link is throttled to this many baud (applied by the pty board).
 * Write numbers count every write on the board (all partitions), so "from now" holds
 * across processes: the descriptor stores the absolute write number at which a fault
 * fires, against the counters' total.
 *
 * Not thread-safe. Another process may arm faults or reset the counters while a board
 * is open (sim serve running): each write re-reads both. Two processes writing the
 * same board at once is not supported (their counters may miss an operation). */
#ifndef MR_SIM_H
#define MR_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define MR_SIM_MAX_PARTS 4
#define MR_SIM_CONF_VERSION 1
#define MR_SIM_MAX_PART_SIZE ((uint64_t)256 << 20) /* 256 MiB: larger than any ROM partition */
#define MR_SIM_MAX_CONF_SIZE 16384                 /* a descriptor larger than this is hostile */
#define MR_SIM_POWER_CUT (-10000)                  /* not an errno: the board lost power */

typedef enum { MR_SIM_MEMORYVIEW, MR_SIM_BLOCK } mr_sim_style;

typedef struct mr_sim_part_conf {
    uint64_t size;          /* bytes, a multiple of erase_unit */
    uint32_t erase_unit;    /* power of two, >= write_min */
    uint32_t write_min;     /* power of two, >= 1 */
    uint64_t base;          /* memory-mapped address of byte 0 */
    bool writable;
    mr_sim_style style;
} mr_sim_part_conf;

/* 0 in a field means "not armed". Write numbers are absolute (see above). */
typedef struct mr_sim_faults {
    uint64_t power_cut_at_write;  /* this write number does not happen */
    uint64_t corrupt_write;       /* this write number stores flipped bits */
    uint64_t link_stop_after;     /* bytes the link still carries; 0: never stops */
    uint32_t link_baud;           /* 0: full speed */
} mr_sim_faults;

typedef struct mr_sim_conf {
    unsigned nparts;              /* 1..MR_SIM_MAX_PARTS */
    mr_sim_part_conf part[MR_SIM_MAX_PARTS];
    mr_sim_faults faults;
    bool no_sha256;               /* firmware without hashlib.sha256: hashes are CRC-32 */
} mr_sim_conf;

typedef struct mr_sim_counters {
    uint64_t erases;        /* erase calls that changed state (-EINVAL ones are not counted) */
    uint64_t erased_bytes;
    uint64_t writes;        /* write calls that reached the flash */
    uint64_t written_bytes;
    uint64_t completes;
} mr_sim_counters;

/* ---- the descriptor (sim_conf.c) --------------------------------------------- */

/* A board that looks real: partition 0 128 KiB, 4 KiB units, 16-byte writes at
 * 0x08100000 (stm32-like internal flash); partition 1 1 MiB, 64 KiB units at
 * 0x90000000 (external QSPI); 2 and 3, when asked for, 256 KiB each on the next
 * MiB after that (0x90100000, 0x90200000). */
void mr_sim_conf_default(mr_sim_conf *conf, unsigned nparts);
void mr_sim_part_default(mr_sim_part_conf *p, unsigned index);
/* Every rule a descriptor must obey; the message names the partition and field. */
int mr_sim_conf_check(const mr_sim_conf *conf, mr_err *err);
/* Parse board.conf text (not NUL-terminated; hostile). Strict: unknown or repeated
 * keys, bad numbers, a missing version or field are errors naming the line. */
int mr_sim_conf_parse(const char *text, size_t len, mr_sim_conf *conf, mr_err *err);
/* The descriptor text, malloc'd and NUL-terminated; NULL only when out of memory. */
char *mr_sim_conf_format(const mr_sim_conf *conf);
/* Read DIR/board.conf; write it atomically (temp file, fsync, rename). */
int mr_sim_conf_load(const char *dir, mr_sim_conf *conf, mr_err *err);
int mr_sim_conf_save(const char *dir, const mr_sim_conf *conf, mr_err *err);
const char *mr_sim_style_name(mr_sim_style s);

/* ---- the board ----------------------------------------------------------------- */

typedef struct mr_sim mr_sim;

/* Create DIR (it may exist but must not hold a board.conf) with erased partitions. */
int mr_sim_create(const char *dir, const mr_sim_conf *conf, mr_err *err);
/* Program bytes at offset 0 of a partition as a factory would before the board ships:
 * the erase units they cover are erased and the bytes stored as given, with no write
 * rules, no faults and nothing counted. For test fixtures and `sim create --image`. */
int mr_sim_load(const char *dir, unsigned part, const uint8_t *data, size_t len, mr_err *err);
/* Open and map a board; fails with a message when any file disagrees with board.conf. */
int mr_sim_open(const char *dir, mr_sim **out, mr_err *err);
void mr_sim_close(mr_sim *sim);

const char *mr_sim_dir(const mr_sim *sim);
const mr_sim_conf *mr_sim_config(const mr_sim *sim);
unsigned mr_sim_nparts(const mr_sim *sim);
/* The partition's bytes, read-only, valid until mr_sim_close (NULL for a bad index).
 * This is what rom_ioctl(2, id) maps. */
const uint8_t *mr_sim_bytes(const mr_sim *sim, unsigned part);

/* rom_ioctl semantics: 0 or a negative errno (or MR_SIM_POWER_CUT). */
int mr_sim_read(mr_sim *sim, unsigned part, uint64_t off, uint8_t *buf, size_t len);
int mr_sim_erase(mr_sim *sim, unsigned part, uint64_t off, uint64_t len);
int mr_sim_write(mr_sim *sim, unsigned part, uint64_t off, const uint8_t *data, size_t len);
int mr_sim_complete(mr_sim *sim, unsigned part);
/* Why the last call failed, in words ("offset 0x1003 is not a multiple of the minimum
 * write size (16)"); "" after a success. */
const char *mr_sim_why(const mr_sim *sim);
/* True once the power was cut: every later call returns MR_SIM_POWER_CUT. */
bool mr_sim_powered_off(const mr_sim *sim);

/* Counters of one partition, and the board's total writes (what fault numbers count). */
const mr_sim_counters *mr_sim_part_counters(const mr_sim *sim, unsigned part);
uint64_t mr_sim_total_writes(const mr_sim *sim);

/* The counters file of DIR (without opening the board); all zero when it is absent. */
int mr_sim_counters_load(const char *dir, unsigned nparts, mr_sim_counters *out, mr_err *err);
int mr_sim_counters_save(const char *dir, unsigned nparts, const mr_sim_counters *c, mr_err *err);
/* Zero DIR's counters, moving armed write faults so they still fire after the same
 * number of writes from now. */
int mr_sim_reset_counters(const char *dir, mr_err *err);

/* ---- faults (sim_fault.c) ----------------------------------------------------- */

/* Arm faults relative to now on DIR (total_writes from its counters). n_writes 0 for
 * the power cut means the very next write does not happen; for corrupt, n 1 is the
 * next write. */
int mr_sim_fault_power_cut(const char *dir, uint64_t after_writes, mr_err *err);
int mr_sim_fault_corrupt(const char *dir, uint64_t nth_write, mr_err *err);
int mr_sim_fault_link(const char *dir, bool set_stop, uint64_t stop_after, bool set_baud,
                      uint32_t baud, mr_err *err);
int mr_sim_fault_clear(const char *dir, mr_err *err);
/* One line describing the armed faults relative to total_writes ("none" when none). */
void mr_sim_fault_describe(const mr_sim_faults *f, uint64_t total_writes, char *out, size_t size);

/* ---- the in-process device backend (sim_device.c) ------------------------------ */

struct mr_device;
/* Open DIR as an mr_device ("sim:DIR"); used by mr_device_open. */
int mr_sim_device_open(const char *dir, const char *name, struct mr_device **out, mr_err *err);

#endif
