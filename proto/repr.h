/* A strict parser for the reprs a MicroPython board prints: ints (64-bit), bytes
 * (b'..' or b"..", with the escapes MicroPython uses), strings, tuples, lists,
 * True/False/None. Anything else is an error quoting what came back. Input length,
 * nesting depth and item counts are bounded: the text comes from a device. */
#ifndef MR_REPR_H
#define MR_REPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define MR_REPR_MAX_LEN (4u << 20)   /* bytes of text */
#define MR_REPR_MAX_DEPTH 16
#define MR_REPR_MAX_ITEMS 65536      /* per tuple or list */

typedef enum { MR_V_NONE, MR_V_BOOL, MR_V_INT, MR_V_BYTES, MR_V_STR, MR_V_TUPLE, MR_V_LIST } mr_vtype;

typedef struct mr_value {
    mr_vtype type;
    int64_t i;              /* INT; BOOL as 0/1 */
    uint8_t *data;          /* BYTES, STR (UTF-8 as sent): len bytes plus a NUL */
    size_t len;
    struct mr_value *items; /* TUPLE, LIST */
    size_t n;
} mr_value;

/* Parse one value; surrounding whitespace (the \r\n print adds) is allowed,
 * anything after the value is not. */
int mr_repr_parse(const char *text, size_t len, mr_value *out, mr_err *err);
void mr_value_free(mr_value *v);
const char *mr_vtype_name(mr_vtype t);

/* Convenience for the common case "this should print an int / a bool". */
int mr_repr_int(const char *text, size_t len, int64_t *out, mr_err *err);
int mr_repr_bool(const char *text, size_t len, bool *out, mr_err *err);

#endif
