/* mpromfs sim: create and inspect simulated boards, arm their faults. Each
 * subcommand lives in its own file (sim_cmd_*.c, sim_serve.c); this one dispatches. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd_sim.h"

MR_COMMAND(sim, cmd_sim, "create, inspect and break simulated boards (sim:DIR)");

static void usage_all(FILE *out)
{
    fprintf(out,
            "Usage: mpromfs sim create DIR [--partitions N] [--no-sha256] [PART-OPTIONS]\n"
            "                             [-p N PART-OPTIONS]...\n"
            "       mpromfs sim info DIR\n"
            "       mpromfs sim fault DIR [--power-cut-after N] [--corrupt-write N]\n"
            "                             [--link-stop-after BYTES] [--link-baud BAUD] [--clear]\n"
            "       mpromfs sim reset-counters DIR\n"
            "       mpromfs sim serve DIR [--link PATH] [--baud N] [--no-raw-paste] ...\n"
            "\n"
            "A simulated board keeps its state in DIR and is used as the device sim:DIR.\n"
            "'mpromfs sim SUBCOMMAND --help' describes one subcommand.\n");
}

/* One line per subcommand. Another file may add one: declare its function in
 * cmd_sim.h and add its line here (the serve helper: {"serve", sim_serve}). */
static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
} subcommands[] = {
    {"create", sim_create},
    {"info", sim_info},
    {"fault", sim_fault},
    {"reset-counters", sim_reset_counters},
    {"serve", sim_serve},
};

int cmd_sim(int argc, char **argv)
{
    if (argc < 2) {
        usage_all(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage_all(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
        if (strcmp(argv[1], subcommands[i].name) == 0)
            return subcommands[i].fn(argc - 1, argv + 1);
    return cli_usage_error("sim", "unknown subcommand '%s'", argv[1]);
}

