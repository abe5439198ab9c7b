/* mpromfs sim fault: arm and clear a simulated board's faults. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_sim.h"
#include "sim.h"

enum { O_CUT = 256, O_CORRUPT, O_STOP, O_BAUD, O_CLEAR, O_HELP };

static void usage_fault(FILE *out)
{
    fprintf(out,
            "Usage: mpromfs sim fault DIR [--power-cut-after N] [--corrupt-write N]\n"
            "                             [--link-stop-after BYTES] [--link-baud BAUD] [--clear]\n"
            "\n"
            "Arm faults on a simulated board; they persist in DIR/board.conf until they fire\n"
            "or are cleared. Writes count across all partitions, from now.\n"
            "\n"
            "  --power-cut-after N      N more writes happen, then the power is cut: write N+1\n"
            "                           does not happen and the board vanishes (0: the next)\n"
            "  --corrupt-write N        the Nth write from now (1: the next) stores one flipped\n"
            "                           bit yet reports success\n"
            "  --link-stop-after BYTES  the pty board (sim serve) stops answering after BYTES\n"
            "  --link-baud BAUD         the pty board's link runs at BAUD (0: full speed)\n"
            "  --clear                  disarm every fault first\n");
}

int sim_fault(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"power-cut-after", required_argument, NULL, O_CUT},
        {"corrupt-write", required_argument, NULL, O_CORRUPT},
        {"link-stop-after", required_argument, NULL, O_STOP},
        {"link-baud", required_argument, NULL, O_BAUD},
        {"clear", no_argument, NULL, O_CLEAR},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0},
    };
    bool clear = false, cut = false, corrupt = false, stop = false, baud = false;
    uint64_t cut_n = 0, corrupt_n = 0, stop_n = 0, baud_n = 0;
    mr_err err;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case O_HELP:
            usage_fault(stdout);
            return 0;
        case O_CLEAR:
            clear = true;
            break;
        case O_CUT:
            if (cli_parse_u64(optarg, &cut_n, &err))
                return cli_usage_error("sim fault", "--power-cut-after: %s", err.msg);
            cut = true;
            break;
        case O_CORRUPT:
            if (cli_parse_u64(optarg, &corrupt_n, &err) || corrupt_n == 0)
                return cli_usage_error("sim fault", "--corrupt-write %s: give 1 for the next "
                                       "write, 2 for the one after...", optarg);
            corrupt = true;
            break;
        case O_STOP:
            if (cli_parse_size(optarg, &stop_n, &err) || stop_n == 0)
                return cli_usage_error("sim fault", "--link-stop-after %s: give a byte count "
                                       "above 0", optarg);
            stop = true;
            break;
        case O_BAUD:
            if (cli_parse_u64(optarg, &baud_n, &err) || baud_n > 100000000)
                return cli_usage_error("sim fault", "--link-baud %s: give a rate such as 115200",
                                       optarg);
            baud = true;
            break;
        default:
            return cli_usage_error("sim fault", "unknown option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("sim fault", "give exactly one directory");
    if (!clear && !cut && !corrupt && !stop && !baud)
        return cli_usage_error("sim fault", "say which fault (or --clear)");
    const char *dir = argv[optind];
    if ((clear && mr_sim_fault_clear(dir, &err)) ||
        (cut && mr_sim_fault_power_cut(dir, cut_n, &err)) ||
        (corrupt && mr_sim_fault_corrupt(dir, corrupt_n, &err)) ||
        ((stop || baud) && mr_sim_fault_link(dir, stop, stop_n, baud, (uint32_t)baud_n, &err)))
        return cli_fail(&err);
    mr_sim_conf conf;
    mr_sim_counters c[MR_SIM_MAX_PARTS];
    if (mr_sim_conf_load(dir, &conf, &err) || mr_sim_counters_load(dir, conf.nparts, c, &err))
        return cli_fail(&err);
    uint64_t total = 0;
    for (unsigned i = 0; i < conf.nparts; i++)
        total += c[i].writes;
    char text[512];
    mr_sim_fault_describe(&conf.faults, total, text, sizeof text);
    printf("faults: %s\n", text);
    return 0;
}

