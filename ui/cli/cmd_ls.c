/* mpromfs ls: what is in an image, where each file's data lives and what it is. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_device.h"
#include "cli/ls_layout.h"
#include "cli/ls_view.h"
#include "device_image.h"
#include "image_file.h"

MR_COMMAND(ls, cmd_ls, "list an image: sizes, offsets, addresses, alignment, types");

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: mpromfs ls [-l] [--base ADDR] [--json] IMAGE [PATH]\n"
            "       mpromfs ls [-l] [--json] -d DEV [-p N] [PATH]\n"
            "\n"
            "List the files and directories of a ROMFS image (or of PATH inside it): size,\n"
            "offset of the data in the image, address (base + offset), alignment of that\n"
            "address, how the data is stored (verbatim or indirect), then a summary line.\n"
            "With -d (or -p, or a sim:DIR in place of IMAGE) the image is read from the\n"
            "board's partition N (default 0), and addresses use the partition's real base.\n"
            "\n"
            "  -p, --partition N the board's partition (default 0)\n"
            "  -l, --long        also show each file's type (libmagic; .mpy version and arch)\n"
            "  -b, --base ADDR   address of the image's first byte (default 0), e.g. 0x80000000\n"
            "  -j, --json        one JSON object with every entry (types included)\n"
            "      --size BYTES  partition size (K, M suffixes): show used and free space\n"
            "      --format openmv  print what OpenMV's romfs.ls_romfs() prints on the camera\n"
            "      --check-align RULE  check files against alignment rules ('*.tflite=16', N, or\n"
            "                    a layout file); exits 1 if any file is misaligned; repeatable\n"
            CLI_DEV_HELP
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

/* The image at the start of a board's partition, listed at the partition's base;
 * only the image's bytes cross the link. */
static int ls_device(const cli_dev_args *dv, unsigned part, bool base_given, uint64_t base,
                     const char *path, bool lng, bool json, cli_ls_layout *lay)
{
    mr_device *dev;
    int rc = cli_dev_open(dv, &dev);
    if (rc != 0)
        return rc;
    mr_err err = {{0}};
    uint8_t *bytes;
    size_t len;
    mr_part_info pi;
    rc = mr_device_read_part(dev, part, true, &bytes, &len, &pi, NULL, NULL, &err);
    mr_device_close(dev);
    if (rc != 0)
        return cli_fail(&err);
    if (!base_given)
        base = pi.base;
    if (cli_ls_layout_wanted(lay) && !json) {
        if (!lay->size)
            lay->size = pi.size;
        rc = cli_ls_layout_run(lay, bytes, len, base, path, lng);
        free(bytes);
        return rc;
    }
    /* The summary's partition size and free space describe the whole partition:
     * the unread tail stands in as erased flash. */
    if (pi.size > len && pi.size <= (64u << 20)) {
        uint8_t *whole = realloc(bytes, (size_t)pi.size);
        if (whole) {
            memset(whole + len, 0xff, (size_t)pi.size - len);
            bytes = whole;
            len = (size_t)pi.size;
        }
    }
    rc = cli_ls_buffer(bytes, len, base, path, lng, json);
    free(bytes);
    return rc;
}

int cmd_ls(int argc, char **argv)
{
    static const struct option opts[] = {
        {"long", no_argument, NULL, 'l'}, {"base", required_argument, NULL, 'b'},
        {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, CLI_LS_LAYOUT_LONGOPTS,
        {"partition", required_argument, NULL, 'p'}, CLI_DEV_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    bool lng = false, json = false, base_given = false, on_device = false;
    cli_ls_layout lay = {0};
    int status;
    uint64_t base = 0;
    unsigned part = 0;
    cli_dev_args dv;
    cli_dev_args_init(&dv);
    mr_err err = {{0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "lb:jhd:p:v", opts, NULL)) != -1) {
        int r = cli_dev_option(&dv, c, optarg, "ls");
        if (r == 2) {
            cli_ls_layout_free(&lay);
            return 2;
        }
        if (r == 1) {
            on_device = true;
            continue;
        }
        switch (c) {
        case 'l': lng = true; break;
        case 'j': json = true; break;
        case 'b':
            if (cli_parse_u64(optarg, &base, &err)) {
                cli_ls_layout_free(&lay);
                return cli_usage_error("ls", "--base: %s", err.msg);
            }
            base_given = true;
            break;
        case 'p':
            if (cli_parse_partition("ls", optarg, &part) != 0) {
                cli_ls_layout_free(&lay);
                return 2;
            }
            on_device = true;
            break;
        case 'h': usage(stdout); cli_ls_layout_free(&lay); return 0;
        default:
            if (!cli_ls_layout_option(&lay, c, optarg, &status))
                status = cli_usage_error("ls", "unknown option");
            if (status) {
                cli_ls_layout_free(&lay);
                return status;
            }
            break;
        }
    }
    /* "mpromfs ls sim:DIR -p 0": a board named where the image would be. */
    if (optind < argc && strncmp(argv[optind], "sim:", 4) == 0) {
        if (strcmp(dv.name, "auto") != 0) {
            cli_ls_layout_free(&lay);
            return cli_usage_error("ls", "two boards given (-d %s and %s)", dv.name, argv[optind]);
        }
        dv.name = argv[optind++];
        on_device = true;
    }
    if (on_device) {
        if (argc - optind > 1) {
            cli_ls_layout_free(&lay);
            return cli_usage_error("ls", "too many arguments");
        }
        int rc = ls_device(&dv, part, base_given, base,
                           optind < argc ? argv[optind] : NULL, lng, json, &lay);
        cli_ls_layout_free(&lay);
        return rc;
    }
    if (json && cli_ls_layout_wanted(&lay)) {
        cli_ls_layout_free(&lay);
        return cli_usage_error("ls", "--json does not combine with --format, --check-align or --size");
    }
    if (optind == argc || argc - optind > 2) {
        cli_ls_layout_free(&lay);
        return cli_usage_error("ls", optind == argc ? "no image given" : "too many arguments");
    }
    const char *path = argc - optind == 2 ? argv[optind + 1] : NULL;
    mr_file_buf fb;
    if (mr_file_load(&fb, argv[optind], &err)) {
        cli_ls_layout_free(&lay);
        return cli_fail(&err);
    }
    int rc = cli_ls_layout_wanted(&lay) ? cli_ls_layout_run(&lay, fb.bytes, fb.len, base, path, lng)
                                                : cli_ls_buffer(fb.bytes, fb.len, base, path, lng, json);
    cli_ls_layout_free(&lay);
    mr_file_unload(&fb);
    return rc;
}
