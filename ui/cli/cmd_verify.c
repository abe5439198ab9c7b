/* mpromfs verify: is this image structurally sound? Exit 0 yes, 1 no. */

#include <unistd.h>

#include "cli/cli.h"
#include "image_file.h"
#include "verify.h"

MR_COMMAND(verify, cmd_verify, "check an image's structure (exit 0 sound, 1 corrupt)");

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: mpromfs verify IMAGE...\n"
            "\n"
            "Check each ROMFS image strictly: every record inside its parent, no kind-0\n"
            "records, indirect data inside the image, names usable, no duplicates, an even\n"
            "size. Prints what is wrong with its byte offset; records the board skips\n"
            "(padding, unknown kinds) are listed as notes. Exit 0 when all are sound, 1 if not.\n"
            "\n"
            "  -h, --help   show this help\n");
}

int cmd_verify(int argc, char **argv)
{
    int done = cli_help_only(argc, argv, usage);
    if (done >= 0)
        return done;
    if (optind == argc)
        return cli_usage_error("verify", "no image given");
    int rc = 0;
    for (int i = optind; i < argc; i++) {
        mr_err err = {{0}};
        mr_file_buf fb;
        if (mr_file_load(&fb, argv[i], &err)) {
            cli_fail(&err);
            rc = 1;
            continue;
        }
        if (mr_verify(fb.bytes, fb.len, argv[i], stdout))
            rc = 1;
        mr_file_unload(&fb);
    }
    return rc;
}
