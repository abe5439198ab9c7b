/* libFuzzer: the strict repr parser must reject or accept any text without
 * reading out of bounds, leaking, or producing inconsistent values. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "repr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const mr_value *v, unsigned depth)
{
    if (depth > MR_REPR_MAX_DEPTH + 1)
        abort();
    switch (v->type) {
    case MR_V_BYTES:
    case MR_V_STR:
        if (!v->data || v->data[v->len] != 0)
            abort();
        break;
    case MR_V_TUPLE:
    case MR_V_LIST:
        if (v->n > MR_REPR_MAX_ITEMS)
            abort();
        for (size_t i = 0; i < v->n; i++)
            check(&v->items[i], depth + 1);
        break;
    default:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy so any read past the end is caught. */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    mr_value v;
    mr_err err;
    if (mr_repr_parse(text, size, &v, &err) == 0) {
        check(&v, 0);
        mr_value_free(&v);
    } else if (err.msg[0] == 0) {
        abort(); /* every failure says why */
    }
    int64_t i;
    bool b;
    mr_repr_int(text, size, &i, &err);
    mr_repr_bool(text, size, &b, &err);
    free(text);
    return 0;
}
