/* libFuzzer target: arbitrary bytes through the reader, the listing and verify.
 * Any crash, hang, leak or out-of-bounds read is a bug; errors are expected. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "image.h"
#include "list.h"
#include "verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    if (!sink)
        sink = fopen("/dev/null", "w");
    mr_image img;
    mr_err err = {{0}};
    if (mr_image_parse(&img, data, size, &err) == 0) {
        mr_listing l;
        if (mr_list(&l, &img, 0x08000000, NULL, true, NULL, &err) == 0) {
            mr_list_print_text(&l, true, sink);
            mr_list_print_json(&l, sink);
            mr_list_free(&l);
        }
        for (size_t i = 0; i < img.count; i++) {
            const mr_entry *e = &img.entries[i];
            if (mr_image_find(&img, e->path) == NULL)
                __builtin_trap();
            const uint8_t *d = mr_entry_data(&img, e);
            if (d && (d < data || d + e->size > data + size))
                __builtin_trap();
        }
        if (img.count && mr_list(&l, &img, 0, img.entries[img.count - 1].path, false, NULL, &err) == 0)
            mr_list_free(&l);
        mr_image_free(&img);
    } else if (!err.msg[0]) {
        __builtin_trap(); /* a failure always says why */
    }
    mr_verify(data, size, "fuzz", sink);
    return 0;
}
