/* mpromfs cat: one file's bytes from an image to stdout. */
#include <errno.h>
#include <unistd.h>

#include "cli/cli.h"
#include "image.h"
#include "image_file.h"

MR_COMMAND(cat, cmd_cat, "print a file from an image");

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: mpromfs cat IMAGE PATH\n"
            "\n"
            "Write the bytes of the file PATH inside the ROMFS image IMAGE to stdout.\n"
            "\n"
            "  -h, --help   show this help\n");
}

int cmd_cat(int argc, char **argv)
{
    int done = cli_help_only(argc, argv, usage);
    if (done >= 0)
        return done;
    if (argc - optind != 2)
        return cli_usage_error("cat", argc - optind < 2 ? "need IMAGE and PATH" : "too many arguments");
    mr_err err = {{0}};
    mr_file_buf fb;
    if (mr_file_load(&fb, argv[optind], &err))
        return cli_fail(&err);
    mr_image img;
    int rc = 0;
    if (mr_image_parse(&img, fb.bytes, fb.len, &err)) {
        rc = cli_fail(&err);
    } else {
        const mr_entry *e = mr_image_find(&img, argv[optind + 1]);
        if (!e)
            rc = mr_fail(&err, "%s: no such file in the image", argv[optind + 1]);
        else if (e->type == MR_ENTRY_DIR)
            rc = mr_fail(&err, "%s is a directory", argv[optind + 1]);
        else if (e->data_kind == MR_DATA_NONE)
            rc = mr_fail(&err, "%s has no data record", argv[optind + 1]);
        const uint8_t *p = rc ? NULL : mr_entry_data(&img, e);
        size_t n = p ? e->size : 0;
        fflush(stdout);
        while (n && rc == 0) {
            ssize_t w = write(STDOUT_FILENO, p, n);
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                rc = mr_fail_errno(&err, "cannot write to stdout");
            else {
                p += w;
                n -= (size_t)w;
            }
        }
        if (rc)
            rc = cli_fail(&err);
        mr_image_free(&img);
    }
    mr_file_unload(&fb);
    return rc;
}
