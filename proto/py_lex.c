/* Tokenizer for the subset: names, keywords, integers, string and bytes literals,
 * operators, and Python's indentation as INDENT/DEDENT tokens. Literals are decoded
 * here (escapes), so the parser sees plain bytes. Floats, f-strings and other things
 * the board does not do are reported as NotImplementedError, garbage as SyntaxError. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "py_int.h"

#define MAX_INDENT_LEVELS 64

struct py_arena_chunk {
    struct py_arena_chunk *next;
    size_t size, used;
    _Alignas(max_align_t) unsigned char data[];
};

void *py_arena_alloc(py_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n > a->limit || a->used > a->limit - n)
        return NULL;
    struct py_arena_chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > 65536 ? n : 65536;
        c = malloc(sizeof *c + size);
        if (!c)
            return NULL;
        c->size = size;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    a->used += n;
    return p;
}

void py_arena_free(py_arena *a)
{
    while (a->head) {
        struct py_arena_chunk *c = a->head;
        a->head = c->next;
        free(c);
    }
    a->used = 0;
}

static const char *const keywords[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
    "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
    "try", "while", "with", "yield", NULL,
};

/* longest first so that "//=" wins over "//" and "/" */
static const char *const operators[] = {
    "**=", "//=", "<<=", ">>=", "...", "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "->",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", ":=", "+", "-", "*", "/", "%",
    "&", "|", "^", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "@",
    "=", NULL,
};

typedef struct lexer {
    py_vm_t *vm;
    py_arena *a;
    const char *p, *end;
    int line;
    int brackets;
    py_toks *out;
} lexer;

static int syntax(lexer *lx, const char *msg)
{
    lx->vm->cur_line = lx->line;
    return py_raise(lx->vm, E_SyntaxError, "%s", msg);
}

static int push(lexer *lx, py_tok_kind kind, const char *s, size_t len, int64_t ival)
{
    py_toks *t = lx->out;
    if (t->n == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 256;
        py_tok *v = py_arena_alloc(lx->a, ncap * sizeof *v);
        if (!v)
            return py_raise_nomem(lx->vm, ncap * sizeof *v);
        if (t->n)
            memcpy(v, t->v, t->n * sizeof *v);
        t->v = v;
        t->cap = ncap;
    }
    t->v[t->n++] = (py_tok){.kind = (uint8_t)kind, .line = lx->line, .s = s, .len = len,
                            .ival = ival};
    return 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int lex_string(lexer *lx, bool is_bytes, bool raw)
{
    char q = *lx->p;
    bool triple = lx->end - lx->p >= 3 && lx->p[1] == q && lx->p[2] == q;
    lx->p += triple ? 3 : 1;
    const char *start = lx->p;
    /* decoded text is never longer than the source text */
    size_t max = (size_t)(lx->end - start);
    char *buf = py_arena_alloc(lx->a, max + 1);
    if (!buf)
        return py_raise_nomem(lx->vm, max + 1);
    size_t n = 0;
    for (;;) {
        if (lx->p >= lx->end)
            return syntax(lx, "unterminated string");
        char c = *lx->p;
        if (c == q && (!triple || (lx->end - lx->p >= 3 && lx->p[1] == q && lx->p[2] == q))) {
            lx->p += triple ? 3 : 1;
            break;
        }
        if ((c == '\n' || c == '\r') && !triple)
            return syntax(lx, "unterminated string");
        if (c == '\n')
            lx->line++;
        if (c != '\\' || raw) {
            if (is_bytes && (unsigned char)c >= 0x80)
                return syntax(lx, "bytes can only contain ASCII literal characters");
            buf[n++] = c;
            lx->p++;
            continue;
        }
        if (lx->end - lx->p < 2)
            return syntax(lx, "unterminated string");
        char e = lx->p[1];
        lx->p += 2;
        switch (e) {
        case 'n': buf[n++] = '\n'; break;
        case 'r': buf[n++] = '\r'; break;
        case 't': buf[n++] = '\t'; break;
        case 'a': buf[n++] = '\a'; break;
        case 'b': buf[n++] = '\b'; break;
        case 'f': buf[n++] = '\f'; break;
        case 'v': buf[n++] = '\v'; break;
        case '\\': case '\'': case '"': buf[n++] = e; break;
        case '\n': lx->line++; break;
        case 'x': {
            int h = lx->end - lx->p >= 2 ? hexval(lx->p[0]) : -1;
            int l = h >= 0 ? hexval(lx->p[1]) : -1;
            if (h < 0 || l < 0)
                return syntax(lx, "invalid \\x escape");
            unsigned v = (unsigned)(h * 16 + l);
            if (!is_bytes && v >= 0x80) {
                /* a str holds the code point as UTF-8 */
                buf[n++] = (char)(0xc0 | (v >> 6));
                buf[n++] = (char)(0x80 | (v & 0x3f));
            } else {
                buf[n++] = (char)v;
            }
            lx->p += 2;
            break;
        }
        default:
            if (e >= '0' && e <= '7') {
                unsigned v = (unsigned)(e - '0');
                for (int k = 0; k < 2 && lx->p < lx->end && *lx->p >= '0' && *lx->p <= '7'; k++)
                    v = v * 8 + (unsigned)(*lx->p++ - '0');
                if (v > 255)
                    return syntax(lx, "octal escape out of range");
                buf[n++] = (char)v;
            } else {
                /* unknown escapes stay as written, as in Python */
                buf[n++] = '\\';
                buf[n++] = e;
            }
            break;
        }
    }
    buf[n] = 0;
    return push(lx, is_bytes ? K_BYTES : K_STR, buf, n, 0);
}

static int lex_number(lexer *lx)
{
    const char *s = lx->p;
    int base = 10;
    if (s[0] == '0' && lx->end - s > 1) {
        char b = (char)tolower((unsigned char)s[1]);
        base = b == 'x' ? 16 : b == 'o' ? 8 : b == 'b' ? 2 : 10;
        if (base != 10)
            s += 2;
    }
    uint64_t v = 0;
    bool any = false, overflow = false;
    const char *q = s;
    for (; q < lx->end; q++) {
        if (*q == '_')
            continue;
        int d = hexval(*q);
        if (d < 0 || d >= base)
            break;
        any = true;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            overflow = true;
        else
            v = v * (uint64_t)base + (uint64_t)d;
    }
    if (q < lx->end && (*q == '.' || *q == 'e' || *q == 'E' || *q == 'j' || *q == 'J') &&
        base == 10) {
        lx->vm->cur_line = lx->line;
        return py_raise(lx->vm, E_NotImplementedError,
                        "floating-point numbers are not supported by this simulated board");
    }
    if (!any || (q < lx->end && (isalnum((unsigned char)*q) || *q == '_')))
        return syntax(lx, "invalid syntax for number");
    /* INT64_MIN is reachable as -(2**63), so the literal may be one past INT64_MAX */
    if (overflow || v > (uint64_t)INT64_MAX + 1) {
        lx->vm->cur_line = lx->line;
        return py_raise(lx->vm, E_OverflowError,
                        "int literal too big for this simulated board (64-bit ints)");
    }
    lx->p = q;
    return push(lx, K_INT, NULL, 0, (int64_t)v);
}

int py_lex(py_vm_t *vm, py_arena *a, const char *src, size_t len, py_toks *out)
{
    lexer lx = {.vm = vm, .a = a, .p = src, .end = src + len, .line = 1, .out = out};
    int indents[MAX_INDENT_LEVELS + 1] = {0};
    int nind = 0;
    bool at_line_start = true;
    memset(out, 0, sizeof *out);

    while (lx.p < lx.end) {
        if (at_line_start && lx.brackets == 0) {
            /* measure indentation; blank and comment-only lines do not count */
            int col = 0;
            const char *q = lx.p;
            while (q < lx.end && (*q == ' ' || *q == '\t' || *q == '\f')) {
                col = *q == '\t' ? (col / 8 + 1) * 8 : col + 1;
                q++;
            }
            if (q >= lx.end || *q == '\n' || *q == '\r' || *q == '#') {
                while (q < lx.end && *q != '\n' && *q != '\r')
                    q++;
                if (q < lx.end) {
                    if (*q == '\r' && q + 1 < lx.end && q[1] == '\n')
                        q++;
                    q++;
                    lx.line++;
                }
                lx.p = q;
                continue;
            }
            lx.p = q;
            at_line_start = false;
            if (col > indents[nind]) {
                if (nind == MAX_INDENT_LEVELS) {
                    lx.vm->cur_line = lx.line;
                    return py_raise(vm, E_MemoryError, "too many nested blocks");
                }
                indents[++nind] = col;
                if (push(&lx, K_INDENT, NULL, 0, 0))
                    return -1;
            } else {
                while (col < indents[nind]) {
                    nind--;
                    if (push(&lx, K_DEDENT, NULL, 0, 0))
                        return -1;
                }
                if (col != indents[nind]) {
                    lx.vm->cur_line = lx.line;
                    return py_raise(vm, E_IndentationError,
                                    "unindent doesn't match any outer indent level");
                }
            }
        }
        char c = *lx.p;
        if (c == ' ' || c == '\t' || c == '\f') {
            lx.p++;
            continue;
        }
        if (c == '#') {
            while (lx.p < lx.end && *lx.p != '\n' && *lx.p != '\r')
                lx.p++;
            continue;
        }
        if (c == '\\' && lx.end - lx.p >= 2 && (lx.p[1] == '\n' || lx.p[1] == '\r')) {
            lx.p += 2;
            if (lx.p[-1] == '\r' && lx.p < lx.end && *lx.p == '\n')
                lx.p++;
            lx.line++;
            continue;
        }
        if (c == '\n' || c == '\r') {
            lx.p++;
            if (c == '\r' && lx.p < lx.end && *lx.p == '\n')
                lx.p++;
            if (lx.brackets == 0) {
                if (push(&lx, K_NEWLINE, NULL, 0, 0))
                    return -1;
                at_line_start = true;
            }
            lx.line++;
            continue;
        }
        if (isalpha((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80) {
            const char *s = lx.p;
            while (lx.p < lx.end && (isalnum((unsigned char)*lx.p) || *lx.p == '_' ||
                                     (unsigned char)*lx.p >= 0x80))
                lx.p++;
            size_t n = (size_t)(lx.p - s);
            if (lx.p < lx.end && (*lx.p == '\'' || *lx.p == '"') && n <= 2) {
                bool b = false, r = false, f = false, other = false;
                for (size_t i = 0; i < n; i++) {
                    char k = (char)tolower((unsigned char)s[i]);
                    if (k == 'b') b = true;
                    else if (k == 'r') r = true;
                    else if (k == 'f') f = true;
                    else other = true;
                }
                if (f) {
                    lx.vm->cur_line = lx.line;
                    return py_raise(vm, E_NotImplementedError,
                                    "f-strings are not supported by this simulated board");
                }
                if (!other) {
                    if (lex_string(&lx, b, r)) /* lx.p is at the quote */
                        return -1;
                    continue;
                }
            }
            bool kw = false;
            for (int i = 0; keywords[i]; i++)
                if (strlen(keywords[i]) == n && memcmp(keywords[i], s, n) == 0)
                    kw = true;
            if (push(&lx, kw ? K_KEYWORD : K_NAME, s, n, 0))
                return -1;
            continue;
        }
        if (isdigit((unsigned char)c) ||
            (c == '.' && lx.end - lx.p > 1 && isdigit((unsigned char)lx.p[1]))) {
            if (c == '.') {
                lx.vm->cur_line = lx.line;
                return py_raise(vm, E_NotImplementedError,
                                "floating-point numbers are not supported by this simulated board");
            }
            if (lex_number(&lx))
                return -1;
            continue;
        }
        if (c == '\'' || c == '"') {
            if (lex_string(&lx, false, false))
                return -1;
            continue;
        }
        bool matched = false;
        for (int i = 0; operators[i]; i++) {
            size_t n = strlen(operators[i]);
            if ((size_t)(lx.end - lx.p) >= n && memcmp(lx.p, operators[i], n) == 0) {
                if (c == '(' || c == '[' || c == '{') {
                    if (++lx.brackets > (int)vm->cfg.limits.max_depth) {
                        lx.vm->cur_line = lx.line;
                        return py_raise(vm, E_MemoryError, "too deeply nested brackets");
                    }
                } else if (c == ')' || c == ']' || c == '}') {
                    if (lx.brackets > 0)
                        lx.brackets--;
                }
                if (push(&lx, K_OP, lx.p, n, 0))
                    return -1;
                lx.p += n;
                matched = true;
                break;
            }
        }
        if (!matched)
            return syntax(&lx, "invalid syntax");
    }
    if (lx.brackets)
        return syntax(&lx, "invalid syntax");
    if (out->n && out->v[out->n - 1].kind != K_NEWLINE && out->v[out->n - 1].kind != K_DEDENT)
        if (push(&lx, K_NEWLINE, NULL, 0, 0))
            return -1;
    while (nind > 0) {
        nind--;
        if (push(&lx, K_DEDENT, NULL, 0, 0))
            return -1;
    }
    return push(&lx, K_END, NULL, 0, 0);
}
