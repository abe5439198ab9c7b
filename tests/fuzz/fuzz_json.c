/* libFuzzer target: the strict JSON reader used for romfs_config.json. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mr_json v;
    mr_err err;
    if (mr_json_parse(&v, (const char *)data, size, &err) == 0) {
        const mr_json *p = mr_json_get(&v, "0");
        uint64_t x;
        if (p)
            (void)mr_json_u64(mr_json_get(p, "size"), &x);
        mr_json_free(&v);
    } else if (err.msg[0] == '\0') {
        abort();
    }
    return 0;
}
