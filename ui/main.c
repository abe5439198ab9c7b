/* mpromfs: dispatch to a subcommand, or open the TUI when none is given. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#undef MR_COMMAND
#define MR_COMMAND(name, fn, summary) int fn(int argc, char **argv);
#include "commands.inc" /* declarations, from the MR_COMMAND lines */
#undef MR_COMMAND

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

#define MR_COMMAND(name, fn, summary) {#name, fn, summary},
static const struct command commands[] = {
#include "commands.inc"
    {NULL, NULL, NULL}, /* keeps the table valid while it is empty */
};
#undef MR_COMMAND

static const struct command *find_command(const char *name)
{
    for (const struct command *c = commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: mpromfs [-d DEV]            open the partition manager (TUI)\n"
            "       mpromfs COMMAND [ARGS...]   run one command\n"
            "\n"
            "Manage MicroPython ROMFS images and the ROM partitions of a board.\n"
            "\n"
            "Commands:\n");
    for (const struct command *c = commands; c->name; c++)
        if (strcmp(c->name, "tui") != 0)
            fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fprintf(out,
            "\n"
            "Devices (-d DEV): /dev/ttyACM0, serial:/dev/ttyACM0@115200, a0-a3, u0-u3,\n"
            "auto (first MicroPython board found), sim:DIR (a simulated board).\n"
            "\n"
            "'mpromfs COMMAND --help' describes a command. 'mpromfs --version' prints the version.\n");
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    const char *first = argc > 1 ? argv[1] : NULL;
    if (first && (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0 || strcmp(first, "help") == 0)) {
        if (argc > 2 && find_command(argv[2])) {
            char *args[] = {argv[2], "--help", NULL};
            return find_command(argv[2])->fn(2, args);
        }
        usage(stdout);
        return 0;
    }
    if (first && strcmp(first, "--version") == 0) {
        printf("mpromfs %s\n", MPROMFS_VERSION);
        return 0;
    }
    /* No command, or only options: the interactive partition manager. */
    if (!first || first[0] == '-') {
        const struct command *tui = find_command("tui");
        if (tui)
            return tui->fn(argc, argv);
        usage(stderr);
        return 2;
    }
    const struct command *cmd = find_command(first);
    if (!cmd) {
        fprintf(stderr, "mpromfs: unknown command '%s'\nTry 'mpromfs --help'.\n", first);
        return 2;
    }
    return cmd->fn(argc - 1, argv + 1);
}
