/* mpromfs query: a board's ROM partitions, as mpremote's `romfs query` shows them,
 * plus base address, erase and write sizes, writability and the image's contents. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/cli_device.h"
#include "device_image.h"
#include "image.h"
#include "romfs.h"
#include "varuint.h"

MR_COMMAND(query, cmd_query, "show a board's ROM partitions (like mpremote romfs query)");

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: mpromfs query [-d DEV] [-p N] [--reset] [--timeout S] [-v]\n"
            "\n"
            "Describe the board's ROM partitions (all, or partition N): size and erase\n"
            "blocks, the first bytes, the image size (as mpremote romfs query prints them),\n"
            "then the base address, erase unit, write size, whether it can be written, and\n"
            "how many files and directories the image holds (read from the board).\n"
            "\n"
            "  -p, --partition N  only partition N\n" CLI_DEV_HELP
            "  -h, --help         show this help\n");
}

static int query_one(mr_device *dev, unsigned part)
{
    mr_err err;
    mr_part_info pi;
    if (mr_device_info(dev, part, &pi, &err) != 0)
        return cli_fail(&err);
    uint64_t unit = pi.erase_unit ? pi.erase_unit : pi.size;
    printf("ROMFS%u partition has size %" PRIu64 " bytes (%" PRIu64 " blocks of %" PRIu64
           " bytes each)\n", part, pi.size, pi.size / unit, unit);
    printf("  Raw contents: ");
    for (int i = 0; i < 12; i++)
        printf("%02x%s", pi.head[i], i < 11 ? ":" : " ...\n");
    if (pi.has_image) {
        /* mpremote prints the header's length varuint here (the payload, without the
         * header itself); the same number keeps scripts that parse it working. */
        uint64_t payload = 0;
        size_t used = 0;
        mr_varuint_decode(pi.head + MR_MAGIC_LEN, sizeof pi.head - MR_MAGIC_LEN, &payload, &used);
        printf("  ROMFS image size: %" PRIu64 "\n", payload);
    } else
        printf("  Not a valid ROMFS\n");
    if (pi.base_known)
        printf("  Base address: 0x%08" PRIx64 "\n", pi.base);
    else
        printf("  Base address: unknown (shown as 0)\n");
    printf("  Erase unit: %" PRIu64 " bytes, write size: %" PRIu32 " bytes, %s\n", unit,
           pi.write_min, pi.writable ? "writable" : "read-only");
    printf("  Kind: %s\n", pi.block_device ? "block device (rp2/esp32 style)"
                                           : "memoryview (stm32 style)");
    if (!pi.has_image)
        return 0;
    uint8_t *bytes;
    size_t len;
    if (mr_device_read_part(dev, part, true, &bytes, &len, &pi, NULL, NULL, &err) != 0)
        return cli_fail(&err);
    mr_image img;
    if (mr_image_parse(&img, bytes, len, &err) != 0) {
        printf("  Image: corrupt: %s\n", err.msg);
        free(bytes);
        return 1;
    }
    printf("  Image: %zu file%s, %zu director%s, %" PRIu64 " bytes with its header, %" PRIu64
           " bytes free after it\n", img.files, img.files == 1 ? "" : "s", img.dirs,
           img.dirs == 1 ? "y" : "ies", (uint64_t)len, pi.size - (uint64_t)len);
    mr_image_free(&img);
    free(bytes);
    return 0;
}

int cmd_query(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_DEV_LONGOPTS,
        {"partition", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_dev_args dv;
    cli_dev_args_init(&dv);
    long part = -1;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:p:vh", opts, NULL)) != -1) {
        int r = cli_dev_option(&dv, c, optarg, "query");
        if (r == 2)
            return 2;
        if (r == 1)
            continue;
        unsigned p;
        switch (c) {
        case 'p':
            if (cli_parse_partition("query", optarg, &p) != 0)
                return 2;
            part = (long)p;
            break;
        case 'h': usage(stdout); return 0;
        default: return cli_usage_error("query", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage_error("query", "unexpected argument '%s'", argv[optind]);
    mr_device *dev;
    int rc = cli_dev_open(&dv, &dev);
    if (rc != 0)
        return rc;
    mr_err err;
    unsigned n;
    if (mr_device_count(dev, &n, &err) != 0) {
        rc = cli_fail(&err);
    } else if (part >= 0) {
        rc = query_one(dev, (unsigned)part);
    } else {
        for (unsigned i = 0; i < n; i++)
            if (query_one(dev, i) != 0)
                rc = 1;
    }
    mr_device_close(dev);
    return rc;
}
