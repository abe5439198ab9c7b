/* libFuzzer target: any bytes as a program for the simulated board's interpreter,
 * run on a fresh machine over an in-memory board (deterministic, so a crash
 * reproduces), also fed through the REPL framing. Limits are small so each input
 * ends quickly; they are the same checks as the serve defaults, only lower. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "py.h"
#include "py_board_mem.h"
#include "serve_repl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void sink(void *ctx, const char *s, size_t n)
{
    (void)ctx, (void)s, (void)n;
}

static void sink_bytes(void *ctx, const uint8_t *s, size_t n)
{
    (void)ctx, (void)s, (void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    py_mem_board board = {0};
    py_part p0 = {.size = 64 * 1024, .base = 0x08100000, .erase_unit = 4096, .write_min = 16,
                  .writable = true};
    py_part p1 = {.size = 32 * 1024, .base = 0x10100000, .erase_unit = 4096, .write_min = 4,
                  .writable = true, .block_device = true};
    if (py_mem_board_add(&board, &p0) || py_mem_board_add(&board, &p1))
        return 0;
    py_limits lim = {.max_source = 65536, .max_depth = 100, .max_steps = 200000,
                     .max_alloc = 16u << 20};
    py_config cfg = {.board = &py_mem_board_ops, .board_ctx = &board, .caps = py_all_caps(),
                     .limits = lim};
    py_vm *vm = py_vm_new(&cfg);
    if (vm) {
        /* twice: the second run sees what the first left in the globals */
        py_vm_exec(vm, (const char *)data, size, sink, sink, NULL);
        py_vm_exec_single(vm, (const char *)data, size, sink, sink, NULL);
        py_vm_free(vm);
    }
    serve_repl_config rc = {.py = cfg, .write = sink_bytes};
    serve_repl *r = serve_repl_new(&rc);
    if (r) {
        serve_repl_boot(r);
        serve_repl_feed(r, data, size);
        serve_repl_free(r);
    }
    py_mem_board_free(&board);
    return 0;
}
