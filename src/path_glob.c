#include "path_glob.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef enum { TOK_CHAR, TOK_ONE, TOK_CLASS, TOK_STAR, TOK_ANY, TOK_DIRS } tok_kind;

struct mr_glob_tok {
    tok_kind kind;
    unsigned char c;     /* TOK_CHAR */
    bool negate;         /* TOK_CLASS */
    uint8_t set[32];     /* TOK_CLASS: bit per byte value */
};

static void set_bit(uint8_t *set, unsigned c) { set[c >> 3] |= (uint8_t)(1u << (c & 7)); }
static bool has_bit(const uint8_t *set, unsigned c) { return set[c >> 3] & (1u << (c & 7)); }

/* Parse "[...]" starting at p[*i] == '['; advances *i past ']'. */
static int parse_class(const char *p, size_t *i, mr_glob_tok *t, mr_err *err)
{
    size_t start = *i;
    size_t j = start + 1;
    memset(t, 0, sizeof *t);
    t->kind = TOK_CLASS;
    if (p[j] == '!' || p[j] == '^') {
        t->negate = true;
        j++;
    }
    bool first = true;
    for (;;) {
        unsigned char c = (unsigned char)p[j];
        if (c == '\0')
            return mr_fail(err, "bad glob '%s': '[' at position %zu has no closing ']'", p, start + 1);
        if (c == ']' && !first)
            break;
        first = false;
        if (c == '\\') {
            c = (unsigned char)p[++j];
            if (c == '\0')
                return mr_fail(err, "bad glob '%s': '\\' at the end", p);
        }
        if (c == '/')
            return mr_fail(err, "bad glob '%s': '/' cannot be inside [...]", p);
        j++;
        if (p[j] == '-' && p[j + 1] != ']' && p[j + 1] != '\0') {
            unsigned char hi = (unsigned char)p[j + 1];
            j += 2;
            if (hi == '\\') {
                hi = (unsigned char)p[j];
                if (hi == '\0')
                    return mr_fail(err, "bad glob '%s': '\\' at the end", p);
                j++;
            }
            if (hi < c)
                return mr_fail(err, "bad glob '%s': range %c-%c is backwards", p, c, hi);
            for (unsigned v = c; v <= hi; v++)
                set_bit(t->set, v);
        } else {
            set_bit(t->set, c);
        }
    }
    *i = j + 1;
    return 0;
}

int mr_glob_compile(mr_glob *g, const char *pattern, mr_err *err)
{
    memset(g, 0, sizeof *g);
    size_t len = strlen(pattern);
    if (len == 0)
        return mr_fail(err, "empty glob");
    if (len > MR_GLOB_MAX)
        return mr_fail(err, "glob longer than %d bytes", MR_GLOB_MAX);
    const char *p = pattern;
    if (*p == '/')
        p++;
    if (*p == '\0')
        return mr_fail(err, "bad glob '%s': matches no file", pattern);
    g->basename_only = strchr(p, '/') == NULL;
    g->toks = calloc(strlen(p) + 1, sizeof *g->toks);
    if (!g->toks)
        return mr_fail(err, "out of memory");
    size_t i = 0;
    while (p[i]) {
        mr_glob_tok *t = &g->toks[g->ntoks];
        memset(t, 0, sizeof *t);
        char c = p[i];
        if (c == '*') {
            size_t n = 0;
            while (p[i + n] == '*')
                n++;
            if (n > 2) {
                mr_glob_free(g);
                return mr_fail(err, "bad glob '%s': more than two '*' in a row", pattern);
            }
            bool whole = (i == 0 || p[i - 1] == '/') && (p[i + n] == '/' || p[i + n] == '\0');
            if (n == 2 && !whole) {
                mr_glob_free(g);
                return mr_fail(err, "bad glob '%s': '**' must be a whole path component (as in 'a/**/b')", pattern);
            }
            if (n == 2 && p[i + n] == '/') {
                t->kind = TOK_DIRS; /* "**" "/": zero or more whole directories */
                i += 3;
            } else {
                t->kind = n == 2 ? TOK_ANY : TOK_STAR;
                i += n;
            }
        } else if (c == '?') {
            t->kind = TOK_ONE;
            i++;
        } else if (c == '[') {
            if (parse_class(p, &i, t, err) != 0) {
                mr_glob_free(g);
                return -1;
            }
        } else if (c == '\\') {
            if (p[i + 1] == '\0') {
                mr_glob_free(g);
                return mr_fail(err, "bad glob '%s': '\\' at the end", pattern);
            }
            t->kind = TOK_CHAR;
            t->c = (unsigned char)p[i + 1];
            i += 2;
        } else {
            t->kind = TOK_CHAR;
            t->c = (unsigned char)c;
            i++;
        }
        g->ntoks++;
    }
    return 0;
}

void mr_glob_free(mr_glob *g)
{
    free(g->toks);
    g->toks = NULL;
    g->ntoks = 0;
}

static bool tok_takes(const mr_glob_tok *t, unsigned char c)
{
    switch (t->kind) {
    case TOK_CHAR: return c == t->c;
    case TOK_ONE: return c != '/';
    case TOK_CLASS: return c != '/' && (has_bit(t->set, c) != t->negate);
    default: return false;
    }
}

/* reach[s]: the tokens so far can match exactly path[0..s). One pass per token. */
static bool match_from(const mr_glob *g, const char *s, size_t n, bool *reach, bool *next)
{
    memset(reach, 0, (n + 1) * sizeof *reach);
    reach[0] = true;
    for (size_t k = 0; k < g->ntoks; k++) {
        const mr_glob_tok *t = &g->toks[k];
        memset(next, 0, (n + 1) * sizeof *next);
        bool any = false;
        if (t->kind == TOK_STAR || t->kind == TOK_ANY) {
            bool run = false; /* some earlier position reaches here through the star */
            for (size_t i = 0; i <= n; i++) {
                if (reach[i])
                    run = true;
                next[i] = run;
                if (i < n && t->kind == TOK_STAR && s[i] == '/')
                    run = false;
            }
        } else if (t->kind == TOK_DIRS) {
            bool run = false; /* reached, and still inside the directories being eaten */
            for (size_t i = 0; i <= n; i++) {
                if (reach[i]) {
                    next[i] = true;
                    run = true;
                }
                if (i < n && run && s[i] == '/')
                    next[i + 1] = true;
            }
        } else {
            for (size_t i = 0; i < n; i++)
                if (reach[i] && tok_takes(t, (unsigned char)s[i]))
                    next[i + 1] = true;
        }
        for (size_t i = 0; i <= n; i++)
            any |= next[i];
        memcpy(reach, next, (n + 1) * sizeof *reach);
        if (!any)
            return false;
    }
    return reach[n];
}

bool mr_glob_match(const mr_glob *g, const char *path)
{
    if (!g->toks)
        return false;
    if (*path == '/')
        path++;
    const char *s = path;
    if (g->basename_only) {
        const char *slash = strrchr(path, '/');
        if (slash)
            s = slash + 1;
    }
    size_t n = strlen(s);
    bool stack_reach[256], stack_next[256];
    bool *reach = stack_reach, *next = stack_next;
    if (n + 1 > sizeof stack_reach / sizeof stack_reach[0]) {
        reach = malloc((n + 1) * sizeof *reach);
        next = malloc((n + 1) * sizeof *next);
        if (!reach || !next) {
            free(reach);
            free(next);
            return false;
        }
    }
    bool m = match_from(g, s, n, reach, next);
    if (reach != stack_reach) {
        free(reach);
        free(next);
    }
    return m;
}
