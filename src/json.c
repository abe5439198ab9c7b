#include "json.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *s;
    size_t len, i;
    unsigned line, col;
    mr_err *err;
} parser;

static int fail_at(parser *p, const char *what)
{
    return mr_fail(p->err, "line %u, column %u: %s", p->line, p->col, what);
}

static void advance(parser *p)
{
    if (p->s[p->i] == '\n') {
        p->line++;
        p->col = 1;
    } else {
        p->col++;
    }
    p->i++;
}

static void skip_ws(parser *p)
{
    while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r'))
        advance(p);
}

static bool literal(parser *p, const char *word)
{
    size_t n = strlen(word);
    if (p->len - p->i < n || memcmp(p->s + p->i, word, n) != 0)
        return false;
    for (size_t k = 0; k < n; k++)
        advance(p);
    return true;
}

static int hex4(parser *p, unsigned *out)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        if (p->i >= p->len)
            return fail_at(p, "unterminated \\u escape");
        char c = p->s[p->i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return fail_at(p, "bad \\u escape");
        v = v * 16 + d;
        advance(p);
    }
    *out = v;
    return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xc0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Length of a valid UTF-8 sequence starting at s (at most n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80)
        return 1;
    size_t k;
    unsigned cp;
    if ((s[0] & 0xe0) == 0xc0) {
        k = 2;
        cp = s[0] & 0x1f;
    } else if ((s[0] & 0xf0) == 0xe0) {
        k = 3;
        cp = s[0] & 0x0f;
    } else if ((s[0] & 0xf8) == 0xf0) {
        k = 4;
        cp = s[0] & 0x07;
    } else {
        return 0;
    }
    if (n < k)
        return 0;
    for (size_t j = 1; j < k; j++) {
        if ((s[j] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[j] & 0x3f);
    }
    static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[k] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return k;
}

static int parse_string(parser *p, char **out, size_t *outlen)
{
    advance(p); /* opening quote */
    /* decoded is never longer than the source text */
    size_t start = p->i;
    size_t end = start;
    while (end < p->len && p->s[end] != '"') {
        if (p->s[end] == '\\')
            end++;
        end++;
    }
    char *buf = malloc(end - start + 1);
    if (!buf)
        return mr_fail(p->err, "out of memory");
    size_t n = 0;
    for (;;) {
        if (p->i >= p->len) {
            free(buf);
            return fail_at(p, "unterminated string");
        }
        unsigned char c = (unsigned char)p->s[p->i];
        if (c == '"') {
            advance(p);
            break;
        }
        if (c < 0x20) {
            free(buf);
            return fail_at(p, "control character in a string (escape it)");
        }
        if (c == '\\') {
            advance(p);
            if (p->i >= p->len) {
                free(buf);
                return fail_at(p, "unterminated string");
            }
            char e = p->s[p->i];
            const char *map = "\"\"\\\\//b\bf\fn\nr\rt\t";
            const char *m = NULL;
            for (const char *q = map; *q; q += 2)
                if (*q == e)
                    m = q;
            if (m) {
                buf[n++] = m[1];
                advance(p);
            } else if (e == 'u') {
                advance(p);
                unsigned cp;
                if (hex4(p, &cp)) {
                    free(buf);
                    return -1;
                }
                if (cp >= 0xd800 && cp <= 0xdbff) {
                    unsigned lo;
                    if (!literal(p, "\\u")) {
                        free(buf);
                        return fail_at(p, "unpaired UTF-16 surrogate");
                    }
                    if (hex4(p, &lo)) {
                        free(buf);
                        return -1;
                    }
                    if (lo < 0xdc00 || lo > 0xdfff) {
                        free(buf);
                        return fail_at(p, "unpaired UTF-16 surrogate");
                    }
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                    free(buf);
                    return fail_at(p, "unpaired UTF-16 surrogate");
                }
                if (cp == 0) {
                    free(buf);
                    return fail_at(p, "NUL character in a string");
                }
                n += put_utf8(buf + n, cp);
            } else {
                free(buf);
                return fail_at(p, "unknown escape in a string");
            }
            continue;
        }
        size_t k = utf8_len((const unsigned char *)p->s + p->i, p->len - p->i);
        if (k == 0) {
            free(buf);
            return fail_at(p, "invalid UTF-8 in a string");
        }
        for (size_t j = 0; j < k; j++) {
            buf[n++] = p->s[p->i];
            advance(p);
        }
    }
    buf[n] = '\0';
    *out = buf;
    *outlen = n;
    return 0;
}

static int parse_number(parser *p, mr_json *v)
{
    size_t start = p->i;
    const char *s = p->s;
    size_t i = p->i;
    if (i < p->len && s[i] == '-')
        i++;
    if (i < p->len && s[i] == '0') {
        i++;
    } else if (i < p->len && s[i] >= '1' && s[i] <= '9') {
        while (i < p->len && s[i] >= '0' && s[i] <= '9')
            i++;
    } else {
        return fail_at(p, "bad number");
    }
    if (i < p->len && s[i] == '.') {
        i++;
        if (i >= p->len || s[i] < '0' || s[i] > '9')
            return fail_at(p, "bad number");
        while (i < p->len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i < p->len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < p->len && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= p->len || s[i] < '0' || s[i] > '9')
            return fail_at(p, "bad number");
        while (i < p->len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i - start > 64)
        return fail_at(p, "number longer than 64 characters");
    v->type = MR_JSON_NUMBER;
    v->str = strndup(s + start, i - start);
    if (!v->str)
        return mr_fail(p->err, "out of memory");
    v->len = i - start;
    while (p->i < i)
        advance(p);
    return 0;
}

static int parse_value(parser *p, mr_json *v, unsigned depth);

static int push(mr_json *v, mr_err *err)
{
    if ((v->n & (v->n - 1)) == 0 || v->n == 0) { /* grow at powers of two */
        size_t cap = v->n ? v->n * 2 : 4;
        mr_json *items = realloc(v->items, cap * sizeof *items);
        if (!items)
            return mr_fail(err, "out of memory");
        v->items = items;
        if (v->type == MR_JSON_OBJECT) {
            char **keys = realloc(v->keys, cap * sizeof *keys);
            if (!keys)
                return mr_fail(err, "out of memory");
            v->keys = keys;
        }
    }
    memset(&v->items[v->n], 0, sizeof v->items[v->n]);
    if (v->type == MR_JSON_OBJECT)
        v->keys[v->n] = NULL;
    v->n++;
    return 0;
}

static int parse_container(parser *p, mr_json *v, unsigned depth, bool object)
{
    v->type = object ? MR_JSON_OBJECT : MR_JSON_ARRAY;
    if (depth >= MR_JSON_MAX_DEPTH)
        return fail_at(p, "nested too deeply");
    advance(p);
    skip_ws(p);
    char close = object ? '}' : ']';
    if (p->i < p->len && p->s[p->i] == close) {
        advance(p);
        return 0;
    }
    for (;;) {
        skip_ws(p);
        if (push(v, p->err))
            return -1;
        if (object) {
            if (p->i >= p->len || p->s[p->i] != '"')
                return fail_at(p, "expected a \"key\"");
            unsigned kl = p->line, kc = p->col;
            size_t klen;
            if (parse_string(p, &v->keys[v->n - 1], &klen))
                return -1;
            for (size_t k = 0; k + 1 < v->n; k++)
                if (strcmp(v->keys[k], v->keys[v->n - 1]) == 0)
                    return mr_fail(p->err, "line %u, column %u: duplicate key \"%.64s\"", kl, kc, v->keys[k]);
            skip_ws(p);
            if (p->i >= p->len || p->s[p->i] != ':')
                return fail_at(p, "expected ':' after the key");
            advance(p);
        }
        if (parse_value(p, &v->items[v->n - 1], depth + 1))
            return -1;
        skip_ws(p);
        if (p->i < p->len && p->s[p->i] == ',') {
            advance(p);
            continue;
        }
        if (p->i < p->len && p->s[p->i] == close) {
            advance(p);
            return 0;
        }
        return fail_at(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static int parse_value(parser *p, mr_json *v, unsigned depth)
{
    skip_ws(p);
    v->line = p->line;
    v->col = p->col;
    if (p->i >= p->len)
        return fail_at(p, "unexpected end of input");
    char c = p->s[p->i];
    if (c == '{' || c == '[')
        return parse_container(p, v, depth, c == '{');
    if (c == '"') {
        v->type = MR_JSON_STRING;
        return parse_string(p, &v->str, &v->len);
    }
    if (c == '-' || (c >= '0' && c <= '9'))
        return parse_number(p, v);
    if (literal(p, "true")) {
        v->type = MR_JSON_BOOL;
        v->boolean = true;
        return 0;
    }
    if (literal(p, "false")) {
        v->type = MR_JSON_BOOL;
        return 0;
    }
    if (literal(p, "null")) {
        v->type = MR_JSON_NULL;
        return 0;
    }
    return fail_at(p, "expected a value");
}

int mr_json_parse(mr_json *out, const char *text, size_t len, mr_err *err)
{
    memset(out, 0, sizeof *out);
    if (len > MR_JSON_MAX_INPUT)
        return mr_fail(err, "JSON text larger than %u bytes", MR_JSON_MAX_INPUT);
    parser p = {.s = text, .len = len, .line = 1, .col = 1, .err = err};
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        p.i = 3; /* a UTF-8 byte order mark, as some editors write */
    if (parse_value(&p, out, 0)) {
        mr_json_free(out);
        return -1;
    }
    skip_ws(&p);
    if (p.i != len) {
        fail_at(&p, "unexpected text after the JSON value");
        mr_json_free(out);
        return -1;
    }
    return 0;
}

void mr_json_free(mr_json *v)
{
    for (size_t i = 0; i < v->n; i++) {
        mr_json_free(&v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
    memset(v, 0, sizeof *v);
}

const mr_json *mr_json_get(const mr_json *v, const char *key)
{
    if (!v || v->type != MR_JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < v->n; i++)
        if (v->keys[i] && strcmp(v->keys[i], key) == 0)
            return &v->items[i];
    return NULL;
}

int mr_json_u64(const mr_json *v, uint64_t *out)
{
    if (!v || v->type != MR_JSON_NUMBER || v->str[0] == '-')
        return -1;
    uint64_t x = 0;
    for (const char *c = v->str; *c; c++) {
        if (*c < '0' || *c > '9')
            return -1;
        if (x > (UINT64_MAX - (uint64_t)(*c - '0')) / 10)
            return -1;
        x = x * 10 + (uint64_t)(*c - '0');
    }
    *out = x;
    return 0;
}

const char *mr_json_type_name(mr_json_type t)
{
    static const char *const names[] = {"null", "a boolean", "a number", "a string", "an array", "an object"};
    return names[t];
}
