/* The board's modules: vfs (rom_ioctl over the simulated flash, mount/umount,
 * VfsRom), uctypes, binascii, hashlib, deflate, io, gc, sys; and the objects they
 * return (block-device partitions, sha256, BytesIO, DeflateIO). Features a board may
 * lack are switched by py_caps: a missing module is an ImportError as on a firmware
 * built without it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "py_int.h"
#include "sha256.h"

#define NATIVE(name) static int name(py_vm_t *vm, py_obj *self, int argc, py_obj **argv, \
                                     int nkw, const char **kwn, py_obj **kwv, py_obj **ret)
#define UNUSED (void)self, (void)kwn, (void)kwv

static int ret_int(py_vm_t *vm, int64_t v, py_obj **ret)
{
    *ret = py_int(vm, v);
    return *ret ? 0 : -1;
}

static int board_rc(py_vm_t *vm, int rc)
{
    if (rc == PY_BOARD_POWER_CUT) {
        vm->power_cut = true;
        return py_raise(vm, E_RuntimeError, "power cut");
    }
    return 0;
}

static int arg_u64(py_vm_t *vm, py_obj *o, uint64_t *v)
{
    int64_t i;
    if (py_to_int(vm, o, &i))
        return -1;
    if (i < 0)
        return 1; /* caller answers -EINVAL, as a port would */
    *v = (uint64_t)i;
    return 0;
}

/* ---- vfs.rom_ioctl ------------------------------------------------------------- */
NATIVE(vfs_rom_ioctl)
{
    UNUSED;
    if (nkw)
        return py_raise(vm, E_TypeError, "function doesn't take keyword arguments");
    if (argc < 1 || argc > 4)
        return py_raise(vm, E_TypeError, "function expected at most 4 arguments, got %d", argc);
    int64_t op, id;
    if (py_to_int(vm, argv[0], &op))
        return -1;
    int n = py_board_count(vm);
    if (op == 1)
        return ret_int(vm, n, ret);
    if (argc < 2)
        return ret_int(vm, -EINVAL, ret);
    if (py_to_int(vm, argv[1], &id))
        return -1;
    if (id < 0 || id >= n)
        return ret_int(vm, -EINVAL, ret);
    py_part info;
    if (py_board_info(vm, (unsigned)id, &info))
        return -1;
    const py_board_ops *b = vm->cfg.board;
    void *ctx = vm->cfg.board_ctx;
    if (op == 2) {
        if (info.block_device) {
            *ret = py_alloc(vm, T_PARTITION);
            if (*ret)
                (*ret)->u.p.part = (unsigned)id;
            return *ret ? 0 : -1;
        }
        *ret = py_partition_view(vm, (unsigned)id, info.size);
        return *ret ? 0 : -1;
    }
    /* block-device ports (rp2, esp32) answer only ops 1 and 2 */
    if (info.block_device)
        return ret_int(vm, -EINVAL, ret);
    if (op == 6)
        return ret_int(vm, info.erase_unit, ret);
    if (!info.writable && (op == 3 || op == 4 || op == 5))
        return ret_int(vm, -EINVAL, ret);
    if (op == 3) {
        uint64_t off = 0, len;
        int r = 0;
        if (argc < 3)
            return ret_int(vm, -EINVAL, ret);
        if (argc == 3) {
            r = arg_u64(vm, argv[2], &len);
        } else {
            r = arg_u64(vm, argv[2], &off);
            if (!r)
                r = arg_u64(vm, argv[3], &len);
        }
        if (r < 0)
            return -1;
        if (r > 0 || off > info.size || len > info.size - off)
            return ret_int(vm, -EINVAL, ret);
        /* ports erase every unit the range touches */
        uint64_t u = info.erase_unit ? info.erase_unit : info.size;
        uint64_t start = off / u * u, end = (off + len + u - 1) / u * u;
        if (end > info.size)
            end = info.size;
        if (end > start) {
            int rc = b->erase(ctx, (unsigned)id, start, end - start);
            if (board_rc(vm, rc))
                return -1;
            if (rc)
                return ret_int(vm, rc, ret);
        }
        return ret_int(vm, info.write_min, ret);
    }
    if (op == 4) {
        uint64_t off;
        if (argc < 4)
            return ret_int(vm, -EINVAL, ret);
        int r = arg_u64(vm, argv[2], &off);
        if (r < 0)
            return -1;
        if (r > 0)
            return ret_int(vm, -EINVAL, ret);
        const uint8_t *d;
        size_t len;
        uint8_t *own;
        if (py_get_buffer(vm, argv[3], &d, &len, &own))
            return -1;
        int rc = (off > info.size || len > info.size - off)
                     ? -EINVAL
                     : b->write(ctx, (unsigned)id, off, d, len);
        free(own);
        if (board_rc(vm, rc))
            return -1;
        return ret_int(vm, rc, ret);
    }
    if (op == 5) {
        int rc = b->complete(ctx, (unsigned)id);
        if (board_rc(vm, rc))
            return -1;
        return ret_int(vm, rc, ret);
    }
    return ret_int(vm, -EINVAL, ret);
}

/* ---- block-device partitions (rp2.Flash / esp32.Partition) ------------------------ */
static int block_geometry(py_vm_t *vm, py_obj *self, py_part *info, uint64_t *bs)
{
    if (py_board_info(vm, self->u.p.part, info))
        return -1;
    *bs = info->erase_unit ? info->erase_unit : 4096;
    return 0;
}

NATIVE(part_ioctl)
{
    UNUSED;
    int64_t op, arg;
    py_part info;
    uint64_t bs;
    if (py_check_args(vm, "ioctl", argc, 2, 2, nkw) || py_to_int(vm, argv[0], &op) ||
        block_geometry(vm, self, &info, &bs))
        return -1;
    switch (op) {
    case 1: case 2: case 3: return ret_int(vm, 0, ret);
    case 4: return ret_int(vm, (int64_t)(info.size / bs), ret);
    case 5: return ret_int(vm, (int64_t)bs, ret);
    case 6: {
        if (py_to_int(vm, argv[1], &arg))
            return -1;
        if (arg < 0 || (uint64_t)arg >= info.size / bs)
            return py_raise_errno(vm, EINVAL);
        int rc = vm->cfg.board->erase(vm->cfg.board_ctx, self->u.p.part, (uint64_t)arg * bs, bs);
        if (board_rc(vm, rc))
            return -1;
        return ret_int(vm, rc, ret);
    }
    default:
        *ret = PY_NONE;
        return 0;
    }
}

static int block_offset(py_vm_t *vm, py_obj *self, int argc, py_obj **argv, const char *fn,
                        py_part *info, uint64_t *bs, uint64_t *off)
{
    int64_t block, extra = 0;
    if (py_check_args(vm, fn, argc, 2, 3, 0) || block_geometry(vm, self, info, bs) ||
        py_to_int(vm, argv[0], &block) || (argc == 3 && py_to_int(vm, argv[2], &extra)))
        return -1;
    if (block < 0 || extra < 0 || (uint64_t)block > info->size / *bs || (uint64_t)extra > info->size)
        return py_raise_errno(vm, EINVAL);
    *off = (uint64_t)block * *bs + (uint64_t)extra;
    return 0;
}

NATIVE(part_readblocks)
{
    UNUSED;
    py_part info;
    uint64_t bs, off;
    uint8_t *d;
    size_t len;
    if (nkw)
        return py_raise(vm, E_TypeError, "function doesn't take keyword arguments");
    if (block_offset(vm, self, argc, argv, "readblocks", &info, &bs, &off) ||
        py_get_writable(vm, argv[1], &d, &len))
        return -1;
    if (off > info.size || len > info.size - off)
        return py_raise_errno(vm, EINVAL);
    if (py_board_read(vm, self->u.p.part, off, d, len))
        return -1;
    *ret = PY_NONE;
    return 0;
}

NATIVE(part_writeblocks)
{
    UNUSED;
    py_part info;
    uint64_t bs, off;
    const uint8_t *d;
    size_t len;
    uint8_t *own;
    if (nkw)
        return py_raise(vm, E_TypeError, "function doesn't take keyword arguments");
    if (block_offset(vm, self, argc, argv, "writeblocks", &info, &bs, &off) ||
        py_get_buffer(vm, argv[1], &d, &len, &own))
        return -1;
    int rc = 0;
    if (off > info.size || len > info.size - off) {
        rc = -EINVAL;
    } else if (argc == 2 && len) {
        /* without an offset the port erases what it is about to write */
        uint64_t end = (off + len + bs - 1) / bs * bs;
        rc = vm->cfg.board->erase(vm->cfg.board_ctx, self->u.p.part, off, end - off);
    }
    if (!rc && len)
        rc = vm->cfg.board->write(vm->cfg.board_ctx, self->u.p.part, off, d, len);
    free(own);
    if (board_rc(vm, rc))
        return -1;
    if (rc)
        return py_raise_errno(vm, -rc);
    *ret = PY_NONE;
    return 0;
}

/* ---- vfs mount state ------------------------------------------------------------ */
static bool valid_rom(py_vm_t *vm, py_obj *buf, int *status)
{
    const uint8_t *d;
    size_t n;
    uint8_t *own;
    *status = 0;
    py_obj head = *buf;
    /* only the header is needed: read a few bytes of a partition view */
    if (head.type == T_MEMVIEW && !head.u.mv.src && head.u.mv.len > 16)
        head.u.mv.len = 16;
    uint64_t total = buf->type == T_MEMVIEW && !buf->u.mv.src ? buf->u.mv.len : 0;
    if (py_get_buffer(vm, &head, &d, &n, &own)) {
        *status = -1;
        return false;
    }
    if (!total)
        total = n;
    bool ok = n >= 4 && d[0] == 0xd2 && d[1] == 0xcd && d[2] == 0x31;
    if (ok) {
        uint64_t v = 0;
        size_t i = 3;
        for (; i < n && i < 13; i++) {
            v = (v << 7) | (d[i] & 0x7f);
            if (!(d[i] & 0x80))
                break;
        }
        ok = i < n && i < 13 && v <= total - (i + 1);
    }
    free(own);
    return ok;
}

NATIVE(vfs_VfsRom)
{
    UNUSED;
    int st;
    if (py_check_args(vm, "VfsRom", argc, 1, 1, nkw))
        return -1;
    py_obj *src = argv[0];
    if (src->type == T_PARTITION) {
        py_part info;
        if (py_board_info(vm, src->u.p.part, &info))
            return -1;
        src = py_partition_view(vm, src->u.p.part, info.size);
        if (!src)
            return -1;
    }
    if (!py_is_bytes_like(src))
        return py_raise(vm, E_TypeError, "object with buffer protocol required");
    bool ok;
    if (src->type == T_MEMVIEW && !src->u.mv.src) {
        if (py_rom_check(vm, src->u.mv.part, src->u.mv.off, src->u.mv.len, &ok))
            return -1;
    } else {
        ok = valid_rom(vm, src, &st);
        if (st)
            return -1;
    }
    if (!ok)
        return py_raise_errno(vm, ENODEV);
    py_obj *o = py_alloc(vm, T_VFSROM);
    if (!o)
        return -1;
    o->u.io.buf = src;
    *ret = o;
    return 0;
}

NATIVE(vfs_umount)
{
    UNUSED;
    if (py_check_args(vm, "umount", argc, 1, 1, nkw))
        return -1;
    if (argv[0]->type != T_STR || strcmp((const char *)argv[0]->u.b.data, "/rom") != 0 ||
        vm->rom_part < 0)
        return py_raise_errno(vm, EINVAL);
    vm->rom_part = -1;
    *ret = PY_NONE;
    return 0;
}

NATIVE(vfs_mount)
{
    UNUSED;
    if (py_check_args(vm, "mount", argc, 2, 2, nkw))
        return -1;
    if (argv[0]->type != T_VFSROM)
        return py_raise(vm, E_NotImplementedError,
                        "this simulated board can only mount a VfsRom");
    if (argv[1]->type != T_STR || strcmp((const char *)argv[1]->u.b.data, "/rom") != 0)
        return py_raise(vm, E_NotImplementedError, "this simulated board mounts only at /rom");
    if (vm->rom_part >= 0)
        return py_raise_errno(vm, EPERM);
    py_obj *view = argv[0]->u.io.buf;
    if (view->type != T_MEMVIEW || view->u.mv.src)
        return py_raise(vm, E_NotImplementedError,
                        "this simulated board mounts only a VfsRom over a ROM partition");
    vm->rom_part = (int)view->u.mv.part;
    vm->rom_off = view->u.mv.off;
    vm->rom_len = view->u.mv.len;
    *ret = PY_NONE;
    return 0;
}

/* ---- uctypes ------------------------------------------------------------------- */
NATIVE(uctypes_addressof)
{
    UNUSED;
    py_part info;
    if (py_check_args(vm, "addressof", argc, 1, 1, nkw))
        return -1;
    py_obj *o = argv[0];
    if (o->type == T_PARTITION) {
        if (py_board_info(vm, o->u.p.part, &info))
            return -1;
        return ret_int(vm, (int64_t)info.base, ret);
    }
    if (o->type == T_MEMVIEW && !o->u.mv.src) {
        if (py_board_info(vm, o->u.mv.part, &info))
            return -1;
        return ret_int(vm, (int64_t)(info.base + o->u.mv.off), ret);
    }
    if (o->type == T_MEMVIEW)
        o = o->u.mv.src;
    if (o->type == T_BYTES || o->type == T_BYTEARRAY || o->type == T_STR)
        /* RAM objects: a plausible SRAM address, stable for the object */
        return ret_int(vm, 0x20000000 + (int64_t)(((uintptr_t)o >> 4) & 0xffff) * 16, ret);
    return py_raise(vm, E_TypeError, "object with buffer protocol required");
}

/* ---- binascii ------------------------------------------------------------------ */
static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

NATIVE(binascii_a2b_base64)
{
    UNUSED;
    const uint8_t *d;
    size_t n;
    uint8_t *own;
    if (py_check_args(vm, "a2b_base64", argc, 1, 1, nkw) || py_get_buffer(vm, argv[0], &d, &n, &own))
        return -1;
    py_obj *out = py_bytes(vm, T_BYTES, "", 0);
    if (!out || py_reserve(vm, (void **)&out->u.b.data, &out->u.b.cap, n / 4 * 3 + 4, 1)) {
        free(own);
        return -1;
    }
    uint32_t acc = 0;
    int bits = 0, pad = 0;
    size_t quads = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = d[i];
        const char *p = c ? strchr(b64, c) : NULL;
        if (c == '=') {
            pad++;
            continue;
        }
        if (!p)
            continue; /* MicroPython skips characters outside the alphabet */
        if (pad) {
            free(own);
            return py_raise(vm, E_ValueError, "incorrect padding");
        }
        acc = (acc << 6) | (uint32_t)(p - b64);
        bits += 6;
        quads++;
        if (bits >= 8) {
            bits -= 8;
            out->u.b.data[out->u.b.len++] = (uint8_t)(acc >> bits);
        }
    }
    free(own);
    if (quads % 4 == 1 || (quads % 4 && (quads % 4) + (size_t)pad < 4))
        return py_raise(vm, E_ValueError, "incorrect padding");
    out->u.b.data[out->u.b.len] = 0;
    *ret = out;
    return 0;
}

NATIVE(binascii_b2a_base64)
{
    UNUSED;
    const uint8_t *d;
    size_t n;
    uint8_t *own;
    bool newline = true;
    for (int k = 0; k < nkw; k++) {
        int st;
        if (strcmp(kwn[k], "newline") != 0)
            return py_raise(vm, E_TypeError, "unexpected keyword argument '%s'", kwn[k]);
        newline = py_truthy(vm, kwv[k], &st);
    }
    if (py_check_args(vm, "b2a_base64", argc, 1, 1, 0) || py_get_buffer(vm, argv[0], &d, &n, &own))
        return -1;
    py_obj *out = py_bytes(vm, T_BYTES, "", 0);
    if (!out || py_reserve(vm, (void **)&out->u.b.data, &out->u.b.cap, (n + 2) / 3 * 4 + 2, 1)) {
        free(own);
        return -1;
    }
    uint8_t *o = out->u.b.data;
    size_t j = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)d[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)d[i + 1] << 8;
        if (i + 2 < n)
            v |= d[i + 2];
        o[j++] = (uint8_t)b64[(v >> 18) & 63];
        o[j++] = (uint8_t)b64[(v >> 12) & 63];
        o[j++] = i + 1 < n ? (uint8_t)b64[(v >> 6) & 63] : '=';
        o[j++] = i + 2 < n ? (uint8_t)b64[v & 63] : '=';
    }
    if (newline)
        o[j++] = '\n';
    o[j] = 0;
    out->u.b.len = j;
    free(own);
    *ret = out;
    return 0;
}

NATIVE(binascii_hexlify)
{
    UNUSED;
    py_obj *s;
    if (py_check_args(vm, "hexlify", argc, 1, 2, nkw))
        return -1;
    py_obj *hex;
    if (argv[0]->type != T_BYTES && argv[0]->type != T_BYTEARRAY && argv[0]->type != T_MEMVIEW)
        return py_raise(vm, E_TypeError, "object with buffer protocol required");
    if (py_getattr(vm, argv[0], "hex", &hex))
        return -1;
    if (py_call(vm, hex, argc - 1, argv + 1, 0, NULL, NULL, &s))
        return -1;
    *ret = py_bytes(vm, T_BYTES, s->u.b.data, s->u.b.len);
    return *ret ? 0 : -1;
}

NATIVE(binascii_unhexlify)
{
    UNUSED;
    const uint8_t *d;
    size_t n;
    uint8_t *own;
    if (py_check_args(vm, "unhexlify", argc, 1, 1, nkw) || py_get_buffer(vm, argv[0], &d, &n, &own))
        return -1;
    if (n % 2) {
        free(own);
        return py_raise(vm, E_ValueError, "odd-length string");
    }
    py_obj *out = py_bytes(vm, T_BYTES, "", 0);
    if (!out || py_reserve(vm, (void **)&out->u.b.data, &out->u.b.cap, n / 2 + 1, 1)) {
        free(own);
        return -1;
    }
    for (size_t i = 0; i < n; i += 2) {
        char t[3] = {(char)d[i], (char)d[i + 1], 0};
        char *end;
        unsigned long v = strtoul(t, &end, 16);
        if (*end || t[0] == '-' || t[0] == '+' || t[0] == ' ') {
            free(own);
            return py_raise(vm, E_ValueError, "non-hex digit found");
        }
        out->u.b.data[out->u.b.len++] = (uint8_t)v;
    }
    out->u.b.data[out->u.b.len] = 0;
    free(own);
    *ret = out;
    return 0;
}

NATIVE(binascii_crc32)
{
    UNUSED;
    const uint8_t *d;
    size_t n;
    uint8_t *own;
    int64_t start = 0;
    if (py_check_args(vm, "crc32", argc, 1, 2, nkw) || (argc == 2 && py_to_int(vm, argv[1], &start)) ||
        py_get_buffer(vm, argv[0], &d, &n, &own))
        return -1;
    uLong crc = (uLong)(uint32_t)start;
    size_t done = 0;
    while (done < n) {
        uInt chunk = n - done > 1u << 30 ? 1u << 30 : (uInt)(n - done);
        crc = crc32(crc, d + done, chunk);
        done += chunk;
    }
    free(own);
    return ret_int(vm, (int64_t)(uint32_t)crc, ret);
}

/* ---- hashlib ------------------------------------------------------------------- */
void py_hash_free(py_obj *o);
void py_hash_free(py_obj *o)
{
    free(o->u.h.ctx);
}

static int hash_update(py_vm_t *vm, py_obj *h, py_obj *data)
{
    const uint8_t *d;
    size_t n;
    uint8_t *own;
    if (!h->u.h.ctx)
        return py_raise(vm, E_ValueError, "hash is final");
    if (py_get_buffer(vm, data, &d, &n, &own))
        return -1;
    mr_sha256_update(h->u.h.ctx, d, n);
    free(own);
    return 0;
}

NATIVE(hashlib_sha256)
{
    UNUSED;
    if (py_check_args(vm, "sha256", argc, 0, 1, nkw))
        return -1;
    py_obj *h = py_alloc(vm, T_HASH);
    if (!h)
        return -1;
    h->u.h.ctx = py_malloc(vm, sizeof(mr_sha256_ctx));
    if (!h->u.h.ctx)
        return -1;
    mr_sha256_init(h->u.h.ctx);
    if (argc == 1 && hash_update(vm, h, argv[0]))
        return -1;
    *ret = h;
    return 0;
}

NATIVE(hash_update_m)
{
    UNUSED;
    if (py_check_args(vm, "update", argc, 1, 1, nkw) || hash_update(vm, self, argv[0]))
        return -1;
    *ret = PY_NONE;
    return 0;
}

NATIVE(hash_digest)
{
    UNUSED;
    (void)argv;
    if (py_check_args(vm, "digest", argc, 0, 0, nkw))
        return -1;
    if (!self->u.h.ctx)
        return py_raise(vm, E_ValueError, "hash is final");
    uint8_t out[MR_SHA256_LEN];
    /* MicroPython finalises on digest(): later updates are errors */
    mr_sha256_final(self->u.h.ctx, out);
    free(self->u.h.ctx);
    self->u.h.ctx = NULL;
    *ret = py_bytes(vm, T_BYTES, out, sizeof out);
    return *ret ? 0 : -1;
}

/* ---- io.BytesIO and deflate.DeflateIO ------------------------------------------- */
NATIVE(io_BytesIO)
{
    UNUSED;
    const uint8_t *d = NULL;
    size_t n = 0;
    uint8_t *own = NULL;
    if (py_check_args(vm, "BytesIO", argc, 0, 1, nkw))
        return -1;
    if (argc == 1 && py_get_buffer(vm, argv[0], &d, &n, &own))
        return -1;
    py_obj *o = py_alloc(vm, T_BYTESIO);
    py_obj *b = o ? py_bytes(vm, T_BYTEARRAY, d, n) : NULL;
    free(own);
    if (!b)
        return -1;
    o->u.io.buf = b;
    *ret = o;
    return 0;
}

static int stream_read(py_vm_t *vm, py_obj *io, int64_t want, py_obj **ret)
{
    py_obj *b = io->u.io.buf;
    size_t avail = io->u.io.pos < b->u.b.len ? b->u.b.len - io->u.io.pos : 0;
    size_t n = (want < 0 || (uint64_t)want > avail) ? avail : (size_t)want;
    *ret = py_bytes(vm, T_BYTES, b->u.b.data + io->u.io.pos, n);
    io->u.io.pos += n;
    return *ret ? 0 : -1;
}

NATIVE(bytesio_read)
{
    UNUSED;
    int64_t want = -1;
    if (py_check_args(vm, "read", argc, 0, 1, nkw) ||
        (argc == 1 && argv[0]->type != T_NONE && py_to_int(vm, argv[0], &want)))
        return -1;
    return stream_read(vm, self, want, ret);
}

NATIVE(bytesio_write)
{
    UNUSED;
    const uint8_t *d;
    size_t n;
    uint8_t *own;
    if (py_check_args(vm, "write", argc, 1, 1, nkw) || py_get_buffer(vm, argv[0], &d, &n, &own))
        return -1;
    py_obj *b = self->u.io.buf;
    size_t end = self->u.io.pos + n;
    int rc = 0;
    if (end > b->u.b.len) {
        size_t old = b->u.b.len;
        rc = py_reserve(vm, (void **)&b->u.b.data, &b->u.b.cap, end + 1, 1);
        if (!rc) {
            if (self->u.io.pos > old)
                memset(b->u.b.data + old, 0, self->u.io.pos - old);
            b->u.b.len = end;
            b->u.b.data[end] = 0;
        }
    }
    if (!rc && n)
        memcpy(b->u.b.data + self->u.io.pos, d, n);
    free(own);
    if (rc)
        return -1;
    self->u.io.pos = end;
    return ret_int(vm, (int64_t)n, ret);
}

NATIVE(bytesio_getvalue)
{
    UNUSED;
    (void)argv;
    if (py_check_args(vm, "getvalue", argc, 0, 0, nkw))
        return -1;
    *ret = py_bytes(vm, T_BYTES, self->u.io.buf->u.b.data, self->u.io.buf->u.b.len);
    return *ret ? 0 : -1;
}

NATIVE(bytesio_seek)
{
    UNUSED;
    int64_t pos;
    if (py_check_args(vm, "seek", argc, 1, 1, nkw) || py_to_int(vm, argv[0], &pos))
        return -1;
    if (pos < 0)
        return py_raise_errno(vm, EINVAL);
    self->u.io.pos = (size_t)pos;
    return ret_int(vm, pos, ret);
}

enum { DEFLATE_AUTO = 0, DEFLATE_RAW = 1, DEFLATE_ZLIB = 2, DEFLATE_GZIP = 3 };

NATIVE(deflate_DeflateIO)
{
    UNUSED;
    int64_t format = DEFLATE_AUTO, wbits = 0;
    if (py_check_args(vm, "DeflateIO", argc, 1, 4, nkw) ||
        (argc >= 2 && py_to_int(vm, argv[1], &format)) || (argc >= 3 && py_to_int(vm, argv[2], &wbits)))
        return -1;
    if (format < DEFLATE_AUTO || format > DEFLATE_GZIP || (wbits && (wbits < 5 || wbits > 15)))
        return py_raise(vm, E_ValueError, "invalid format or wbits");
    if (argv[0]->type != T_BYTESIO)
        return py_raise(vm, E_NotImplementedError,
                        "DeflateIO on this simulated board reads only from io.BytesIO");
    py_obj *o = py_alloc(vm, T_DEFLATEIO);
    if (!o)
        return -1;
    o->u.d.stream = argv[0];
    o->u.d.format = (int)format;
    *ret = o;
    return 0;
}

/* Inflate everything the source stream holds, once; reads then come from the output. */
static int deflate_fill(py_vm_t *vm, py_obj *self)
{
    if (self->u.d.done)
        return 0;
    py_obj *src;
    if (stream_read(vm, self->u.d.stream, -1, &src))
        return -1;
    int format = self->u.d.format;
    int wb = format == DEFLATE_RAW ? -15 : format == DEFLATE_ZLIB ? 15 : format == DEFLATE_GZIP ? 31 : 47;
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, wb) != Z_OK)
        return py_raise_nomem(vm, 32768);
    py_obj *out = py_bytes(vm, T_BYTEARRAY, "", 0);
    if (!out) {
        inflateEnd(&zs);
        return -1;
    }
    zs.next_in = src->u.b.data;
    zs.avail_in = (uInt)src->u.b.len;
    int zr = Z_OK;
    while (zr != Z_STREAM_END) {
        if (py_reserve(vm, (void **)&out->u.b.data, &out->u.b.cap, out->u.b.len + 16384 + 1, 1)) {
            inflateEnd(&zs);
            return -1;
        }
        zs.next_out = out->u.b.data + out->u.b.len;
        zs.avail_out = 16384;
        zr = inflate(&zs, Z_NO_FLUSH);
        out->u.b.len += 16384 - zs.avail_out;
        if (zr == Z_BUF_ERROR && zs.avail_in == 0)
            break; /* truncated input: what was decoded is what a board returns */
        if (zr != Z_OK && zr != Z_STREAM_END) {
            inflateEnd(&zs);
            return py_raise_errno(vm, EINVAL);
        }
    }
    inflateEnd(&zs);
    out->u.b.data[out->u.b.len] = 0;
    py_obj *io = py_alloc(vm, T_BYTESIO);
    if (!io)
        return -1;
    io->u.io.buf = out;
    self->u.d.stream = io;
    self->u.d.done = true;
    return 0;
}

NATIVE(deflate_read)
{
    UNUSED;
    int64_t want = -1;
    if (py_check_args(vm, "read", argc, 0, 1, nkw) ||
        (argc == 1 && argv[0]->type != T_NONE && py_to_int(vm, argv[0], &want)))
        return -1;
    if (deflate_fill(vm, self))
        return -1;
    return stream_read(vm, self->u.d.stream, want, ret);
}

/* ---- gc ------------------------------------------------------------------------ */
NATIVE(gc_mem_free)
{
    UNUSED;
    (void)argv;
    if (py_check_args(vm, "mem_free", argc, 0, 0, nkw))
        return -1;
    /* a board with a 192 KiB heap; what this program allocated is not free */
    int64_t heap = 192 * 1024, used = (int64_t)(vm->alloc_this_run / 64);
    return ret_int(vm, used < heap - 8192 ? heap - used : 8192, ret);
}

NATIVE(gc_mem_alloc)
{
    UNUSED;
    (void)argv;
    if (py_check_args(vm, "mem_alloc", argc, 0, 0, nkw))
        return -1;
    return ret_int(vm, (int64_t)(vm->alloc_this_run / 64), ret);
}

NATIVE(gc_collect)
{
    UNUSED;
    (void)argv;
    if (py_check_args(vm, "collect", argc, 0, 0, nkw))
        return -1;
    *ret = PY_NONE;
    return 0;
}

/* ---- module table ------------------------------------------------------------- */
typedef struct fn_def {
    const char *name;
    py_native fn;
} fn_def;

static int add_funcs(py_vm_t *vm, py_obj *m, const fn_def *defs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        py_obj *f = py_func(vm, defs[i].name, defs[i].fn, NULL);
        if (!f || py_set_attr(vm, m, defs[i].name, f))
            return -1;
    }
    return 0;
}

static int add_int(py_vm_t *vm, py_obj *m, const char *name, int64_t v)
{
    py_obj *o = py_int(vm, v);
    return (!o || py_set_attr(vm, m, name, o)) ? -1 : 0;
}

static int build_sys(py_vm_t *vm, py_obj *m)
{
    py_obj *impl = py_alloc(vm, T_NAMESPACE);
    py_obj *ver = py_seq(vm, T_TUPLE, 4);
    if (!impl || !ver)
        return -1;
    ver->u.l.items[0] = py_int(vm, 1);
    ver->u.l.items[1] = py_int(vm, 25);
    ver->u.l.items[2] = py_int(vm, 0);
    ver->u.l.items[3] = py_str(vm, "");
    py_obj *name = py_str(vm, "micropython"), *mach = py_str(vm, vm->cfg.machine);
    py_obj *mpy = py_int(vm, 0x0a06);
    py_obj *path = py_seq(vm, T_LIST, 3);
    if (!ver->u.l.items[0] || !ver->u.l.items[1] || !ver->u.l.items[2] || !ver->u.l.items[3] ||
        !name || !mach || !mpy || !path)
        return -1;
    path->u.l.items[0] = py_str(vm, "");
    path->u.l.items[1] = py_str(vm, "/rom");
    path->u.l.items[2] = py_str(vm, "/rom/lib");
    if (!path->u.l.items[0] || !path->u.l.items[1] || !path->u.l.items[2])
        return -1;
    if (py_set_attr(vm, impl, "name", name) || py_set_attr(vm, impl, "version", ver) ||
        py_set_attr(vm, impl, "_machine", mach) || py_set_attr(vm, impl, "_mpy", mpy) ||
        py_set_attr(vm, m, "implementation", impl) || py_set_attr(vm, m, "path", path))
        return -1;
    py_obj *plat = py_str(vm, "simboard"), *bo = py_str(vm, "little");
    py_obj *version = py_str(vm, "3.4.0; MicroPython v1.25.0 (mpromfs simulated board)");
    if (!plat || !bo || !version || py_set_attr(vm, m, "platform", plat) ||
        py_set_attr(vm, m, "byteorder", bo) || py_set_attr(vm, m, "version", version) ||
        add_int(vm, m, "maxsize", INT64_MAX))
        return -1;
    return 0;
}

static int build_module(py_vm_t *vm, const char *name, py_obj **out)
{
    py_caps *c = &vm->cfg.caps;
    py_obj *m = py_module(vm, name);
    if (!m)
        return -1;
    if (strcmp(name, "vfs") == 0) {
        static const fn_def f[] = {{"mount", vfs_mount}, {"umount", vfs_umount}, {"VfsRom", vfs_VfsRom}};
        static const fn_def rom[] = {{"rom_ioctl", vfs_rom_ioctl}};
        if (add_funcs(vm, m, f, 3) || (c->romfs && add_funcs(vm, m, rom, 1)))
            return -1;
    } else if (strcmp(name, "uctypes") == 0 && c->uctypes) {
        static const fn_def f[] = {{"addressof", uctypes_addressof}};
        if (add_funcs(vm, m, f, 1))
            return -1;
    } else if (strcmp(name, "binascii") == 0) {
        static const fn_def f[] = {
            {"a2b_base64", binascii_a2b_base64}, {"b2a_base64", binascii_b2a_base64},
            {"hexlify", binascii_hexlify}, {"unhexlify", binascii_unhexlify},
            {"crc32", binascii_crc32},
        };
        if (add_funcs(vm, m, f, 5))
            return -1;
    } else if (strcmp(name, "hashlib") == 0 && c->hashlib) {
        static const fn_def f[] = {{"sha256", hashlib_sha256}};
        if (add_funcs(vm, m, f, 1))
            return -1;
    } else if (strcmp(name, "deflate") == 0 && c->deflate) {
        static const fn_def f[] = {{"DeflateIO", deflate_DeflateIO}};
        if (add_funcs(vm, m, f, 1) || add_int(vm, m, "AUTO", DEFLATE_AUTO) ||
            add_int(vm, m, "RAW", DEFLATE_RAW) || add_int(vm, m, "ZLIB", DEFLATE_ZLIB) ||
            add_int(vm, m, "GZIP", DEFLATE_GZIP))
            return -1;
    } else if (strcmp(name, "io") == 0) {
        static const fn_def f[] = {{"BytesIO", io_BytesIO}};
        if (add_funcs(vm, m, f, 1))
            return -1;
    } else if (strcmp(name, "gc") == 0) {
        static const fn_def f[] = {{"mem_free", gc_mem_free}, {"mem_alloc", gc_mem_alloc},
                                   {"collect", gc_collect}};
        if (add_funcs(vm, m, f, 3))
            return -1;
    } else if (strcmp(name, "os") == 0) {
        if (py_os_module(vm, m))
            return -1;
    } else if (strcmp(name, "sys") == 0) {
        if (build_sys(vm, m))
            return -1;
    } else {
        return 1;
    }
    *out = m;
    return 0;
}

int py_import(py_vm_t *vm, const char *name, py_obj **ret)
{
    for (size_t i = 0; i < vm->nmodules; i++)
        if (strcmp(vm->modules[i].name, name) == 0) {
            *ret = vm->modules[i].val;
            return 0;
        }
    /* MicroPython still answers to the old u-prefixed names (ubinascii, uio, ...) */
    const char *real = name;
    if (name[0] == 'u' && strcmp(name, "uctypes") != 0)
        real = name + 1;
    py_obj *m = NULL;
    int rc = build_module(vm, real, &m);
    if (rc > 0 && real != name)
        rc = build_module(vm, name, &m);
    if (rc > 0)
        return py_raise(vm, E_ImportError, "no module named '%s'", name);
    if (rc < 0)
        return -1;
    if (vm->nmodules == vm->modules_cap) {
        size_t ncap = vm->modules_cap ? vm->modules_cap * 2 : 16;
        py_attr *a = realloc(vm->modules, ncap * sizeof *a);
        if (!a)
            return py_raise_nomem(vm, ncap * sizeof *a);
        vm->modules = a;
        vm->modules_cap = ncap;
    }
    char *n = strdup(name);
    if (!n)
        return py_raise_nomem(vm, strlen(name));
    vm->modules[vm->nmodules].name = n;
    vm->modules[vm->nmodules].val = m;
    vm->nmodules++;
    *ret = m;
    return 0;
}

/* Methods of the objects above; 1 when o has no such attribute. */
int py_module_method(py_vm_t *vm, py_obj *o, const char *name, py_obj **ret);
int py_module_method(py_vm_t *vm, py_obj *o, const char *name, py_obj **ret)
{
    static const struct {
        uint8_t type;
        fn_def def;
    } table[] = {
        {T_PARTITION, {"ioctl", part_ioctl}},
        {T_PARTITION, {"readblocks", part_readblocks}},
        {T_PARTITION, {"writeblocks", part_writeblocks}},
        {T_HASH, {"update", hash_update_m}},
        {T_HASH, {"digest", hash_digest}},
        {T_BYTESIO, {"read", bytesio_read}},
        {T_BYTESIO, {"write", bytesio_write}},
        {T_BYTESIO, {"getvalue", bytesio_getvalue}},
        {T_BYTESIO, {"seek", bytesio_seek}},
        {T_DEFLATEIO, {"read", deflate_read}},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].type == o->type && strcmp(table[i].def.name, name) == 0) {
            *ret = py_func(vm, table[i].def.name, table[i].def.fn, o);
            return *ret ? 0 : -1;
        }
    return 1;
}
