/* A small, strict JSON reader (RFC 8259) for configuration files: bounded input
 * (MR_JSON_MAX_INPUT), bounded nesting (MR_JSON_MAX_DEPTH), duplicate object keys
 * rejected, strings that must be valid UTF-8 without NUL, numbers kept as text and
 * converted on request. Errors give line and column. */
#ifndef MR_JSON_H
#define MR_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define MR_JSON_MAX_INPUT (1u << 20)
#define MR_JSON_MAX_DEPTH 32

typedef enum { MR_JSON_NULL, MR_JSON_BOOL, MR_JSON_NUMBER, MR_JSON_STRING, MR_JSON_ARRAY, MR_JSON_OBJECT } mr_json_type;

typedef struct mr_json mr_json;
struct mr_json {
    mr_json_type type;
    bool boolean;
    char *str;          /* STRING: decoded; NUMBER: the literal text */
    size_t len;         /* STRING: decoded length */
    char **keys;        /* OBJECT: n keys, in file order */
    mr_json *items;     /* ARRAY / OBJECT: n values */
    size_t n;
    unsigned line, col; /* where the value starts, for messages */
};

int mr_json_parse(mr_json *out, const char *text, size_t len, mr_err *err);
void mr_json_free(mr_json *v);
/* Member of an object, NULL when absent (or v is not an object). */
const mr_json *mr_json_get(const mr_json *v, const char *key);
/* A NUMBER that is a non-negative integer without fraction or exponent. */
int mr_json_u64(const mr_json *v, uint64_t *out);
const char *mr_json_type_name(mr_json_type t);

#endif
