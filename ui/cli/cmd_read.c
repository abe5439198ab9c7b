/* mpromfs read: download a partition, or only the image at its start, from a board. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_device.h"
#include "device_image.h"
#include "file_save.h"

MR_COMMAND(read, cmd_read, "download a ROM partition (or just its image) from a board");

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: mpromfs read [-d DEV] [-p N] [-o FILE] [--image-only]\n"
            "\n"
            "Read partition N (default 0) from the board into FILE (default: standard\n"
            "output when it is not a terminal). FILE appears only when the whole read\n"
            "succeeded. With --image-only, read just the ROMFS image at the start of the\n"
            "partition (an error when there is none).\n"
            "\n"
            "  -p, --partition N  the partition (default 0)\n"
            "  -o, --output FILE  where to write ('-' for standard output)\n"
            "  -i, --image-only   only the image, not the erased flash after it\n"
            "      --stats        then print what crossed the link (bytes, round trips)\n" CLI_DEV_HELP
            "  -h, --help         show this help\n");
}

static int progress(void *ctx, uint64_t done, uint64_t total)
{
    (void)ctx;
    fprintf(stderr, "\rreading: %llu / %llu bytes", (unsigned long long)done,
            (unsigned long long)total);
    if (done == total)
        fputc('\n', stderr);
    return 0;
}

static int write_stdout(const uint8_t *b, size_t n, mr_err *err)
{
    if (fwrite(b, 1, n, stdout) != n || fflush(stdout) != 0)
        return mr_fail_errno(err, "cannot write to standard output");
    return 0;
}

int cmd_read(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_DEV_LONGOPTS,
        {"partition", required_argument, NULL, 'p'},
        {"output", required_argument, NULL, 'o'},
        {"image-only", no_argument, NULL, 'i'},
        {"stats", no_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_dev_args dv;
    cli_dev_args_init(&dv);
    unsigned part = 0;
    const char *output = NULL;
    bool image_only = false, stats = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:p:o:ivh", opts, NULL)) != -1) {
        int r = cli_dev_option(&dv, c, optarg, "read");
        if (r == 2)
            return 2;
        if (r == 1)
            continue;
        switch (c) {
        case 'p':
            if (cli_parse_partition("read", optarg, &part) != 0)
                return 2;
            break;
        case 'o': output = optarg; break;
        case 'i': image_only = true; break;
        case 'S': stats = true; break;
        case 'h': usage(stdout); return 0;
        default: return cli_usage_error("read", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage_error("read", "unexpected argument '%s'", argv[optind]);
    bool to_stdout = !output || (output[0] == '-' && output[1] == 0);
    if (to_stdout && isatty(STDOUT_FILENO))
        return cli_usage_error("read", "not writing binary data to a terminal; give -o FILE");
    mr_device *dev;
    int rc = cli_dev_open(&dv, &dev);
    if (rc != 0)
        return rc;
    mr_err err;
    uint8_t *bytes = NULL;
    size_t len = 0;
    mr_part_info pi;
    bool show = isatty(STDERR_FILENO);
    if (mr_device_read_part(dev, part, image_only, &bytes, &len, &pi, show ? progress : NULL, NULL,
                            &err) != 0 ||
        (to_stdout ? write_stdout(bytes, len, &err) : mr_file_save(output, bytes, len, &err)) != 0)
        rc = cli_fail(&err);
    else if (!to_stdout)
        printf("read %zu bytes (%s) of partition %u into %s\n", len,
               image_only ? "the image" : "the whole partition", part, output);
    if (stats)
        fprintf(stderr, "link: %llu bytes sent, %llu bytes received, %llu round trips\n",
                (unsigned long long)dev->stats.bytes_sent,
                (unsigned long long)dev->stats.bytes_received,
                (unsigned long long)dev->stats.round_trips);
    free(bytes);
    mr_device_close(dev);
    return rc;
}
