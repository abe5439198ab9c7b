/* Objects of the subset interpreter: the heap (swept between programs), exceptions
 * with MicroPython's names and messages, constructors and the attribute tables. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "py_int.h"

py_obj py_none_obj = {.type = T_NONE, .is_static = 1};
py_obj py_true_obj = {.type = T_BOOL, .is_static = 1, .u.i = 1};
py_obj py_false_obj = {.type = T_BOOL, .is_static = 1, .u.i = 0};

/* ---- exceptions ---------------------------------------------------------------- */
static const struct { const char *name; py_exc parent; } exc_table[E_COUNT] = {
    [E_NONE] = {"", E_NONE},
    [E_BaseException] = {"BaseException", E_NONE},
    [E_Exception] = {"Exception", E_BaseException},
    [E_SyntaxError] = {"SyntaxError", E_Exception},
    [E_NotImplementedError] = {"NotImplementedError", E_RuntimeError},
    [E_RuntimeError] = {"RuntimeError", E_Exception},
    [E_OSError] = {"OSError", E_Exception},
    [E_ImportError] = {"ImportError", E_Exception},
    [E_AttributeError] = {"AttributeError", E_Exception},
    [E_TypeError] = {"TypeError", E_Exception},
    [E_ValueError] = {"ValueError", E_Exception},
    [E_NameError] = {"NameError", E_Exception},
    [E_IndexError] = {"IndexError", E_LookupError},
    [E_KeyError] = {"KeyError", E_LookupError},
    [E_ZeroDivisionError] = {"ZeroDivisionError", E_ArithmeticError},
    [E_OverflowError] = {"OverflowError", E_ArithmeticError},
    [E_MemoryError] = {"MemoryError", E_Exception},
    [E_KeyboardInterrupt] = {"KeyboardInterrupt", E_BaseException},
    [E_StopIteration] = {"StopIteration", E_Exception},
    [E_LookupError] = {"LookupError", E_Exception},
    [E_ArithmeticError] = {"ArithmeticError", E_Exception},
    [E_AssertionError] = {"AssertionError", E_Exception},
    [E_EOFError] = {"EOFError", E_Exception},
    [E_IndentationError] = {"IndentationError", E_SyntaxError},
};

const char *py_exc_name(py_exc e)
{
    return (e > E_NONE && e < E_COUNT) ? exc_table[e].name : "Exception";
}

py_exc py_exc_by_name(const char *name)
{
    for (int e = E_NONE + 1; e < E_COUNT; e++)
        if (strcmp(exc_table[e].name, name) == 0)
            return (py_exc)e;
    return E_NONE;
}

bool py_exc_matches(py_exc raised, py_exc handler)
{
    for (py_exc e = raised; e != E_NONE; e = exc_table[e].parent)
        if (e == handler)
            return true;
    return false;
}

int py_raise(py_vm_t *vm, py_exc e, const char *fmt, ...)
{
    if (vm->exc != E_NONE)
        return -1; /* the first (innermost) error wins */
    vm->exc = e;
    vm->exc_line = vm->cur_line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(vm->exc_msg, sizeof vm->exc_msg, fmt, ap);
    va_end(ap);
    return -1;
}

static const char *errno_name(int e)
{
    switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EIO: return "EIO";
    case EBADF: return "EBADF";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EEXIST: return "EEXIST";
    case ENODEV: return "ENODEV";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case ENOSPC: return "ENOSPC";
    case EROFS: return "EROFS";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    default: return NULL;
    }
}

int py_raise_errno(py_vm_t *vm, int errnum)
{
    const char *n = errno_name(errnum);
    if (n)
        return py_raise(vm, E_OSError, "[Errno %d] %s", errnum, n);
    return py_raise(vm, E_OSError, "%d", errnum);
}

int py_raise_nomem(py_vm_t *vm, size_t n)
{
    return py_raise(vm, E_MemoryError, "memory allocation failed, allocating %zu bytes", n);
}

/* ---- heap ---------------------------------------------------------------------- */
static bool budget(py_vm_t *vm, size_t n)
{
    if (n > vm->cfg.limits.max_alloc || vm->alloc_this_run > vm->cfg.limits.max_alloc - n) {
        py_raise_nomem(vm, n);
        return false;
    }
    vm->alloc_this_run += n;
    return true;
}

void *py_malloc(py_vm_t *vm, size_t n)
{
    if (!budget(vm, n))
        return NULL;
    void *p = malloc(n ? n : 1);
    if (!p)
        py_raise_nomem(vm, n);
    return p;
}

int py_reserve(py_vm_t *vm, void **buf, size_t *cap, size_t want, size_t elem)
{
    if (want <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < want) {
        if (ncap > SIZE_MAX / 2 / elem)
            return py_raise_nomem(vm, want);
        ncap *= 2;
    }
    if (!budget(vm, (ncap - *cap) * elem))
        return -1;
    void *p = realloc(*buf, ncap * elem);
    if (!p)
        return py_raise_nomem(vm, ncap * elem);
    *buf = p;
    *cap = ncap;
    return 0;
}

py_obj *py_alloc(py_vm_t *vm, py_type t)
{
    py_obj *o = py_malloc(vm, sizeof *o);
    if (!o)
        return NULL;
    memset(o, 0, sizeof *o);
    o->type = (uint8_t)t;
    o->heap_next = vm->heap;
    vm->heap = o;
    return o;
}

void py_hash_free(py_obj *o);

static void free_obj(py_obj *o)
{
    switch (o->type) {
    case T_STR: case T_BYTES: case T_BYTEARRAY: free(o->u.b.data); break;
    case T_TUPLE: case T_LIST: free(o->u.l.items); break;
    case T_MODULE: case T_NAMESPACE:
        for (size_t i = 0; i < o->u.m.n; i++)
            free(o->u.m.attrs[i].name);
        free(o->u.m.attrs);
        free(o->u.m.name);
        break;
    case T_HASH: py_hash_free(o); break;
    default: break;
    }
    free(o);
}

/* Iterative marking with an explicit stack so deep structures cannot overflow. */
static void mark_from(py_obj *root)
{
    size_t cap = 64, n = 0;
    py_obj **stack = malloc(cap * sizeof *stack);
    if (!stack)
        abort();
    stack[n++] = root;
    while (n) {
        py_obj *o = stack[--n];
        if (!o || o->is_static || o->mark)
            continue;
        o->mark = 1;
        py_obj *kids[3] = {NULL, NULL, NULL};
        py_obj **many = NULL;
        size_t nmany = 0;
        switch (o->type) {
        case T_TUPLE: case T_LIST: many = o->u.l.items; nmany = o->u.l.len; break;
        case T_MEMVIEW: kids[0] = o->u.mv.src; break;
        case T_FUNC: kids[0] = o->u.f.self; break;
        case T_BYTESIO: case T_VFSROM: kids[0] = o->u.io.buf; break;
        case T_DEFLATEIO: kids[0] = o->u.d.stream; break;
        case T_ITER: kids[0] = o->u.it.seq; break;
        case T_MODULE: case T_NAMESPACE:
            for (size_t i = 0; i < o->u.m.n; i++) {
                if (n + 1 >= cap) {
                    cap *= 2;
                    py_obj **s = realloc(stack, cap * sizeof *stack);
                    if (!s)
                        abort();
                    stack = s;
                }
                stack[n++] = o->u.m.attrs[i].val;
            }
            break;
        default: break;
        }
        size_t need = n + nmany + 3;
        if (need > cap) {
            while (cap < need)
                cap *= 2;
            py_obj **s = realloc(stack, cap * sizeof *stack);
            if (!s)
                abort();
            stack = s;
        }
        for (size_t i = 0; i < nmany; i++)
            stack[n++] = many[i];
        for (int i = 0; i < 3; i++)
            if (kids[i])
                stack[n++] = kids[i];
    }
    free(stack);
}

void py_gc(py_vm_t *vm)
{
    for (size_t i = 0; i < vm->nglobals; i++)
        mark_from(vm->globals[i].val);
    for (size_t i = 0; i < vm->nmodules; i++)
        mark_from(vm->modules[i].val);
    py_obj **link = &vm->heap;
    while (*link) {
        py_obj *o = *link;
        if (o->mark) {
            o->mark = 0;
            link = &o->heap_next;
        } else {
            *link = o->heap_next;
            free_obj(o);
        }
    }
}

void py_free_all(py_vm_t *vm)
{
    while (vm->heap) {
        py_obj *o = vm->heap;
        vm->heap = o->heap_next;
        free_obj(o);
    }
}

/* ---- constructors -------------------------------------------------------------- */
py_obj *py_int(py_vm_t *vm, int64_t v)
{
    py_obj *o = py_alloc(vm, T_INT);
    if (o)
        o->u.i = v;
    return o;
}

py_obj *py_bool(bool v)
{
    return v ? PY_TRUE : PY_FALSE;
}

py_obj *py_bytes(py_vm_t *vm, py_type t, const void *data, size_t len)
{
    py_obj *o = py_alloc(vm, t);
    if (!o)
        return NULL;
    if (py_reserve(vm, (void **)&o->u.b.data, &o->u.b.cap, len + 1, 1))
        return NULL;
    if (len)
        memcpy(o->u.b.data, data, len);
    o->u.b.data[len] = 0;
    o->u.b.len = len;
    return o;
}

py_obj *py_str(py_vm_t *vm, const char *s)
{
    return py_bytes(vm, T_STR, s, strlen(s));
}

py_obj *py_seq(py_vm_t *vm, py_type t, size_t n)
{
    py_obj *o = py_alloc(vm, t);
    if (!o)
        return NULL;
    if (n && py_reserve(vm, (void **)&o->u.l.items, &o->u.l.cap, n, sizeof(py_obj *)))
        return NULL;
    for (size_t i = 0; i < n; i++)
        o->u.l.items[i] = PY_NONE;
    o->u.l.len = n;
    return o;
}

int py_list_append(py_vm_t *vm, py_obj *list, py_obj *v)
{
    if (py_reserve(vm, (void **)&list->u.l.items, &list->u.l.cap, list->u.l.len + 1,
                   sizeof(py_obj *)))
        return -1;
    list->u.l.items[list->u.l.len++] = v;
    return 0;
}

int py_append(py_vm_t *vm, py_obj *s, const void *data, size_t len)
{
    if (len > SIZE_MAX - s->u.b.len - 1)
        return py_raise_nomem(vm, len);
    if (py_reserve(vm, (void **)&s->u.b.data, &s->u.b.cap, s->u.b.len + len + 1, 1))
        return -1;
    if (len)
        memcpy(s->u.b.data + s->u.b.len, data, len);
    s->u.b.len += len;
    s->u.b.data[s->u.b.len] = 0;
    return 0;
}

py_obj *py_func(py_vm_t *vm, const char *name, py_native fn, py_obj *self)
{
    py_obj *o = py_alloc(vm, T_FUNC);
    if (o) {
        o->u.f.name = name;
        o->u.f.fn = fn;
        o->u.f.self = self;
    }
    return o;
}

py_obj *py_module(py_vm_t *vm, const char *name)
{
    py_obj *o = py_alloc(vm, T_MODULE);
    if (!o)
        return NULL;
    o->u.m.name = strdup(name);
    if (!o->u.m.name) {
        py_raise_nomem(vm, strlen(name));
        return NULL;
    }
    return o;
}

int py_set_attr(py_vm_t *vm, py_obj *mod, const char *name, py_obj *v)
{
    for (size_t i = 0; i < mod->u.m.n; i++)
        if (strcmp(mod->u.m.attrs[i].name, name) == 0) {
            mod->u.m.attrs[i].val = v;
            return 0;
        }
    if (!v)
        return -1;
    if (py_reserve(vm, (void **)&mod->u.m.attrs, &mod->u.m.cap, mod->u.m.n + 1, sizeof(py_attr)))
        return -1;
    char *n = strdup(name);
    if (!n)
        return py_raise_nomem(vm, strlen(name));
    mod->u.m.attrs[mod->u.m.n].name = n;
    mod->u.m.attrs[mod->u.m.n].val = v;
    mod->u.m.n++;
    return 0;
}

py_obj *py_get_attr_of(py_obj *mod, const char *name)
{
    for (size_t i = 0; i < mod->u.m.n; i++)
        if (strcmp(mod->u.m.attrs[i].name, name) == 0)
            return mod->u.m.attrs[i].val;
    return NULL;
}

py_obj *py_type_obj(py_vm_t *vm, const char *name, py_type of, py_exc exc)
{
    py_obj *o = py_alloc(vm, T_TYPE);
    if (o) {
        o->u.t.name = name;
        o->u.t.of = (uint8_t)of;
        o->u.t.exc = exc;
    }
    return o;
}

/* ---- names and truth ------------------------------------------------------------ */
const char *py_type_name(const py_obj *o)
{
    switch (o->type) {
    case T_NONE: return "NoneType";
    case T_BOOL: return "bool";
    case T_INT: return "int";
    case T_STR: return "str";
    case T_BYTES: return "bytes";
    case T_BYTEARRAY: return "bytearray";
    case T_TUPLE: return "tuple";
    case T_LIST: return "list";
    case T_RANGE: return "range";
    case T_MEMVIEW: return "memoryview";
    case T_MODULE: return "module";
    case T_FUNC: return o->u.f.self ? "bound_method" : "function";
    case T_TYPE: return "type";
    case T_PARTITION: return "Flash";
    case T_HASH: return "sha256";
    case T_BYTESIO: return "BytesIO";
    case T_DEFLATEIO: return "DeflateIO";
    case T_NAMESPACE: return "namespace";
    case T_VFSROM: return "VfsRom";
    case T_ITER: return "iterator";
    }
    return "object";
}

bool py_truthy(py_vm_t *vm, py_obj *o, int *status)
{
    *status = 0;
    switch (o->type) {
    case T_NONE: return false;
    case T_BOOL: case T_INT: return o->u.i != 0;
    case T_STR: case T_BYTES: case T_BYTEARRAY: return o->u.b.len != 0;
    case T_TUPLE: case T_LIST: return o->u.l.len != 0;
    default: {
        int64_t n;
        if (o->type == T_RANGE || o->type == T_MEMVIEW) {
            *status = py_len(vm, o, &n);
            return n != 0;
        }
        return true;
    }
    }
}

bool py_is_bytes_like(const py_obj *o)
{
    return o->type == T_BYTES || o->type == T_BYTEARRAY || o->type == T_MEMVIEW ||
           o->type == T_PARTITION;
}
