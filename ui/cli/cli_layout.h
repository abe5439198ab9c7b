/* The layout options shared by every command that builds an image (build, deploy):
 *   --align N | GLOB=N, --layout FILE, --base ADDR, --size BYTES, --config FILE,
 *   --top DIR, --config-partition KEY, --mpy-cross-args "ARGS", --summary
 * Add CLI_LAYOUT_LONGOPTS to the getopt_long table, pass every unknown code to
 * cli_layout_option, print cli_layout_usage in --help, then call mr_layout_build
 * (src/build_layout.h) with the filled mr_layout_opts. */
#ifndef MR_CLI_LAYOUT_H
#define MR_CLI_LAYOUT_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "build_layout.h"

enum {
    CLI_LAYOUT_ALIGN = 0x4c00,
    CLI_LAYOUT_FILE,
    CLI_LAYOUT_BASE,
    CLI_LAYOUT_SIZE,
    CLI_LAYOUT_CONFIG,
    CLI_LAYOUT_TOP,
    CLI_LAYOUT_CONFIG_PART,
    CLI_LAYOUT_MPY_ARGS,
    CLI_LAYOUT_SUMMARY,
    CLI_LAYOUT_NO_INDIRECT,
};

#define CLI_LAYOUT_LONGOPTS                                                                                   \
    {"align", required_argument, NULL, CLI_LAYOUT_ALIGN}, {"layout", required_argument, NULL, CLI_LAYOUT_FILE}, \
        {"base", required_argument, NULL, CLI_LAYOUT_BASE}, {"size", required_argument, NULL, CLI_LAYOUT_SIZE},  \
        {"config", required_argument, NULL, CLI_LAYOUT_CONFIG}, {"top", required_argument, NULL, CLI_LAYOUT_TOP}, \
        {"config-partition", required_argument, NULL, CLI_LAYOUT_CONFIG_PART},                                \
        {"mpy-cross-args", required_argument, NULL, CLI_LAYOUT_MPY_ARGS},                                     \
        {"summary", no_argument, NULL, CLI_LAYOUT_SUMMARY},                                                   \
        {"no-indirect", no_argument, NULL, CLI_LAYOUT_NO_INDIRECT}

typedef struct cli_layout {
    mr_layout_opts opts;
    bool summary;   /* --summary, or implied by any other layout option */
    bool used;      /* some layout option was given */
} cli_layout;

void cli_layout_init(cli_layout *l);
void cli_layout_free(cli_layout *l);
/* One getopt code. Returns false when c is not a layout option. Otherwise sets
 * *status to 0, or to the exit code of a usage error it has already printed. */
bool cli_layout_option(cli_layout *l, int c, const char *arg, const char *cmd, int *status);
void cli_layout_usage(FILE *out);
/* Warnings gathered while building (OpenMV types copied verbatim...), to stderr. */
void cli_layout_warnings(const mr_layout_result *r);

#endif
