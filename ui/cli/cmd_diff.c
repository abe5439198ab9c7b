/* mpromfs diff: what differs between two images (or directories, built in memory). */
#include <unistd.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "build.h"
#include "cli/cli.h"
#include "compare.h"
#include "image_file.h"

MR_COMMAND(diff, cmd_diff, "compare two images or directories: added, removed, changed, moved");

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: mpromfs diff A B\n"
            "\n"
            "Compare two ROMFS images. Either side may be a directory, which is built in\n"
            "memory first (as build --no-mpy). Prints one line per difference:\n"
            "  added / removed   a path on one side only\n"
            "  changed           different bytes (or a file became a directory)\n"
            "  moved             the same bytes at another offset or under another path\n"
            "then a summary. Exit 0 when identical, 1 when they differ, 2 on error.\n"
            "\n"
            "  -h, --help   show this help\n");
}

typedef struct side {
    mr_file_buf fb;
    uint8_t *built;
    size_t built_len;
    mr_image img;
} side;

static int load(side *s, const char *path, mr_err *err)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        mr_scan_opts o = {.mpy = false};
        if (mr_build_memory(path, &o, &s->built, &s->built_len, err))
            return -1;
        return mr_image_parse(&s->img, s->built, s->built_len, err);
    }
    if (mr_file_load(&s->fb, path, err))
        return -1;
    if (mr_image_parse(&s->img, s->fb.bytes, s->fb.len, err))
        return mr_wrap(err, "%s", path);
    return 0;
}

static void unload(side *s)
{
    mr_image_free(&s->img);
    if (s->built)
        free(s->built);
    else if (s->fb.bytes)
        mr_file_unload(&s->fb);
}

int cmd_diff(int argc, char **argv)
{
    int done = cli_help_only(argc, argv, usage);
    if (done >= 0)
        return done;
    if (argc - optind != 2)
        return cli_usage_error("diff", "need two images or directories");
    mr_err err = {{0}};
    side a = {0}, b = {0};
    int rc;
    if (load(&a, argv[optind], &err) || load(&b, argv[optind + 1], &err)) {
        cli_fail(&err);
        rc = 2;
    } else {
        mr_diff d;
        if (mr_compare(&a.img, &b.img, &d, &err)) {
            cli_fail(&err);
            rc = 2;
        } else {
            mr_diff_print(&d, stdout);
            rc = d.count ? 1 : 0;
            mr_diff_free(&d);
        }
    }
    unload(&a);
    unload(&b);
    return rc;
}
