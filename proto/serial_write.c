/* Erasing and writing a partition on a serial board. Writes are batched: as many
 * pieces per program as the board's free memory allows, sent in the most compact
 * form the board can decode (one raw deflate + base64 stream per batch, read piece
 * by piece on the board; else each piece in base64, hex, or a bytes literal). The
 * board stops at the first failure and says how far it got. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "base64.h"
#include "serial_priv.h"

#define PIECE 4096u                 /* bytes decoded per rom_ioctl(4)/writeblocks call */
#define ERASE_CALL (32u * 1024u)    /* bytes per rom_ioctl(3) call, as mpremote does */
#define ERASE_MS_PER_MIB 10000u     /* NOR flash: a few seconds per MiB, with margin */
#define WRITE_MS_PER_MIB 4000u

static int ensure_info(mr_device *dev, unsigned part, mr_err *err)
{
    serial_board *b = board_of(dev);
    if (part < b->nparts && b->parts[part].known)
        return 0;
    return sb_fetch_info(dev, part, err);
}

static void add_umount(serial_board *b, prog *p)
{
    if (b->unmounted)
        return;
    /* /rom is mounted at boot; erasing under a mounted image would break it. */
    prog_add(p, "try:\n vfs.umount('/rom')\nexcept:\n pass\n");
    b->unmounted = true;
}

/* Statements erasing [off, off+len) (whole units), leaving k<0 on failure and
 * the minimum write size in w (memoryview ports). Runs only while k>=0. */
static void add_erase(const serial_board *b, prog *p, unsigned part, uint64_t off, uint64_t len)
{
    const mr_part_info *pi = &b->parts[part].info;
    if (pi->block_device) {
        prog_add(p, "for j in range(%llu,%llu):\n if k>=0:\n  r=d.ioctl(6,j)\n  if r:\n   k=r\n",
                 (unsigned long long)(off / pi->erase_unit),
                 (unsigned long long)((off + len) / pi->erase_unit));
        return;
    }
    uint64_t step = ERASE_CALL / pi->erase_unit * pi->erase_unit;
    if (step == 0)
        step = pi->erase_unit;
    prog_add(p, "for j in range(%llu,%llu,%llu):\n if k>=0:\n  k=vfs.rom_ioctl(3,%u,j,min(%llu,%llu-j))\n"
                "  if k>0:\n   w=k\n",
             (unsigned long long)off, (unsigned long long)(off + len), (unsigned long long)step, part,
             (unsigned long long)step, (unsigned long long)(off + len));
}

/* buf=... for boards without deflate (those with it get the batch's stream, see
 * add_stream): base64, else hex, else a bytes literal. */
static int add_payload(const serial_board *b, prog *p, const uint8_t *data, size_t n, mr_err *err)
{
    if (b->caps.base64) {
        size_t plain = mr_base64_encoded_len(n);
        char *enc = malloc(plain + 1);
        if (!enc)
            return mr_fail(err, "out of memory");
        mr_base64_encode(data, n, enc);
        prog_add(p, " buf=a2b_base64(b'");
        prog_add_raw(p, enc, plain);
        prog_add(p, "')\n");
        free(enc);
        return 0;
    }
    if (b->fromhex) {
        char *hex = malloc(2 * n + 1);
        if (!hex)
            return mr_fail(err, "out of memory");
        mr_hex_encode(data, n, hex);
        prog_add(p, " buf=bytes.fromhex('");
        prog_add_raw(p, hex, 2 * n);
        prog_add(p, "')\n");
        free(hex);
        return 0;
    }
    prog_add(p, " buf=b'");
    for (size_t i = 0; i < n; i++) {
        uint8_t c = data[i];
        if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\')
            prog_add_raw(p, (const char *)&c, 1);
        else
            prog_add(p, "\\x%02x", c);
    }
    prog_add(p, "'\n");
    return 0;
}

/* The bytes of one batch when the board inflates: compressed as one stream, so that
 * every piece compresses against what came before it, not alone. */
typedef struct batch_stream {
    uint8_t *raw;
    size_t len, cap;
} batch_stream;

static int add_write(const serial_board *b, prog *p, unsigned part, uint64_t off,
                     const uint8_t *data, size_t n, batch_stream *bs, mr_err *err)
{
    const mr_part_info *pi = &b->parts[part].info;
    prog_add(p, "if k>=0:\n");
    if (bs) {
        if (bs->len + n > bs->cap)
            return mr_fail(err, "internal error: the batch outgrew its buffer");
        memcpy(bs->raw + bs->len, data, n);
        bs->len += n;
        prog_add(p, " buf=f.read(%zu)\n", n);
    } else if (add_payload(b, p, data, n, err) != 0) {
        return -1;
    }
    if (pi->block_device)
        prog_add(p, " d.writeblocks(%llu,buf,%llu)\n", (unsigned long long)(off / pi->erase_unit),
                 (unsigned long long)(off % pi->erase_unit));
    else
        prog_add(p, " k=vfs.rom_ioctl(4,%u,%llu,buf)\n", part, (unsigned long long)off);
    return 0;
}

/* Learn from the board's (k, q, w) answer. */
static int check_result(mr_device *dev, unsigned part, const mr_value *v, size_t *ops_done,
                        const char *what, mr_err *err)
{
    serial_board *b = board_of(dev);
    serial_part *sp = &b->parts[part];
    if (v->type != MR_V_TUPLE || v->n != 3 || v->items[0].type != MR_V_INT ||
        v->items[1].type != MR_V_INT || v->items[2].type != MR_V_INT)
        return mr_fail(err, "%s partition %u: unexpected reply from the board", what, part);
    int64_t k = v->items[0].i, q = v->items[1].i, w = v->items[2].i;
    if (w > 0 && !sp->info.block_device) {
        if ((w & (w - 1)) != 0 || w > sp->info.erase_unit)
            return mr_fail(err, "%s partition %u: the board reports a minimum write size of %lld",
                           what, part, (long long)w);
        sp->write_min = (uint32_t)w;
        sp->write_min_known = true;
        sp->info.write_min = (uint32_t)w;
    }
    if (q >= 0 && ops_done)
        *ops_done = (size_t)q;
    if (k < 0) {
        char t[40];
        sb_errno_text((long)k, t, sizeof t);
        if (k == -22 && !sp->info.block_device && !sp->write_min_known) {
            /* Ports without write support answer every write op with EINVAL. */
            sp->read_only = true;
            sp->info.writable = false;
            return mr_fail(err, "partition %u cannot be written on this board: vfs.rom_ioctl "
                                "answered %s (read-only, or a firmware without ROMFS write "
                                "support)", part, t);
        }
        return mr_fail(err, "%s partition %u: the board answered %s", what, part, t);
    }
    return 0;
}

int sb_erase(mr_device *dev, unsigned part, uint64_t off, uint64_t len, mr_err *err)
{
    serial_board *b = board_of(dev);
    if (ensure_info(dev, part, err) != 0)
        return -1;
    const mr_part_info *pi = &b->parts[part].info;
    if (off > pi->size || len > pi->size - off || off % pi->erase_unit || len % pi->erase_unit)
        return mr_fail(err, "erase of %llu bytes at %llu: not whole erase units (%u) of partition %u",
                       (unsigned long long)len, (unsigned long long)off, pi->erase_unit, part);
    if (len == 0)
        return 0;
    prog p;
    prog_init(&p);
    sb_bind(b, &p, part);
    add_umount(b, &p);
    prog_add(&p, "k=0\nw=0\n");
    add_erase(b, &p, part, off, len);
    prog_add(&p, "print(repr((k,0,w)))\n");
    unsigned ms = b->opts.timeout_ms + (unsigned)(len * ERASE_MS_PER_MIB / (1u << 20)) +
                  sb_link_ms(b, p.len);
    mr_value v;
    int rc = sb_eval(dev, &p, ms, 200, &v, err);
    prog_free(&p);
    if (rc != 0)
        return mr_wrap(err, "erasing partition %u", part);
    rc = check_result(dev, part, &v, NULL, "erasing", err);
    mr_value_free(&v);
    b->parts[part].known = false; /* its first bytes changed: fetch them again when asked */
    return rc;
}

/* How many program bytes the board can take at once: a quarter of its free
 * memory (the source, its parse tree and the decoded buffer live together). */
static size_t program_budget(const serial_board *b)
{
    size_t budget = b->caps.mem_free ? b->caps.mem_free / 4 : 8192;
    if (budget < 2048)
        budget = 2048;
    if (budget > 64 * 1024)
        budget = 64 * 1024;
    return budget;
}

/* DeflateIO's window: 2^wbits bytes of the board's RAM while it inflates. A 4 KiB
 * window finds the repeats that source code is made of; 512 bytes (mpremote's)
 * misses most of them. */
static int stream_wbits(const serial_board *b)
{
    if (b->caps.mem_free >= 32 * 1024)
        return 12;
    return b->caps.mem_free >= 8 * 1024 ? 10 : 9;
}

/* "f=DeflateIO(BytesIO(a2b_base64(b'...')),RAW,W)\n" for the batch's bytes. */
static int add_stream(const serial_board *b, prog *p, const batch_stream *bs, mr_err *err)
{
    int wbits = stream_wbits(b);
    uLong bound = compressBound((uLong)bs->len) + 64;
    uint8_t *z = malloc(bound);
    if (!z)
        return mr_fail(err, "out of memory");
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 9, Z_DEFLATED, -wbits, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(z);
        return mr_fail(err, "zlib: cannot start compressing");
    }
    zs.next_in = bs->raw;
    zs.avail_in = (uInt)bs->len;
    zs.next_out = z;
    zs.avail_out = (uInt)bound;
    int zr = deflate(&zs, Z_FINISH);
    size_t zn = bound - zs.avail_out;
    deflateEnd(&zs);
    char *enc = zr == Z_STREAM_END ? malloc(mr_base64_encoded_len(zn) + 1) : NULL;
    if (!enc) {
        free(z);
        return mr_fail(err, zr == Z_STREAM_END ? "out of memory" : "zlib: compressing failed");
    }
    mr_base64_encode(z, zn, enc);
    prog_add(p, "f=DeflateIO(BytesIO(a2b_base64(b'");
    prog_add_raw(p, enc, mr_base64_encoded_len(zn));
    prog_add(p, "')),RAW,%d)\n", wbits);
    free(enc);
    free(z);
    return 0;
}

int sb_write(mr_device *dev, unsigned part, const mr_write_op *ops, size_t n, mr_progress_fn fn,
             void *ctx, mr_err *err)
{
    serial_board *b = board_of(dev);
    if (ensure_info(dev, part, err) != 0)
        return -1;
    const mr_part_info *pi = &b->parts[part].info;
    for (size_t i = 0; i < n; i++)
        if (ops[i].offset > pi->size || ops[i].len > pi->size - ops[i].offset)
            return mr_fail(err, "write of %zu bytes at %llu is outside partition %u", ops[i].len,
                           (unsigned long long)ops[i].offset, part);
    size_t budget = program_budget(b);
    size_t piece = budget / 2 < PIECE ? budget / 2 : PIECE;
    if (!b->caps.base64)
        piece /= 2; /* hex doubles, a bytes literal up to quadruples */
    if (!b->caps.base64 && !b->fromhex)
        piece /= 2;
    if (piece < 64)
        piece = 64;
    if (!pi->block_device && pi->write_min > 1)
        piece = (piece + pi->write_min - 1) / pi->write_min * pi->write_min;

    /* With deflate, a batch's pieces travel as one stream (see add_stream); its text
     * is at most 4/3 of the raw bytes even when nothing compresses. */
    bool streamed = b->caps.deflate && b->caps.base64;
    batch_stream bs = {.cap = budget};
    if (streamed && !(bs.raw = malloc(bs.cap)))
        return mr_fail(err, "out of memory");
    size_t op = 0, done_ops = 0;
    size_t pos = 0; /* bytes of ops[op] already placed in a program */
    uint64_t bytes_done = 0;
    while (op < n) {
        prog p;
        prog_init(&p);
        sb_bind(b, &p, part);
        prog_add(&p, "k=0\nw=0\nq=%zu\n", done_ops);
        size_t head_len = p.len;
        bs.len = 0;
        uint64_t erase_bytes = 0, batch_bytes = 0;
        size_t first_op = op;
#define BATCH_ROOM() (streamed ? p.len + (bs.len + piece) * 4 / 3 + 128 < budget && bs.len + piece <= bs.cap \
                               : p.len + piece * 2 < budget)
        /* Fill the program up to the budget; at least one piece. */
        while (op < n && (p.len < 64 || BATCH_ROOM() || op == first_op)) {
            const mr_write_op *o = &ops[op];
            if (pos == 0 && o->erase_first && o->len) {
                uint64_t s = o->offset / pi->erase_unit * pi->erase_unit;
                uint64_t e = (o->offset + o->len + pi->erase_unit - 1) / pi->erase_unit * pi->erase_unit;
                if (e > pi->size)
                    e = pi->size;
                add_umount(b, &p);
                add_erase(b, &p, part, s, e - s);
                erase_bytes += e - s;
            }
            if (o->len > pos) {
                size_t k = o->len - pos < piece ? o->len - pos : piece;
                /* writeblocks addresses one block: a piece never crosses into the next */
                uint64_t in_block = (o->offset + pos) % pi->erase_unit;
                if (pi->block_device && k > pi->erase_unit - in_block)
                    k = (size_t)(pi->erase_unit - in_block);
                if (add_write(b, &p, part, o->offset + pos, o->data + pos, k, streamed ? &bs : NULL, err) != 0) {
                    prog_free(&p);
                    free(bs.raw);
                    return -1;
                }
                pos += k;
                batch_bytes += k;
            }
            if (pos >= o->len) {
                prog_add(&p, "if k>=0:\n q=%zu\n", op + 1);
                op++;
                pos = 0;
            } else if (!BATCH_ROOM()) {
                break;
            }
        }
#undef BATCH_ROOM
        if (streamed && bs.len) { /* the stream goes before the statements reading it */
            prog whole;
            prog_init(&whole);
            prog_add_raw(&whole, p.s, head_len);
            int zrc = add_stream(b, &whole, &bs, err);
            prog_add_raw(&whole, p.s + head_len, p.len - head_len);
            prog_free(&p);
            p = whole;
            if (zrc != 0) {
                prog_free(&p);
                free(bs.raw);
                return -1;
            }
        }
        prog_add(&p, "print(repr((k,q,w)))\n");
        unsigned ms = b->opts.timeout_ms + sb_link_ms(b, p.len) +
                      (unsigned)(erase_bytes * ERASE_MS_PER_MIB / (1u << 20)) +
                      (unsigned)(batch_bytes * WRITE_MS_PER_MIB / (1u << 20));
        mr_value v;
        int rc = sb_eval(dev, &p, ms, 200, &v, err);
        prog_free(&p);
        if (rc != 0) {
            free(bs.raw);
            return mr_wrap(err, "after %zu of %zu writes", done_ops, n);
        }
        size_t q = done_ops;
        b->parts[part].known = false; /* its first bytes may have changed */
        rc = check_result(dev, part, &v, &q, "writing", err);
        mr_value_free(&v);
        if (rc != 0) {
            free(bs.raw);
            return mr_wrap(err, "write %zu of %zu at offset %llu", q + 1, n,
                           (unsigned long long)ops[q < n ? q : n - 1].offset);
        }
        done_ops = op;
        bytes_done += batch_bytes;
        if (fn && fn(ctx, done_ops, bytes_done) != 0 && op < n) {
            free(bs.raw);
            return mr_fail(err, "cancelled after %zu of %zu writes to partition %u; the partition "
                                "holds a partial update", done_ops, n, part);
        }
    }
    free(bs.raw);
    return 0;
}

int sb_complete(mr_device *dev, unsigned part, mr_err *err)
{
    serial_board *b = board_of(dev);
    if (ensure_info(dev, part, err) != 0)
        return -1;
    if (b->parts[part].info.block_device)
        return 0; /* block devices have no write sequence to finish (mpremote sends none) */
    prog p;
    prog_init(&p);
    prog_add(&p, "print(repr(vfs.rom_ioctl(5,%u)))\n", part);
    mr_value v;
    int rc = sb_eval(dev, &p, 0, 64, &v, err);
    prog_free(&p);
    if (rc != 0)
        return mr_wrap(err, "completing the write of partition %u", part);
    int64_t k = v.type == MR_V_INT ? v.i : 0;
    bool ok = v.type == MR_V_INT || v.type == MR_V_NONE;
    mr_value_free(&v);
    if (!ok)
        return mr_fail(err, "completing partition %u: unexpected reply from the board", part);
    /* Some ports (stm32) do not implement op 5 and answer EINVAL: nothing to finish. */
    if (k < 0 && k != -22) {
        char t[40];
        sb_errno_text((long)k, t, sizeof t);
        return mr_fail(err, "completing the write of partition %u: the board answered %s", part, t);
    }
    return 0;
}
