/* A small interpreter for the Python subset a simulated MicroPython board runs
 * (see BRIEF: statements, expressions, builtins and modules that mpremote's romfs
 * commands and mpromfs's serial client send). Programs come from a hostile wire, so
 * everything is bounded: program size, nesting, steps, allocation. Anything outside
 * the subset raises SyntaxError or NotImplementedError, as MicroPython would print it.
 *
 * The flash behind vfs.rom_ioctl is reached through py_board_ops, so the interpreter
 * knows nothing about files or ptys. */
#ifndef MR_PY_H
#define MR_PY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One ROM partition as the board presents it. */
typedef struct py_part {
    uint64_t size;
    uint64_t base;          /* memory-mapped address, for uctypes.addressof */
    uint32_t erase_unit;    /* op 6 / block size of block-device partitions */
    uint32_t write_min;     /* op 3 answer */
    bool writable;
    bool block_device;      /* rp2.Flash / esp32.Partition style object from op 2 */
} py_part;

/* Result of a board operation: 0, a negative errno as a port returns it, or
 * PY_BOARD_POWER_CUT when the simulated power failed (the program dies, the board
 * stops answering). */
#define PY_BOARD_POWER_CUT (-100000)

typedef struct py_board_ops {
    int (*count)(void *ctx);
    int (*info)(void *ctx, unsigned part, py_part *out);
    int (*read)(void *ctx, unsigned part, uint64_t off, uint8_t *buf, size_t len);
    /* Erase [off, off+len): whole erase units, as a port's op 3 does. */
    int (*erase)(void *ctx, unsigned part, uint64_t off, uint64_t len);
    /* Program (AND into flash) without erasing. */
    int (*write)(void *ctx, unsigned part, uint64_t off, const uint8_t *data, size_t len);
    int (*complete)(void *ctx, unsigned part);
} py_board_ops;

/* What the firmware offers; a missing feature behaves as on a build without it. */
typedef struct py_caps {
    bool deflate, hashlib, uctypes, romfs;
    bool raw_paste;         /* used by the REPL, kept here so one struct describes a board */
} py_caps;

typedef struct py_limits {
    size_t max_source;      /* bytes of program text */
    unsigned max_depth;     /* nesting of expressions and blocks */
    uint64_t max_steps;     /* evaluation steps per program */
    size_t max_alloc;       /* bytes allocated per program */
} py_limits;

/* Where program output goes (stdout and the traceback text, separately as the raw
 * REPL frames them). Text is "cooked": every \n is sent as \r\n. */
typedef void (*py_write_fn)(void *ctx, const char *data, size_t len);

/* Asked every few thousand steps: return true when the user pressed Ctrl-C. */
typedef bool (*py_interrupt_fn)(void *ctx);

typedef struct py_vm py_vm;

typedef struct py_config {
    const py_board_ops *board;  /* may be NULL: a board without ROM partitions */
    void *board_ctx;
    py_caps caps;
    py_limits limits;           /* zero fields take defaults */
    const char *machine;        /* sys.implementation._machine and the banner */
} py_config;

enum py_result {
    PY_OK = 0,
    PY_EXCEPTION = 1,           /* traceback written to err */
    PY_POWER_CUT = 2,           /* the board lost power mid-program */
};

py_vm *py_vm_new(const py_config *cfg);
void py_vm_free(py_vm *vm);
/* Run one program (file input, as the raw REPL does). */
int py_vm_exec(py_vm *vm, const char *src, size_t len,
               py_write_fn out, py_write_fn err, void *io_ctx);
/* Run one line typed at the friendly REPL: an expression's value is printed. */
int py_vm_exec_single(py_vm *vm, const char *src, size_t len,
                      py_write_fn out, py_write_fn err, void *io_ctx);
void py_vm_set_interrupt(py_vm *vm, py_interrupt_fn fn, void *ctx);
/* Soft reset: variables and imported modules are gone, /rom is mounted again. */
void py_vm_soft_reset(py_vm *vm);
const char *py_vm_machine(const py_vm *vm);
/* A line ends an indented block's input (friendly REPL continuation rule). */
bool py_needs_more_input(const char *src, size_t len);

py_limits py_default_limits(void);
py_caps py_all_caps(void);

#endif
