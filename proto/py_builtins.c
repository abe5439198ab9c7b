/* Builtin functions and types, calling, attribute lookup and the methods of the
 * builtin types (bytes.hex, bytes.fromhex, str.encode, list.append, ...). */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "py_int.h"

int py_module_method(py_vm_t *vm, py_obj *o, const char *name, py_obj **ret);

int py_check_args(py_vm_t *vm, const char *fn, int argc, int lo, int hi, int nkw)
{
    if (nkw)
        return py_raise(vm, E_TypeError, "%s() doesn't take keyword arguments here", fn);
    if (argc < lo || argc > hi) {
        if (lo == hi)
            return py_raise(vm, E_TypeError, "function takes %d positional arguments but %d were given",
                            lo, argc);
        return py_raise(vm, E_TypeError, "function expected at most %d arguments, got %d", hi, argc);
    }
    return 0;
}

#define NATIVE(name) static int name(py_vm_t *vm, py_obj *self, int argc, py_obj **argv, \
                                     int nkw, const char **kwn, py_obj **kwv, py_obj **ret)
#define UNUSED_KW (void)kwn, (void)kwv
#define UNUSED_SELF (void)self

/* ---- builtins ------------------------------------------------------------------ */
NATIVE(bi_print)
{
    UNUSED_SELF;
    const char *sep = " ", *end = "\n";
    size_t seplen = 1, endlen = 1;
    for (int k = 0; k < nkw; k++) {
        bool is_sep = strcmp(kwn[k], "sep") == 0, is_end = strcmp(kwn[k], "end") == 0;
        if (!is_sep && !is_end)
            return py_raise(vm, E_TypeError, "unexpected keyword argument '%s'", kwn[k]);
        if (kwv[k]->type == T_NONE)
            continue;
        if (kwv[k]->type != T_STR)
            return py_raise(vm, E_TypeError, "%s must be None or a string", kwn[k]);
        if (is_sep) {
            sep = (const char *)kwv[k]->u.b.data;
            seplen = kwv[k]->u.b.len;
        } else {
            end = (const char *)kwv[k]->u.b.data;
            endlen = kwv[k]->u.b.len;
        }
    }
    py_obj *text = py_bytes(vm, T_STR, "", 0);
    if (!text)
        return -1;
    for (int i = 0; i < argc; i++) {
        if (i && py_append(vm, text, sep, seplen))
            return -1;
        if (py_str_of(vm, argv[i], text))
            return -1;
    }
    if (py_append(vm, text, end, endlen))
        return -1;
    py_write_out(vm, (const char *)text->u.b.data, text->u.b.len);
    *ret = PY_NONE;
    return 0;
}

NATIVE(bi_repr)
{
    UNUSED_SELF, UNUSED_KW;
    if (py_check_args(vm, "repr", argc, 1, 1, nkw))
        return -1;
    py_obj *s = py_bytes(vm, T_STR, "", 0);
    if (!s || py_repr(vm, argv[0], s))
        return -1;
    *ret = s;
    return 0;
}

NATIVE(bi_len)
{
    UNUSED_SELF, UNUSED_KW;
    int64_t n;
    if (py_check_args(vm, "len", argc, 1, 1, nkw) || py_len(vm, argv[0], &n))
        return -1;
    *ret = py_int(vm, n);
    return *ret ? 0 : -1;
}

NATIVE(bi_range)
{
    UNUSED_SELF, UNUSED_KW;
    int64_t a = 0, b, s = 1;
    if (py_check_args(vm, "range", argc, 1, 3, nkw))
        return -1;
    if (argc == 1) {
        if (py_to_int(vm, argv[0], &b))
            return -1;
    } else if (py_to_int(vm, argv[0], &a) || py_to_int(vm, argv[1], &b) ||
               (argc == 3 && py_to_int(vm, argv[2], &s))) {
        return -1;
    }
    if (s == 0)
        return py_raise(vm, E_ValueError, "zero step");
    /* keep len() and element arithmetic inside 64 bits */
    if (a < -(INT64_C(1) << 60) || a > (INT64_C(1) << 60) || b < -(INT64_C(1) << 60) ||
        b > (INT64_C(1) << 60) || s < -(INT64_C(1) << 60) || s > (INT64_C(1) << 60))
        return py_raise(vm, E_OverflowError, "range too large for this simulated board");
    py_obj *r = py_alloc(vm, T_RANGE);
    if (!r)
        return -1;
    r->u.r.start = a;
    r->u.r.stop = b;
    r->u.r.step = s;
    *ret = r;
    return 0;
}

static bool type_matches(py_obj *o, py_obj *t)
{
    if (t->type != T_TYPE || t->u.t.exc)
        return false;
    if (t->u.t.of == T_INT)
        return o->type == T_INT || o->type == T_BOOL;
    return o->type == t->u.t.of;
}

NATIVE(bi_isinstance)
{
    UNUSED_SELF, UNUSED_KW;
    if (py_check_args(vm, "isinstance", argc, 2, 2, nkw))
        return -1;
    py_obj *t = argv[1];
    bool r = false;
    if (t->type == T_TUPLE) {
        for (size_t i = 0; i < t->u.l.len; i++) {
            if (t->u.l.items[i]->type != T_TYPE)
                return py_raise(vm, E_TypeError, "isinstance expects a class or tuple of classes");
            r = r || type_matches(argv[0], t->u.l.items[i]);
        }
    } else if (t->type == T_TYPE) {
        r = type_matches(argv[0], t);
    } else {
        return py_raise(vm, E_TypeError, "isinstance expects a class or tuple of classes");
    }
    *ret = py_bool(r);
    return 0;
}

NATIVE(bi_hasattr)
{
    UNUSED_SELF, UNUSED_KW;
    if (py_check_args(vm, "hasattr", argc, 2, 2, nkw))
        return -1;
    if (argv[1]->type != T_STR)
        return py_raise(vm, E_TypeError, "attribute name must be a string");
    *ret = py_bool(py_hasattr(vm, argv[0], (const char *)argv[1]->u.b.data));
    return vm->exc ? -1 : 0;
}

NATIVE(bi_getattr)
{
    UNUSED_SELF, UNUSED_KW;
    if (py_check_args(vm, "getattr", argc, 2, 3, nkw))
        return -1;
    if (argv[1]->type != T_STR)
        return py_raise(vm, E_TypeError, "attribute name must be a string");
    if (argc == 3) {
        if (!py_hasattr(vm, argv[0], (const char *)argv[1]->u.b.data)) {
            if (vm->exc)
                return -1;
            *ret = argv[2];
            return 0;
        }
    }
    return py_getattr(vm, argv[0], (const char *)argv[1]->u.b.data, ret);
}

static int minmax(py_vm_t *vm, int argc, py_obj **argv, int nkw, int op, py_obj **ret)
{
    if (nkw)
        return py_raise(vm, E_TypeError, "keyword arguments are not supported here");
    if (argc == 0)
        return py_raise(vm, E_TypeError, "function missing 1 required positional arguments");
    py_obj *best = NULL, *it, *v;
    bool done;
    if (argc == 1) {
        if (py_iter(vm, argv[0], &it))
            return -1;
        for (;;) {
            if (py_next(vm, it, &v, &done))
                return -1;
            if (done)
                break;
            bool better = true;
            if (best && py_compare(vm, op, v, best, &better))
                return -1;
            if (better)
                best = v;
        }
        if (!best)
            return py_raise(vm, E_ValueError, "arg is an empty sequence");
    } else {
        for (int i = 0; i < argc; i++) {
            bool better = true;
            if (best && py_compare(vm, op, argv[i], best, &better))
                return -1;
            if (better)
                best = argv[i];
        }
    }
    *ret = best;
    return 0;
}

NATIVE(bi_min)
{
    UNUSED_SELF, UNUSED_KW;
    return minmax(vm, argc, argv, nkw, OP_LT, ret);
}

NATIVE(bi_max)
{
    UNUSED_SELF, UNUSED_KW;
    return minmax(vm, argc, argv, nkw, OP_GT, ret);
}

NATIVE(bi_abs)
{
    UNUSED_SELF, UNUSED_KW;
    int64_t v;
    if (py_check_args(vm, "abs", argc, 1, 1, nkw) || py_to_int(vm, argv[0], &v))
        return -1;
    if (v == INT64_MIN)
        return py_raise(vm, E_OverflowError, "result doesn't fit in a 64-bit int");
    *ret = py_int(vm, v < 0 ? -v : v);
    return *ret ? 0 : -1;
}

NATIVE(bi_sum)
{
    UNUSED_SELF, UNUSED_KW;
    py_obj *it, *v, *acc;
    bool done;
    if (py_check_args(vm, "sum", argc, 1, 2, nkw) || py_iter(vm, argv[0], &it))
        return -1;
    acc = argc == 2 ? argv[1] : py_int(vm, 0);
    if (!acc)
        return -1;
    for (;;) {
        if (py_next(vm, it, &v, &done))
            return -1;
        if (done)
            break;
        if (py_binop(vm, OP_ADD, acc, v, &acc))
            return -1;
    }
    *ret = acc;
    return 0;
}

NATIVE(bi_help)
{
    UNUSED_SELF, UNUSED_KW;
    (void)argv;
    if (py_check_args(vm, "help", argc, 0, 1, nkw))
        return -1;
    static const char text[] =
        "Welcome to a simulated MicroPython board (mpromfs sim serve).\n"
        "It runs a small subset of Python: what mpremote's romfs commands and\n"
        "mpromfs's serial client send. Try:\n"
        "  import vfs\n  vfs.rom_ioctl(1)\n  bytes(memoryview(vfs.rom_ioctl(2, 0))[:12])\n"
        "Control commands: CTRL-A raw REPL, CTRL-B friendly REPL, CTRL-C interrupt,\n"
        "CTRL-D soft reset.\n";
    py_write_out(vm, text, sizeof text - 1);
    *ret = PY_NONE;
    return 0;
}

static const struct {
    const char *name;
    py_native fn;
} builtin_funcs[] = {
    {"print", bi_print}, {"repr", bi_repr}, {"len", bi_len}, {"range", bi_range},
    {"isinstance", bi_isinstance}, {"hasattr", bi_hasattr}, {"getattr", bi_getattr},
    {"min", bi_min}, {"max", bi_max}, {"abs", bi_abs}, {"sum", bi_sum}, {"help", bi_help},
};

static const struct {
    const char *name;
    py_type of;
} builtin_types[] = {
    {"int", T_INT}, {"bytes", T_BYTES}, {"bytearray", T_BYTEARRAY}, {"memoryview", T_MEMVIEW},
    {"str", T_STR}, {"tuple", T_TUPLE}, {"list", T_LIST}, {"bool", T_BOOL},
};

int py_builtin_lookup(py_vm_t *vm, const char *name, py_obj **ret)
{
    for (size_t i = 0; i < sizeof builtin_funcs / sizeof builtin_funcs[0]; i++)
        if (strcmp(builtin_funcs[i].name, name) == 0) {
            *ret = py_func(vm, builtin_funcs[i].name, builtin_funcs[i].fn, NULL);
            return *ret ? 0 : -1;
        }
    for (size_t i = 0; i < sizeof builtin_types / sizeof builtin_types[0]; i++)
        if (strcmp(builtin_types[i].name, name) == 0) {
            *ret = py_type_obj(vm, builtin_types[i].name, builtin_types[i].of, E_NONE);
            return *ret ? 0 : -1;
        }
    py_exc e = py_exc_by_name(name);
    if (e != E_NONE) {
        *ret = py_type_obj(vm, py_exc_name(e), T_NONE, e);
        return *ret ? 0 : -1;
    }
    if (strcmp(name, "__name__") == 0) {
        *ret = py_str(vm, "__main__");
        return *ret ? 0 : -1;
    }
    static const char *const unsupported[] = {
        "open", "exec", "eval", "compile", "globals", "locals", "dict", "set", "float",
        "input", "__import__", "setattr", "delattr", "iter", "next", "sorted", "zip", "map",
        "filter", "enumerate", "reversed", "chr", "ord", "hex", "bin", "oct", "hash", "id",
        "callable", "divmod", "pow", "round", "all", "any", "super", "object", "property",
        "classmethod", "staticmethod", "frozenset", "type", "slice", "issubclass", NULL,
    };
    for (int i = 0; unsupported[i]; i++)
        if (strcmp(unsupported[i], name) == 0)
            return py_raise(vm, E_NotImplementedError,
                            "builtin '%s' is not supported by this simulated board", name);
    return 1;
}

/* ---- type constructors --------------------------------------------------------- */
static int from_iterable(py_vm_t *vm, py_obj *src, py_type t, py_obj **ret)
{
    py_obj *it, *v;
    bool done;
    if (py_iter(vm, src, &it))
        return -1;
    py_obj *out = (t == T_BYTES || t == T_BYTEARRAY) ? py_bytes(vm, t, "", 0) : py_seq(vm, t, 0);
    if (!out)
        return -1;
    for (;;) {
        if (py_next(vm, it, &v, &done))
            return -1;
        if (done)
            break;
        if (t == T_BYTES || t == T_BYTEARRAY) {
            int64_t b;
            if (py_to_int(vm, v, &b))
                return -1;
            if (b < 0 || b > 255)
                return py_raise(vm, E_ValueError, "bytes value out of range");
            uint8_t c = (uint8_t)b;
            if (py_append(vm, out, &c, 1))
                return -1;
        } else if (py_list_append(vm, out, v)) {
            return -1;
        }
    }
    *ret = out;
    return 0;
}

static int make_bytes(py_vm_t *vm, py_type t, int argc, py_obj **argv, py_obj **ret)
{
    if (argc == 0) {
        *ret = py_bytes(vm, t, "", 0);
        return *ret ? 0 : -1;
    }
    py_obj *a = argv[0];
    if (a->type == T_INT || a->type == T_BOOL) {
        if (a->u.i < 0)
            return py_raise(vm, E_ValueError, "negative count");
        if ((uint64_t)a->u.i > vm->cfg.limits.max_alloc)
            return py_raise_nomem(vm, (size_t)a->u.i);
        py_obj *o = py_bytes(vm, t, "", 0);
        if (!o || py_reserve(vm, (void **)&o->u.b.data, &o->u.b.cap, (size_t)a->u.i + 1, 1))
            return -1;
        memset(o->u.b.data, 0, (size_t)a->u.i + 1);
        o->u.b.len = (size_t)a->u.i;
        *ret = o;
        return 0;
    }
    if (a->type == T_STR) {
        if (argc < 2)
            return py_raise(vm, E_TypeError, "string argument without an encoding");
        *ret = py_bytes(vm, t, a->u.b.data, a->u.b.len);
        return *ret ? 0 : -1;
    }
    if (py_is_bytes_like(a)) {
        const uint8_t *d;
        size_t n;
        uint8_t *own;
        if (py_get_buffer(vm, a, &d, &n, &own))
            return -1;
        *ret = py_bytes(vm, t, d, n);
        free(own);
        return *ret ? 0 : -1;
    }
    return from_iterable(vm, a, t, ret);
}

static int parse_int_text(py_vm_t *vm, const uint8_t *s, size_t n, int64_t base, py_obj **ret)
{
    size_t i = 0;
    while (i < n && isspace(s[i]))
        i++;
    while (n > i && isspace(s[n - 1]))
        n--;
    bool neg = false;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    if (base == 0 || base == 16 || base == 8 || base == 2) {
        if (n - i >= 2 && s[i] == '0') {
            char c = (char)tolower(s[i + 1]);
            int b = c == 'x' ? 16 : c == 'o' ? 8 : c == 'b' ? 2 : 0;
            if (b && (base == 0 || base == b)) {
                base = b;
                i += 2;
            }
        }
        if (base == 0)
            base = 10;
    }
    if (base < 2 || base > 36)
        return py_raise(vm, E_ValueError, "int() arg 2 must be >= 2 and <= 36");
    uint64_t v = 0;
    bool any = false;
    for (; i < n; i++) {
        int d = isdigit(s[i]) ? s[i] - '0' : isalpha(s[i]) ? tolower(s[i]) - 'a' + 10 : 99;
        if (s[i] == '_' && any)
            continue;
        if (d >= base)
            goto bad;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            return py_raise(vm, E_OverflowError, "int too big for this simulated board");
        v = v * (uint64_t)base + (uint64_t)d;
        any = true;
    }
    if (!any)
        goto bad;
    if (v > (uint64_t)INT64_MAX + (neg ? 1 : 0))
        return py_raise(vm, E_OverflowError, "int too big for this simulated board");
    *ret = py_int(vm, neg ? (int64_t)(0 - v) : (int64_t)v);
    return *ret ? 0 : -1;
bad:
    return py_raise(vm, E_ValueError, "invalid syntax for integer with base %d", (int)base);
}

static int construct(py_vm_t *vm, py_obj *t, int argc, py_obj **argv, int nkw, py_obj **ret)
{
    if (t->u.t.exc)
        return py_raise(vm, E_NotImplementedError,
                        "creating exceptions is not supported by this simulated board");
    if (nkw)
        return py_raise(vm, E_TypeError, "%s() doesn't take keyword arguments here", t->u.t.name);
    switch (t->u.t.of) {
    case T_INT: {
        if (py_check_args(vm, "int", argc, 0, 2, 0))
            return -1;
        if (argc == 0) {
            *ret = py_int(vm, 0);
            return *ret ? 0 : -1;
        }
        py_obj *a = argv[0];
        if (a->type == T_INT || a->type == T_BOOL) {
            *ret = argc == 1 ? py_int(vm, a->u.i) : NULL;
            if (argc == 2)
                return py_raise(vm, E_TypeError, "can't convert non-string with explicit base");
            return *ret ? 0 : -1;
        }
        int64_t base = 10;
        if (argc == 2 && py_to_int(vm, argv[1], &base))
            return -1;
        if (a->type == T_STR || a->type == T_BYTES || a->type == T_BYTEARRAY)
            return parse_int_text(vm, a->u.b.data, a->u.b.len, base, ret);
        return py_raise(vm, E_TypeError, "can't convert %s to int", py_type_name(a));
    }
    case T_BOOL: {
        int st;
        if (py_check_args(vm, "bool", argc, 0, 1, 0))
            return -1;
        *ret = py_bool(argc && py_truthy(vm, argv[0], &st));
        return argc && st ? -1 : 0;
    }
    case T_BYTES: case T_BYTEARRAY:
        if (py_check_args(vm, t->u.t.name, argc, 0, 3, 0))
            return -1;
        return make_bytes(vm, (py_type)t->u.t.of, argc, argv, ret);
    case T_STR: {
        if (py_check_args(vm, "str", argc, 0, 3, 0))
            return -1;
        if (argc == 0) {
            *ret = py_str(vm, "");
            return *ret ? 0 : -1;
        }
        if (argc >= 2 && py_is_bytes_like(argv[0])) {
            const uint8_t *d;
            size_t n;
            uint8_t *own;
            if (py_get_buffer(vm, argv[0], &d, &n, &own))
                return -1;
            *ret = py_bytes(vm, T_STR, d, n);
            free(own);
            return *ret ? 0 : -1;
        }
        py_obj *s = py_str(vm, "");
        if (!s || py_str_of(vm, argv[0], s))
            return -1;
        *ret = s;
        return 0;
    }
    case T_TUPLE: case T_LIST:
        if (py_check_args(vm, t->u.t.name, argc, 0, 1, 0))
            return -1;
        if (argc == 0) {
            *ret = py_seq(vm, (py_type)t->u.t.of, 0);
            return *ret ? 0 : -1;
        }
        return from_iterable(vm, argv[0], (py_type)t->u.t.of, ret);
    case T_MEMVIEW: {
        if (py_check_args(vm, "memoryview", argc, 1, 1, 0))
            return -1;
        py_obj *a = argv[0];
        if (a->type == T_MEMVIEW) {
            *ret = a;
            return 0;
        }
        if (a->type == T_PARTITION) {
            py_part info;
            if (py_board_info(vm, a->u.p.part, &info))
                return -1;
            *ret = py_partition_view(vm, a->u.p.part, info.size);
            return *ret ? 0 : -1;
        }
        if (a->type != T_BYTES && a->type != T_BYTEARRAY)
            return py_raise(vm, E_TypeError, "object with buffer protocol required");
        py_obj *v = py_alloc(vm, T_MEMVIEW);
        if (!v)
            return -1;
        v->u.mv.src = a;
        v->u.mv.len = a->u.b.len;
        v->u.mv.ro = a->type == T_BYTES;
        *ret = v;
        return 0;
    }
    default:
        return py_raise(vm, E_TypeError, "cannot create '%s' instances", t->u.t.name);
    }
}

int py_call(py_vm_t *vm, py_obj *f, int argc, py_obj **argv, int nkw, const char **kwn,
            py_obj **kwv, py_obj **ret)
{
    if (++vm->depth > vm->cfg.limits.max_depth) {
        vm->depth--;
        return py_raise(vm, E_RuntimeError, "maximum recursion depth exceeded");
    }
    int rc;
    if (f->type == T_FUNC)
        rc = f->u.f.fn(vm, f->u.f.self, argc, argv, nkw, kwn, kwv, ret);
    else if (f->type == T_TYPE)
        rc = construct(vm, f, argc, argv, nkw, ret);
    else
        rc = py_raise(vm, E_TypeError, "'%s' object isn't callable", py_type_name(f));
    vm->depth--;
    return rc;
}

/* ---- methods of builtin types ---------------------------------------------------- */
static int buffer_of(py_vm_t *vm, py_obj *o, const uint8_t **d, size_t *n, uint8_t **own)
{
    return py_get_buffer(vm, o, d, n, own);
}

NATIVE(m_hex)
{
    UNUSED_KW;
    const uint8_t *d;
    size_t n;
    uint8_t *own;
    if (py_check_args(vm, "hex", argc, 0, 1, nkw))
        return -1;
    const uint8_t *sep = NULL;
    size_t seplen = 0;
    if (argc == 1) {
        if (argv[0]->type != T_STR && argv[0]->type != T_BYTES)
            return py_raise(vm, E_TypeError, "sep must be str or bytes");
        sep = argv[0]->u.b.data;
        seplen = argv[0]->u.b.len;
    }
    if (buffer_of(vm, self, &d, &n, &own))
        return -1;
    py_obj *s = py_str(vm, "");
    for (size_t i = 0; s && i < n; i++) {
        char h[3];
        snprintf(h, sizeof h, "%02x", d[i]);
        if ((i && seplen && py_append(vm, s, sep, seplen)) || py_append(vm, s, h, 2)) {
            s = NULL;
            break;
        }
    }
    free(own);
    *ret = s;
    return s ? 0 : -1;
}

static int hexdigit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

NATIVE(m_fromhex)
{
    UNUSED_KW, UNUSED_SELF;
    if (py_check_args(vm, "fromhex", argc, 1, 1, nkw))
        return -1;
    if (argv[0]->type != T_STR)
        return py_raise(vm, E_TypeError, "fromhex() argument must be str");
    const uint8_t *s = argv[0]->u.b.data;
    size_t n = argv[0]->u.b.len;
    py_obj *out = py_bytes(vm, T_BYTES, "", 0);
    if (!out || py_reserve(vm, (void **)&out->u.b.data, &out->u.b.cap, n / 2 + 1, 1))
        return -1;
    for (size_t i = 0; i < n;) {
        if (isspace(s[i])) {
            i++;
            continue;
        }
        int h = hexdigit(s[i]), l = i + 1 < n ? hexdigit(s[i + 1]) : -1;
        if (h < 0 || l < 0)
            return py_raise(vm, E_ValueError, "non-hex digit found");
        out->u.b.data[out->u.b.len++] = (uint8_t)(h * 16 + l);
        i += 2;
    }
    out->u.b.data[out->u.b.len] = 0;
    *ret = out;
    return 0;
}

NATIVE(m_from_bytes)
{
    UNUSED_KW, UNUSED_SELF;
    const uint8_t *d;
    size_t n;
    uint8_t *own;
    if (py_check_args(vm, "from_bytes", argc, 1, 2, nkw))
        return -1;
    bool little = false;
    if (argc == 2) {
        if (argv[1]->type != T_STR)
            return py_raise(vm, E_TypeError, "byteorder must be str");
        little = strcmp((const char *)argv[1]->u.b.data, "little") == 0;
        if (!little && strcmp((const char *)argv[1]->u.b.data, "big") != 0)
            return py_raise(vm, E_ValueError, "byteorder must be either 'little' or 'big'");
    }
    if (buffer_of(vm, argv[0], &d, &n, &own))
        return -1;
    uint64_t v = 0;
    bool big = false;
    for (size_t i = 0; i < n; i++) {
        uint8_t b = little ? d[n - 1 - i] : d[i];
        if (v >> 56)
            big = true;
        v = (v << 8) | b;
    }
    free(own);
    if (big || v > INT64_MAX)
        return py_raise(vm, E_OverflowError, "int too big for this simulated board");
    *ret = py_int(vm, (int64_t)v);
    return *ret ? 0 : -1;
}

NATIVE(m_decode)
{
    UNUSED_KW;
    (void)argv;
    const uint8_t *d;
    size_t n;
    uint8_t *own;
    if (py_check_args(vm, "decode", argc, 0, 2, nkw) || buffer_of(vm, self, &d, &n, &own))
        return -1;
    *ret = py_bytes(vm, T_STR, d, n);
    free(own);
    return *ret ? 0 : -1;
}

NATIVE(m_encode)
{
    UNUSED_KW;
    (void)argv;
    if (py_check_args(vm, "encode", argc, 0, 2, nkw))
        return -1;
    *ret = py_bytes(vm, T_BYTES, self->u.b.data, self->u.b.len);
    return *ret ? 0 : -1;
}

static int affix(py_vm_t *vm, py_obj *self, int argc, py_obj **argv, int nkw, bool start,
                 py_obj **ret)
{
    const uint8_t *d, *p;
    size_t n, pn;
    uint8_t *own, *pown;
    if (py_check_args(vm, start ? "startswith" : "endswith", argc, 1, 1, nkw))
        return -1;
    if ((self->type == T_STR) != (argv[0]->type == T_STR))
        return py_raise(vm, E_TypeError, "can't mix str and bytes");
    if (buffer_of(vm, self, &d, &n, &own))
        return -1;
    if (buffer_of(vm, argv[0], &p, &pn, &pown)) {
        free(own);
        return -1;
    }
    bool r = pn <= n && (pn == 0 || memcmp(start ? d : d + n - pn, p, pn) == 0);
    free(own);
    free(pown);
    *ret = py_bool(r);
    return 0;
}

NATIVE(m_startswith)
{
    UNUSED_KW;
    return affix(vm, self, argc, argv, nkw, true, ret);
}

NATIVE(m_endswith)
{
    UNUSED_KW;
    return affix(vm, self, argc, argv, nkw, false, ret);
}

NATIVE(m_append)
{
    UNUSED_KW;
    if (py_check_args(vm, "append", argc, 1, 1, nkw))
        return -1;
    if (self->type == T_LIST) {
        if (py_list_append(vm, self, argv[0]))
            return -1;
    } else {
        int64_t b;
        if (py_to_int(vm, argv[0], &b))
            return -1;
        if (b < 0 || b > 255)
            return py_raise(vm, E_ValueError, "bytes value out of range");
        uint8_t c = (uint8_t)b;
        if (py_append(vm, self, &c, 1))
            return -1;
    }
    *ret = PY_NONE;
    return 0;
}

NATIVE(m_extend)
{
    UNUSED_KW;
    py_obj *tmp;
    if (py_check_args(vm, "extend", argc, 1, 1, nkw))
        return -1;
    if (self->type == T_LIST) {
        if (from_iterable(vm, argv[0], T_LIST, &tmp))
            return -1;
        for (size_t i = 0; i < tmp->u.l.len; i++)
            if (py_list_append(vm, self, tmp->u.l.items[i]))
                return -1;
    } else {
        if (make_bytes(vm, T_BYTES, 1, argv, &tmp) || py_append(vm, self, tmp->u.b.data, tmp->u.b.len))
            return -1;
    }
    *ret = PY_NONE;
    return 0;
}

NATIVE(m_join)
{
    UNUSED_KW;
    py_obj *it, *v;
    bool done, first = true;
    if (py_check_args(vm, "join", argc, 1, 1, nkw) || py_iter(vm, argv[0], &it))
        return -1;
    py_obj *out = py_bytes(vm, (py_type)self->type, "", 0);
    if (!out)
        return -1;
    for (;;) {
        if (py_next(vm, it, &v, &done))
            return -1;
        if (done)
            break;
        if ((v->type == T_STR) != (self->type == T_STR) ||
            (v->type != T_STR && v->type != T_BYTES && v->type != T_BYTEARRAY))
            return py_raise(vm, E_TypeError, "join expects a list of %s objects",
                            self->type == T_STR ? "str" : "bytes");
        if ((!first && py_append(vm, out, self->u.b.data, self->u.b.len)) ||
            py_append(vm, out, v->u.b.data, v->u.b.len))
            return -1;
        first = false;
    }
    *ret = out;
    return 0;
}

NATIVE(m_strip)
{
    UNUSED_KW;
    (void)argv;
    if (py_check_args(vm, "strip", argc, 0, 0, nkw))
        return -1;
    const uint8_t *d = self->u.b.data;
    size_t a = 0, b = self->u.b.len;
    while (a < b && isspace(d[a]))
        a++;
    while (b > a && isspace(d[b - 1]))
        b--;
    *ret = py_bytes(vm, (py_type)self->type, d + a, b - a);
    return *ret ? 0 : -1;
}

static const struct {
    const char *name;
    py_native fn;
    uint32_t types; /* bit per py_type */
} methods[] = {
#define B(t) (1u << (t))
    {"hex", m_hex, B(T_BYTES) | B(T_BYTEARRAY) | B(T_MEMVIEW)},
    {"decode", m_decode, B(T_BYTES) | B(T_BYTEARRAY)},
    {"encode", m_encode, B(T_STR)},
    {"startswith", m_startswith, B(T_STR) | B(T_BYTES) | B(T_BYTEARRAY)},
    {"endswith", m_endswith, B(T_STR) | B(T_BYTES) | B(T_BYTEARRAY)},
    {"append", m_append, B(T_LIST) | B(T_BYTEARRAY)},
    {"extend", m_extend, B(T_LIST) | B(T_BYTEARRAY)},
    {"join", m_join, B(T_STR) | B(T_BYTES)},
    {"strip", m_strip, B(T_STR) | B(T_BYTES)},
#undef B
};

int py_method(py_vm_t *vm, py_obj *o, const char *name, py_obj **ret)
{
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (strcmp(methods[i].name, name) == 0 && (methods[i].types & (1u << o->type))) {
            *ret = py_func(vm, methods[i].name, methods[i].fn, o);
            return *ret ? 0 : -1;
        }
    if (o->type == T_TYPE && o->u.t.of == T_BYTES && strcmp(name, "fromhex") == 0) {
        *ret = py_func(vm, "fromhex", m_fromhex, NULL);
        return *ret ? 0 : -1;
    }
    if (o->type == T_TYPE && o->u.t.of == T_INT && !o->u.t.exc && strcmp(name, "from_bytes") == 0) {
        *ret = py_func(vm, "from_bytes", m_from_bytes, NULL);
        return *ret ? 0 : -1;
    }
    if (o->type == T_TYPE && strcmp(name, "__name__") == 0) {
        *ret = py_str(vm, o->u.t.name);
        return *ret ? 0 : -1;
    }
    return py_module_method(vm, o, name, ret);
}

int py_getattr(py_vm_t *vm, py_obj *o, const char *name, py_obj **ret)
{
    if (o->type == T_MODULE || o->type == T_NAMESPACE) {
        py_obj *v = py_get_attr_of(o, name);
        if (v) {
            *ret = v;
            return 0;
        }
        if (o->type == T_MODULE && strcmp(name, "__name__") == 0) {
            *ret = py_str(vm, o->u.m.name);
            return *ret ? 0 : -1;
        }
    } else {
        int rc = py_method(vm, o, name, ret);
        if (rc <= 0)
            return rc;
    }
    if (o->type == T_TYPE)
        return py_raise(vm, E_AttributeError, "type object '%s' has no attribute '%s'",
                        o->u.t.name, name);
    return py_raise(vm, E_AttributeError, "'%s' object has no attribute '%s'", py_type_name(o),
                    name);
}

bool py_hasattr(py_vm_t *vm, py_obj *o, const char *name)
{
    py_obj *v;
    if (py_getattr(vm, o, name, &v) == 0)
        return true;
    if (vm->exc == E_AttributeError) {
        vm->exc = E_NONE;
        vm->exc_msg[0] = 0;
    }
    return false;
}
