/* An in-memory board for the interpreter (tests, fuzzing): NOR rules, no files. */
#ifndef MR_PY_BOARD_MEM_H
#define MR_PY_BOARD_MEM_H

#include "py.h"

#define PY_MEM_MAX_PARTS 4

typedef struct py_mem_part {
    py_part info;
    uint8_t *bytes;
    unsigned erases, writes;
} py_mem_part;

typedef struct py_mem_board {
    py_mem_part part[PY_MEM_MAX_PARTS];
    unsigned nparts;
    unsigned power_cut_after;   /* erase/write number that loses power; 0 never */
    unsigned ops;
} py_mem_board;

extern const py_board_ops py_mem_board_ops;

/* Add an erased partition; -1 when the geometry is not a flash's. */
int py_mem_board_add(py_mem_board *b, const py_part *info);
void py_mem_board_free(py_mem_board *b);

#endif
