#include "cli/cli_layout.h"

#include "cli/cli.h"

void cli_layout_init(cli_layout *l)
{
    mr_layout_opts_init(&l->opts);
    l->summary = false;
    l->used = false;
}

void cli_layout_free(cli_layout *l)
{
    mr_layout_opts_free(&l->opts);
}

bool cli_layout_option(cli_layout *l, int c, const char *arg, const char *cmd, int *status)
{
    mr_err err = {{0}};
    mr_layout_opts *o = &l->opts;
    *status = 0;
    switch (c) {
    case CLI_LAYOUT_ALIGN:
        if (mr_align_rules_add_arg(&o->rules, arg, &err))
            *status = cli_usage_error(cmd, "%s", err.msg);
        break;
    case CLI_LAYOUT_FILE:
        if (mr_align_rules_load_layout(&o->rules, arg, &err))
            *status = cli_fail(&err);
        break;
    case CLI_LAYOUT_BASE:
        if (cli_parse_u64(arg, &o->base, &err))
            *status = cli_usage_error(cmd, "--base: %s", err.msg);
        break;
    case CLI_LAYOUT_SIZE:
        if (cli_parse_size(arg, &o->size, &err))
            *status = cli_usage_error(cmd, "--size: %s", err.msg);
        else if (o->size == 0)
            *status = cli_usage_error(cmd, "--size: a partition of 0 bytes holds nothing");
        break;
    case CLI_LAYOUT_CONFIG: o->config = arg; break;
    case CLI_LAYOUT_TOP: o->top = arg; break;
    case CLI_LAYOUT_CONFIG_PART: o->partition = arg; break;
    case CLI_LAYOUT_MPY_ARGS: o->mpy_cross_args = arg; break;
    case CLI_LAYOUT_SUMMARY: l->summary = true; return true;
    case CLI_LAYOUT_NO_INDIRECT: o->no_indirect = true; break;
    default: return false;
    }
    l->used = true;
    l->summary = true;
    return true;
}

void cli_layout_usage(FILE *out)
{
    fprintf(out,
            "Layout (see README, section Layout):\n"
            "  --align N             align every file's data to N bytes (a power of two)\n"
            "  --align GLOB=N        align files matching GLOB, e.g. '*.tflite=16'; repeatable,\n"
            "                        the last matching rule wins; a GLOB without '/' matches\n"
            "                        the file name at any depth\n"
            "  --layout FILE         rules from FILE, one 'GLOB align=N' per line, # comments\n"
            "  --base ADDR           address of the image's first byte (alignment is of addresses)\n"
            "  --size BYTES          partition size (K, M suffixes): fail if the image does not fit\n"
            "  --config JSON         build from OpenMV's romfs_config.json instead of a directory\n"
            "  --top DIR             {TOP} in the config (default: the config file's directory)\n"
            "  --config-partition K  which partition of the config (default \"0\")\n"
            "  --no-indirect         align with padding only; never move data into a data area\n"
            "  --mpy-cross-args ARGS extra mpy-cross arguments, e.g. '-march=armv7emsp'\n"
            "  --summary             print data/metadata/padding/size (implied by the options above)\n");
}

void cli_layout_warnings(const mr_layout_result *r)
{
    for (size_t i = 0; i < r->omv.nwarnings; i++)
        fprintf(stderr, "mpromfs: warning: %s\n", r->omv.warnings[i]);
}
