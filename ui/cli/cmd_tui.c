/* mpromfs tui: the interactive partition manager (also what `mpromfs` with no
 * command runs). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tui/app.h"
#include "tui/keys.h"

MR_COMMAND(tui, cmd_tui, "open the partition manager (the default with no command)");

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: mpromfs [tui] [-d DEV] [-C DIR]\n"
            "\n"
            "Open the partition manager: local files on the left, the board's ROM\n"
            "partitions on the right, with a map of erase units, deploy, edit and inspect.\n"
            "\n"
            "  -d, --device DEV   the board: /dev/ttyACM0, a0-a3, u0-u3, auto, sim:DIR.\n"
            "                     Default: auto; with no board attached, the built-in\n"
            "                     simulated board in $XDG_STATE_HOME/mpromfs/sim\n"
            "                     (~/.local/state/mpromfs/sim), preloaded with an example app\n"
            "  -C, --dir DIR      start the local pane in DIR (default: the current directory)\n"
            "      --keys         print the key bindings as a Markdown table and exit\n"
            "  -h, --help         this help\n"
            "\n"
            "Press ? inside for every key. Environment: NO_COLOR=1 draws without colour;\n"
            "MPROMFS_TUI_DUMP=FILE writes the screen's text to FILE on F12 and at exit.\n");
}

int cmd_tui(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"device", required_argument, NULL, 'd'},
        {"dir", required_argument, NULL, 'C'},
        {"keys", no_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    tui_options opts = {.argv0 = argv[0]};
    /* with no subcommand, main passes argv as is: argv[0] is the program */
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":d:C:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': opts.device = optarg; break;
        case 'C': opts.dir = optarg; break;
        case 'k': tui_keys_markdown(stdout); return 0;
        case 'h': usage(stdout); return 0;
        case ':': return cli_usage_error("tui", "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error("tui", "unknown option %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("tui", "unexpected argument '%s'", argv[optind]);
    mr_err err;
    mr_err_clear(&err);
    if (tui_run(&opts, &err) < 0)
        return cli_fail(&err);
    return 0;
}
