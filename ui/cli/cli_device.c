/* See cli_device.h. */
#include <getopt.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/cli_device.h"

void cli_dev_args_init(cli_dev_args *a)
{
    a->name = "auto";
    a->opts = (mr_open_opts){.timeout_ms = 5000};
}

int cli_dev_option(cli_dev_args *a, int c, const char *arg, const char *cmd)
{
    mr_err err;
    uint64_t secs;
    switch (c) {
    case 'd':
        a->name = arg;
        return 1;
    case CLI_OPT_RESET:
        a->opts.soft_reset = true;
        return 1;
    case 'v':
        a->opts.verbose = true;
        return 1;
    case CLI_OPT_TIMEOUT:
        if (cli_parse_u64(arg, &secs, &err) != 0 || secs == 0 || secs > 3600) {
            cli_usage_error(cmd, "--timeout wants seconds from 1 to 3600, not '%s'", arg);
            return 2;
        }
        a->opts.timeout_ms = (unsigned)secs * 1000u;
        return 1;
    default:
        return 0;
    }
}

void cli_dev_warn(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "mpromfs: %s\n", msg);
}

int cli_dev_open(const cli_dev_args *a, mr_device **dev)
{
    mr_err err;
    if (mr_device_open(a->name, &a->opts, dev, &err) != 0)
        return cli_fail(&err);
    (*dev)->warn = cli_dev_warn;
    return 0;
}
