/* Tree-walking evaluator: expressions to values, statements to effects on the
 * globals. Every node visited is a step; steps and depth are bounded, and Ctrl-C is
 * polled every few thousand steps so an endless program can be stopped. */
#include <stdlib.h>
#include <string.h>

#include "py_int.h"

#define POLL_EVERY 4096

static int eval(py_vm_t *vm, py_node *n, py_obj **ret);
static int exec_block(py_vm_t *vm, py_node *blk);

static int step(py_vm_t *vm, py_node *n)
{
    vm->cur_line = n->line;
    if (++vm->steps > vm->cfg.limits.max_steps)
        return py_raise(vm, E_RuntimeError,
                        "program too long-running for this simulated board (more than %llu steps)",
                        (unsigned long long)vm->cfg.limits.max_steps);
    if (vm->steps % POLL_EVERY == 0 && vm->interrupt && vm->interrupt(vm->interrupt_ctx))
        return py_raise(vm, E_KeyboardInterrupt, "%s", "");
    return 0;
}

/* ---- names --------------------------------------------------------------------- */
static py_attr *find_global(py_vm_t *vm, const char *name)
{
    for (size_t i = 0; i < vm->nglobals; i++)
        if (strcmp(vm->globals[i].name, name) == 0)
            return &vm->globals[i];
    return NULL;
}

static int store_name(py_vm_t *vm, const char *name, py_obj *v)
{
    py_attr *g = find_global(vm, name);
    if (g) {
        g->val = v;
        return 0;
    }
    if (vm->nglobals >= PY_MAX_GLOBALS)
        return py_raise(vm, E_MemoryError, "too many global variables (more than %d)",
                        PY_MAX_GLOBALS);
    if (vm->nglobals == vm->globals_cap) {
        size_t ncap = vm->globals_cap ? vm->globals_cap * 2 : 32;
        py_attr *a = realloc(vm->globals, ncap * sizeof *a);
        if (!a)
            return py_raise_nomem(vm, ncap * sizeof *a);
        vm->globals = a;
        vm->globals_cap = ncap;
    }
    char *n = strdup(name);
    if (!n)
        return py_raise_nomem(vm, strlen(name));
    vm->globals[vm->nglobals].name = n;
    vm->globals[vm->nglobals].val = v;
    vm->nglobals++;
    return 0;
}

static int load_name(py_vm_t *vm, const char *name, py_obj **ret)
{
    py_attr *g = find_global(vm, name);
    if (g) {
        *ret = g->val;
        return 0;
    }
    int rc = py_builtin_lookup(vm, name, ret);
    if (rc == 1)
        return py_raise(vm, E_NameError, "name '%s' isn't defined", name);
    return rc;
}

/* ---- expressions --------------------------------------------------------------- */
static int eval_call(py_vm_t *vm, py_node *n, py_obj **ret)
{
    enum { MAX_ARGS = 16 };
    py_obj *fn, *argv[MAX_ARGS], *kwv[MAX_ARGS];
    const char *kwn[MAX_ARGS];
    int argc = 0, nkw = 0;
    if (n->nkids - 1 > MAX_ARGS)
        return py_raise(vm, E_TypeError, "too many arguments (this simulated board takes %d)",
                        MAX_ARGS);
    if (eval(vm, n->kids[0], &fn))
        return -1;
    for (size_t i = 1; i < n->nkids; i++) {
        py_node *a = n->kids[i];
        if (a->kind == N_KW) {
            kwn[nkw] = a->str;
            if (eval(vm, a->kids[0], &kwv[nkw]))
                return -1;
            nkw++;
        } else if (eval(vm, a, &argv[argc++])) {
            return -1;
        }
    }
    return py_call(vm, fn, argc, argv, nkw, kwn, kwv, ret);
}

static int eval_seq(py_vm_t *vm, py_node *n, py_type t, py_obj **ret)
{
    py_obj *s = py_seq(vm, t, n->nkids);
    if (!s)
        return -1;
    for (size_t i = 0; i < n->nkids; i++)
        if (eval(vm, n->kids[i], &s->u.l.items[i]))
            return -1;
    *ret = s;
    return 0;
}

static int assign(py_vm_t *vm, py_node *target, py_obj *v);

static int eval_listcomp(py_vm_t *vm, py_node *n, py_obj **ret)
{
    py_obj *src, *it, *out = py_seq(vm, T_LIST, 0);
    if (!out || eval(vm, n->kids[2], &src) || py_iter(vm, src, &it))
        return -1;
    for (;;) {
        py_obj *v, *e;
        bool done;
        if (step(vm, n) || py_next(vm, it, &v, &done))
            return -1;
        if (done)
            break;
        /* the loop variable lives in the globals, as at module level in MicroPython */
        if (assign(vm, n->kids[1], v))
            return -1;
        if (n->nkids > 3) {
            py_obj *c;
            int st;
            if (eval(vm, n->kids[3], &c))
                return -1;
            bool keep = py_truthy(vm, c, &st);
            if (st)
                return -1;
            if (!keep)
                continue;
        }
        if (eval(vm, n->kids[0], &e) || py_list_append(vm, out, e))
            return -1;
    }
    *ret = out;
    return 0;
}

static int eval_inner(py_vm_t *vm, py_node *n, py_obj **ret)
{
    py_obj *a, *b;
    int st;
    switch (n->kind) {
    case N_INT:
        *ret = py_int(vm, n->ival);
        return *ret ? 0 : -1;
    case N_STR:
        *ret = py_bytes(vm, T_STR, n->str, n->slen);
        return *ret ? 0 : -1;
    case N_BYTES:
        *ret = py_bytes(vm, T_BYTES, n->str, n->slen);
        return *ret ? 0 : -1;
    case N_NONE: *ret = PY_NONE; return 0;
    case N_TRUE: *ret = PY_TRUE; return 0;
    case N_FALSE: *ret = PY_FALSE; return 0;
    case N_NAME: return load_name(vm, n->str, ret);
    case N_TUPLE: return eval_seq(vm, n, T_TUPLE, ret);
    case N_LIST: return eval_seq(vm, n, T_LIST, ret);
    case N_ATTR:
        if (eval(vm, n->kids[0], &a))
            return -1;
        return py_getattr(vm, a, n->str, ret);
    case N_CALL: return eval_call(vm, n, ret);
    case N_SUBSCR:
        if (eval(vm, n->kids[0], &a) || eval(vm, n->kids[1], &b))
            return -1;
        return py_subscr(vm, a, b, ret);
    case N_SLICE: {
        py_obj *lo, *hi;
        if (eval(vm, n->kids[0], &a) || eval(vm, n->kids[1], &lo) || eval(vm, n->kids[2], &hi))
            return -1;
        return py_slice(vm, a, lo, hi, ret);
    }
    case N_BINOP:
        if (eval(vm, n->kids[0], &a) || eval(vm, n->kids[1], &b))
            return -1;
        return py_binop(vm, n->op, a, b, ret);
    case N_UNARY: {
        int64_t v;
        if (eval(vm, n->kids[0], &a))
            return -1;
        if (a->type != T_INT && a->type != T_BOOL)
            return py_raise(vm, E_TypeError, "unsupported type for %s: '%s'",
                            n->op == OP_NEG ? "__neg__" : n->op == OP_POS ? "__pos__" : "__invert__",
                            py_type_name(a));
        v = a->u.i;
        if (n->op == OP_NEG) {
            if (v == INT64_MIN)
                return py_raise(vm, E_OverflowError, "result doesn't fit in a 64-bit int");
            v = -v;
        } else if (n->op == OP_INVERT) {
            v = ~v;
        }
        *ret = py_int(vm, v);
        return *ret ? 0 : -1;
    }
    case N_CMP: {
        if (eval(vm, n->kids[0], &a))
            return -1;
        bool res = true;
        for (size_t i = 1; i < n->nkids && res; i++) {
            if (eval(vm, n->kids[i]->kids[0], &b) || py_compare(vm, n->kids[i]->op, a, b, &res))
                return -1;
            a = b;
        }
        *ret = py_bool(res);
        return 0;
    }
    case N_AND: case N_OR: {
        if (eval(vm, n->kids[0], &a))
            return -1;
        bool t = py_truthy(vm, a, &st);
        if (st)
            return -1;
        if ((n->kind == N_AND) != t) {
            *ret = a;
            return 0;
        }
        return eval(vm, n->kids[1], ret);
    }
    case N_NOT: {
        if (eval(vm, n->kids[0], &a))
            return -1;
        bool t = py_truthy(vm, a, &st);
        if (st)
            return -1;
        *ret = py_bool(!t);
        return 0;
    }
    case N_IFEXP: {
        if (eval(vm, n->kids[0], &a))
            return -1;
        bool t = py_truthy(vm, a, &st);
        if (st)
            return -1;
        return eval(vm, n->kids[t ? 1 : 2], ret);
    }
    case N_LISTCOMP: return eval_listcomp(vm, n, ret);
    default:
        return py_raise(vm, E_SyntaxError, "invalid syntax");
    }
}

static int eval(py_vm_t *vm, py_node *n, py_obj **ret)
{
    if (step(vm, n))
        return -1;
    if (++vm->depth > vm->cfg.limits.max_depth) {
        vm->depth--;
        return py_raise(vm, E_RuntimeError, "maximum recursion depth exceeded");
    }
    int rc = eval_inner(vm, n, ret);
    vm->depth--;
    return rc;
}

/* ---- statements -------------------------------------------------------------- */
static int assign(py_vm_t *vm, py_node *target, py_obj *v)
{
    if (target->kind == N_NAME)
        return store_name(vm, target->str, v);
    if (target->kind == N_SUBSCR) {
        py_obj *o, *idx;
        if (eval(vm, target->kids[0], &o) || eval(vm, target->kids[1], &idx))
            return -1;
        return py_store_subscr(vm, o, idx, v);
    }
    /* unpacking into names */
    py_obj *it, *item;
    bool done;
    if (py_iter(vm, v, &it))
        return -1;
    for (size_t i = 0; i < target->nkids; i++) {
        if (py_next(vm, it, &item, &done))
            return -1;
        if (done)
            return py_raise(vm, E_ValueError, "need more than %zu values to unpack", i);
        if (store_name(vm, target->kids[i]->str, item))
            return -1;
    }
    if (py_next(vm, it, &item, &done))
        return -1;
    if (!done)
        return py_raise(vm, E_ValueError, "too many values to unpack (expected %zu)", target->nkids);
    return 0;
}

static int exec_import(py_vm_t *vm, py_node *s)
{
    for (size_t i = 0; i < s->nkids; i++) {
        py_obj *m;
        vm->cur_line = s->kids[i]->line;
        if (py_import(vm, s->kids[i]->kids[0]->str, &m) || store_name(vm, s->kids[i]->str, m))
            return -1;
    }
    return 0;
}

static int exec_from(py_vm_t *vm, py_node *s)
{
    py_obj *m;
    if (py_import(vm, s->str, &m))
        return -1;
    for (size_t i = 0; i < s->nkids; i++) {
        const char *name = s->kids[i]->kids[0]->str;
        py_obj *v = py_get_attr_of(m, name);
        if (!v)
            return py_raise(vm, E_ImportError, "can't import name %s", name);
        if (store_name(vm, s->kids[i]->str, v))
            return -1;
    }
    return 0;
}

static int handler_matches(py_vm_t *vm, py_node *names, bool *match)
{
    if (names->nkids == 0) {
        *match = true;
        return 0;
    }
    *match = false;
    for (size_t i = 0; i < names->nkids; i++) {
        py_obj *t;
        /* evaluating the name must not replace the pending exception */
        py_exc saved = vm->exc;
        char msg[sizeof vm->exc_msg];
        int line = vm->exc_line;
        memcpy(msg, vm->exc_msg, sizeof msg);
        vm->exc = E_NONE;
        int rc = load_name(vm, names->kids[i]->str, &t);
        if (rc == 0 && (t->type != T_TYPE || t->u.t.exc == E_NONE))
            rc = py_raise(vm, E_TypeError, "catching classes that do not inherit from BaseException is not allowed");
        if (rc)
            return -1; /* the new error replaces the old one, as in Python */
        vm->exc = saved;
        vm->exc_line = line;
        memcpy(vm->exc_msg, msg, sizeof msg);
        if (py_exc_matches(saved, (py_exc)t->u.t.exc))
            *match = true;
    }
    return 0;
}

static int exec_try(py_vm_t *vm, py_node *s)
{
    unsigned depth = vm->depth;
    if (exec_block(vm, s->kids[0]) == 0)
        return 0;
    /* a power cut is not an exception: nothing runs after it */
    if (vm->power_cut)
        return -1;
    vm->depth = depth;
    for (size_t i = 1; i < s->nkids; i++) {
        py_node *h = s->kids[i];
        bool match;
        int line = vm->cur_line;
        vm->cur_line = h->line;
        if (handler_matches(vm, h->kids[1], &match))
            return -1;
        vm->cur_line = line;
        if (match) {
            vm->exc = E_NONE;
            vm->exc_msg[0] = 0;
            return exec_block(vm, h->kids[0]);
        }
    }
    return -1;
}

static int exec_for(py_vm_t *vm, py_node *s)
{
    py_obj *src, *it;
    if (eval(vm, s->kids[1], &src) || py_iter(vm, src, &it))
        return -1;
    for (;;) {
        py_obj *v;
        bool done;
        if (step(vm, s) || py_next(vm, it, &v, &done))
            return -1;
        if (done)
            return 0;
        if (assign(vm, s->kids[0], v) || exec_block(vm, s->kids[2]))
            return -1;
    }
}

static int exec_stmt(py_vm_t *vm, py_node *s, bool print_exprs)
{
    py_obj *v;
    int st;
    if (step(vm, s))
        return -1;
    switch (s->kind) {
    case S_PASS: return 0;
    case S_EXPR:
        if (eval(vm, s->kids[0], &v))
            return -1;
        if (print_exprs && v != PY_NONE) {
            py_obj *text = py_bytes(vm, T_STR, "", 0);
            if (!text || py_repr(vm, v, text) || py_append(vm, text, "\n", 1))
                return -1;
            py_write_out(vm, (const char *)text->u.b.data, text->u.b.len);
        }
        return 0;
    case S_ASSIGN:
        if (eval(vm, s->kids[s->nkids - 1], &v))
            return -1;
        for (size_t i = 0; i + 1 < s->nkids; i++)
            if (assign(vm, s->kids[i], v))
                return -1;
        return 0;
    case S_AUGASSIGN: {
        py_obj *cur, *r;
        if (eval(vm, s->kids[0], &cur) || eval(vm, s->kids[1], &v) ||
            py_binop(vm, s->op, cur, v, &r))
            return -1;
        return assign(vm, s->kids[0], r);
    }
    case S_IMPORT: return exec_import(vm, s);
    case S_FROM: return exec_from(vm, s);
    case S_TRY: return exec_try(vm, s);
    case S_FOR: return exec_for(vm, s);
    case S_IF: {
        if (eval(vm, s->kids[0], &v))
            return -1;
        bool t = py_truthy(vm, v, &st);
        if (st)
            return -1;
        if (t)
            return exec_block(vm, s->kids[1]);
        if (s->nkids > 2)
            return exec_block(vm, s->kids[2]);
        return 0;
    }
    case S_BLOCK: return exec_block(vm, s);
    default:
        return py_raise(vm, E_SyntaxError, "invalid syntax");
    }
}

static int exec_block(py_vm_t *vm, py_node *blk)
{
    if (++vm->depth > vm->cfg.limits.max_depth) {
        vm->depth--;
        return py_raise(vm, E_RuntimeError, "maximum recursion depth exceeded");
    }
    for (size_t i = 0; i < blk->nkids; i++)
        if (exec_stmt(vm, blk->kids[i], false)) {
            vm->depth--;
            return -1;
        }
    vm->depth--;
    return 0;
}

int py_eval_module(py_vm_t *vm, py_node *mod, bool print_exprs)
{
    for (size_t i = 0; i < mod->nkids; i++)
        if (exec_stmt(vm, mod->kids[i], print_exprs))
            return -1;
    return 0;
}
