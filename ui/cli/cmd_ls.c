/* mpromfs ls: what is in an image, where each file's data lives and what it is. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/ls_view.h"
#include "image_file.h"

MR_COMMAND(ls, cmd_ls, "list an image: sizes, offsets, addresses, alignment, types");

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: mpromfs ls [-l] [--base ADDR] [--json] IMAGE [PATH]\n"
            "\n"
            "List the files and directories of a ROMFS image (or of PATH inside it): size,\n"
            "offset of the data in the image, address (base + offset), alignment of that\n"
            "address, how the data is stored (verbatim or indirect), then a summary line.\n"
            "\n"
            "  -l, --long        also show each file's type (libmagic; .mpy version and arch)\n"
            "  -b, --base ADDR   address of the image's first byte (default 0), e.g. 0x80000000\n"
            "  -j, --json        one JSON object with every entry (types included)\n"
            "  -h, --help        show this help\n");
}

int cli_ls_buffer(const uint8_t *bytes, size_t len, uint64_t base, const char *path, bool lng, bool json)
{
    mr_err err = {{0}};
    mr_image img;
    if (mr_image_parse(&img, bytes, len, &err))
        return cli_fail(&err);
    mr_filetype *ft = NULL;
    int rc = 0;
    if ((lng || json) && !(ft = mr_filetype_open(&err))) {
        mr_image_free(&img);
        return cli_fail(&err);
    }
    mr_listing l;
    if (mr_list(&l, &img, base, path, lng || json, ft, &err) == 0) {
        if (json)
            mr_list_print_json(&l, stdout);
        else
            mr_list_print_text(&l, lng, stdout);
        mr_list_free(&l);
        for (size_t i = 0; i < img.nnotes; i++)
            if (img.notes[i].problem)
                fprintf(stderr, "mpromfs: warning: %s (byte offset %zu)\n", img.notes[i].what, img.notes[i].offset);
    } else {
        rc = cli_fail(&err);
    }
    mr_filetype_close(ft);
    mr_image_free(&img);
    return rc;
}

int cmd_ls(int argc, char **argv)
{
    static const struct option opts[] = {
        {"long", no_argument, NULL, 'l'}, {"base", required_argument, NULL, 'b'},
        {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool lng = false, json = false;
    uint64_t base = 0;
    mr_err err = {{0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "lb:jh", opts, NULL)) != -1) {
        switch (c) {
        case 'l': lng = true; break;
        case 'j': json = true; break;
        case 'b':
            if (cli_parse_u64(optarg, &base, &err))
                return cli_usage_error("ls", "--base: %s", err.msg);
            break;
        case 'h': usage(stdout); return 0;
        default: return cli_usage_error("ls", "unknown option");
        }
    }
    if (optind == argc)
        return cli_usage_error("ls", "no image given");
    if (argc - optind > 2)
        return cli_usage_error("ls", "too many arguments");
    const char *path = argc - optind == 2 ? argv[optind + 1] : NULL;
    mr_file_buf fb;
    if (mr_file_load(&fb, argv[optind], &err))
        return cli_fail(&err);
    int rc = cli_ls_buffer(fb.bytes, fb.len, base, path, lng, json);
    mr_file_unload(&fb);
    return rc;
}
