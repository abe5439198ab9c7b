#include "lines.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void tui_lines_add(tui_lines *l, uint64_t off, const char *fmt, ...)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            l->oom = 1;
            return;
        }
        l->v = v;
        uint64_t *o = realloc(l->off, cap * sizeof *o);
        if (!o) {
            l->oom = 1;
            return;
        }
        l->off = o;
        l->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) {
        l->oom = 1;
        return;
    }
    l->v[l->n] = s;
    l->off[l->n] = off;
    l->n++;
}

void tui_lines_free(tui_lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    free(l->off);
    l->v = NULL;
    l->off = NULL;
    l->n = l->cap = 0;
}

size_t tui_lines_find(const tui_lines *l, uint64_t off)
{
    size_t best = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->off[i] != UINT64_MAX && l->off[i] <= off)
            best = i;
    return best;
}
