/* libFuzzer: the raw REPL reply parser, fed the input in pieces whose sizes the
 * input itself chooses; the result must not depend on the split. Also the
 * raw-paste negotiation classifier. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rawrepl_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run(const uint8_t *d, size_t n, bool expect_ok, size_t step, size_t *consumed,
               size_t *out_len, size_t *err_len)
{
    mr_frame f;
    mr_err err;
    mr_frame_init(&f, expect_ok, 512);
    size_t pos = 0;
    int rc = 0;
    while (pos < n) {
        size_t k = n - pos < step ? n - pos : step, used = 0;
        rc = mr_frame_feed(&f, d + pos, k, &used, &err);
        if (used > k)
            abort();
        pos += used;
        if (rc != 0)
            break;
        if (used != k)
            abort();
    }
    if (f.out_len > 512)
        abort();
    *consumed = pos;
    *out_len = f.out_len;
    *err_len = f.err_len;
    mr_frame_free(&f);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    bool expect_ok = data[0] & 1;
    size_t step = (size_t)(data[1] % 17) + 1;
    uint8_t *d = malloc(size - 2 ? size - 2 : 1);
    if (!d)
        return 0;
    memcpy(d, data + 2, size - 2);
    size_t c1, o1, e1, c2, o2, e2;
    int r1 = run(d, size - 2, expect_ok, size, &c1, &o1, &e1);
    int r2 = run(d, size - 2, expect_ok, step, &c2, &o2, &e2);
    if (r1 != r2 || (r1 == 1 && (c1 != c2 || o1 != o2 || e1 != e2)))
        abort();
    uint16_t w;
    size_t used;
    mr_paste_reply k = mr_paste_classify(d, size - 2, &w, &used);
    if (used > size - 2 || (k == MR_PASTE_SUPPORTED && w == 0))
        abort();
    free(d);
    return 0;
}
