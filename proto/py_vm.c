/* The machine: running one program from source to output, MicroPython's traceback
 * text, and soft reset. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "py_int.h"

py_limits py_default_limits(void)
{
    return (py_limits){
        .max_source = 1024 * 1024,
        .max_depth = 100,
        .max_steps = 20 * 1000 * 1000,
        .max_alloc = 256u * 1024 * 1024,
    };
}

py_caps py_all_caps(void)
{
    return (py_caps){.deflate = true, .hashlib = true, .uctypes = true, .romfs = true,
                     .raw_paste = true};
}

py_vm *py_vm_new(const py_config *cfg)
{
    py_vm *vm = calloc(1, sizeof *vm);
    if (!vm)
        return NULL;
    vm->cfg = *cfg;
    py_limits d = py_default_limits();
    if (!vm->cfg.limits.max_source)
        vm->cfg.limits.max_source = d.max_source;
    if (!vm->cfg.limits.max_depth)
        vm->cfg.limits.max_depth = d.max_depth;
    if (!vm->cfg.limits.max_steps)
        vm->cfg.limits.max_steps = d.max_steps;
    if (!vm->cfg.limits.max_alloc)
        vm->cfg.limits.max_alloc = d.max_alloc;
    if (!vm->cfg.machine)
        vm->cfg.machine = "simulated board with ROMFS";
    py_rom_boot_mount(vm);
    return vm;
}

static void clear_names(py_vm *vm)
{
    for (size_t i = 0; i < vm->nglobals; i++)
        free(vm->globals[i].name);
    vm->nglobals = 0;
    for (size_t i = 0; i < vm->nmodules; i++)
        free(vm->modules[i].name);
    vm->nmodules = 0;
}

void py_vm_free(py_vm *vm)
{
    if (!vm)
        return;
    clear_names(vm);
    free(vm->globals);
    free(vm->modules);
    py_free_all(vm);
    free(vm);
}

void py_vm_soft_reset(py_vm *vm)
{
    clear_names(vm);
    py_gc(vm);
    /* boot mounts the first ROM partition at /rom again */
    py_rom_boot_mount(vm);
}

void py_vm_set_interrupt(py_vm *vm, py_interrupt_fn fn, void *ctx)
{
    vm->interrupt = fn;
    vm->interrupt_ctx = ctx;
}

const char *py_vm_machine(const py_vm *vm)
{
    return vm->cfg.machine;
}

/* Output is "cooked" as a board's stdout is: \n becomes \r\n. */
static void write_cooked(py_write_fn fn, void *ctx, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n') {
            if (i > start)
                fn(ctx, s + start, i - start);
            fn(ctx, "\r\n", 2);
            start = i + 1;
        }
    if (n > start)
        fn(ctx, s + start, n - start);
}

void py_write_out(py_vm_t *vm, const char *s, size_t n)
{
    write_cooked(vm->out, vm->io_ctx, s, n);
}

static void print_traceback(py_vm *vm)
{
    char buf[sizeof vm->exc_msg + 160];
    const char *name = py_exc_name(vm->exc);
    int n;
    /* compile-time errors have no block name, as in MicroPython */
    bool compile = vm->exc == E_SyntaxError || vm->exc == E_IndentationError;
    n = snprintf(buf, sizeof buf, "Traceback (most recent call last):\n  File \"<stdin>\", line %d%s\n",
                 vm->exc_line > 0 ? vm->exc_line : 1, compile ? "" : ", in <module>");
    write_cooked(vm->err, vm->io_ctx, buf, (size_t)n);
    if (vm->exc_msg[0] || vm->exc == E_KeyboardInterrupt)
        n = snprintf(buf, sizeof buf, "%s: %s\n", name, vm->exc_msg);
    else
        n = snprintf(buf, sizeof buf, "%s: \n", name);
    if (n > (int)sizeof buf - 1)
        n = (int)sizeof buf - 1;
    write_cooked(vm->err, vm->io_ctx, buf, (size_t)n);
}

static int run(py_vm *vm, const char *src, size_t len, bool single, py_write_fn out,
               py_write_fn err, void *io_ctx)
{
    vm->exc = E_NONE;
    vm->exc_msg[0] = 0;
    vm->exc_line = 1;
    vm->cur_line = 1;
    vm->steps = 0;
    vm->depth = 0;
    vm->alloc_this_run = 0;
    vm->power_cut = false;
    vm->out = out;
    vm->err = err;
    vm->io_ctx = io_ctx;

    if (!src)
        src = ""; /* an empty program may come without a buffer */
    py_arena arena = {.limit = len * 48 + 65536};
    py_toks toks;
    py_node *mod;
    int rc;
    if (len > vm->cfg.limits.max_source) {
        rc = py_raise(vm, E_MemoryError, "program of %zu bytes is larger than this simulated board accepts (%zu)",
                      len, vm->cfg.limits.max_source);
    } else {
        rc = py_lex(vm, &arena, src, len, &toks);
        if (!rc)
            rc = py_parse(vm, &arena, &toks, &mod);
        if (!rc)
            rc = py_eval_module(vm, mod, single);
    }
    py_arena_free(&arena);
    int result = PY_OK;
    if (vm->power_cut) {
        result = PY_POWER_CUT;
    } else if (rc) {
        print_traceback(vm);
        result = PY_EXCEPTION;
    }
    vm->exc = E_NONE;
    py_gc(vm);
    return result;
}

int py_vm_exec(py_vm *vm, const char *src, size_t len, py_write_fn out, py_write_fn err,
               void *io_ctx)
{
    return run(vm, src, len, false, out, err, io_ctx);
}

int py_vm_exec_single(py_vm *vm, const char *src, size_t len, py_write_fn out,
                      py_write_fn err, void *io_ctx)
{
    return run(vm, src, len, true, out, err, io_ctx);
}

/* The friendly REPL keeps reading lines while a compound statement is open: the
 * first line ends with ':' (ignoring comments) or a later line is not empty. */
bool py_needs_more_input(const char *src, size_t len)
{
    const char *nl = memchr(src, '\n', len);
    size_t first = nl ? (size_t)(nl - src) : len;
    /* the last line entered */
    size_t last_start = len;
    while (last_start > 0 && src[last_start - 1] != '\n')
        last_start--;
    bool last_blank = true;
    for (size_t i = last_start; i < len; i++)
        if (src[i] != ' ' && src[i] != '\t')
            last_blank = false;
    if (nl)
        return !last_blank;
    size_t end = first;
    const char *hash = memchr(src, '#', first);
    if (hash)
        end = (size_t)(hash - src);
    while (end > 0 && (src[end - 1] == ' ' || src[end - 1] == '\t'))
        end--;
    return end > 0 && src[end - 1] == ':';
}
