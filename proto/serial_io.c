/* Reading and hashing a partition on a serial board. Reads stream many encoded
 * lines per program (base64 when the board has binascii, hex otherwise) so a
 * megabyte costs a handful of round trips; hashes digest many units per program. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "serial_priv.h"

#define READ_LINE 3072u            /* bytes per printed line: 4096 base64 chars */
#define READ_BATCH (256u * 1024u)  /* bytes per program */
#define HASH_BATCH 256u            /* units per program */

static int ensure_info(mr_device *dev, unsigned part, mr_err *err)
{
    serial_board *b = board_of(dev);
    if (part < b->nparts && b->parts[part].known)
        return 0;
    return sb_fetch_info(dev, part, err);
}

/* One printed line: b'BASE64\n' (the repr of b2a_base64's bytes) or HEX. */
static int decode_line(const serial_board *b, const char *line, size_t n, uint8_t *dst,
                       size_t want, mr_err *err)
{
    long got;
    if (b->caps.base64) {
        if (n < 5 || memcmp(line, "b'", 2) != 0 || memcmp(line + n - 3, "\\n'", 3) != 0)
            return mr_fail(err, "unexpected line from the board while reading (not base64 bytes)");
        if ((n - 5) / 4 * 3 > want + 2)
            return mr_fail(err, "the board sent more data than asked while reading");
        uint8_t tmp[READ_LINE + 3];
        got = mr_base64_decode(line + 2, n - 5, tmp);
        if (got >= 0 && (size_t)got == want)
            memcpy(dst, tmp, want);
    } else {
        if (n != 2 * want)
            return mr_fail(err, "the board sent %zu hex digits where %zu were expected", n, 2 * want);
        got = mr_hex_decode(line, n, dst);
    }
    if (got < 0)
        return mr_fail(err, "the board sent malformed %s data while reading",
                       b->caps.base64 ? "base64" : "hex");
    if ((size_t)got != want)
        return mr_fail(err, "the board sent %ld bytes where %zu were expected", got, want);
    return 0;
}

static int read_batch(mr_device *dev, unsigned part, uint64_t off, uint8_t *buf, size_t len,
                      mr_err *err)
{
    serial_board *b = board_of(dev);
    size_t lines = (len + READ_LINE - 1) / READ_LINE;
    prog p;
    prog_init(&p);
    sb_bind(b, &p, part);
    if (b->caps.base64)
        prog_add(&p, "for o in range(%llu,%llu,%u):\n print(b2a_base64(m[o:min(o+%u,%llu)]))\n",
                 (unsigned long long)off, (unsigned long long)(off + len), READ_LINE, READ_LINE,
                 (unsigned long long)(off + len));
    else
        prog_add(&p, "for o in range(%llu,%llu,%u):\n print(bytes(m[o:min(o+%u,%llu)]).hex())\n",
                 (unsigned long long)off, (unsigned long long)(off + len), READ_LINE, READ_LINE,
                 (unsigned long long)(off + len));
    size_t per_line = b->caps.base64 ? READ_LINE / 3 * 4 + 8 : 2 * READ_LINE + 3;
    size_t out_max = lines * per_line + 64;
    char *out;
    size_t n;
    int rc = sb_exec(dev, &p, b->opts.timeout_ms + sb_link_ms(b, out_max), out_max, &out, &n, err);
    prog_free(&p);
    if (rc != 0)
        return -1;
    size_t pos = 0, line = 0;
    while (pos < n) {
        char *nl = memchr(out + pos, '\n', n - pos);
        size_t end = nl ? (size_t)(nl - out) : n;
        size_t ll = end - pos;
        if (ll && out[pos + ll - 1] == '\r')
            ll--;
        if (line >= lines) {
            free(out);
            return mr_fail(err, "the board sent more lines than asked while reading");
        }
        size_t want = len - line * READ_LINE < READ_LINE ? len - line * READ_LINE : READ_LINE;
        if (decode_line(b, out + pos, ll, buf + line * READ_LINE, want, err) != 0) {
            free(out);
            return mr_wrap(err, "reading partition %u at offset %llu", part,
                           (unsigned long long)(off + line * READ_LINE));
        }
        line++;
        pos = end + 1;
    }
    free(out);
    if (line != lines)
        return mr_fail(err, "reading partition %u: the board sent %zu of %zu lines", part, line,
                       lines);
    return 0;
}

int sb_read(mr_device *dev, unsigned part, uint64_t off, uint8_t *buf, size_t len, mr_err *err)
{
    if (ensure_info(dev, part, err) != 0)
        return -1;
    const mr_part_info *pi = &board_of(dev)->parts[part].info;
    if (off > pi->size || len > pi->size - off)
        return mr_fail(err, "read of %zu bytes at offset %llu is outside partition %u (%llu bytes)",
                       len, (unsigned long long)off, part, (unsigned long long)pi->size);
    for (size_t done = 0; done < len;) {
        size_t k = len - done < READ_BATCH ? len - done : READ_BATCH;
        if (read_batch(dev, part, off + done, buf + done, k, err) != 0)
            return -1;
        done += k;
    }
    return 0;
}

static int hash_batch(mr_device *dev, unsigned part, uint64_t off, uint32_t unit, size_t count,
                      bool sha, uint8_t (*out)[32], mr_err *err)
{
    serial_board *b = board_of(dev);
    uint64_t size = b->parts[part].info.size;
    uint64_t end = off + (uint64_t)unit * count;
    if (end > size)
        end = size;
    prog p;
    prog_init(&p);
    sb_bind(b, &p, part);
    if (sha && b->caps.base64) {
        /* the digests joined and sent as one base64 string: 43 characters a digest
         * instead of about 100 for a list of bytes reprs */
        prog_add(&p, "h=b''\nfor o in range(%llu,%llu,%u):\n h=h+sha256(m[o:min(o+%u,%llu)]).digest()\n"
                     "print(repr(b2a_base64(h)))\n",
                 (unsigned long long)off, (unsigned long long)end, unit, unit, (unsigned long long)size);
        unsigned ms = b->opts.timeout_ms + (unsigned)((end - off) * 2000u / (1u << 20));
        mr_value v;
        int rc = sb_eval(dev, &p, ms, count * 48 + 64, &v, err);
        prog_free(&p);
        if (rc != 0)
            return mr_wrap(err, "hashing partition %u", part);
        long got = -1;
        uint8_t *bin = NULL;
        if (v.type == MR_V_BYTES && v.len >= 1 && v.data[v.len - 1] == '\n' && (v.len - 1) % 4 == 0 &&
            (bin = malloc((v.len - 1) / 4 * 3 + 1)) != NULL)
            got = mr_base64_decode((const char *)v.data, v.len - 1, bin);
        mr_value_free(&v);
        if (got != (long)(count * 32)) {
            free(bin);
            return mr_fail(err, "hashing partition %u: the board answered %ld digest bytes where %zu "
                                "were expected", part, got, count * 32);
        }
        for (size_t i = 0; i < count; i++)
            memcpy(out[i], bin + i * 32, 32);
        free(bin);
        return 0;
    }
    prog_add(&p, "print(repr([%s(m[o:min(o+%u,%llu)])%s for o in range(%llu,%llu,%u)]))\n",
             sha ? "sha256" : "crc32", unit, (unsigned long long)size, sha ? ".digest()" : "",
             (unsigned long long)off, (unsigned long long)end, unit);
    /* Hashing runs at flash speed on the board: allow 2 s per MiB on top. */
    unsigned ms = b->opts.timeout_ms + (unsigned)((end - off) * 2000u / (1u << 20));
    mr_value v;
    int rc = sb_eval(dev, &p, ms, count * 140 + 64, &v, err);
    prog_free(&p);
    if (rc != 0)
        return mr_wrap(err, "hashing partition %u", part);
    if (v.type != MR_V_LIST || v.n != count) {
        mr_value_free(&v);
        return mr_fail(err, "hashing partition %u: the board answered with %zu digests where %zu "
                            "were expected", part, v.type == MR_V_LIST ? v.n : 0, count);
    }
    for (size_t i = 0; i < count; i++) {
        const mr_value *it = &v.items[i];
        memset(out[i], 0, 32);
        if (sha && it->type == MR_V_BYTES && it->len == 32) {
            memcpy(out[i], it->data, 32);
        } else if (!sha && it->type == MR_V_INT && it->i >= 0 && it->i <= 0xffffffffLL) {
            uint32_t c = (uint32_t)it->i;
            out[i][0] = (uint8_t)(c >> 24);
            out[i][1] = (uint8_t)(c >> 16);
            out[i][2] = (uint8_t)(c >> 8);
            out[i][3] = (uint8_t)c;
        } else {
            mr_value_free(&v);
            return mr_fail(err, "hashing partition %u: the board answered something that is not a "
                                "%s", part, sha ? "SHA-256 digest" : "CRC-32");
        }
    }
    mr_value_free(&v);
    return 0;
}

int sb_hash(mr_device *dev, unsigned part, uint64_t off, uint32_t unit, size_t count,
            mr_hash_algo *algo, uint8_t (*out)[32], mr_err *err)
{
    serial_board *b = board_of(dev);
    if (ensure_info(dev, part, err) != 0)
        return -1;
    if (!b->caps.sha256 && !b->caps.crc32)
        return mr_fail(err, "the board can hash nothing (no hashlib.sha256, no binascii.crc32)");
    const mr_part_info *pi = &b->parts[part].info;
    if (count == 0)
        return 0;
    /* every unit must start inside the partition (the last may be short) */
    if (unit == 0 || off >= pi->size || (uint64_t)unit * (count - 1) >= pi->size - off)
        return mr_fail(err, "hash range outside partition %u (%llu bytes)", part,
                       (unsigned long long)pi->size);
    bool sha = b->caps.sha256;
    *algo = sha ? MR_HASH_SHA256 : MR_HASH_CRC32;
    for (size_t done = 0; done < count;) {
        size_t k = count - done < HASH_BATCH ? count - done : HASH_BATCH;
        if (hash_batch(dev, part, off + (uint64_t)unit * done, unit, k, sha, out + done, err) != 0)
            return -1;
        done += k;
    }
    return 0;
}
