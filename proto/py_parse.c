/* Recursive-descent parser from tokens to a syntax tree, following Python's grammar
 * for the subset. Depth is bounded (hostile nesting fails with MemoryError, not a
 * crashed stack); Python statements the board does not run are NotImplementedError
 * naming the statement, anything else malformed is SyntaxError. */
#include <string.h>

#include "py_int.h"

typedef struct parser {
    py_vm_t *vm;
    py_arena *a;
    const py_tok *t;
    size_t n, pos;
    unsigned depth;
} parser;

static py_node *parse_test(parser *p);
static py_node *parse_testlist(parser *p);
static py_node *parse_block(parser *p);
static py_node *parse_or(parser *p);
static py_node *parse_stmt(parser *p);

static const py_tok *cur(parser *p)
{
    return &p->t[p->pos < p->n ? p->pos : p->n - 1];
}

static bool is_op(parser *p, const char *op)
{
    const py_tok *t = cur(p);
    return t->kind == K_OP && t->len == strlen(op) && memcmp(t->s, op, t->len) == 0;
}

static bool is_kw(parser *p, const char *kw)
{
    const py_tok *t = cur(p);
    return t->kind == K_KEYWORD && t->len == strlen(kw) && memcmp(t->s, kw, t->len) == 0;
}

static bool accept_op(parser *p, const char *op)
{
    if (!is_op(p, op))
        return false;
    p->pos++;
    return true;
}

static bool accept_kw(parser *p, const char *kw)
{
    if (!is_kw(p, kw))
        return false;
    p->pos++;
    return true;
}

static py_node *syntax_error(parser *p)
{
    p->vm->cur_line = cur(p)->line;
    py_raise(p->vm, E_SyntaxError, "invalid syntax");
    return NULL;
}

static py_node *not_supported(parser *p, const char *what)
{
    p->vm->cur_line = cur(p)->line;
    py_raise(p->vm, E_NotImplementedError, "%s not supported by this simulated board", what);
    return NULL;
}

static py_node *node(parser *p, py_node_kind kind, int line)
{
    py_node *n = py_arena_alloc(p->a, sizeof *n);
    if (!n) {
        py_raise_nomem(p->vm, sizeof *n);
        return NULL;
    }
    memset(n, 0, sizeof *n);
    n->kind = (uint8_t)kind;
    n->line = line;
    return n;
}

/* Children grow by doubling inside the arena: capacity 4, then 8, 16, ... so a new
 * array is needed exactly when the count reaches 4 or a larger power of two. */
static int add_kid(parser *p, py_node *n, py_node *kid)
{
    if (!kid)
        return -1;
    if (n->nkids == 0 || (n->nkids >= 4 && (n->nkids & (n->nkids - 1)) == 0)) {
        size_t ncap = n->nkids < 4 ? 4 : n->nkids * 2;
        py_node **k = py_arena_alloc(p->a, ncap * sizeof *k);
        if (!k)
            return py_raise_nomem(p->vm, ncap * sizeof *k);
        if (n->nkids)
            memcpy(k, n->kids, n->nkids * sizeof *k);
        n->kids = k;
    }
    n->kids[n->nkids++] = kid;
    return 0;
}

static py_node *binary(parser *p, py_node_kind kind, int op, py_node *l, py_node *r)
{
    if (!l || !r)
        return NULL;
    py_node *n = node(p, kind, l->line);
    if (!n || add_kid(p, n, l) || add_kid(p, n, r))
        return NULL;
    n->op = (uint8_t)op;
    return n;
}

static bool enter(parser *p)
{
    if (++p->depth > p->vm->cfg.limits.max_depth) {
        p->vm->cur_line = cur(p)->line;
        py_raise(p->vm, E_MemoryError, "expression too deeply nested");
        return false;
    }
    return true;
}

/* ---- expressions ---------------------------------------------------------------- */
static py_node *parse_name(parser *p)
{
    const py_tok *t = cur(p);
    if (t->kind != K_NAME)
        return syntax_error(p);
    py_node *n = node(p, N_NAME, t->line);
    if (!n)
        return NULL;
    char *s = py_arena_alloc(p->a, t->len + 1);
    if (!s) {
        py_raise_nomem(p->vm, t->len + 1);
        return NULL;
    }
    memcpy(s, t->s, t->len);
    s[t->len] = 0;
    n->str = s;
    n->slen = t->len;
    p->pos++;
    return n;
}

static py_node *parse_strings(parser *p)
{
    /* adjacent literals concatenate; bytes and str must not mix */
    const py_tok *first = cur(p);
    size_t total = 0, i = p->pos;
    while (i < p->n && p->t[i].kind == first->kind) {
        total += p->t[i].len;
        i++;
    }
    char *buf = py_arena_alloc(p->a, total + 1);
    if (!buf) {
        py_raise_nomem(p->vm, total + 1);
        return NULL;
    }
    size_t off = 0;
    for (; p->pos < i; p->pos++) {
        memcpy(buf + off, p->t[p->pos].s, p->t[p->pos].len);
        off += p->t[p->pos].len;
    }
    buf[off] = 0;
    if (cur(p)->kind == K_STR || cur(p)->kind == K_BYTES)
        return syntax_error(p);
    py_node *n = node(p, first->kind == K_STR ? N_STR : N_BYTES, first->line);
    if (n) {
        n->str = buf;
        n->slen = off;
    }
    return n;
}

/* After '[' test: a list display or a comprehension. */
static py_node *parse_list_rest(parser *p, py_node *first, int line)
{
    if (accept_kw(p, "for")) {
        py_node *lc = node(p, N_LISTCOMP, line);
        py_node *target = parse_name(p);
        if (!lc || !target)
            return NULL;
        if (is_op(p, ","))
            return not_supported(p, "unpacking in a comprehension is");
        if (!accept_kw(p, "in"))
            return syntax_error(p);
        /* or_test, not test: an 'if' here is the comprehension's filter */
        py_node *it = parse_or(p);
        if (add_kid(p, lc, first) || add_kid(p, lc, target) || add_kid(p, lc, it))
            return NULL;
        if (accept_kw(p, "if")) {
            if (add_kid(p, lc, parse_or(p)))
                return NULL;
        }
        if (is_kw(p, "for"))
            return not_supported(p, "nested comprehensions are");
        if (!accept_op(p, "]"))
            return syntax_error(p);
        return lc;
    }
    py_node *l = node(p, N_LIST, line);
    if (!l || add_kid(p, l, first))
        return NULL;
    while (accept_op(p, ",")) {
        if (is_op(p, "]"))
            break;
        if (add_kid(p, l, parse_test(p)))
            return NULL;
    }
    if (!accept_op(p, "]"))
        return syntax_error(p);
    return l;
}

static py_node *parse_atom(parser *p)
{
    const py_tok *t = cur(p);
    py_node *n;
    switch (t->kind) {
    case K_NAME:
        return parse_name(p);
    case K_INT:
        n = node(p, N_INT, t->line);
        if (n)
            n->ival = t->ival;
        p->pos++;
        return n;
    case K_STR: case K_BYTES:
        return parse_strings(p);
    case K_KEYWORD:
        if (accept_kw(p, "None"))
            return node(p, N_NONE, t->line);
        if (accept_kw(p, "True"))
            return node(p, N_TRUE, t->line);
        if (accept_kw(p, "False"))
            return node(p, N_FALSE, t->line);
        if (is_kw(p, "lambda"))
            return not_supported(p, "lambda is");
        if (is_kw(p, "yield") || is_kw(p, "await"))
            return not_supported(p, "generators are");
        return syntax_error(p);
    case K_OP:
        if (accept_op(p, "(")) {
            if (accept_op(p, ")"))
                return node(p, N_TUPLE, t->line);
            py_node *e = parse_testlist(p);
            if (!e)
                return NULL;
            if (is_kw(p, "for"))
                return not_supported(p, "generator expressions are");
            if (!accept_op(p, ")"))
                return syntax_error(p);
            return e;
        }
        if (accept_op(p, "[")) {
            if (accept_op(p, "]"))
                return node(p, N_LIST, t->line);
            py_node *first = parse_test(p);
            if (!first)
                return NULL;
            return parse_list_rest(p, first, t->line);
        }
        if (is_op(p, "{"))
            return not_supported(p, "dict and set displays are");
        if (is_op(p, "..."))
            return not_supported(p, "Ellipsis is");
        return syntax_error(p);
    default:
        return syntax_error(p);
    }
}

static py_node *parse_call_args(parser *p, py_node *fn)
{
    py_node *call = node(p, N_CALL, fn->line);
    if (!call || add_kid(p, call, fn))
        return NULL;
    bool seen_kw = false;
    while (!accept_op(p, ")")) {
        if (is_op(p, "*") || is_op(p, "**"))
            return not_supported(p, "*args and **kwargs are");
        if (cur(p)->kind == K_NAME && p->pos + 1 < p->n && p->t[p->pos + 1].kind == K_OP &&
            p->t[p->pos + 1].len == 1 && p->t[p->pos + 1].s[0] == '=') {
            py_node *kw = parse_name(p);
            if (!kw)
                return NULL;
            p->pos++; /* '=' */
            kw->kind = N_KW;
            if (add_kid(p, kw, parse_test(p)) || add_kid(p, call, kw))
                return NULL;
            seen_kw = true;
        } else {
            if (seen_kw)
                return syntax_error(p); /* positional after keyword */
            py_node *arg = parse_test(p);
            if (!arg)
                return NULL;
            if (is_kw(p, "for"))
                return not_supported(p, "generator expressions are");
            if (add_kid(p, call, arg))
                return NULL;
        }
        if (!accept_op(p, ",")) {
            if (!accept_op(p, ")"))
                return syntax_error(p);
            break;
        }
    }
    return call;
}

static py_node *parse_subscript(parser *p, py_node *obj)
{
    py_node *lo = NULL, *hi = NULL;
    bool is_slice = false;
    if (!is_op(p, ":")) {
        lo = parse_test(p);
        if (!lo)
            return NULL;
    }
    if (accept_op(p, ":")) {
        is_slice = true;
        if (!is_op(p, "]") && !is_op(p, ":")) {
            hi = parse_test(p);
            if (!hi)
                return NULL;
        }
        if (accept_op(p, ":")) {
            if (!is_op(p, "]"))
                return not_supported(p, "slice steps are");
        }
    }
    if (!is_slice && is_op(p, ","))
        return not_supported(p, "multi-dimensional subscripts are");
    if (!accept_op(p, "]"))
        return syntax_error(p);
    py_node *n = node(p, is_slice ? N_SLICE : N_SUBSCR, obj->line);
    if (!n || add_kid(p, n, obj))
        return NULL;
    if (is_slice) {
        py_node *none = node(p, N_NONE, obj->line);
        if (!none || add_kid(p, n, lo ? lo : none) || add_kid(p, n, hi ? hi : none))
            return NULL;
    } else if (add_kid(p, n, lo)) {
        return NULL;
    }
    return n;
}

static py_node *parse_power(parser *p)
{
    py_node *e = parse_atom(p);
    while (e) {
        if (accept_op(p, "(")) {
            if (!enter(p))
                return NULL;
            e = parse_call_args(p, e);
            p->depth--;
        } else if (accept_op(p, "[")) {
            if (!enter(p))
                return NULL;
            e = parse_subscript(p, e);
            p->depth--;
        } else if (accept_op(p, ".")) {
            py_node *name = parse_name(p);
            if (!name)
                return NULL;
            name->kind = N_ATTR;
            if (add_kid(p, name, e))
                return NULL;
            e = name;
        } else {
            break;
        }
    }
    if (e && is_op(p, "**"))
        return not_supported(p, "the ** operator is");
    return e;
}

static py_node *parse_factor(parser *p)
{
    int op = is_op(p, "-") ? OP_NEG : is_op(p, "+") ? OP_POS : is_op(p, "~") ? OP_INVERT : 0;
    if (!op)
        return parse_power(p);
    int line = cur(p)->line;
    p->pos++;
    if (!enter(p))
        return NULL;
    py_node *operand = parse_factor(p);
    p->depth--;
    if (!operand)
        return NULL;
    /* fold -LITERAL so that -9223372036854775808 is representable */
    if (op == OP_NEG && operand->kind == N_INT) {
        operand->ival = (int64_t)(0 - (uint64_t)operand->ival);
        return operand;
    }
    py_node *n = node(p, N_UNARY, line);
    if (!n || add_kid(p, n, operand))
        return NULL;
    n->op = (uint8_t)op;
    return n;
}

static py_node *parse_term(parser *p)
{
    py_node *l = parse_factor(p);
    for (;;) {
        int op = is_op(p, "*") ? OP_MUL : is_op(p, "//") ? OP_FLOORDIV : is_op(p, "%") ? OP_MOD : 0;
        if (!op) {
            if (l && (is_op(p, "/") || is_op(p, "@")))
                return not_supported(p, is_op(p, "/") ? "true division (floats) is"
                                                      : "the @ operator is");
            return l;
        }
        p->pos++;
        l = binary(p, N_BINOP, op, l, parse_factor(p));
    }
}

static py_node *parse_arith(parser *p)
{
    py_node *l = parse_term(p);
    for (;;) {
        int op = is_op(p, "+") ? OP_ADD : is_op(p, "-") ? OP_SUB : 0;
        if (!op)
            return l;
        p->pos++;
        l = binary(p, N_BINOP, op, l, parse_term(p));
    }
}

static py_node *parse_shift(parser *p)
{
    py_node *l = parse_arith(p);
    for (;;) {
        int op = is_op(p, "<<") ? OP_LSHIFT : is_op(p, ">>") ? OP_RSHIFT : 0;
        if (!op)
            return l;
        p->pos++;
        l = binary(p, N_BINOP, op, l, parse_arith(p));
    }
}

static py_node *parse_bitand(parser *p)
{
    py_node *l = parse_shift(p);
    while (accept_op(p, "&"))
        l = binary(p, N_BINOP, OP_AND, l, parse_shift(p));
    return l;
}

static py_node *parse_bitxor(parser *p)
{
    py_node *l = parse_bitand(p);
    while (accept_op(p, "^"))
        l = binary(p, N_BINOP, OP_XOR, l, parse_bitand(p));
    return l;
}

static py_node *parse_bitor(parser *p)
{
    py_node *l = parse_bitxor(p);
    while (accept_op(p, "|"))
        l = binary(p, N_BINOP, OP_OR, l, parse_bitxor(p));
    return l;
}

static int comp_op(parser *p)
{
    if (accept_op(p, "=="))
        return OP_EQ;
    if (accept_op(p, "!="))
        return OP_NE;
    if (accept_op(p, "<"))
        return OP_LT;
    if (accept_op(p, "<="))
        return OP_LE;
    if (accept_op(p, ">"))
        return OP_GT;
    if (accept_op(p, ">="))
        return OP_GE;
    if (accept_kw(p, "in"))
        return OP_IN;
    if (is_kw(p, "not") && p->pos + 1 < p->n && p->t[p->pos + 1].kind == K_KEYWORD &&
        p->t[p->pos + 1].len == 2 && memcmp(p->t[p->pos + 1].s, "in", 2) == 0) {
        p->pos += 2;
        return OP_NOT_IN;
    }
    if (accept_kw(p, "is"))
        return accept_kw(p, "not") ? OP_IS_NOT : OP_IS;
    return 0;
}

/* a < b < c is one CMP node: kids are the operands, ops in each later kid's slot */
static py_node *parse_comparison(parser *p)
{
    py_node *l = parse_bitor(p);
    if (!l)
        return NULL;
    int op = comp_op(p);
    if (!op)
        return l;
    py_node *c = node(p, N_CMP, l->line);
    if (!c || add_kid(p, c, l))
        return NULL;
    while (op) {
        py_node *r = parse_bitor(p);
        if (!r)
            return NULL;
        /* wrap each right operand so that it can carry its operator */
        py_node *w = node(p, N_UNARY, r->line);
        if (!w || add_kid(p, w, r) || add_kid(p, c, w))
            return NULL;
        w->op = (uint8_t)op;
        op = comp_op(p);
    }
    return c;
}

static py_node *parse_not(parser *p)
{
    if (is_kw(p, "not")) {
        int line = cur(p)->line;
        p->pos++;
        if (!enter(p))
            return NULL;
        py_node *e = parse_not(p);
        p->depth--;
        if (!e)
            return NULL;
        py_node *n = node(p, N_NOT, line);
        if (!n || add_kid(p, n, e))
            return NULL;
        return n;
    }
    return parse_comparison(p);
}

static py_node *parse_and(parser *p)
{
    py_node *l = parse_not(p);
    while (l && accept_kw(p, "and"))
        l = binary(p, N_AND, 0, l, parse_not(p));
    return l;
}

static py_node *parse_or(parser *p)
{
    py_node *l = parse_and(p);
    while (l && accept_kw(p, "or"))
        l = binary(p, N_OR, 0, l, parse_and(p));
    return l;
}

static py_node *parse_test(parser *p)
{
    if (!enter(p))
        return NULL;
    if (is_kw(p, "lambda")) {
        p->depth--;
        return not_supported(p, "lambda is");
    }
    py_node *e = parse_or(p);
    if (e && accept_kw(p, "if")) {
        py_node *cond = parse_or(p);
        if (!cond || !accept_kw(p, "else")) {
            p->depth--;
            return cond ? syntax_error(p) : NULL;
        }
        py_node *other = parse_test(p);
        py_node *n = node(p, N_IFEXP, e->line);
        if (!n || add_kid(p, n, cond) || add_kid(p, n, e) || add_kid(p, n, other)) {
            p->depth--;
            return NULL;
        }
        e = n;
    }
    if (e && is_op(p, ":="))
        e = not_supported(p, "the := operator is");
    p->depth--;
    return e;
}

static bool starts_expr(parser *p)
{
    const py_tok *t = cur(p);
    if (t->kind == K_NAME || t->kind == K_INT || t->kind == K_STR || t->kind == K_BYTES)
        return true;
    if (t->kind == K_KEYWORD)
        return is_kw(p, "None") || is_kw(p, "True") || is_kw(p, "False") || is_kw(p, "not") ||
               is_kw(p, "lambda");
    return is_op(p, "(") || is_op(p, "[") || is_op(p, "{") || is_op(p, "-") || is_op(p, "+") ||
           is_op(p, "~");
}

/* test (',' test)* [','] : a tuple when there is a comma */
static py_node *parse_testlist(parser *p)
{
    py_node *first = parse_test(p);
    if (!first || !is_op(p, ","))
        return first;
    py_node *t = node(p, N_TUPLE, first->line);
    if (!t || add_kid(p, t, first))
        return NULL;
    while (accept_op(p, ",")) {
        if (!starts_expr(p))
            break;
        if (add_kid(p, t, parse_test(p)))
            return NULL;
    }
    return t;
}

/* ---- statements ----------------------------------------------------------------- */
static const char *dotted(parser *p, int *line)
{
    *line = cur(p)->line;
    py_node *n = parse_name(p);
    if (!n)
        return NULL;
    if (is_op(p, ".")) {
        not_supported(p, "dotted module names are");
        return NULL;
    }
    return n->str;
}

static py_node *parse_import(parser *p, int line)
{
    py_node *s = node(p, S_IMPORT, line);
    if (!s)
        return NULL;
    do {
        int l;
        const char *mod = dotted(p, &l);
        if (!mod)
            return NULL;
        py_node *item = node(p, N_KW, l);
        py_node *m = node(p, N_NAME, l);
        if (!item || !m)
            return NULL;
        m->str = mod;
        item->str = mod;
        if (accept_kw(p, "as")) {
            py_node *alias = parse_name(p);
            if (!alias)
                return NULL;
            item->str = alias->str;
        }
        if (add_kid(p, item, m) || add_kid(p, s, item))
            return NULL;
    } while (accept_op(p, ","));
    return s;
}

static py_node *parse_from(parser *p, int line)
{
    if (is_op(p, "."))
        return not_supported(p, "relative imports are");
    int l;
    const char *mod = dotted(p, &l);
    if (!mod)
        return NULL;
    if (!accept_kw(p, "import"))
        return syntax_error(p);
    py_node *s = node(p, S_FROM, line);
    if (!s)
        return NULL;
    s->str = mod;
    if (is_op(p, "*"))
        return not_supported(p, "'from ... import *' is");
    bool paren = accept_op(p, "(");
    do {
        if (paren && is_op(p, ")"))
            break;
        py_node *name = parse_name(p);
        if (!name)
            return NULL;
        py_node *item = node(p, N_KW, name->line);
        if (!item)
            return NULL;
        item->str = name->str;
        if (accept_kw(p, "as")) {
            py_node *alias = parse_name(p);
            if (!alias)
                return NULL;
            item->str = alias->str;
        }
        if (add_kid(p, item, name) || add_kid(p, s, item))
            return NULL;
    } while (accept_op(p, ","));
    if (paren && !accept_op(p, ")"))
        return syntax_error(p);
    return s;
}

static bool valid_target(py_node *t)
{
    if (t->kind == N_NAME || t->kind == N_SUBSCR)
        return true;
    if (t->kind == N_TUPLE || t->kind == N_LIST) {
        for (size_t i = 0; i < t->nkids; i++)
            if (t->kids[i]->kind != N_NAME)
                return false;
        return t->nkids > 0;
    }
    return false;
}

static py_node *parse_expr_stmt(parser *p)
{
    int line = cur(p)->line;
    py_node *e = parse_testlist(p);
    if (!e)
        return NULL;
    static const struct { const char *op; int code; } aug[] = {
        {"+=", OP_ADD}, {"-=", OP_SUB}, {"*=", OP_MUL}, {"//=", OP_FLOORDIV}, {"%=", OP_MOD},
        {"&=", OP_AND}, {"|=", OP_OR}, {"^=", OP_XOR}, {"<<=", OP_LSHIFT}, {">>=", OP_RSHIFT},
    };
    for (size_t i = 0; i < sizeof aug / sizeof aug[0]; i++)
        if (accept_op(p, aug[i].op)) {
            if (e->kind != N_NAME && e->kind != N_SUBSCR)
                return e->kind == N_ATTR ? not_supported(p, "assigning to attributes is")
                                         : syntax_error(p);
            py_node *s = node(p, S_AUGASSIGN, line);
            if (!s || add_kid(p, s, e) || add_kid(p, s, parse_test(p)))
                return NULL;
            s->op = (uint8_t)aug[i].code;
            return s;
        }
    if (is_op(p, "/=") || is_op(p, "**=") || is_op(p, "@="))
        return not_supported(p, "that augmented assignment is");
    if (!is_op(p, "=")) {
        py_node *s = node(p, S_EXPR, line);
        if (!s || add_kid(p, s, e))
            return NULL;
        return s;
    }
    py_node *s = node(p, S_ASSIGN, line);
    if (!s)
        return NULL;
    while (accept_op(p, "=")) {
        if (e->kind == N_ATTR)
            return not_supported(p, "assigning to attributes is");
        if (e->kind == N_SLICE)
            return not_supported(p, "assigning to slices is");
        if (!valid_target(e))
            return syntax_error(p);
        if (add_kid(p, s, e))
            return NULL;
        e = parse_testlist(p);
        if (!e)
            return NULL;
    }
    if (add_kid(p, s, e))
        return NULL;
    return s;
}

static py_node *parse_small(parser *p)
{
    const py_tok *t = cur(p);
    int line = t->line;
    if (t->kind == K_KEYWORD) {
        if (accept_kw(p, "pass"))
            return node(p, S_PASS, line);
        if (accept_kw(p, "import"))
            return parse_import(p, line);
        if (accept_kw(p, "from"))
            return parse_from(p, line);
        static const char *const unsupported_kw[] = {
            "del", "global", "nonlocal", "assert", "raise", "return", "yield", "break",
            "continue", "async", "await", NULL,
        };
        for (int i = 0; unsupported_kw[i]; i++)
            if (is_kw(p, unsupported_kw[i])) {
                p->vm->cur_line = line;
                py_raise(p->vm, E_NotImplementedError,
                         "'%s' is not supported by this simulated board", unsupported_kw[i]);
                return NULL;
            }
        if (!starts_expr(p))
            return syntax_error(p);
    }
    return parse_expr_stmt(p);
}

/* simple statements on one line: small (';' small)* [';'] NEWLINE; appended to blk */
static int parse_simple_line(parser *p, py_node *blk)
{
    do {
        if (cur(p)->kind == K_NEWLINE)
            break;
        if (add_kid(p, blk, parse_small(p)))
            return -1;
    } while (accept_op(p, ";"));
    if (cur(p)->kind != K_NEWLINE) {
        syntax_error(p);
        return -1;
    }
    p->pos++;
    return 0;
}

/* ':' then either simple statements on the same line or an indented block */
static py_node *parse_block(parser *p)
{
    if (!accept_op(p, ":"))
        return syntax_error(p);
    py_node *blk = node(p, S_BLOCK, cur(p)->line);
    if (!blk)
        return NULL;
    if (cur(p)->kind != K_NEWLINE) {
        if (parse_simple_line(p, blk))
            return NULL;
        return blk;
    }
    p->pos++;
    if (cur(p)->kind != K_INDENT) {
        p->vm->cur_line = cur(p)->line;
        py_raise(p->vm, E_IndentationError, "expected an indented block");
        return NULL;
    }
    p->pos++;
    if (!enter(p))
        return NULL;
    while (cur(p)->kind != K_DEDENT && cur(p)->kind != K_END) {
        py_node *s = parse_stmt(p);
        if (!s)
            return NULL;
        if (s->kind == S_BLOCK) {
            for (size_t i = 0; i < s->nkids; i++)
                if (add_kid(p, blk, s->kids[i]))
                    return NULL;
        } else if (add_kid(p, blk, s)) {
            return NULL;
        }
    }
    p->depth--;
    if (cur(p)->kind == K_DEDENT)
        p->pos++;
    return blk;
}

static py_node *parse_if(parser *p, int line)
{
    py_node *s = node(p, S_IF, line);
    if (!s || add_kid(p, s, parse_test(p)) || add_kid(p, s, parse_block(p)))
        return NULL;
    if (is_kw(p, "elif")) {
        int l = cur(p)->line;
        p->pos++;
        if (!enter(p))
            return NULL;
        py_node *rest = parse_if(p, l);
        p->depth--;
        py_node *blk = node(p, S_BLOCK, l);
        if (!blk || add_kid(p, blk, rest) || add_kid(p, s, blk))
            return NULL;
    } else if (accept_kw(p, "else")) {
        if (add_kid(p, s, parse_block(p)))
            return NULL;
    }
    return s;
}

static py_node *parse_for(parser *p, int line)
{
    py_node *target;
    py_node *first = parse_name(p);
    if (!first)
        return NULL;
    if (is_op(p, ",")) {
        target = node(p, N_TUPLE, line);
        if (!target || add_kid(p, target, first))
            return NULL;
        while (accept_op(p, ","))
            if (add_kid(p, target, parse_name(p)))
                return NULL;
    } else {
        target = first;
    }
    if (!accept_kw(p, "in"))
        return syntax_error(p);
    py_node *s = node(p, S_FOR, line);
    if (!s || add_kid(p, s, target) || add_kid(p, s, parse_testlist(p)) ||
        add_kid(p, s, parse_block(p)))
        return NULL;
    if (is_kw(p, "else"))
        return not_supported(p, "'for ... else' is");
    return s;
}

static py_node *parse_try(parser *p, int line)
{
    py_node *s = node(p, S_TRY, line);
    if (!s || add_kid(p, s, parse_block(p)))
        return NULL;
    if (!is_kw(p, "except")) {
        if (is_kw(p, "finally"))
            return not_supported(p, "'finally' is");
        return syntax_error(p);
    }
    while (is_kw(p, "except")) {
        py_node *h = node(p, S_EXCEPT, cur(p)->line);
        if (!h)
            return NULL;
        p->pos++;
        py_node *names = node(p, N_TUPLE, h->line);
        if (!names)
            return NULL;
        if (cur(p)->kind == K_NAME) {
            if (add_kid(p, names, parse_name(p)))
                return NULL;
        } else if (accept_op(p, "(")) {
            do {
                if (add_kid(p, names, parse_name(p)))
                    return NULL;
            } while (accept_op(p, ","));
            if (!accept_op(p, ")"))
                return syntax_error(p);
        }
        if (is_kw(p, "as"))
            return not_supported(p, "'except ... as NAME' is");
        if (add_kid(p, h, parse_block(p)) || add_kid(p, h, names) || add_kid(p, s, h))
            return NULL;
    }
    if (is_kw(p, "else") || is_kw(p, "finally"))
        return not_supported(p, is_kw(p, "else") ? "'try ... else' is" : "'finally' is");
    return s;
}

static py_node *parse_stmt(parser *p)
{
    const py_tok *t = cur(p);
    int line = t->line;
    if (t->kind == K_INDENT) {
        p->vm->cur_line = line;
        py_raise(p->vm, E_IndentationError, "unexpected indent");
        return NULL;
    }
    if (t->kind == K_KEYWORD) {
        if (accept_kw(p, "if"))
            return parse_if(p, line);
        if (accept_kw(p, "for"))
            return parse_for(p, line);
        if (accept_kw(p, "try"))
            return parse_try(p, line);
        static const char *const unsupported_kw[] = {
            "while", "def", "class", "with", "async", NULL,
        };
        for (int i = 0; unsupported_kw[i]; i++)
            if (is_kw(p, unsupported_kw[i])) {
                p->vm->cur_line = line;
                py_raise(p->vm, E_NotImplementedError,
                         "'%s' is not supported by this simulated board", unsupported_kw[i]);
                return NULL;
            }
    }
    if (is_op(p, "@"))
        return not_supported(p, "decorators are");
    py_node *blk = node(p, S_BLOCK, line);
    if (!blk || parse_simple_line(p, blk))
        return NULL;
    return blk;
}

int py_parse(py_vm_t *vm, py_arena *a, const py_toks *toks, py_node **out)
{
    parser p = {.vm = vm, .a = a, .t = toks->v, .n = toks->n};
    py_node *mod = node(&p, S_BLOCK, 1);
    if (!mod)
        return -1;
    while (cur(&p)->kind != K_END) {
        if (cur(&p)->kind == K_NEWLINE) {
            p.pos++;
            continue;
        }
        if (cur(&p)->kind == K_DEDENT) {
            syntax_error(&p);
            return -1;
        }
        py_node *s = parse_stmt(&p);
        if (!s)
            return -1;
        if (s->kind == S_BLOCK) {
            for (size_t i = 0; i < s->nkids; i++)
                if (add_kid(&p, mod, s->kids[i]))
                    return -1;
        } else if (add_kid(&p, mod, s)) {
            return -1;
        }
    }
    *out = mod;
    return 0;
}
