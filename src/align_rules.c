#include "align_rules.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mr_align_rules_init(mr_align_rules *r)
{
    memset(r, 0, sizeof *r);
}

void mr_align_rules_free(mr_align_rules *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].pattern);
        mr_glob_free(&r->v[i].glob);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

int mr_align_parse_value(const char *s, size_t len, uint64_t max, uint64_t *out, mr_err *err)
{
    char buf[32];
    if (len == 0)
        return mr_fail(err, "missing alignment value (a power of two, e.g. 16)");
    if (len >= sizeof buf)
        return mr_fail(err, "alignment '%.*s' is not a number", (int)(len > 40 ? 40 : len), s);
    memcpy(buf, s, len);
    buf[len] = '\0';
    uint64_t v = 0;
    size_t i = 0;
    int base = 10;
    if (len > 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) {
        base = 16;
        i = 2;
    }
    for (; i < len; i++) {
        int c = (unsigned char)buf[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (base == 16 && isxdigit(c))
            d = tolower(c) - 'a' + 10;
        else
            return mr_fail(err, "alignment '%s' is not a number", buf);
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            return mr_fail(err, "alignment '%s' is too large (at most %llu)", buf, (unsigned long long)max);
        v = v * (uint64_t)base + (uint64_t)d;
    }
    if (v == 0 || (v & (v - 1)) != 0)
        return mr_fail(err, "alignment %s is not a power of two (1, 2, 4, ... %llu)", buf,
                       (unsigned long long)max);
    if (v > max)
        return mr_fail(err, "alignment %s is larger than %llu", buf, (unsigned long long)max);
    *out = v;
    return 0;
}

int mr_align_rules_add(mr_align_rules *r, const char *pattern, uint64_t align,
                       const char *origin, mr_err *err)
{
    if (r->n >= MR_ALIGN_MAX_RULES)
        return mr_fail(err, "%s: more than %d alignment rules", origin, MR_ALIGN_MAX_RULES);
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        mr_align_rule *v = realloc(r->v, cap * sizeof *v);
        if (!v)
            return mr_fail(err, "out of memory");
        r->v = v;
        r->cap = cap;
    }
    mr_align_rule *rule = &r->v[r->n];
    memset(rule, 0, sizeof *rule);
    if (pattern) {
        if (mr_glob_compile(&rule->glob, pattern, err) != 0)
            return mr_wrap(err, "%s", origin);
        rule->pattern = strdup(pattern);
        if (!rule->pattern) {
            mr_glob_free(&rule->glob);
            return mr_fail(err, "out of memory");
        }
    }
    rule->align = align;
    snprintf(rule->origin, sizeof rule->origin, "%s", origin);
    r->n++;
    return 0;
}

int mr_align_rules_add_arg(mr_align_rules *r, const char *arg, mr_err *err)
{
    char origin[96];
    snprintf(origin, sizeof origin, "--align %.80s", arg);
    const char *eq = strrchr(arg, '=');
    uint64_t align;
    if (!eq) {
        if (mr_align_parse_value(arg, strlen(arg), MR_ALIGN_DEFAULT_MAX, &align, err) != 0)
            return mr_wrap(err, "%s", origin);
        return mr_align_rules_add(r, NULL, align, origin, err);
    }
    if (eq == arg)
        return mr_fail(err, "%s: missing glob before '=' (use --align N for every file)", origin);
    if (mr_align_parse_value(eq + 1, strlen(eq + 1), MR_ALIGN_DEFAULT_MAX, &align, err) != 0)
        return mr_wrap(err, "%s", origin);
    size_t plen = (size_t)(eq - arg);
    if (plen > MR_GLOB_MAX)
        return mr_fail(err, "%s: glob longer than %d bytes", origin, MR_GLOB_MAX);
    char pattern[MR_GLOB_MAX + 1];
    memcpy(pattern, arg, plen);
    pattern[plen] = '\0';
    return mr_align_rules_add(r, pattern, align, origin, err);
}

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* One line of a layout file, without its newline. */
static int parse_line(mr_align_rules *r, const char *origin, const char *s, size_t len, mr_err *err)
{
    size_t i = 0;
    while (i < len && is_blank(s[i]))
        i++;
    if (i == len || s[i] == '#')
        return 0;
    size_t g0 = i;
    while (i < len && !is_blank(s[i]))
        i++;
    size_t glen = i - g0;
    if (memchr(s + g0, '\0', glen))
        return mr_fail(err, "%s: NUL byte in the line", origin);
    if (glen > MR_GLOB_MAX)
        return mr_fail(err, "%s: glob longer than %d bytes", origin, MR_GLOB_MAX);
    char pattern[MR_GLOB_MAX + 1];
    memcpy(pattern, s + g0, glen);
    pattern[glen] = '\0';
    bool have_align = false;
    uint64_t align = 0;
    for (;;) {
        while (i < len && is_blank(s[i]))
            i++;
        if (i == len || s[i] == '#')
            break;
        size_t k0 = i;
        while (i < len && !is_blank(s[i]))
            i++;
        const char *kv = s + k0;
        size_t kvlen = i - k0;
        const char *eq = memchr(kv, '=', kvlen);
        if (!eq)
            return mr_fail(err, "%s: expected KEY=VALUE after the glob, got '%.*s' (format: GLOB align=N)",
                           origin, (int)(kvlen > 40 ? 40 : kvlen), kv);
        size_t klen = (size_t)(eq - kv);
        if (klen != 5 || memcmp(kv, "align", 5) != 0)
            return mr_fail(err, "%s: unknown key '%.*s' (the only key is align=N)", origin,
                           (int)(klen > 40 ? 40 : klen), kv);
        if (have_align)
            return mr_fail(err, "%s: align given twice", origin);
        if (mr_align_parse_value(eq + 1, kvlen - klen - 1, MR_ALIGN_DEFAULT_MAX, &align, err) != 0)
            return mr_wrap(err, "%s", origin);
        have_align = true;
    }
    if (!have_align) {
        if (strchr(pattern, '='))
            return mr_fail(err, "%s: '%s': the glob and align=N must be separated by a space", origin, pattern);
        return mr_fail(err, "%s: '%s' has no align=N", origin, pattern);
    }
    return mr_align_rules_add(r, pattern, align, origin, err);
}

int mr_align_rules_parse_layout(mr_align_rules *r, const char *name, const char *text,
                                size_t len, mr_err *err)
{
    size_t line = 1, start = 0;
    while (start < len) {
        const char *nl = memchr(text + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - text) : len;
        char origin[96];
        snprintf(origin, sizeof origin, "%.80s:%zu", name, line);
        if (parse_line(r, origin, text + start, end - start, err) != 0)
            return -1;
        start = end + 1;
        line++;
    }
    return 0;
}

int mr_align_rules_load_layout(mr_align_rules *r, const char *path, mr_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return mr_fail_errno(err, "cannot open layout file %s", path);
    enum { MAX = 1 << 20 };
    char *buf = malloc(MAX + 1);
    if (!buf) {
        fclose(f);
        return mr_fail(err, "out of memory");
    }
    size_t n = fread(buf, 1, MAX + 1, f);
    int bad = ferror(f);
    fclose(f);
    int rc;
    if (bad)
        rc = mr_fail(err, "cannot read layout file %s", path);
    else if (n > MAX)
        rc = mr_fail(err, "layout file %s is larger than 1 MiB", path);
    else
        rc = mr_align_rules_parse_layout(r, path, buf, n, err);
    free(buf);
    return rc;
}

int mr_align_rules_check_max(const mr_align_rules *r, uint64_t max, const char *what, mr_err *err)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].align > max)
            return mr_fail(err, "%s: alignment %llu is larger than %s (%llu bytes)", r->v[i].origin,
                           (unsigned long long)r->v[i].align, what, (unsigned long long)max);
    return 0;
}

uint64_t mr_align_rules_lookup(const mr_align_rules *r, const char *path, const mr_align_rule **rule)
{
    for (size_t i = r->n; i-- > 0;) {
        const mr_align_rule *x = &r->v[i];
        if (!x->pattern || mr_glob_match(&x->glob, path)) {
            if (rule)
                *rule = x;
            return x->align;
        }
    }
    if (rule)
        *rule = NULL;
    return 1;
}
