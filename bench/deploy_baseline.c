/* The baseline for bench/deploy.sh: `mpremote romfs deploy` as it works (read from
 * tools/mpremote/mpremote/commands.py, reimplemented here, no code copied), over the
 * same transport and raw REPL client mpromfs uses, so both sides pay the same
 * framing costs: soft reset into the raw REPL; query the partition; umount; erase
 * the image's range (32 KiB per call, or one block per call on block devices); then
 * for every 4096-byte chunk, zero-padded, one exec that inflates deflate+base64 into
 * `buf` and one exec that writes it; finally rom_ioctl(5). Every byte is rewritten
 * every time, header first, and nothing is verified.
 *
 * Usage: deploy_baseline PORT IMAGE [PARTITION]
 * Prints one line: sent=N received=N round_trips=N seconds=F */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "base64.h"
#include "rawrepl.h"
#include "transport.h"

static mr_rawrepl repl;

static void die(const char *what, const mr_err *err)
{
    fprintf(stderr, "deploy_baseline: %s: %s\n", what, err ? err->msg : "");
    exit(1);
}

static void run(const char *src)
{
    mr_err err;
    char *out;
    size_t n;
    if (mr_rawrepl_exec(&repl, src, strlen(src), 60000, 1 << 16, &out, &n, &err))
        die(src, &err);
    free(out);
}

/* mpremote's eval: print(repr(expr)), an integer or a bool back */
static long eval_int(const char *expr)
{
    char src[256];
    snprintf(src, sizeof src, "print(repr(%s))", expr);
    mr_err err;
    char *out;
    size_t n;
    if (mr_rawrepl_exec(&repl, src, strlen(src), 60000, 4096, &out, &n, &err))
        die(expr, &err);
    long v;
    if (strncmp(out, "True", 4) == 0)
        v = 1;
    else if (strncmp(out, "False", 5) == 0)
        v = 0;
    else {
        char *end;
        errno = 0;
        v = strtol(out, &end, 10);
        if (errno || end == out)
            die(expr, NULL);
    }
    free(out);
    return v;
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        perror(path);
        exit(1);
    }
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    uint8_t *buf = malloc(size > 0 ? (size_t)size : 1);
    if (!buf || fread(buf, 1, (size_t)size, fp) != (size_t)size) {
        perror(path);
        exit(1);
    }
    fclose(fp);
    *len = (size_t)size;
    return buf;
}

/* zlib.compressobj(wbits=-9): default level, raw deflate, 512-byte window */
static size_t deflate_raw9(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -9, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        exit(1);
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        exit(1);
    size_t got = z.total_out;
    deflateEnd(&z);
    return got;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: deploy_baseline PORT IMAGE [PARTITION]\n");
        return 2;
    }
    unsigned part = argc > 3 ? (unsigned)atoi(argv[3]) : 0;
    size_t len;
    uint8_t *img = read_file(argv[2], &len);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    mr_transport *t;
    mr_err err;
    if (mr_transport_open(argv[1], 0, false, &t, &err))
        die(argv[1], &err);
    mr_rawrepl_init(&repl, t, 10000);
    if (mr_rawrepl_enter(&repl, true, &err))
        die("entering the raw REPL", &err);

    char src[256];
    run("import vfs");
    if (!eval_int("hasattr(vfs,'rom_ioctl')"))
        die("no vfs.rom_ioctl", NULL);
    snprintf(src, sizeof src, "dev=vfs.rom_ioctl(2,%u)", part);
    run(src);
    if (eval_int("isinstance(dev,int) and dev<0"))
        die("no such partition", NULL);
    bool object = eval_int("hasattr(dev,'ioctl')");
    long size, unit;
    if (object) {
        long count = eval_int("dev.ioctl(4,0)");
        unit = eval_int("dev.ioctl(5,0)");
        size = count * unit;
    } else {
        size = eval_int("len(dev)");
        snprintf(src, sizeof src, "vfs.rom_ioctl(6,%u)", part);
        unit = eval_int(src);
        if (unit <= 0)
            unit = size;
    }
    if ((long)len > size || unit <= 0)
        die("the image does not fit", NULL);

    run("import vfs\ntry:\n vfs.umount('/rom')\nexcept:\n pass");
    long chunk = 4096, min_write = 1;
    if (object) {
        for (long off = 0; off < (long)len; off += unit) {
            snprintf(src, sizeof src, "dev.ioctl(6,%ld)", off / unit);
            run(src);
        }
        chunk = chunk < unit ? chunk : unit;
    } else if (unit < size) {
        for (long off = 0; off < (long)len;) {
            long remain = (long)len - off < 32768 ? (long)len - off : 32768;
            long prep = (remain + unit - 1) / unit * unit;
            snprintf(src, sizeof src, "vfs.rom_ioctl(3,%u,%ld,%ld)", part, off, prep);
            min_write = eval_int(src);
            off += prep;
        }
        chunk = chunk > min_write ? chunk : min_write;
    } else {
        snprintf(src, sizeof src, "vfs.rom_ioctl(3,%u,%zu)", part, len);
        min_write = eval_int(src);
        chunk = chunk > min_write ? chunk : min_write;
    }

    (void)eval_int("hasattr(bytes,'fromhex')");
    run("from binascii import a2b_base64");
    run("from io import BytesIO");
    run("from deflate import DeflateIO,RAW");

    uint8_t *piece = malloc((size_t)chunk);
    size_t zcap = (size_t)chunk * 2 + 64;
    uint8_t *z = malloc(zcap);
    char *b64 = malloc(mr_base64_encoded_len(zcap) + 1);
    char *prog = malloc(mr_base64_encoded_len(zcap) + 128);
    for (size_t off = 0; off < len; off += (size_t)chunk) {
        size_t n = len - off < (size_t)chunk ? len - off : (size_t)chunk;
        memset(piece, 0, (size_t)chunk);
        memcpy(piece, img + off, n);
        size_t zn = deflate_raw9(piece, (size_t)chunk, z, zcap);
        mr_base64_encode(z, zn, b64);
        b64[mr_base64_encoded_len(zn)] = '\0';
        sprintf(prog, "buf=DeflateIO(BytesIO(a2b_base64(b'%s')),RAW,9).read()", b64);
        run(prog);
        if (object)
            snprintf(src, sizeof src, "dev.writeblocks(%zu,buf,%zu)", off / (size_t)unit, off % (size_t)unit);
        else
            snprintf(src, sizeof src, "vfs.rom_ioctl(4,%u,%zu,buf)", part, off);
        run(src);
    }
    if (!object) {
        snprintf(src, sizeof src, "vfs.rom_ioctl(5,%u)", part);
        (void)eval_int(src);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("sent=%llu received=%llu round_trips=%llu seconds=%.3f\n", (unsigned long long)t->bytes_sent,
           (unsigned long long)t->bytes_received, (unsigned long long)repl.round_trips,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    mr_rawrepl_leave(&repl);
    mr_transport_close(t);
    free(piece);
    free(z);
    free(b64);
    free(prog);
    free(img);
    return 0;
}
