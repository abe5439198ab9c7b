/* Internals of the subset interpreter shared by py_*.c: objects, tokens, the syntax
 * tree and the machine's state. Not for use outside the interpreter. */
#ifndef MR_PY_INT_H
#define MR_PY_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "py.h"

/* ---- objects ------------------------------------------------------------------
 * Every value is a py_obj on the machine's heap list. Garbage is swept after each
 * program (nothing on the C stack is live then), so within one program the
 * allocation budget bounds memory. None/True/False are static. */
typedef enum py_type {
    T_NONE, T_BOOL, T_INT, T_STR, T_BYTES, T_BYTEARRAY, T_TUPLE, T_LIST, T_RANGE,
    T_MEMVIEW, T_MODULE, T_FUNC, T_TYPE, T_PARTITION, T_HASH, T_BYTESIO, T_DEFLATEIO,
    T_NAMESPACE, T_VFSROM, T_ITER,
} py_type;

typedef struct py_obj py_obj;
typedef struct py_vm py_vm_t;

/* A native function: returns 0 with *ret set, or -1 with the machine's exception set. */
typedef int (*py_native)(py_vm_t *vm, py_obj *self, int argc, py_obj **argv,
                         int nkw, const char **kwn, py_obj **kwv, py_obj **ret);

typedef struct py_attr {
    char *name;
    py_obj *val;
} py_attr;

struct py_obj {
    uint8_t type;
    uint8_t mark;
    uint8_t is_static;
    py_obj *heap_next;
    union {
        int64_t i;                                                  /* INT, BOOL */
        struct { uint8_t *data; size_t len, cap; } b;               /* STR, BYTES, BYTEARRAY */
        struct { py_obj **items; size_t len, cap; } l;              /* TUPLE, LIST */
        struct { int64_t start, stop, step; } r;                    /* RANGE */
        /* MEMVIEW: over an object's bytes (src) or a partition (src NULL) */
        struct { py_obj *src; unsigned part; uint64_t off, len; bool ro; } mv;
        struct { char *name; py_attr *attrs; size_t n, cap; } m;    /* MODULE, NAMESPACE */
        struct { const char *name; py_native fn; py_obj *self; } f; /* FUNC */
        struct { const char *name; uint8_t of; int exc; } t;        /* TYPE: of = py_type or exc */
        struct { unsigned part; } p;                                /* PARTITION */
        struct { void *ctx; } h;                                    /* HASH: sha256 state */
        struct { py_obj *buf; size_t pos; } io;                     /* BYTESIO; VFSROM (buf) */
        struct { py_obj *stream; int format; bool done; } d;        /* DEFLATEIO */
        struct { py_obj *seq; size_t pos; } it;                     /* ITER */
    } u;
};

extern py_obj py_none_obj, py_true_obj, py_false_obj;
#define PY_NONE (&py_none_obj)
#define PY_TRUE (&py_true_obj)
#define PY_FALSE (&py_false_obj)

/* ---- exceptions --------------------------------------------------------------- */
typedef enum py_exc {
    E_NONE = 0, E_BaseException, E_Exception, E_SyntaxError, E_NotImplementedError,
    E_RuntimeError, E_OSError, E_ImportError, E_AttributeError, E_TypeError,
    E_ValueError, E_NameError, E_IndexError, E_KeyError, E_ZeroDivisionError,
    E_OverflowError, E_MemoryError, E_KeyboardInterrupt, E_StopIteration,
    E_LookupError, E_ArithmeticError, E_AssertionError, E_EOFError, E_IndentationError,
    E_COUNT
} py_exc;

const char *py_exc_name(py_exc e);
py_exc py_exc_by_name(const char *name);
bool py_exc_matches(py_exc raised, py_exc handler);

/* ---- tokens -------------------------------------------------------------------- */
typedef enum py_tok_kind {
    K_END, K_NEWLINE, K_INDENT, K_DEDENT, K_NAME, K_INT, K_STR, K_BYTES, K_OP, K_KEYWORD,
} py_tok_kind;

typedef struct py_tok {
    uint8_t kind;
    int line;
    const char *s;      /* NAME/OP/KEYWORD: points into source; STR/BYTES: decoded */
    size_t len;
    int64_t ival;
} py_tok;

typedef struct py_toks {
    py_tok *v;          /* in the program's arena */
    size_t n, cap;
} py_toks;

/* ---- syntax tree ------------------------------------------------------------- */
typedef enum py_node_kind {
    N_INT, N_STR, N_BYTES, N_NAME, N_NONE, N_TRUE, N_FALSE, N_TUPLE, N_LIST, N_ATTR,
    N_CALL, N_KW, N_SUBSCR, N_SLICE, N_BINOP, N_UNARY, N_CMP, N_AND, N_OR, N_NOT,
    N_LISTCOMP, N_IFEXP,
    S_EXPR, S_ASSIGN, S_AUGASSIGN, S_IMPORT, S_FROM, S_TRY, S_EXCEPT, S_FOR, S_IF,
    S_PASS, S_BLOCK, S_BREAK, S_CONTINUE, S_WHILE,
} py_node_kind;

typedef struct py_node py_node;
struct py_node {
    uint8_t kind;
    uint8_t op;         /* operator for BINOP/UNARY/CMP/AUGASSIGN */
    int line;
    int64_t ival;
    const char *str;    /* names and literal bytes */
    size_t slen;
    py_node **kids;
    size_t nkids;
};

/* Operators (BINOP, AUGASSIGN, UNARY, CMP). */
enum {
    OP_ADD = 1, OP_SUB, OP_MUL, OP_FLOORDIV, OP_MOD, OP_AND, OP_OR, OP_XOR, OP_LSHIFT,
    OP_RSHIFT, OP_NEG, OP_POS, OP_INVERT,
    OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN, OP_NOT_IN, OP_IS, OP_IS_NOT,
};

/* A bump allocator for one program's tokens and tree, with a ceiling. */
typedef struct py_arena {
    struct py_arena_chunk *head;
    size_t used, limit;
} py_arena;

void *py_arena_alloc(py_arena *a, size_t n);
void py_arena_free(py_arena *a);

/* ---- the machine ------------------------------------------------------------- */
#define PY_MAX_GLOBALS 1024

struct py_vm {
    py_config cfg;
    py_obj *heap;
    size_t heap_bytes, alloc_this_run;
    uint64_t steps;
    unsigned depth;
    int cur_line;
    /* the pending exception */
    py_exc exc;
    char exc_msg[512];
    int exc_line;
    bool power_cut;
    /* globals, and modules imported since the last soft reset */
    py_attr *globals;
    size_t nglobals, globals_cap;
    py_attr *modules;
    size_t nmodules, modules_cap;
    int rom_part;               /* partition mounted at /rom, -1 none */
    uint64_t rom_off, rom_len;  /* the range of it the VfsRom covers */
    /* output of the running program */
    py_write_fn out, err;
    void *io_ctx;
    py_interrupt_fn interrupt;
    void *interrupt_ctx;
    int loop_ctl;       /* 1 break, 2 continue, while unwinding a loop body */
};

/* program output, with \n sent as \r\n */
void py_write_out(py_vm_t *vm, const char *s, size_t n);

/* errors: always return -1 so `return py_raise(...)` reads naturally */
int py_raise(py_vm_t *vm, py_exc e, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
int py_raise_errno(py_vm_t *vm, int errnum);
int py_raise_nomem(py_vm_t *vm, size_t n);

/* allocation (counts against the program's budget; NULL with MemoryError set) */
py_obj *py_alloc(py_vm_t *vm, py_type t);
void *py_malloc(py_vm_t *vm, size_t n);
int py_reserve(py_vm_t *vm, void **buf, size_t *cap, size_t want, size_t elem);
void py_gc(py_vm_t *vm);
void py_free_all(py_vm_t *vm);

/* constructors */
py_obj *py_int(py_vm_t *vm, int64_t v);
py_obj *py_bool(bool v);
py_obj *py_bytes(py_vm_t *vm, py_type t, const void *data, size_t len);
py_obj *py_str(py_vm_t *vm, const char *s);
py_obj *py_seq(py_vm_t *vm, py_type t, size_t n);
int py_list_append(py_vm_t *vm, py_obj *list, py_obj *v);
py_obj *py_func(py_vm_t *vm, const char *name, py_native fn, py_obj *self);
py_obj *py_module(py_vm_t *vm, const char *name);
int py_set_attr(py_vm_t *vm, py_obj *mod, const char *name, py_obj *v);
py_obj *py_get_attr_of(py_obj *mod, const char *name);
py_obj *py_type_obj(py_vm_t *vm, const char *name, py_type of, py_exc exc);

/* values */
const char *py_type_name(const py_obj *o);
bool py_truthy(py_vm_t *vm, py_obj *o, int *status);
int py_repr(py_vm_t *vm, py_obj *o, py_obj *out_str);   /* appends to a STR */
int py_str_of(py_vm_t *vm, py_obj *o, py_obj *out_str); /* print()'s text */
int py_append(py_vm_t *vm, py_obj *s, const void *data, size_t len);
int py_to_int(py_vm_t *vm, py_obj *o, int64_t *v);
bool py_is_bytes_like(const py_obj *o);
/* The bytes of a buffer-protocol object; partition-backed views are read into a
 * fresh buffer (*owned set, the caller frees it). */
int py_get_buffer(py_vm_t *vm, py_obj *o, const uint8_t **data, size_t *len, uint8_t **owned);
int py_get_writable(py_vm_t *vm, py_obj *o, uint8_t **data, size_t *len);
int py_len(py_vm_t *vm, py_obj *o, int64_t *n);
int py_equal(py_vm_t *vm, py_obj *a, py_obj *b, bool *eq);
/* Iteration: get an iterator, then step it until *done. */
int py_iter(py_vm_t *vm, py_obj *o, py_obj **it);
int py_next(py_vm_t *vm, py_obj *it, py_obj **v, bool *done);
int py_subscr(py_vm_t *vm, py_obj *o, py_obj *index, py_obj **ret);
int py_slice(py_vm_t *vm, py_obj *o, py_obj *lo, py_obj *hi, py_obj **ret);
int py_store_subscr(py_vm_t *vm, py_obj *o, py_obj *index, py_obj *v);
int py_binop(py_vm_t *vm, int op, py_obj *a, py_obj *b, py_obj **ret);
int py_compare(py_vm_t *vm, int op, py_obj *a, py_obj *b, bool *res);
int py_call(py_vm_t *vm, py_obj *f, int argc, py_obj **argv, int nkw, const char **kwn,
            py_obj **kwv, py_obj **ret);
int py_getattr(py_vm_t *vm, py_obj *o, const char *name, py_obj **ret);
bool py_hasattr(py_vm_t *vm, py_obj *o, const char *name);

/* argument checking for natives */
int py_check_args(py_vm_t *vm, const char *fn, int argc, int lo, int hi, int nkw);
int py_arg_int(py_vm_t *vm, py_obj *o, int64_t *v);

/* lexer and parser */
int py_lex(py_vm_t *vm, py_arena *a, const char *src, size_t len, py_toks *out);
int py_parse(py_vm_t *vm, py_arena *a, const py_toks *toks, py_node **out);
int py_eval_module(py_vm_t *vm, py_node *block, bool print_exprs);

/* builtins and modules */
int py_builtin_lookup(py_vm_t *vm, const char *name, py_obj **ret);
int py_import(py_vm_t *vm, const char *name, py_obj **ret);
int py_method(py_vm_t *vm, py_obj *o, const char *name, py_obj **ret);

/* /rom and the os module (py_os.c) */
void py_rom_boot_mount(py_vm_t *vm);
int py_rom_check(py_vm_t *vm, unsigned part, uint64_t off, uint64_t len, bool *ok);
int py_os_module(py_vm_t *vm, py_obj *m);

/* the board */
int py_board_read(py_vm_t *vm, unsigned part, uint64_t off, uint8_t *buf, size_t len);
int py_board_info(py_vm_t *vm, unsigned part, py_part *info);
int py_board_count(py_vm_t *vm);
py_obj *py_partition_view(py_vm_t *vm, unsigned part, uint64_t size);

#endif
