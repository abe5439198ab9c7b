/* The options every board-facing command shares: -d DEV, --reset, --timeout, -v. */
#ifndef MR_CLI_DEVICE_H
#define MR_CLI_DEVICE_H

#include <stdbool.h>

#include "device.h"

typedef struct cli_dev_args {
    const char *name;       /* "auto" unless -d */
    mr_open_opts opts;
} cli_dev_args;

enum { CLI_OPT_RESET = 0x200, CLI_OPT_TIMEOUT };

#define CLI_DEV_LONGOPTS                                                                        \
    {"device", required_argument, NULL, 'd'}, {"reset", no_argument, NULL, CLI_OPT_RESET},       \
        {"timeout", required_argument, NULL, CLI_OPT_TIMEOUT},                                  \
        {"verbose", no_argument, NULL, 'v'}

#define CLI_DEV_HELP                                                                            \
    "  -d, --device DEV  the board: /dev/ttyACM0, serial:PATH[@BAUD], a0-a3, u0-u3,\n"          \
    "                    id:SERIAL, auto (default: the first MicroPython board), sim:DIR\n"      \
    "      --reset       soft-reset the board when entering its raw REPL\n"                     \
    "      --timeout S   seconds to wait for an answer (default 5; scaled up for long work)\n"   \
    "  -v, --verbose     log what crosses the serial link to stderr\n"

void cli_dev_args_init(cli_dev_args *a);
/* Handle one getopt result if it is a device option: 1 handled, 0 not ours,
 * 2 after printing a usage error (return that as the exit code). */
int cli_dev_option(cli_dev_args *a, int c, const char *arg, const char *cmd);
/* Open the board; on failure prints the message and returns the exit code (1). */
/* Prints a device's warnings as "mpromfs: MESSAGE" on stderr (dev->warn). */
void cli_dev_warn(void *ctx, const char *msg);
int cli_dev_open(const cli_dev_args *a, mr_device **dev);

#endif
