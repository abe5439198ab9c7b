/* Soft-reset a serial board and list what it mounted at /rom: the proof that a
 * deployed image is what the firmware itself sees. One program per directory
 * (the board-side subset has no recursion); names from the board are quoted
 * before they go back into a program. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serial_priv.h"

#define LIST_MAX_ENTRIES 100000u
#define LIST_MAX_DEPTH 32u

typedef struct {
    char **paths;
    size_t n, cap;
} path_list;

static int push(path_list *l, const char *s, mr_err *err)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        char **np = realloc(l->paths, nc * sizeof *np);
        if (!np)
            return mr_fail(err, "out of memory");
        l->paths = np;
        l->cap = nc;
    }
    l->paths[l->n] = strdup(s);
    if (!l->paths[l->n])
        return mr_fail(err, "out of memory");
    l->n++;
    return 0;
}

/* A Python string literal body for s: printable ASCII as is, the rest escaped. */
static void add_quoted(prog *p, const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c >= 0x20 && *c < 0x7f && *c != '\'' && *c != '\\')
            prog_add_raw(p, (const char *)c, 1);
        else
            prog_add(p, "\\x%02x", *c);
    }
}

static bool name_ok(const mr_value *v)
{
    if (v->type != MR_V_STR || v->len == 0 || v->len > 255 || memchr(v->data, '/', v->len) ||
        memchr(v->data, 0, v->len))
        return false;
    return strcmp((char *)v->data, ".") != 0 && strcmp((char *)v->data, "..") != 0;
}

static int list_dir(mr_device *dev, const char *rel, unsigned depth, path_list *l, mr_err *err)
{
    serial_board *b = board_of(dev);
    if (depth > LIST_MAX_DEPTH)
        return mr_fail(err, "/rom/%s: directories nested too deeply", rel);
    /* "/rom" or "/rom/lib" (rel is "" or "lib/") */
    size_t rl = strlen(rel);
    char *dir = malloc(rl + 6);
    if (!dir)
        return mr_fail(err, "out of memory");
    snprintf(dir, rl + 6, "/rom%s%.*s", rl ? "/" : "", rl ? (int)(rl - 1) : 0, rel);
    prog p;
    prog_init(&p);
    if (b->ilistdir) {
        prog_add(&p, "print(repr([(e[0],e[1]) for e in os.ilistdir('");
        add_quoted(&p, dir);
        prog_add(&p, "')]))\n");
    } else {
        prog_add(&p, "print(repr([(e,os.stat('");
        add_quoted(&p, dir);
        prog_add(&p, "/'+e)[0]) for e in os.listdir('");
        add_quoted(&p, dir);
        prog_add(&p, "')]))\n");
    }
    free(dir);
    mr_value v;
    int rc = sb_eval(dev, &p, 0, 4u << 20, &v, err);
    prog_free(&p);
    if (rc != 0)
        return mr_wrap(err, "listing /rom/%s on the board", rel);
    if (v.type != MR_V_LIST) {
        mr_value_free(&v);
        return mr_fail(err, "listing /rom/%s: unexpected reply from the board", rel);
    }
    rc = 0;
    for (size_t i = 0; i < v.n && rc == 0; i++) {
        const mr_value *e = &v.items[i];
        if (e->type != MR_V_TUPLE || e->n != 2 || !name_ok(&e->items[0]) ||
            e->items[1].type != MR_V_INT) {
            rc = mr_fail(err, "listing /rom/%s: unexpected entry from the board", rel);
            break;
        }
        if (l->n >= LIST_MAX_ENTRIES) {
            rc = mr_fail(err, "listing /rom: more than %u entries", LIST_MAX_ENTRIES);
            break;
        }
        bool is_dir = (e->items[1].i & 0xf000) == 0x4000;
        size_t need = strlen(rel) + e->items[0].len + 2;
        char *path = malloc(need + 1);
        if (!path) {
            rc = mr_fail(err, "out of memory");
            break;
        }
        snprintf(path, need + 1, "%s%s%s", rel, (char *)e->items[0].data, is_dir ? "/" : "");
        rc = push(l, path, err);
        if (rc == 0 && is_dir)
            rc = list_dir(dev, path, depth + 1, l, err);
        free(path);
    }
    mr_value_free(&v);
    return rc;
}

int sb_reset_and_list(mr_device *dev, char ***paths, size_t *n, mr_err *err)
{
    serial_board *b = board_of(dev);
    *paths = NULL;
    *n = 0;
    if (mr_rawrepl_soft_reset(&b->repl, err) != 0)
        return -1;
    /* The reset cleared the board's globals and remounted /rom. */
    b->cur_part = -1;
    b->unmounted = false;
    if (sb_setup(dev, err) != 0)
        return -1;
    if (!b->listdir)
        return mr_fail(err, "the board has no os module to list /rom with");
    path_list l = {0};
    if (list_dir(dev, "", 0, &l, err) != 0) {
        for (size_t i = 0; i < l.n; i++)
            free(l.paths[i]);
        free(l.paths);
        return -1;
    }
    *paths = l.paths;
    *n = l.n;
    return 0;
}
