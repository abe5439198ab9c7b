#include "filetype.h"

#include <magic.h>
#include <stdlib.h>
#include <string.h>

#include "mpy.h"

/* libmagic never needs more than the start of a file for its short description;
 * handing it less keeps listings of large images fast. */
#define MAGIC_WINDOW 16384

struct mr_filetype {
    magic_t cookie;
};

mr_filetype *mr_filetype_open(mr_err *err)
{
    mr_filetype *ft = calloc(1, sizeof *ft);
    if (!ft) {
        mr_fail(err, "out of memory");
        return NULL;
    }
    ft->cookie = magic_open(MAGIC_NONE);
    if (!ft->cookie || magic_load(ft->cookie, NULL) != 0) {
        mr_fail(err, "cannot load the libmagic database: %s",
                ft->cookie && magic_error(ft->cookie) ? magic_error(ft->cookie) : "magic_open failed");
        mr_filetype_close(ft);
        return NULL;
    }
    return ft;
}

void mr_filetype_close(mr_filetype *ft)
{
    if (!ft)
        return;
    if (ft->cookie)
        magic_close(ft->cookie);
    free(ft);
}

void mr_filetype_describe(mr_filetype *ft, const uint8_t *data, size_t len, char *out, size_t n)
{
    if (n == 0)
        return;
    mr_mpy_info mi;
    const char *d = NULL;
    if (len == 0)
        d = "empty";
    else if (mr_mpy_decode(data, len, &mi)) {
        mr_mpy_describe(&mi, out, n);
        return;
    } else if (ft)
        d = magic_buffer(ft->cookie, data, len < MAGIC_WINDOW ? len : MAGIC_WINDOW);
    if (!d)
        d = "data";
    /* keep it one printable line whatever the database says */
    size_t i = 0;
    for (; d[i] && i + 1 < n; i++)
        out[i] = (d[i] >= 0x20 && d[i] < 0x7f) ? d[i] : '?';
    out[i] = '\0';
}
