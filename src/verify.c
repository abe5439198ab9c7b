#include "verify.h"

int mr_verify(const uint8_t *bytes, size_t len, const char *name, FILE *out)
{
    mr_err err = {{0}};
    mr_image img;
    if (mr_image_parse(&img, bytes, len, &err)) {
        fprintf(out, "%s: error: %s\n", name, err.msg);
        fprintf(out, "%s: FAILED\n", name);
        return 1;
    }
    for (size_t i = 0; i < img.nnotes; i++)
        fprintf(out, "%s: %s: %s (byte offset %zu)\n", name, img.notes[i].problem ? "error" : "note",
                img.notes[i].what, img.notes[i].offset);
    if (img.free_bytes)
        fprintf(out, "%s: note: %zu bytes after the image (%zu not erased to 0xff)\n", name, img.free_bytes,
                img.tail_unerased);
    int bad = img.problems > 0;
    fprintf(out, "%s: %s: %zu file%s, %zu director%s, image %zu bytes\n", name, bad ? "FAILED" : "OK", img.files,
            img.files == 1 ? "" : "s", img.dirs, img.dirs == 1 ? "y" : "ies", img.image_size);
    mr_image_free(&img);
    return bad;
}
