/* libFuzzer target: the layout-file parser, --align arguments and glob matching.
 * The input is split at the first NUL: before it a layout file, after it a path
 * to match against every rule parsed. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "align_rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t tlen = nul ? (size_t)(nul - data) : size;
    char *path = nul ? strndup((const char *)nul + 1, size - tlen - 1) : strdup("lib/a/b.tflite");
    char *arg = strndup((const char *)data, tlen > 600 ? 600 : tlen);
    if (!path || !arg) {
        free(path);
        free(arg);
        return 0;
    }
    mr_align_rules r;
    mr_err err;
    mr_align_rules_init(&r);
    if (mr_align_rules_parse_layout(&r, "fuzz", (const char *)data, tlen, &err) != 0 && strlen(err.msg) == 0)
        abort(); /* a failure must always say why */
    if (mr_align_rules_add_arg(&r, arg, &err) != 0 && strlen(err.msg) == 0)
        abort();
    const mr_align_rule *rule;
    uint64_t a = mr_align_rules_lookup(&r, path, &rule);
    if (a == 0 || (a & (a - 1)) != 0 || a > MR_ALIGN_DEFAULT_MAX)
        abort();
    mr_align_rules_free(&r);
    free(path);
    free(arg);
    return 0;
}
