#include "model_local.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void tui_local_init(tui_local *m)
{
    memset(m, 0, sizeof *m);
}

static void free_entries(tui_local_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].type);
    }
    free(v);
}

void tui_local_free(tui_local *m)
{
    free_entries(m->v, m->n);
    free(m->dir);
    m->v = NULL;
    m->dir = NULL;
    m->n = 0;
}

tui_mark tui_build_mark(const char *name, bool is_dir, bool is_file, bool sibling_mpy,
                        bool compile_mpy)
{
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p >= 0x7f)
            return TUI_MARK_BADNAME;
    if (!is_dir && !is_file)
        return TUI_MARK_SKIP;
    size_t len = strlen(name);
    if (is_file && compile_mpy && len > 3 && strcmp(name + len - 3, ".py") == 0 && !sibling_mpy)
        return TUI_MARK_MPY;
    return TUI_MARK_NONE;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const tui_local_entry *)a)->name, ((const tui_local_entry *)b)->name);
}

/* ".." first, then directories, then files, each group in the chosen order. */
static int by_order(const void *pa, const void *pb, void *ctx)
{
    const tui_local *m = ctx;
    const tui_local_entry *a = pa, *b = pb;
    if ((a->mark == TUI_MARK_UP) != (b->mark == TUI_MARK_UP))
        return a->mark == TUI_MARK_UP ? -1 : 1;
    if (a->is_dir != b->is_dir)
        return a->is_dir ? -1 : 1;
    int c = 0;
    if (m->sort == TUI_SORT_SIZE && a->size != b->size)
        c = a->size < b->size ? 1 : -1; /* largest first, as ncdu */
    if (c == 0)
        c = strcmp(a->name, b->name);
    return m->reverse ? -c : c;
}

static void sort_entries(tui_local *m)
{
    qsort_r(m->v, m->n, sizeof m->v[0], by_order, m);
}

static int read_dir(const char *dir, bool compile_mpy, tui_local_entry **out, size_t *nout,
                    mr_err *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return mr_fail_errno(err, "cannot open directory %s", dir);
    int dfd = dirfd(d);
    size_t n = 0, cap = 64;
    tui_local_entry *v = calloc(cap, sizeof *v);
    if (!v) {
        closedir(d);
        return mr_fail(err, "out of memory listing %s", dir);
    }
    if (strcmp(dir, "/") != 0) {
        v[0].name = strdup("..");
        v[0].is_dir = true;
        v[0].mark = TUI_MARK_UP;
        v[0].type_done = true;
        if (!v[0].name)
            goto oom;
        n = 1;
    }
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            tui_local_entry *nv = realloc(v, 2 * cap * sizeof *v);
            if (!nv)
                goto oom;
            memset(nv + cap, 0, cap * sizeof *v);
            v = nv;
            cap *= 2;
        }
        tui_local_entry *e = &v[n];
        e->name = strdup(de->d_name);
        if (!e->name)
            goto oom;
        /* follow links, as the build does (os.path.isdir / isfile) */
        struct stat st;
        bool ok = fstatat(dfd, de->d_name, &st, 0) == 0;
        e->is_dir = ok && S_ISDIR(st.st_mode);
        e->size = ok && S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
        e->mark = ok && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) ? TUI_MARK_NONE : TUI_MARK_SKIP;
        if (e->is_dir)
            e->type_done = true;
        n++;
    }
    closedir(d);
    /* marks need the siblings: sort by name, then look NAME.mpy up next to NAME.py */
    qsort(v, n, sizeof v[0], by_name);
    for (size_t i = 0; i < n; i++) {
        tui_local_entry *e = &v[i];
        if (e->mark == TUI_MARK_UP)
            continue;
        bool is_file = e->mark != TUI_MARK_SKIP && !e->is_dir;
        bool sibling = false;
        size_t len = strlen(e->name);
        if (is_file && len > 3 && strcmp(e->name + len - 3, ".py") == 0) {
            char *mpy = malloc(len + 2);
            if (!mpy)
                goto oom_closed;
            memcpy(mpy, e->name, len - 3);
            memcpy(mpy + len - 3, ".mpy", 5);
            tui_local_entry key = {.name = mpy};
            sibling = bsearch(&key, v, n, sizeof v[0], by_name) != NULL;
            free(mpy);
        }
        e->mark = tui_build_mark(e->name, e->is_dir, is_file, sibling, compile_mpy);
    }
    *out = v;
    *nout = n;
    return 0;
oom:
    closedir(d);
oom_closed:
    free_entries(v, cap);
    return mr_fail(err, "out of memory listing %s", dir);
}

int tui_local_open(tui_local *m, const char *dir, mr_err *err)
{
    char *abs = realpath(dir, NULL);
    if (!abs)
        return mr_fail_errno(err, "cannot open directory %s", dir);
    tui_local_entry *v = NULL;
    size_t n = 0;
    if (read_dir(abs, m->compile_mpy, &v, &n, err) < 0) {
        free(abs);
        return -1;
    }
    free_entries(m->v, m->n);
    free(m->dir);
    m->dir = abs;
    m->v = v;
    m->n = n;
    m->nfiles = m->ndirs = 0;
    m->total_bytes = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].mark == TUI_MARK_UP)
            continue;
        if (v[i].is_dir)
            m->ndirs++;
        else
            m->nfiles++;
        m->total_bytes += v[i].size;
    }
    sort_entries(m);
    m->cur.cur = m->cur.top = 0;
    return 0;
}

bool tui_local_select(tui_local *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].name, name) == 0) {
            tui_cursor_set(&m->cur, m->n, i);
            return true;
        }
    return false;
}

int tui_local_reload(tui_local *m, mr_err *err)
{
    if (!m->dir)
        return tui_local_open(m, ".", err);
    const tui_local_entry *e = tui_local_at(m, m->cur.cur);
    char *keep = e ? strdup(e->name) : NULL;
    size_t top = m->cur.top, at = m->cur.cur;
    char *dir = strdup(m->dir);
    int rc = dir ? tui_local_open(m, dir, err) : mr_fail(err, "out of memory");
    free(dir);
    if (rc == 0) {
        m->cur.top = top;
        if (!keep || !tui_local_select(m, keep))
            tui_cursor_set(&m->cur, m->n, at);
    }
    free(keep);
    return rc;
}

int tui_local_up(tui_local *m, mr_err *err)
{
    if (!m->dir || strcmp(m->dir, "/") == 0)
        return 0;
    const char *slash = strrchr(m->dir, '/');
    char *from = strdup(slash + 1);
    char *parent = strndup(m->dir, slash == m->dir ? 1 : (size_t)(slash - m->dir));
    int rc = -1;
    if (!from || !parent)
        mr_fail(err, "out of memory");
    else if (tui_local_open(m, parent, err) == 0) {
        tui_local_select(m, from);
        rc = 1;
    }
    free(from);
    free(parent);
    return rc;
}

int tui_local_enter(tui_local *m, mr_err *err)
{
    const tui_local_entry *e = tui_local_at(m, m->cur.cur);
    if (!e || !e->is_dir)
        return 0;
    if (e->mark == TUI_MARK_UP)
        return tui_local_up(m, err);
    char *path = tui_local_path(m, m->cur.cur);
    if (!path)
        return mr_fail(err, "out of memory");
    int rc = tui_local_open(m, path, err);
    free(path);
    return rc < 0 ? -1 : 1;
}

void tui_local_set_sort(tui_local *m, tui_sort s, bool reverse)
{
    const tui_local_entry *e = tui_local_at(m, m->cur.cur);
    char *keep = e ? strdup(e->name) : NULL;
    m->sort = s;
    m->reverse = reverse;
    sort_entries(m);
    if (keep)
        tui_local_select(m, keep);
    free(keep);
}

const tui_local_entry *tui_local_at(const tui_local *m, size_t i)
{
    return i < m->n ? &m->v[i] : NULL;
}

char *tui_local_path(const tui_local *m, size_t i)
{
    const tui_local_entry *e = tui_local_at(m, i);
    if (!e || e->mark == TUI_MARK_UP || !m->dir)
        return NULL;
    size_t a = strlen(m->dir), b = strlen(e->name);
    char *p = malloc(a + b + 2);
    if (!p)
        return NULL;
    memcpy(p, m->dir, a);
    size_t o = a;
    if (a == 0 || m->dir[a - 1] != '/')
        p[o++] = '/';
    memcpy(p + o, e->name, b + 1);
    return p;
}

const char *tui_local_type(tui_local *m, size_t i)
{
    if (i >= m->n)
        return NULL;
    tui_local_entry *e = &m->v[i];
    if (e->is_dir)
        return e->mark == TUI_MARK_UP ? "" : "directory";
    if (!e->type_done) {
        e->type_done = true;
        if (m->typer) {
            char *p = tui_local_path(m, i);
            if (p)
                e->type = m->typer(m->typer_ctx, p);
            free(p);
        }
    }
    return e->type ? e->type : "";
}

static const char *entry_name(const void *list, size_t i)
{
    return ((const tui_local_entry *)list)[i].name;
}

size_t tui_local_search(const tui_local *m, const char *needle, int dir)
{
    return tui_search(m->v, m->n, entry_name, m->cur.cur, needle, dir);
}
