/* Opening a serial board: resolve the name, enter the raw REPL, learn what the
 * firmware offers (one program), and describe partitions on demand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ports.h"
#include "serial_priv.h"
#include "varuint.h"

static int sb_count(mr_device *dev, unsigned *n, mr_err *err)
{
    (void)err;
    *n = board_of(dev)->nparts;
    return 0;
}

static int sb_caps(mr_device *dev, mr_dev_caps *caps, mr_err *err)
{
    (void)err;
    *caps = board_of(dev)->caps;
    caps->raw_paste = board_of(dev)->repl.try_raw_paste;
    return 0;
}

/* Does the partition start with a ROMFS header whose payload fits? */
static void probe_image(mr_part_info *pi)
{
    pi->has_image = false;
    pi->image_size = 0;
    if (pi->head[0] != 0xd2 || pi->head[1] != 0xcd || pi->head[2] != 0x31)
        return;
    uint64_t len;
    size_t used;
    if (mr_varuint_decode(pi->head + 3, sizeof pi->head - 3, &len, &used) != MR_VARUINT_OK)
        return;
    uint64_t header = 3 + used;
    if (len > pi->size || header + len > pi->size)
        return;
    pi->has_image = true;
    pi->image_size = header + len;
}

static int want_int(const mr_value *v, const char *what, int64_t lo, int64_t hi, int64_t *out,
                    mr_err *err)
{
    if (v->type != MR_V_INT)
        return mr_fail(err, "unexpected reply from the board: %s is %s, not an int", what,
                       mr_vtype_name(v->type));
    if (v->i < lo || v->i > hi)
        return mr_fail(err, "unexpected reply from the board: %s is %lld", what, (long long)v->i);
    *out = v->i;
    return 0;
}

int sb_fetch_info(mr_device *dev, unsigned part, mr_err *err)
{
    serial_board *b = board_of(dev);
    if (part >= b->nparts)
        return mr_fail(err, "partition %u does not exist: the board has %u ROMFS partition%s (0-%u)",
                       part, b->nparts, b->nparts == 1 ? "" : "s", b->nparts - 1);
    prog p;
    prog_init(&p);
    prog_add(&p,
             "d=vfs.rom_ioctl(2,%u)\n"
             "if isinstance(d,int):\n"
             " print(repr((d,)))\n"
             "else:\n"
             " m=memoryview(d)\n"
             " a=-1\n"
             " try:\n"
             "  a=uctypes.addressof(d)\n"
             " except:\n"
             "  pass\n"
             " if hasattr(d,'ioctl'):\n"
             "  print(repr((1,d.ioctl(4,0),d.ioctl(5,0),a,bytes(m[:16]))))\n"
             " else:\n"
             "  print(repr((0,len(d),vfs.rom_ioctl(6,%u),a,bytes(m[:16]))))\n",
             part, part);
    b->cur_part = -1;
    mr_value v;
    int rc = sb_eval(dev, &p, 0, 512, &v, err);
    prog_free(&p);
    if (rc != 0)
        return mr_wrap(err, "ROMFS partition %u", part);
    serial_part *sp = &b->parts[part];
    mr_part_info *pi = &sp->info;
    memset(pi, 0, sizeof *pi);
    pi->index = part;
    int64_t style, n1, n2, addr;
    if (v.type != MR_V_TUPLE || (v.n != 1 && v.n != 5)) {
        mr_value_free(&v);
        return mr_fail(err, "ROMFS partition %u: unexpected reply from the board", part);
    }
    if (v.n == 1) {
        int64_t e = 0;
        char t[40] = "";
        if (v.items[0].type == MR_V_INT)
            e = v.items[0].i;
        sb_errno_text((long)e, t, sizeof t);
        mr_value_free(&v);
        return mr_fail(err, "ROMFS partition %u: the board answered vfs.rom_ioctl(2,%u) with %s",
                       part, part, t);
    }
    if (want_int(&v.items[0], "the partition style", 0, 1, &style, err) != 0 ||
        want_int(&v.items[1], "the partition size", 1, INT64_MAX, &n1, err) != 0 ||
        want_int(&v.items[2], "the erase unit", INT32_MIN, INT32_MAX, &n2, err) != 0 ||
        want_int(&v.items[3], "the base address", -1, INT64_MAX, &addr, err) != 0 ||
        v.items[4].type != MR_V_BYTES) {
        mr_value_free(&v);
        if (!err->msg[0])
            mr_fail(err, "unexpected reply from the board");
        return mr_wrap(err, "ROMFS partition %u", part);
    }
    pi->block_device = style == 1;
    if (pi->block_device) {
        /* n1 blocks of n2 bytes each */
        if (n2 <= 0 || n1 > (int64_t)(UINT64_C(1) << 40) / n2) {
            mr_value_free(&v);
            return mr_fail(err, "ROMFS partition %u: the board reports %lld blocks of %lld bytes",
                           part, (long long)n1, (long long)n2);
        }
        pi->size = (uint64_t)(n1 * n2);
        pi->erase_unit = (uint32_t)n2;
        /* A block device does not say; rp2 programs whole 256-byte flash pages
         * (esp32 takes anything), so writes aligned to 256 suit every port. */
        pi->write_min = pi->erase_unit < 256 ? pi->erase_unit : 256;
        sp->write_min_known = true;
    } else {
        pi->size = (uint64_t)n1;
        /* <= 0: the board knows no smaller unit, so the whole partition is one */
        pi->erase_unit = n2 > 0 && (uint64_t)n2 <= pi->size ? (uint32_t)n2
                         : pi->size > UINT32_MAX           ? UINT32_MAX
                                                           : (uint32_t)pi->size;
        /* Only an erase tells the real size (op 3 answers it); until then assume
         * 16, the largest ports use: writes aligned to 16 suit 4 and 1 as well. */
        pi->write_min = sp->write_min_known ? sp->write_min : 16;
        if (pi->write_min > pi->erase_unit)
            pi->write_min = pi->erase_unit;
    }
    pi->base_known = addr >= 0;
    pi->base = addr >= 0 ? (uint64_t)addr : 0;
    pi->writable = !sp->read_only; /* until the board refuses: never erased to find out */
    size_t hl = v.items[4].len < sizeof pi->head ? v.items[4].len : sizeof pi->head;
    memset(pi->head, 0xff, sizeof pi->head);
    memcpy(pi->head, v.items[4].data, hl);
    mr_value_free(&v);
    probe_image(pi);
    sp->known = true;
    b->cur_part = (int)part;
    if (!b->uctypes && !b->warned_uctypes) {
        mr_device_warn(dev, "this firmware has no uctypes module: base addresses are "
                            "unknown and shown as 0");
        b->warned_uctypes = true;
    }
    return 0;
}

static int sb_info(mr_device *dev, unsigned part, mr_part_info *out, mr_err *err)
{
    serial_board *b = board_of(dev);
    if (part >= b->nparts)
        return sb_fetch_info(dev, part, err); /* composes the out-of-range message */
    if (!b->parts[part].known && sb_fetch_info(dev, part, err) != 0)
        return -1;
    *out = b->parts[part].info;
    return 0;
}

static void sb_close(mr_device *dev)
{
    serial_board *b = board_of(dev);
    if (b) {
        if (b->t) {
            mr_rawrepl_leave(&b->repl);
            mr_transport_close(b->t);
        }
        free(b);
    }
    dev->impl = NULL; /* mr_device_close frees dev itself */
}

static const struct mr_device_ops serial_ops = {
    .count = sb_count,
    .info = sb_info,
    .caps = sb_caps,
    .read = sb_read,
    .erase = sb_erase,
    .write = sb_write,
    .complete = sb_complete,
    .hash = sb_hash,
    .reset_and_list = sb_reset_and_list,
    .close = sb_close,
};

/* What the firmware offers, learned in one program; every probe is guarded so
 * a missing module answers 0 instead of raising. */
static const char setup_program[] =
    "import vfs\n"
    "r=hasattr(vfs,'rom_ioctl')\n"
    "n=0\n"
    "if r:\n"
    " n=vfs.rom_ioctl(1)\n"
    "h=0\n"
    "try:\n"
    " from hashlib import sha256\n"
    " h=1\n"
    "except:\n"
    " pass\n"
    "c=0\n"
    "try:\n"
    " from binascii import crc32\n"
    " c=1\n"
    "except:\n"
    " pass\n"
    "b=0\n"
    "try:\n"
    " from binascii import a2b_base64,b2a_base64\n"
    " b=1\n"
    "except:\n"
    " pass\n"
    "z=0\n"
    "try:\n"
    " from io import BytesIO\n"
    " from deflate import DeflateIO,RAW\n"
    " z=1\n"
    "except:\n"
    " pass\n"
    "u=0\n"
    "try:\n"
    " import uctypes\n"
    " u=1\n"
    "except:\n"
    " pass\n"
    "g=0\n"
    "try:\n"
    " import gc\n"
    " gc.collect()\n"
    " g=gc.mem_free()\n"
    "except:\n"
    " pass\n"
    "l=0\n"
    "try:\n"
    " import os\n"
    " l=1\n"
    " if hasattr(os,'ilistdir'):\n"
    "  l=2\n"
    "except:\n"
    " pass\n"
    "print(repr((r,n,h,c,b,z,hasattr(bytes,'fromhex'),u,g,l)))\n";

int sb_setup(mr_device *dev, mr_err *err)
{
    serial_board *b = board_of(dev);
    prog p;
    prog_init(&p);
    prog_add(&p, "%s", setup_program);
    mr_value v;
    int rc = sb_eval(dev, &p, 0, 512, &v, err);
    prog_free(&p);
    if (rc != 0)
        return mr_wrap(err, "%s: while asking the board what it supports", b->t->path);
    if (v.type != MR_V_TUPLE || v.n != 10) {
        mr_value_free(&v);
        return mr_fail(err, "%s: unexpected reply from the board to the setup program", b->t->path);
    }
    int64_t f[10];
    for (size_t i = 0; i < 10; i++) {
        const mr_value *it = &v.items[i];
        if (it->type != MR_V_INT && it->type != MR_V_BOOL) {
            mr_value_free(&v);
            return mr_fail(err, "%s: unexpected reply from the board to the setup program",
                           b->t->path);
        }
        f[i] = it->i;
    }
    mr_value_free(&v);
    if (!f[0])
        return mr_fail(err, "ROMFS is not enabled in this firmware (%s has no vfs.rom_ioctl)",
                       b->t->path);
    if (f[1] <= 0)
        return mr_fail(err, "%s has no ROMFS partitions (vfs.rom_ioctl(1) answered %lld)",
                       b->t->path, (long long)f[1]);
    if (f[1] > MR_MAX_PARTITIONS)
        return mr_fail(err, "%s reports %lld ROMFS partitions; at most %d are supported",
                       b->t->path, (long long)f[1], MR_MAX_PARTITIONS);
    b->nparts = (unsigned)f[1];
    b->caps.sha256 = f[2] != 0;
    b->caps.crc32 = f[3] != 0;
    b->caps.base64 = f[4] != 0;
    b->caps.deflate = f[5] != 0 && b->caps.base64;
    b->fromhex = f[6] != 0;
    b->uctypes = f[7] != 0;
    b->caps.mem_free = f[8] > 0 && f[8] < UINT32_MAX ? (uint32_t)f[8] : 0;
    b->listdir = f[9] >= 1;
    b->ilistdir = f[9] >= 2;
    b->caps.baud = b->opts.baud;
    return 0;
}

static void describe(mr_device *dev, const char *path)
{
    if (mr_path_is_pty(path)) {
        snprintf(dev->desc, sizeof dev->desc, "%.200s (pseudo-terminal)", path);
        return;
    }
    mr_port *ports = NULL;
    size_t n = 0;
    mr_err ignored;
    snprintf(dev->desc, sizeof dev->desc, "%s", path);
    if (mr_ports_list(&ports, &n, &ignored) != 0)
        return;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(ports[i].path, path) != 0 || !ports[i].usb)
            continue;
        const char *kind = mr_usb_id_kind(ports[i].vid, ports[i].pid);
        snprintf(dev->desc, sizeof dev->desc, "%.150s (%.60s%s%04x:%04x)", path,
                 ports[i].product[0] ? ports[i].product : (kind ? kind : ""),
                 ports[i].product[0] || kind ? ", " : "", ports[i].vid, ports[i].pid);
    }
    free(ports);
}

int mr_serial_open(const char *name, const mr_open_opts *opts, mr_device **out, mr_err *err)
{
    *out = NULL;
    mr_open_opts o = {.timeout_ms = 5000};
    if (opts)
        o = *opts;
    if (!o.timeout_ms)
        o.timeout_ms = 5000;
    char path[256];
    uint32_t baud = 0;
    mr_port *ports = NULL;
    size_t np = 0;
    /* Only names that refer to a port list need one. */
    if ((strcmp(name, "auto") == 0 || strncmp(name, "id:", 3) == 0) &&
        mr_ports_list(&ports, &np, err) != 0)
        return -1;
    int rc = mr_port_resolve(name, ports, np, path, sizeof path, &baud, err);
    free(ports);
    if (rc != 0)
        return -1;
    if (!baud)
        baud = o.baud ? o.baud : 115200;
    o.baud = baud;

    mr_device *dev = calloc(1, sizeof *dev);
    serial_board *b = calloc(1, sizeof *b);
    if (!dev || !b) {
        free(dev);
        free(b);
        return mr_fail(err, "out of memory");
    }
    dev->ops = &serial_ops;
    dev->impl = b;
    snprintf(dev->name, sizeof dev->name, "%s", name);
    b->opts = o;
    b->baud = baud;
    b->cur_part = -1;
    if (mr_transport_open(path, baud, o.verbose, &b->t, err) != 0) {
        sb_close(dev);
        free(dev);
        return -1;
    }
    mr_rawrepl_init(&b->repl, b->t, o.timeout_ms);
    describe(dev, path);
    if (mr_rawrepl_enter(&b->repl, o.soft_reset, err) != 0 || sb_setup(dev, err) != 0) {
        sb_close(dev);
        free(dev);
        return -1;
    }
    *out = dev;
    return 0;
}
