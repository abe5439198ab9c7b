/* What is mounted at /rom, and the os module's view of it (listdir, ilistdir, stat),
 * read from the flash through the image reader of src/image.h. The board mounts
 * partition 0 at boot when it holds a valid image, as MicroPython's ports do. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "py_int.h"

#define S_IFDIR_MP 0x4000
#define S_IFREG_MP 0x8000

/* Does the range hold a ROMFS header whose payload fits? Sets *image_size. */
static int probe(py_vm_t *vm, unsigned part, uint64_t off, uint64_t len, uint64_t *image_size,
                 bool *ok)
{
    uint8_t h[16];
    size_t n = len < sizeof h ? (size_t)len : sizeof h;
    *ok = false;
    if (n < 4)
        return 0;
    if (py_board_read(vm, part, off, h, n))
        return -1;
    if (h[0] != 0xd2 || h[1] != 0xcd || h[2] != 0x31)
        return 0;
    uint64_t v = 0;
    for (size_t i = 3; i < n && i < 13; i++) {
        v = (v << 7) | (h[i] & 0x7f);
        if (!(h[i] & 0x80)) {
            if (v <= len - (i + 1)) {
                *image_size = i + 1 + v;
                *ok = true;
            }
            return 0;
        }
    }
    return 0;
}

void py_rom_boot_mount(py_vm_t *vm)
{
    vm->rom_part = -1;
    py_part info;
    uint64_t size;
    bool ok = false;
    if (!vm->cfg.caps.romfs || py_board_count(vm) < 1 || vm->cfg.board->info(vm->cfg.board_ctx, 0, &info))
        return;
    if (probe(vm, 0, 0, info.size, &size, &ok) || !ok) {
        vm->exc = E_NONE; /* a board that fails to mount /rom boots anyway */
        return;
    }
    vm->rom_part = 0;
    vm->rom_off = 0;
    vm->rom_len = info.size;
}

int py_rom_check(py_vm_t *vm, unsigned part, uint64_t off, uint64_t len, bool *ok)
{
    uint64_t size;
    return probe(vm, part, off, len, &size, ok);
}

/* ---- the mounted image ------------------------------------------------------------ */
typedef struct rom_image {
    mr_image img;
    uint8_t *bytes;
} rom_image;

static int load_image(py_vm_t *vm, rom_image *ri)
{
    memset(ri, 0, sizeof *ri);
    uint64_t size;
    bool ok;
    if (vm->rom_part < 0)
        return py_raise_errno(vm, ENOENT);
    if (probe(vm, (unsigned)vm->rom_part, vm->rom_off, vm->rom_len, &size, &ok))
        return -1;
    if (!ok)
        return py_raise_errno(vm, EIO); /* erased or overwritten under the mount */
    if (size > vm->cfg.limits.max_alloc)
        return py_raise_nomem(vm, (size_t)size);
    ri->bytes = py_malloc(vm, (size_t)size);
    if (!ri->bytes)
        return -1;
    if (py_board_read(vm, (unsigned)vm->rom_part, vm->rom_off, ri->bytes, (size_t)size)) {
        free(ri->bytes);
        return -1;
    }
    mr_err err;
    if (mr_image_parse(&ri->img, ri->bytes, (size_t)size, &err)) {
        free(ri->bytes);
        return py_raise_errno(vm, EIO);
    }
    return 0;
}

static void free_image(rom_image *ri)
{
    mr_image_free(&ri->img);
    free(ri->bytes);
}

/* "/rom/a/b" -> "a/b"; NULL when the path is not under /rom. "/" is the VFS root. */
static const char *rom_relative(const char *path)
{
    if (strncmp(path, "/rom", 4) != 0 || (path[4] && path[4] != '/'))
        return NULL;
    path += 4;
    while (*path == '/')
        path++;
    return path;
}

static int path_arg(py_vm_t *vm, int argc, py_obj **argv, const char **path)
{
    *path = "/";
    if (argc == 0)
        return 0;
    if (argv[0]->type != T_STR)
        return py_raise(vm, E_TypeError, "path must be a str");
    *path = (const char *)argv[0]->u.b.data;
    if (strlen(*path) != argv[0]->u.b.len)
        return py_raise(vm, E_ValueError, "embedded null character");
    return 0;
}

static py_obj *entry_tuple(py_vm_t *vm, const char *name, size_t namelen, bool dir, uint64_t size,
                           bool full)
{
    py_obj *t = py_seq(vm, T_TUPLE, full ? 4 : 2);
    if (!t)
        return NULL;
    t->u.l.items[0] = py_bytes(vm, T_STR, name, namelen);
    t->u.l.items[1] = py_int(vm, dir ? S_IFDIR_MP : S_IFREG_MP);
    if (full) {
        t->u.l.items[2] = py_int(vm, 0);
        t->u.l.items[3] = py_int(vm, (int64_t)size);
    }
    for (size_t i = 0; i < t->u.l.len; i++)
        if (!t->u.l.items[i])
            return NULL;
    return t;
}

/* The entries of a directory: names only, or ilistdir's (name, type, inode, size). */
static int list(py_vm_t *vm, const char *path, bool tuples, py_obj **ret)
{
    py_obj *out = py_seq(vm, T_LIST, 0);
    if (!out)
        return -1;
    if (strcmp(path, "/") == 0 || strcmp(path, "") == 0) {
        if (vm->rom_part >= 0) {
            py_obj *e = tuples ? entry_tuple(vm, "rom", 3, true, 0, true) : py_str(vm, "rom");
            if (!e || py_list_append(vm, out, e))
                return -1;
        }
        *ret = out;
        return 0;
    }
    const char *rel = rom_relative(path);
    if (!rel)
        return py_raise_errno(vm, ENOENT);
    rom_image ri;
    if (load_image(vm, &ri))
        return -1;
    size_t parent = MR_NO_PARENT;
    int rc = 0;
    if (*rel) {
        const mr_entry *d = mr_image_find(&ri.img, rel);
        if (!d)
            rc = py_raise_errno(vm, ENOENT);
        else if (d->type != MR_ENTRY_DIR)
            rc = py_raise_errno(vm, ENOTDIR);
        else
            parent = (size_t)(d - ri.img.entries);
    }
    for (size_t i = 0; rc == 0 && i < ri.img.count; i++) {
        const mr_entry *e = &ri.img.entries[i];
        if (e->parent != parent)
            continue;
        bool dir = e->type == MR_ENTRY_DIR;
        py_obj *item = tuples ? entry_tuple(vm, e->name, strlen(e->name), dir, dir ? 0 : e->size, true)
                              : py_str(vm, e->name);
        if (!item || py_list_append(vm, out, item))
            rc = -1;
    }
    free_image(&ri);
    if (rc)
        return -1;
    *ret = out;
    return 0;
}

#define NATIVE(name) static int name(py_vm_t *vm, py_obj *self, int argc, py_obj **argv, \
                                     int nkw, const char **kwn, py_obj **kwv, py_obj **ret)
#define UNUSED (void)self, (void)kwn, (void)kwv

NATIVE(os_listdir)
{
    UNUSED;
    const char *path;
    if (py_check_args(vm, "listdir", argc, 0, 1, nkw) || path_arg(vm, argc, argv, &path))
        return -1;
    return list(vm, path, false, ret);
}

NATIVE(os_ilistdir)
{
    UNUSED;
    const char *path;
    if (py_check_args(vm, "ilistdir", argc, 0, 1, nkw) || path_arg(vm, argc, argv, &path))
        return -1;
    py_obj *l;
    if (list(vm, path, true, &l))
        return -1;
    return py_iter(vm, l, ret);
}

NATIVE(os_stat)
{
    UNUSED;
    const char *path;
    if (py_check_args(vm, "stat", argc, 1, 1, nkw) || path_arg(vm, argc, argv, &path))
        return -1;
    bool dir = true;
    uint64_t size = 0;
    const char *rel = rom_relative(path);
    if (strcmp(path, "/") != 0) {
        if (!rel || vm->rom_part < 0)
            return py_raise_errno(vm, ENOENT);
        if (*rel) {
            rom_image ri;
            if (load_image(vm, &ri))
                return -1;
            const mr_entry *e = mr_image_find(&ri.img, rel);
            if (e) {
                dir = e->type == MR_ENTRY_DIR;
                size = dir ? 0 : e->size;
            }
            free_image(&ri);
            if (!e)
                return py_raise_errno(vm, ENOENT);
        }
    }
    py_obj *t = py_seq(vm, T_TUPLE, 10);
    if (!t)
        return -1;
    for (int i = 0; i < 10; i++) {
        int64_t v = i == 0 ? (dir ? S_IFDIR_MP : S_IFREG_MP) : i == 6 ? (int64_t)size : 0;
        if (!(t->u.l.items[i] = py_int(vm, v)))
            return -1;
    }
    *ret = t;
    return 0;
}

NATIVE(os_getcwd)
{
    UNUSED;
    (void)argv;
    if (py_check_args(vm, "getcwd", argc, 0, 0, nkw))
        return -1;
    *ret = py_str(vm, "/");
    return *ret ? 0 : -1;
}

int py_os_module(py_vm_t *vm, py_obj *m)
{
    static const struct {
        const char *name;
        py_native fn;
    } f[] = {{"listdir", os_listdir}, {"ilistdir", os_ilistdir}, {"stat", os_stat},
             {"getcwd", os_getcwd}};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        py_obj *fn = py_func(vm, f[i].name, f[i].fn, NULL);
        if (!fn || py_set_attr(vm, m, f[i].name, fn))
            return -1;
    }
    py_obj *sep = py_str(vm, "/");
    return (!sep || py_set_attr(vm, m, "sep", sep)) ? -1 : 0;
}
