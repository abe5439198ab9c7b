/* Shared pieces of the command-line front end. A subcommand lives in its own
 * ui/cli/cmd_NAME.c and declares itself with one line at the start of a line:
 *     MR_COMMAND(name, function, "one-line summary for mpromfs --help");
 * The Makefile collects those lines into the dispatch table (build/gen/commands.inc).
 * A command returns the process exit code: 0 success, 1 failure, 2 usage error. */
#ifndef MR_CLI_H
#define MR_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"

#define MR_COMMAND(name, fn, summary) int fn(int argc, char **argv)

/* "mpromfs: MESSAGE" on stderr; returns 1. */
int cli_fail(const mr_err *err);
/* "mpromfs CMD: MESSAGE\nTry 'mpromfs CMD --help'." on stderr; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) MR_PRINTF(2, 3);
/* Option parsing for a command whose only option is --help: returns -1 to go on
 * (optind at the first operand), else the exit code (0 after --help, 2 for an
 * unknown option). The command's name is argv[0]. */
int cli_help_only(int argc, char **argv, void (*usage)(FILE *out));
/* -p N: a partition index below MR_MAX_PARTITIONS. Returns 0, or prints the usage
 * error for command cmd and returns its exit code (2). */
int cli_parse_partition(const char *cmd, const char *arg, unsigned *out);
/* Parse "123", "0x1f", "64K", "1M", "2G" (powers of 1024). */
int cli_parse_size(const char *s, uint64_t *out, mr_err *err);
/* Parse an integer in decimal or 0x hex, no suffix. */
int cli_parse_u64(const char *s, uint64_t *out, mr_err *err);

#endif
