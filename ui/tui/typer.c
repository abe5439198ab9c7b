#include "typer.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "filetype.h"
#include "mpy_cross.h"

static mr_filetype *ft;
static bool ft_tried;

static mr_filetype *database(void)
{
    if (!ft_tried) {
        ft_tried = true;
        mr_err err;
        ft = mr_filetype_open(&err); /* NULL: only .mpy and "empty" are recognised */
    }
    return ft;
}

char *tui_buffer_typer(void *ctx, const char *name, const uint8_t *data, size_t len)
{
    (void)ctx;
    (void)name;
    char out[112];
    mr_filetype_describe(database(), data, data ? len : 0, out, sizeof out);
    return strdup(out);
}

char *tui_file_typer(void *ctx, const char *path)
{
    (void)ctx;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return strdup("unreadable");
    uint8_t buf[16384];
    size_t got = 0;
    while (got < sizeof buf) {
        ssize_t n = read(fd, buf + got, sizeof buf - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    return tui_buffer_typer(ctx, path, buf, got);
}

void tui_typer_close(void)
{
    mr_filetype_close(ft);
    ft = NULL;
    ft_tried = false;
}

bool tui_mpy_cross_available(void)
{
    mr_mpy_cross mc;
    memset(&mc, 0, sizeof mc);
    bool found = false;
    mr_err err;
    if (mr_mpy_cross_find(&mc, NULL, &found, &err) < 0)
        found = false;
    mr_mpy_cross_free(&mc);
    return found;
}
