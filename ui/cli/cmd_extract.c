/* mpromfs extract: an image's files into a new directory. */

#include <unistd.h>

#include "cli/cli.h"
#include "extract.h"
#include "image_file.h"

MR_COMMAND(extract, cmd_extract, "write an image's files into a new directory");

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: mpromfs extract IMAGE DIR\n"
            "\n"
            "Write every directory and file of the ROMFS image IMAGE under DIR, which must\n"
            "not exist or be empty. Nothing is ever written outside DIR, whatever names the\n"
            "image holds; an image with unsafe or duplicate names is refused, and on any\n"
            "error nothing is left behind.\n"
            "\n"
            "  -h, --help   show this help\n");
}

int cmd_extract(int argc, char **argv)
{
    int done = cli_help_only(argc, argv, usage);
    if (done >= 0)
        return done;
    if (argc - optind != 2)
        return cli_usage_error("extract", argc - optind < 2 ? "need IMAGE and DIR" : "too many arguments");
    mr_err err = {{0}};
    mr_file_buf fb;
    if (mr_file_load(&fb, argv[optind], &err))
        return cli_fail(&err);
    mr_image img;
    int rc = 0;
    if (mr_image_parse(&img, fb.bytes, fb.len, &err) || mr_extract(&img, argv[optind + 1], &err))
        rc = cli_fail(&err);
    else
        printf("Extracted %zu files and %zu directories to %s\n", img.files, img.dirs, argv[optind + 1]);
    mr_image_free(&img);
    mr_file_unload(&fb);
    return rc;
}
