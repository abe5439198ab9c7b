/* See repr.h. Recursive descent over a bounded buffer. */
#include <stdlib.h>
#include <string.h>

#include "rawrepl_frame.h"
#include "repr.h"

#include "base64.h"

typedef struct {
    const char *s;
    size_t len, pos;
    mr_err *err;
} parser;

const char *mr_vtype_name(mr_vtype t)
{
    switch (t) {
    case MR_V_NONE: return "None";
    case MR_V_BOOL: return "a bool";
    case MR_V_INT: return "an int";
    case MR_V_BYTES: return "bytes";
    case MR_V_STR: return "a string";
    case MR_V_TUPLE: return "a tuple";
    case MR_V_LIST: return "a list";
    }
    return "?";
}

void mr_value_free(mr_value *v)
{
    if (!v)
        return;
    for (size_t k = 0; k < v->n; k++)
        mr_value_free(&v->items[k]);
    free(v->items);
    free(v->data);
    memset(v, 0, sizeof *v);
}

static int fail_at(parser *p, const char *what)
{
    char shown[100];
    size_t from = p->pos > 20 ? p->pos - 20 : 0;
    mr_escape_bytes((const uint8_t *)p->s + from, p->len - from < 60 ? p->len - from : 60, shown,
                    sizeof shown);
    return mr_fail(p->err, "unexpected reply from the board: %s at character %zu of \"%s\"", what,
                   p->pos, shown);
}

static void skip_ws(parser *p)
{
    while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\r' ||
                               p->s[p->pos] == '\n' || p->s[p->pos] == '\t'))
        p->pos++;
}

static bool take_word(parser *p, const char *w)
{
    size_t l = strlen(w);
    if (p->len - p->pos < l || memcmp(p->s + p->pos, w, l) != 0)
        return false;
    /* "Trueish" is not True */
    if (p->pos + l < p->len) {
        char c = p->s[p->pos + l];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
            return false;
    }
    p->pos += l;
    return true;
}

static int parse_int(parser *p, mr_value *v)
{
    bool neg = false;
    if (p->s[p->pos] == '-') {
        neg = true;
        p->pos++;
    }
    if (p->pos >= p->len || p->s[p->pos] < '0' || p->s[p->pos] > '9')
        return fail_at(p, "a digit expected");
    uint64_t mag = 0;
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
    while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') {
        unsigned d = (unsigned)(p->s[p->pos] - '0');
        if (mag > (limit - d) / 10)
            return fail_at(p, "an integer too large for 64 bits");
        mag = mag * 10 + d;
        p->pos++;
    }
    v->type = MR_V_INT;
    v->i = neg ? (mag == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)mag) : (int64_t)mag;
    return 0;
}

/* b'..', b"..", '..', "..": the escapes MicroPython prints (\\ \' \" \n \r \t \xNN),
 * plus \0 \a \b \f \v and (strings only) \uXXXX for CPython-style peers. */
static int parse_quoted(parser *p, mr_value *v, bool is_bytes)
{
    char q = p->s[p->pos++];
    size_t start = p->pos;
    /* The decoded form is never longer than the text. */
    size_t end = start;
    while (end < p->len && p->s[end] != q) {
        if (p->s[end] == '\\')
            end++;
        end++;
    }
    if (end >= p->len)
        return fail_at(p, "an unterminated quoted value");
    uint8_t *out = malloc(end - start + 1);
    if (!out)
        return mr_fail(p->err, "out of memory");
    size_t o = 0;
    while (p->pos < end) {
        unsigned char c = (unsigned char)p->s[p->pos];
        if (c == '\n' || c == '\r') {
            free(out);
            return fail_at(p, "a line break inside a quoted value");
        }
        if (is_bytes && c >= 0x80) {
            free(out);
            return fail_at(p, "a non-ASCII character inside bytes");
        }
        if (c != '\\') {
            out[o++] = c;
            p->pos++;
            continue;
        }
        char e = p->s[p->pos + 1]; /* exists: the scan above stopped past it */
        p->pos += 2;
        switch (e) {
        case '\\': out[o++] = '\\'; break;
        case '\'': out[o++] = '\''; break;
        case '"': out[o++] = '"'; break;
        case 'n': out[o++] = '\n'; break;
        case 'r': out[o++] = '\r'; break;
        case 't': out[o++] = '\t'; break;
        case '0': out[o++] = 0; break;
        case 'a': out[o++] = 7; break;
        case 'b': out[o++] = 8; break;
        case 'f': out[o++] = 12; break;
        case 'v': out[o++] = 11; break;
        case 'x': {
            int h = p->pos + 1 < end ? mr_hex_digit(p->s[p->pos]) : -1;
            int l = h >= 0 ? mr_hex_digit(p->s[p->pos + 1]) : -1;
            if (h < 0 || l < 0) {
                free(out);
                return fail_at(p, "a bad \\x escape");
            }
            uint8_t b = (uint8_t)(h * 16 + l);
            p->pos += 2;
            if (!is_bytes && b >= 0x80) {
                /* a string's \x80-\xff is a code point: write it as UTF-8 */
                out[o++] = (uint8_t)(0xc0 | (b >> 6));
                out[o++] = (uint8_t)(0x80 | (b & 0x3f));
            } else {
                out[o++] = b;
            }
            break;
        }
        default:
            free(out);
            p->pos -= 2;
            return fail_at(p, "an unknown escape");
        }
    }
    p->pos = end + 1;
    out[o] = 0;
    v->type = is_bytes ? MR_V_BYTES : MR_V_STR;
    v->data = out;
    v->len = o;
    return 0;
}

static int parse_value(parser *p, mr_value *v, unsigned depth);

static int parse_seq(parser *p, mr_value *v, unsigned depth)
{
    char open = p->s[p->pos++];
    char close = open == '(' ? ')' : ']';
    v->type = open == '(' ? MR_V_TUPLE : MR_V_LIST;
    size_t cap = 0;
    bool trailing_comma = false;
    for (;;) {
        skip_ws(p);
        if (p->pos >= p->len)
            return fail_at(p, "an unterminated tuple or list");
        if (p->s[p->pos] == close) {
            p->pos++;
            break;
        }
        if (v->n && !trailing_comma)
            return fail_at(p, "',' expected");
        if (v->n >= MR_REPR_MAX_ITEMS)
            return fail_at(p, "too many items");
        if (v->n == cap) {
            size_t nc = cap ? cap * 2 : 4;
            mr_value *ni = realloc(v->items, nc * sizeof *ni);
            if (!ni)
                return mr_fail(p->err, "out of memory");
            v->items = ni;
            cap = nc;
        }
        memset(&v->items[v->n], 0, sizeof v->items[0]);
        v->n++;
        if (parse_value(p, &v->items[v->n - 1], depth + 1) != 0)
            return -1;
        skip_ws(p);
        trailing_comma = false;
        if (p->pos < p->len && p->s[p->pos] == ',') {
            p->pos++;
            trailing_comma = true;
        }
    }
    /* (x) is not a tuple: Python prints one-element tuples as (x,) */
    if (v->type == MR_V_TUPLE && v->n == 1 && !trailing_comma) {
        p->pos--;
        return fail_at(p, "a parenthesised value that is not a tuple");
    }
    return 0;
}

static int parse_value(parser *p, mr_value *v, unsigned depth)
{
    if (depth > MR_REPR_MAX_DEPTH)
        return fail_at(p, "values nested too deeply");
    skip_ws(p);
    if (p->pos >= p->len)
        return fail_at(p, "nothing where a value was expected");
    char c = p->s[p->pos];
    if (c == '-' || (c >= '0' && c <= '9'))
        return parse_int(p, v);
    if (c == 'b' && p->pos + 1 < p->len && (p->s[p->pos + 1] == '\'' || p->s[p->pos + 1] == '"')) {
        p->pos++;
        return parse_quoted(p, v, true);
    }
    if (c == '\'' || c == '"')
        return parse_quoted(p, v, false);
    if (c == '(' || c == '[')
        return parse_seq(p, v, depth);
    if (take_word(p, "True")) {
        v->type = MR_V_BOOL;
        v->i = 1;
        return 0;
    }
    if (take_word(p, "False")) {
        v->type = MR_V_BOOL;
        v->i = 0;
        return 0;
    }
    if (take_word(p, "None")) {
        v->type = MR_V_NONE;
        return 0;
    }
    return fail_at(p, "a value of a kind mpromfs does not expect");
}

int mr_repr_parse(const char *text, size_t len, mr_value *out, mr_err *err)
{
    memset(out, 0, sizeof *out);
    parser p = {text, len, 0, err};
    if (len > MR_REPR_MAX_LEN)
        return mr_fail(err, "unexpected reply from the board: %zu bytes where a short value was expected",
                       len);
    if (parse_value(&p, out, 0) != 0) {
        mr_value_free(out);
        return -1;
    }
    skip_ws(&p);
    if (p.pos != len) {
        fail_at(&p, "more text after the value");
        mr_value_free(out);
        return -1;
    }
    return 0;
}

static int want_type(const char *text, size_t len, mr_vtype t, mr_value *v, mr_err *err)
{
    if (mr_repr_parse(text, len, v, err) != 0)
        return -1;
    if (v->type != t) {
        char shown[100];
        mr_escape_bytes((const uint8_t *)text, len, shown, sizeof shown);
        mr_fail(err, "unexpected reply from the board: \"%s\" is %s where %s was expected", shown,
                mr_vtype_name(v->type), mr_vtype_name(t));
        mr_value_free(v);
        return -1;
    }
    return 0;
}

int mr_repr_int(const char *text, size_t len, int64_t *out, mr_err *err)
{
    mr_value v;
    if (want_type(text, len, MR_V_INT, &v, err) != 0)
        return -1;
    *out = v.i;
    mr_value_free(&v);
    return 0;
}

int mr_repr_bool(const char *text, size_t len, bool *out, mr_err *err)
{
    mr_value v;
    if (want_type(text, len, MR_V_BOOL, &v, err) != 0)
        return -1;
    *out = v.i != 0;
    mr_value_free(&v);
    return 0;
}
