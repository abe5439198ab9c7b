/* Operations on values: repr, buffers (including views of flash), length,
 * equality, iteration, indexing and slicing, arithmetic and comparison. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "py_int.h"

#define MAX_SEQ_ITEMS (16u * 1024 * 1024)

/* ---- repr ---------------------------------------------------------------------- */
static int repr_bytes(py_vm_t *vm, const uint8_t *d, size_t n, bool is_str, py_obj *out)
{
    bool has_sq = memchr(d, '\'', n) != NULL, has_dq = memchr(d, '"', n) != NULL;
    char q = (has_sq && !has_dq) ? '"' : '\'';
    if (!is_str && py_append(vm, out, "b", 1))
        return -1;
    if (py_append(vm, out, &q, 1))
        return -1;
    for (size_t i = 0; i < n; i++) {
        char tmp[8];
        size_t tl = 1;
        uint8_t c = d[i];
        if (c == q || c == '\\') {
            tmp[0] = '\\';
            tmp[1] = (char)c;
            tl = 2;
        } else if (c == '\n') {
            memcpy(tmp, "\\n", 2), tl = 2;
        } else if (c == '\r') {
            memcpy(tmp, "\\r", 2), tl = 2;
        } else if (c == '\t') {
            memcpy(tmp, "\\t", 2), tl = 2;
        } else if (c >= 0x20 && c < 0x7f) {
            tmp[0] = (char)c;
        } else if (is_str && c >= 0x80) {
            tmp[0] = (char)c; /* UTF-8 passes through */
        } else {
            tl = (size_t)snprintf(tmp, sizeof tmp, "\\x%02x", c);
        }
        if (py_append(vm, out, tmp, tl))
            return -1;
    }
    return py_append(vm, out, &q, 1);
}

static int appendf(py_vm_t *vm, py_obj *out, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int appendf(py_vm_t *vm, py_obj *out, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    return py_append(vm, out, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

int py_repr(py_vm_t *vm, py_obj *o, py_obj *out)
{
    if (++vm->depth > vm->cfg.limits.max_depth) {
        vm->depth--;
        return py_raise(vm, E_RuntimeError, "maximum recursion depth exceeded");
    }
    int rc = 0;
    switch (o->type) {
    case T_NONE: rc = py_append(vm, out, "None", 4); break;
    case T_BOOL: rc = o->u.i ? py_append(vm, out, "True", 4) : py_append(vm, out, "False", 5); break;
    case T_INT: rc = appendf(vm, out, "%" PRId64, o->u.i); break;
    case T_STR: rc = repr_bytes(vm, o->u.b.data, o->u.b.len, true, out); break;
    case T_BYTES: rc = repr_bytes(vm, o->u.b.data, o->u.b.len, false, out); break;
    case T_BYTEARRAY:
        rc = py_append(vm, out, "bytearray(", 10);
        if (!rc)
            rc = repr_bytes(vm, o->u.b.data, o->u.b.len, false, out);
        if (!rc)
            rc = py_append(vm, out, ")", 1);
        break;
    case T_TUPLE: case T_LIST: {
        bool tup = o->type == T_TUPLE;
        rc = py_append(vm, out, tup ? "(" : "[", 1);
        for (size_t i = 0; !rc && i < o->u.l.len; i++) {
            if (i)
                rc = py_append(vm, out, ", ", 2);
            if (!rc)
                rc = py_repr(vm, o->u.l.items[i], out);
        }
        if (!rc && tup && o->u.l.len == 1)
            rc = py_append(vm, out, ",", 1);
        if (!rc)
            rc = py_append(vm, out, tup ? ")" : "]", 1);
        break;
    }
    case T_RANGE:
        if (o->u.r.step == 1)
            rc = appendf(vm, out, "range(%" PRId64 ", %" PRId64 ")", o->u.r.start, o->u.r.stop);
        else
            rc = appendf(vm, out, "range(%" PRId64 ", %" PRId64 ", %" PRId64 ")", o->u.r.start,
                         o->u.r.stop, o->u.r.step);
        break;
    case T_MODULE: rc = appendf(vm, out, "<module '%s'>", o->u.m.name); break;
    case T_FUNC:
        if (o->u.f.self)
            rc = appendf(vm, out, "<bound_method>");
        else
            rc = appendf(vm, out, "<function %s>", o->u.f.name);
        break;
    case T_TYPE: rc = appendf(vm, out, "<class '%s'>", o->u.t.name); break;
    case T_PARTITION: rc = appendf(vm, out, "Flash(romfs%u)", o->u.p.part); break;
    case T_NAMESPACE:
        rc = py_append(vm, out, "(", 1);
        for (size_t i = 0; !rc && i < o->u.m.n; i++) {
            rc = appendf(vm, out, "%s%s=", i ? ", " : "", o->u.m.attrs[i].name);
            if (!rc)
                rc = py_repr(vm, o->u.m.attrs[i].val, out);
        }
        if (!rc)
            rc = py_append(vm, out, ")", 1);
        break;
    default:
        rc = appendf(vm, out, "<%s object>", py_type_name(o));
        break;
    }
    vm->depth--;
    return rc;
}

int py_str_of(py_vm_t *vm, py_obj *o, py_obj *out)
{
    if (o->type == T_STR)
        return py_append(vm, out, o->u.b.data, o->u.b.len);
    return py_repr(vm, o, out);
}

/* ---- buffers --------------------------------------------------------------- */
int py_board_count(py_vm_t *vm)
{
    if (!vm->cfg.board)
        return 0;
    int n = vm->cfg.board->count(vm->cfg.board_ctx);
    return n < 0 ? 0 : n;
}

int py_board_info(py_vm_t *vm, unsigned part, py_part *info)
{
    if (!vm->cfg.board || (int)part >= py_board_count(vm))
        return py_raise_errno(vm, 22);
    if (vm->cfg.board->info(vm->cfg.board_ctx, part, info))
        return py_raise_errno(vm, 5);
    return 0;
}

int py_board_read(py_vm_t *vm, unsigned part, uint64_t off, uint8_t *buf, size_t len)
{
    if (!vm->cfg.board)
        return py_raise_errno(vm, 5);
    int rc = vm->cfg.board->read(vm->cfg.board_ctx, part, off, buf, len);
    if (rc == PY_BOARD_POWER_CUT) {
        vm->power_cut = true;
        return py_raise(vm, E_RuntimeError, "power cut");
    }
    if (rc)
        return py_raise_errno(vm, -rc);
    return 0;
}

int py_get_buffer(py_vm_t *vm, py_obj *o, const uint8_t **data, size_t *len, uint8_t **owned)
{
    *owned = NULL;
    switch (o->type) {
    case T_STR: case T_BYTES: case T_BYTEARRAY:
        *data = o->u.b.data;
        *len = o->u.b.len;
        return 0;
    case T_MEMVIEW:
        if (o->u.mv.src) {
            const uint8_t *d;
            size_t n;
            uint8_t *own;
            if (py_get_buffer(vm, o->u.mv.src, &d, &n, &own))
                return -1;
            /* the source may have shrunk since the view was made */
            uint64_t off = o->u.mv.off < n ? o->u.mv.off : n;
            uint64_t l = o->u.mv.len < n - off ? o->u.mv.len : n - off;
            *data = d + off;
            *len = (size_t)l;
            *owned = own;
            return 0;
        } else {
            if (o->u.mv.len > vm->cfg.limits.max_alloc)
                return py_raise_nomem(vm, (size_t)o->u.mv.len);
            uint8_t *b = py_malloc(vm, (size_t)o->u.mv.len);
            if (!b)
                return -1;
            if (py_board_read(vm, o->u.mv.part, o->u.mv.off, b, (size_t)o->u.mv.len)) {
                free(b);
                return -1;
            }
            *data = b;
            *len = (size_t)o->u.mv.len;
            *owned = b;
            return 0;
        }
    case T_PARTITION: {
        py_part info;
        if (py_board_info(vm, o->u.p.part, &info))
            return -1;
        py_obj view = {.type = T_MEMVIEW, .is_static = 1};
        view.u.mv.part = o->u.p.part;
        view.u.mv.len = info.size;
        view.u.mv.ro = true;
        return py_get_buffer(vm, &view, data, len, owned);
    }
    default:
        return py_raise(vm, E_TypeError, "object with buffer protocol required");
    }
}

int py_get_writable(py_vm_t *vm, py_obj *o, uint8_t **data, size_t *len)
{
    if (o->type == T_BYTEARRAY) {
        *data = o->u.b.data;
        *len = o->u.b.len;
        return 0;
    }
    if (o->type == T_MEMVIEW && !o->u.mv.ro && o->u.mv.src && o->u.mv.src->type == T_BYTEARRAY) {
        py_obj *s = o->u.mv.src;
        uint64_t off = o->u.mv.off < s->u.b.len ? o->u.mv.off : s->u.b.len;
        uint64_t l = o->u.mv.len < s->u.b.len - off ? o->u.mv.len : s->u.b.len - off;
        *data = s->u.b.data + off;
        *len = (size_t)l;
        return 0;
    }
    return py_raise(vm, E_TypeError, "object with buffer protocol required");
}

py_obj *py_partition_view(py_vm_t *vm, unsigned part, uint64_t size)
{
    py_obj *o = py_alloc(vm, T_MEMVIEW);
    if (o) {
        o->u.mv.part = part;
        o->u.mv.len = size;
        o->u.mv.ro = true;
    }
    return o;
}

int py_len(py_vm_t *vm, py_obj *o, int64_t *n)
{
    switch (o->type) {
    case T_STR: case T_BYTES: case T_BYTEARRAY: *n = (int64_t)o->u.b.len; return 0;
    case T_TUPLE: case T_LIST: *n = (int64_t)o->u.l.len; return 0;
    case T_MEMVIEW:
        if (o->u.mv.src) {
            const uint8_t *d;
            size_t l;
            uint8_t *own;
            if (py_get_buffer(vm, o, &d, &l, &own))
                return -1;
            free(own);
            *n = (int64_t)l;
        } else {
            *n = (int64_t)o->u.mv.len;
        }
        return 0;
    case T_RANGE: {
        int64_t a = o->u.r.start, b = o->u.r.stop, s = o->u.r.step;
        if (s > 0)
            *n = b > a ? (b - a + s - 1) / s : 0;
        else
            *n = a > b ? (a - b - s - 1) / -s : 0;
        return 0;
    }
    default:
        return py_raise(vm, E_TypeError, "object of type '%s' has no len()", py_type_name(o));
    }
}

int py_to_int(py_vm_t *vm, py_obj *o, int64_t *v)
{
    if (o->type == T_INT || o->type == T_BOOL) {
        *v = o->u.i;
        return 0;
    }
    return py_raise(vm, E_TypeError, "can't convert %s to int", py_type_name(o));
}

int py_arg_int(py_vm_t *vm, py_obj *o, int64_t *v)
{
    return py_to_int(vm, o, v);
}

/* ---- equality ------------------------------------------------------------------ */
int py_equal(py_vm_t *vm, py_obj *a, py_obj *b, bool *eq)
{
    if (a == b) {
        *eq = true;
        return 0;
    }
    bool ai = a->type == T_INT || a->type == T_BOOL, bi = b->type == T_INT || b->type == T_BOOL;
    if (ai && bi) {
        *eq = a->u.i == b->u.i;
        return 0;
    }
    if (a->type == T_STR || b->type == T_STR) {
        *eq = a->type == b->type && a->u.b.len == b->u.b.len &&
              memcmp(a->u.b.data, b->u.b.data, a->u.b.len) == 0;
        return 0;
    }
    if (py_is_bytes_like(a) && py_is_bytes_like(b) && a->type != T_PARTITION && b->type != T_PARTITION) {
        const uint8_t *da, *db;
        size_t la, lb;
        uint8_t *oa, *ob;
        if (py_get_buffer(vm, a, &da, &la, &oa))
            return -1;
        if (py_get_buffer(vm, b, &db, &lb, &ob)) {
            free(oa);
            return -1;
        }
        *eq = la == lb && (la == 0 || memcmp(da, db, la) == 0);
        free(oa);
        free(ob);
        return 0;
    }
    if ((a->type == T_TUPLE || a->type == T_LIST) && a->type == b->type) {
        if (a->u.l.len != b->u.l.len) {
            *eq = false;
            return 0;
        }
        if (++vm->depth > vm->cfg.limits.max_depth) {
            vm->depth--;
            return py_raise(vm, E_RuntimeError, "maximum recursion depth exceeded");
        }
        *eq = true;
        for (size_t i = 0; i < a->u.l.len && *eq; i++)
            if (py_equal(vm, a->u.l.items[i], b->u.l.items[i], eq)) {
                vm->depth--;
                return -1;
            }
        vm->depth--;
        return 0;
    }
    *eq = false;
    return 0;
}

/* ---- iteration ----------------------------------------------------------------- */
int py_iter(py_vm_t *vm, py_obj *o, py_obj **it)
{
    switch (o->type) {
    case T_STR: case T_BYTES: case T_BYTEARRAY: case T_TUPLE: case T_LIST: case T_RANGE:
    case T_MEMVIEW: {
        py_obj *i = py_alloc(vm, T_ITER);
        if (!i)
            return -1;
        i->u.it.seq = o;
        *it = i;
        return 0;
    }
    case T_ITER:
        *it = o;
        return 0;
    default:
        return py_raise(vm, E_TypeError, "'%s' object isn't iterable", py_type_name(o));
    }
}

int py_next(py_vm_t *vm, py_obj *it, py_obj **v, bool *done)
{
    py_obj *s = it->u.it.seq;
    size_t i = it->u.it.pos;
    *done = false;
    switch (s->type) {
    case T_TUPLE: case T_LIST:
        if (i >= s->u.l.len) {
            *done = true;
            return 0;
        }
        *v = s->u.l.items[i];
        break;
    case T_RANGE: {
        int64_t n;
        py_len(vm, s, &n);
        if ((int64_t)i >= n) {
            *done = true;
            return 0;
        }
        *v = py_int(vm, s->u.r.start + (int64_t)i * s->u.r.step);
        if (!*v)
            return -1;
        break;
    }
    case T_STR:
        if (i >= s->u.b.len) {
            *done = true;
            return 0;
        }
        *v = py_bytes(vm, T_STR, s->u.b.data + i, 1);
        if (!*v)
            return -1;
        break;
    default: {
        py_obj idx = {.type = T_INT, .is_static = 1, .u.i = (int64_t)i};
        int64_t n;
        if (py_len(vm, s, &n))
            return -1;
        if ((int64_t)i >= n) {
            *done = true;
            return 0;
        }
        if (py_subscr(vm, s, &idx, v))
            return -1;
        break;
    }
    }
    it->u.it.pos++;
    return 0;
}

/* ---- indexing ------------------------------------------------------------------ */
static int norm_index(py_vm_t *vm, py_obj *index, int64_t len, int64_t *out)
{
    int64_t i;
    if (index->type != T_INT && index->type != T_BOOL)
        return py_raise(vm, E_TypeError, "indices must be integers, not %s", py_type_name(index));
    i = index->u.i;
    if (i < 0)
        i += len;
    if (i < 0 || i >= len)
        return py_raise(vm, E_IndexError, "index out of range");
    *out = i;
    return 0;
}

int py_subscr(py_vm_t *vm, py_obj *o, py_obj *index, py_obj **ret)
{
    int64_t len, i;
    switch (o->type) {
    case T_TUPLE: case T_LIST:
        if (norm_index(vm, index, (int64_t)o->u.l.len, &i))
            return -1;
        *ret = o->u.l.items[i];
        return 0;
    case T_STR:
        if (norm_index(vm, index, (int64_t)o->u.b.len, &i))
            return -1;
        *ret = py_bytes(vm, T_STR, o->u.b.data + i, 1);
        return *ret ? 0 : -1;
    case T_BYTES: case T_BYTEARRAY:
        if (norm_index(vm, index, (int64_t)o->u.b.len, &i))
            return -1;
        *ret = py_int(vm, o->u.b.data[i]);
        return *ret ? 0 : -1;
    case T_RANGE:
        py_len(vm, o, &len);
        if (norm_index(vm, index, len, &i))
            return -1;
        *ret = py_int(vm, o->u.r.start + i * o->u.r.step);
        return *ret ? 0 : -1;
    case T_MEMVIEW: {
        if (py_len(vm, o, &len) || norm_index(vm, index, len, &i))
            return -1;
        uint8_t b;
        if (o->u.mv.src) {
            const uint8_t *d;
            size_t l;
            uint8_t *own;
            if (py_get_buffer(vm, o, &d, &l, &own))
                return -1;
            b = d[i];
            free(own);
        } else if (py_board_read(vm, o->u.mv.part, o->u.mv.off + (uint64_t)i, &b, 1)) {
            return -1;
        }
        *ret = py_int(vm, b);
        return *ret ? 0 : -1;
    }
    default:
        return py_raise(vm, E_TypeError, "'%s' object isn't subscriptable", py_type_name(o));
    }
}

static int slice_bound(py_vm_t *vm, py_obj *v, int64_t len, int64_t dflt, int64_t *out)
{
    if (!v || v->type == T_NONE) {
        *out = dflt;
        return 0;
    }
    if (v->type != T_INT && v->type != T_BOOL)
        return py_raise(vm, E_TypeError, "slice indices must be integers");
    int64_t i = v->u.i;
    if (i < 0)
        i = i < -len ? 0 : i + len;
    if (i > len)
        i = len;
    *out = i;
    return 0;
}

int py_slice(py_vm_t *vm, py_obj *o, py_obj *lo, py_obj *hi, py_obj **ret)
{
    int64_t len = 0, a = 0, b = 0;
    if (o->type == T_PARTITION || o->type == T_INT || o->type == T_NONE || o->type == T_BOOL ||
        o->type == T_MODULE || o->type == T_FUNC || o->type == T_TYPE)
        return py_raise(vm, E_TypeError, "'%s' object isn't subscriptable", py_type_name(o));
    if (py_len(vm, o, &len))
        return -1;
    if (slice_bound(vm, lo, len, 0, &a) || slice_bound(vm, hi, len, len, &b))
        return -1;
    if (b < a)
        b = a;
    switch (o->type) {
    case T_STR: case T_BYTES: case T_BYTEARRAY:
        *ret = py_bytes(vm, (py_type)o->type, o->u.b.data + a, (size_t)(b - a));
        return *ret ? 0 : -1;
    case T_TUPLE: case T_LIST: {
        py_obj *s = py_seq(vm, (py_type)o->type, (size_t)(b - a));
        if (!s)
            return -1;
        for (int64_t k = a; k < b; k++)
            s->u.l.items[k - a] = o->u.l.items[k];
        *ret = s;
        return 0;
    }
    case T_MEMVIEW: {
        py_obj *v = py_alloc(vm, T_MEMVIEW);
        if (!v)
            return -1;
        v->u.mv = o->u.mv;
        v->u.mv.off = o->u.mv.off + (uint64_t)a;
        v->u.mv.len = (uint64_t)(b - a);
        *ret = v;
        return 0;
    }
    case T_RANGE: {
        py_obj *r = py_alloc(vm, T_RANGE);
        if (!r)
            return -1;
        r->u.r.start = o->u.r.start + a * o->u.r.step;
        r->u.r.stop = o->u.r.start + b * o->u.r.step;
        r->u.r.step = o->u.r.step;
        *ret = r;
        return 0;
    }
    default:
        return py_raise(vm, E_TypeError, "'%s' object isn't subscriptable", py_type_name(o));
    }
}

int py_store_subscr(py_vm_t *vm, py_obj *o, py_obj *index, py_obj *v)
{
    int64_t i;
    if (o->type == T_LIST) {
        if (norm_index(vm, index, (int64_t)o->u.l.len, &i))
            return -1;
        o->u.l.items[i] = v;
        return 0;
    }
    if (o->type == T_BYTEARRAY || (o->type == T_MEMVIEW && !o->u.mv.ro)) {
        uint8_t *d;
        size_t n;
        int64_t b = 0;
        if (py_get_writable(vm, o, &d, &n) || norm_index(vm, index, (int64_t)n, &i))
            return -1;
        if (py_to_int(vm, v, &b))
            return -1;
        if (b < 0 || b > 255)
            return py_raise(vm, E_ValueError, "bytes value out of range");
        d[i] = (uint8_t)b;
        return 0;
    }
    if (o->type == T_MEMVIEW)
        return py_raise(vm, E_TypeError, "'memoryview' object doesn't support item assignment");
    return py_raise(vm, E_TypeError, "'%s' object doesn't support item assignment",
                    py_type_name(o));
}

/* ---- arithmetic ------------------------------------------------------------ */
static const char *op_dunder(int op)
{
    switch (op) {
    case OP_ADD: return "__add__";
    case OP_SUB: return "__sub__";
    case OP_MUL: return "__mul__";
    case OP_FLOORDIV: return "__floordiv__";
    case OP_MOD: return "__mod__";
    case OP_AND: return "__and__";
    case OP_OR: return "__or__";
    case OP_XOR: return "__xor__";
    case OP_LSHIFT: return "__lshift__";
    case OP_RSHIFT: return "__rshift__";
    case OP_LT: return "__lt__";
    case OP_LE: return "__le__";
    case OP_GT: return "__gt__";
    case OP_GE: return "__ge__";
    case OP_IN: case OP_NOT_IN: return "__contains__";
    default: return "__op__";
    }
}

static int unsupported(py_vm_t *vm, int op, py_obj *a, py_obj *b)
{
    return py_raise(vm, E_TypeError, "unsupported types for %s: '%s', '%s'", op_dunder(op),
                    py_type_name(a), py_type_name(b));
}

static int int_op(py_vm_t *vm, int op, int64_t x, int64_t y, py_obj **ret)
{
    int64_t r;
    switch (op) {
    case OP_ADD:
        if (__builtin_add_overflow(x, y, &r))
            goto overflow;
        break;
    case OP_SUB:
        if (__builtin_sub_overflow(x, y, &r))
            goto overflow;
        break;
    case OP_MUL:
        if (__builtin_mul_overflow(x, y, &r))
            goto overflow;
        break;
    case OP_FLOORDIV: case OP_MOD:
        if (y == 0)
            return py_raise(vm, E_ZeroDivisionError, "divide by zero");
        if (x == INT64_MIN && y == -1)
            goto overflow;
        {
            int64_t q = x / y, m = x % y;
            if (m != 0 && ((m < 0) != (y < 0))) {
                q -= 1;
                m += y;
            }
            r = op == OP_FLOORDIV ? q : m;
        }
        break;
    case OP_AND: r = x & y; break;
    case OP_OR: r = x | y; break;
    case OP_XOR: r = x ^ y; break;
    case OP_LSHIFT:
        if (y < 0)
            return py_raise(vm, E_ValueError, "negative shift count");
        if (y >= 63 || (x != 0 && (x > (INT64_MAX >> y) || x < (INT64_MIN >> y))))
            goto overflow;
        r = (int64_t)((uint64_t)x << y);
        break;
    case OP_RSHIFT:
        if (y < 0)
            return py_raise(vm, E_ValueError, "negative shift count");
        r = y >= 63 ? (x < 0 ? -1 : 0) : x >> y;
        break;
    default:
        return py_raise(vm, E_TypeError, "unsupported operator");
    }
    *ret = py_int(vm, r);
    return *ret ? 0 : -1;
overflow:
    return py_raise(vm, E_OverflowError, "result doesn't fit in a 64-bit int on this simulated board");
}

static int concat(py_vm_t *vm, py_obj *a, py_obj *b, py_obj **ret)
{
    if (a->type == T_STR && b->type != T_STR)
        return py_raise(vm, E_TypeError, "can't convert '%s' object to str implicitly",
                        py_type_name(b));
    if (a->type == T_TUPLE || a->type == T_LIST) {
        if (b->type != a->type)
            return unsupported(vm, OP_ADD, a, b);
        py_obj *s = py_seq(vm, (py_type)a->type, 0);
        if (!s)
            return -1;
        for (size_t i = 0; i < a->u.l.len; i++)
            if (py_list_append(vm, s, a->u.l.items[i]))
                return -1;
        for (size_t i = 0; i < b->u.l.len; i++)
            if (py_list_append(vm, s, b->u.l.items[i]))
                return -1;
        *ret = s;
        return 0;
    }
    if (a->type == T_STR) {
        py_obj *s = py_bytes(vm, T_STR, a->u.b.data, a->u.b.len);
        if (!s || py_append(vm, s, b->u.b.data, b->u.b.len))
            return -1;
        *ret = s;
        return 0;
    }
    if ((a->type == T_BYTES || a->type == T_BYTEARRAY) && py_is_bytes_like(b)) {
        const uint8_t *d;
        size_t n;
        uint8_t *own;
        if (py_get_buffer(vm, b, &d, &n, &own))
            return -1;
        py_obj *s = py_bytes(vm, (py_type)a->type, a->u.b.data, a->u.b.len);
        int rc = (!s || py_append(vm, s, d, n)) ? -1 : 0;
        free(own);
        *ret = s;
        return rc;
    }
    return unsupported(vm, OP_ADD, a, b);
}

static int repeat(py_vm_t *vm, py_obj *s, int64_t n, py_obj **ret)
{
    size_t unit = (s->type == T_TUPLE || s->type == T_LIST) ? s->u.l.len : s->u.b.len;
    if (n < 0 || unit == 0)
        n = 0; /* an empty sequence repeated any number of times: no loop at all */
    if (unit && (uint64_t)n > (uint64_t)vm->cfg.limits.max_alloc / unit)
        return py_raise_nomem(vm, (size_t)-1);
    if (s->type == T_TUPLE || s->type == T_LIST) {
        py_obj *r = py_seq(vm, (py_type)s->type, 0);
        if (!r)
            return -1;
        for (int64_t k = 0; k < n; k++)
            for (size_t i = 0; i < unit; i++)
                if (py_list_append(vm, r, s->u.l.items[i]))
                    return -1;
        *ret = r;
        return 0;
    }
    py_obj *r = py_bytes(vm, (py_type)s->type, "", 0);
    if (!r)
        return -1;
    for (int64_t k = 0; k < n; k++)
        if (py_append(vm, r, s->u.b.data, unit))
            return -1;
    *ret = r;
    return 0;
}

static bool is_intlike(const py_obj *o)
{
    return o->type == T_INT || o->type == T_BOOL;
}

static bool is_seq(const py_obj *o)
{
    return o->type == T_STR || o->type == T_BYTES || o->type == T_BYTEARRAY ||
           o->type == T_TUPLE || o->type == T_LIST;
}

int py_binop(py_vm_t *vm, int op, py_obj *a, py_obj *b, py_obj **ret)
{
    if (is_intlike(a) && is_intlike(b))
        return int_op(vm, op, a->u.i, b->u.i, ret);
    if (op == OP_ADD)
        return concat(vm, a, b, ret);
    if (op == OP_MUL) {
        if (is_seq(a) && is_intlike(b))
            return repeat(vm, a, b->u.i, ret);
        if (is_intlike(a) && is_seq(b))
            return repeat(vm, b, a->u.i, ret);
    }
    if (op == OP_MOD && a->type == T_STR)
        return py_raise(vm, E_NotImplementedError,
                        "%%-formatting is not supported by this simulated board");
    return unsupported(vm, op, a, b);
}

static int contains(py_vm_t *vm, py_obj *item, py_obj *c, bool *res)
{
    if (c->type == T_STR) {
        if (item->type != T_STR)
            return py_raise(vm, E_TypeError, "can't convert '%s' object to str implicitly",
                            py_type_name(item));
        *res = item->u.b.len == 0 ||
               memmem(c->u.b.data, c->u.b.len, item->u.b.data, item->u.b.len) != NULL;
        return 0;
    }
    if ((c->type == T_BYTES || c->type == T_BYTEARRAY) && is_intlike(item)) {
        *res = item->u.i >= 0 && item->u.i < 256 && memchr(c->u.b.data, (int)item->u.i, c->u.b.len);
        return 0;
    }
    if ((c->type == T_BYTES || c->type == T_BYTEARRAY) && py_is_bytes_like(item)) {
        const uint8_t *d;
        size_t n;
        uint8_t *own;
        if (py_get_buffer(vm, item, &d, &n, &own))
            return -1;
        *res = n == 0 || memmem(c->u.b.data, c->u.b.len, d, n) != NULL;
        free(own);
        return 0;
    }
    if (c->type == T_TUPLE || c->type == T_LIST) {
        *res = false;
        for (size_t i = 0; i < c->u.l.len && !*res; i++)
            if (py_equal(vm, item, c->u.l.items[i], res))
                return -1;
        return 0;
    }
    if (c->type == T_RANGE && is_intlike(item)) {
        int64_t n, v = item->u.i;
        py_len(vm, c, &n);
        *res = false;
        if (n > 0) {
            int64_t d = v - c->u.r.start;
            *res = d % c->u.r.step == 0 && d / c->u.r.step >= 0 && d / c->u.r.step < n;
        }
        return 0;
    }
    return py_raise(vm, E_TypeError, "'%s' object isn't iterable", py_type_name(c));
}

static int order(py_vm_t *vm, int op, py_obj *a, py_obj *b, int *cmp)
{
    if (is_intlike(a) && is_intlike(b)) {
        *cmp = a->u.i < b->u.i ? -1 : a->u.i > b->u.i;
        return 0;
    }
    bool ab = a->type == T_STR || a->type == T_BYTES || a->type == T_BYTEARRAY;
    bool bb = b->type == T_STR || b->type == T_BYTES || b->type == T_BYTEARRAY;
    if (ab && bb && (a->type == T_STR) == (b->type == T_STR)) {
        size_t n = a->u.b.len < b->u.b.len ? a->u.b.len : b->u.b.len;
        int c = n ? memcmp(a->u.b.data, b->u.b.data, n) : 0;
        if (c == 0)
            c = a->u.b.len < b->u.b.len ? -1 : a->u.b.len > b->u.b.len;
        *cmp = c < 0 ? -1 : c > 0;
        return 0;
    }
    if ((a->type == T_TUPLE || a->type == T_LIST) && a->type == b->type) {
        size_t n = a->u.l.len < b->u.l.len ? a->u.l.len : b->u.l.len;
        for (size_t i = 0; i < n; i++) {
            bool eq;
            if (py_equal(vm, a->u.l.items[i], b->u.l.items[i], &eq))
                return -1;
            if (!eq) {
                if (++vm->depth > vm->cfg.limits.max_depth) {
                    vm->depth--;
                    return py_raise(vm, E_RuntimeError, "maximum recursion depth exceeded");
                }
                int rc = order(vm, op, a->u.l.items[i], b->u.l.items[i], cmp);
                vm->depth--;
                return rc;
            }
        }
        *cmp = a->u.l.len < b->u.l.len ? -1 : a->u.l.len > b->u.l.len;
        return 0;
    }
    return unsupported(vm, op, a, b);
}

int py_compare(py_vm_t *vm, int op, py_obj *a, py_obj *b, bool *res)
{
    int c;
    switch (op) {
    case OP_EQ: return py_equal(vm, a, b, res);
    case OP_NE:
        if (py_equal(vm, a, b, res))
            return -1;
        *res = !*res;
        return 0;
    case OP_IS:
        *res = a == b || (a->type == T_INT && b->type == T_INT && a->u.i == b->u.i);
        return 0;
    case OP_IS_NOT:
        *res = !(a == b || (a->type == T_INT && b->type == T_INT && a->u.i == b->u.i));
        return 0;
    case OP_IN: return contains(vm, a, b, res);
    case OP_NOT_IN:
        if (contains(vm, a, b, res))
            return -1;
        *res = !*res;
        return 0;
    default:
        if (order(vm, op, a, b, &c))
            return -1;
        *res = op == OP_LT ? c < 0 : op == OP_LE ? c <= 0 : op == OP_GT ? c > 0 : c >= 0;
        return 0;
    }
}
