/* mpromfs sim create: a new simulated board, with per-partition options. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_sim.h"
#include "sim.h"

static void usage_create(FILE *out)
{
    fprintf(out,
            "Usage: mpromfs sim create DIR [--partitions N] [--no-sha256] [PART-OPTIONS]\n"
            "                             [-p N PART-OPTIONS]...\n"
            "\n"
            "Create a simulated board in DIR with erased (0xff) partitions.\n"
            "\n"
            "  --partitions N     number of ROM partitions, 1 to 4 (default 2)\n"
            "  --no-sha256        firmware without hashlib.sha256: on-board hashes are CRC-32\n"
            "  -p, --partition N  the PART-OPTIONS that follow apply to partition N only;\n"
            "                     PART-OPTIONS before the first -p apply to every partition\n"
            "PART-OPTIONS:\n"
            "  --size S           partition size (64K, 1M, 0x20000)\n"
            "  --erase-unit S     erase unit, a power of two dividing the size\n"
            "  --write-min S      minimum write size, a power of two (1: any)\n"
            "  --base ADDR        memory-mapped address of the partition's first byte\n"
            "  --style STYLE      memoryview (stm32-like) or block (rp2/esp32-like device)\n"
            "  --read-only        ops 3-5 answer -22, as on ports without write support\n"
            "  --writable         the opposite (the default)\n"
            "  --image FILE       after -p N: partition N starts with FILE's bytes, as if\n"
            "                     programmed at the factory (nothing counted)\n"
            "\n"
            "Defaults: partition 0 128K, erase unit 4K, writes 16 at 0x08100000; partition 1\n"
            "1M, erase unit 64K, writes 16 at 0x90000000; 2 and 3 256K, erase unit 4K, on the\n"
            "next MiB. Example: mpromfs sim create board -p 1 --size 2M --style block\n");
}

enum { O_SIZE = 256, O_UNIT, O_WMIN, O_BASE, O_STYLE, O_RO, O_RW, O_NPARTS, O_HELP, O_IMAGE,
       O_NOSHA };

enum { SET_SIZE = 1, SET_UNIT = 2, SET_WMIN = 4, SET_BASE = 8 };

static int apply_part_option(mr_sim_conf *conf, unsigned *set, int target, int opt,
                             const char *arg, mr_err *err)
{
    uint64_t v = 0;
    int field = 0;
    switch (opt) {
    case O_SIZE:
    case O_UNIT:
    case O_WMIN:
        if (cli_parse_size(arg, &v, err))
            return -1;
        if (opt != O_SIZE && v > UINT32_MAX)
            return mr_fail(err, "'%s' is too large", arg);
        field = opt == O_SIZE ? SET_SIZE : opt == O_UNIT ? SET_UNIT : SET_WMIN;
        break;
    case O_BASE:
        if (cli_parse_u64(arg, &v, err))
            return -1;
        field = SET_BASE;
        break;
    case O_STYLE:
        if (strcmp(arg, "memoryview") && strcmp(arg, "block"))
            return mr_fail(err, "--style %s: use memoryview or block", arg);
        break;
    }
    for (int i = 0; i < MR_SIM_MAX_PARTS; i++) {
        if (target >= 0 && i != target)
            continue;
        mr_sim_part_conf *p = &conf->part[i];
        switch (opt) {
        case O_SIZE: p->size = v; break;
        case O_UNIT: p->erase_unit = (uint32_t)v; break;
        case O_WMIN: p->write_min = (uint32_t)v; break;
        case O_BASE: p->base = v; break;
        case O_STYLE: p->style = strcmp(arg, "block") == 0 ? MR_SIM_BLOCK : MR_SIM_MEMORYVIEW; break;
        case O_RO: p->writable = false; break;
        case O_RW: p->writable = true; break;
        }
        set[i] |= (unsigned)field;
    }
    return 0;
}

/* A whole file of at most `max` bytes (what fits in the partition). */
static int read_image(const char *path, uint64_t max, unsigned part, uint8_t **out, size_t *len,
                      mr_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return mr_fail_errno(err, "cannot open %s", path);
    uint8_t *buf = malloc((size_t)max + 1);
    if (!buf) {
        fclose(f);
        return mr_fail(err, "out of memory");
    }
    size_t n = fread(buf, 1, (size_t)max + 1, f);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return mr_fail(err, "cannot read %s", path);
    }
    if (n > max) {
        free(buf);
        return mr_fail(err, "%s is larger than partition %u (%" PRIu64 " bytes)", path, part, max);
    }
    *out = buf;
    *len = n;
    return 0;
}

int sim_create(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"partitions", required_argument, NULL, O_NPARTS},
        {"partition", required_argument, NULL, 'p'},
        {"size", required_argument, NULL, O_SIZE},
        {"erase-unit", required_argument, NULL, O_UNIT},
        {"write-min", required_argument, NULL, O_WMIN},
        {"base", required_argument, NULL, O_BASE},
        {"style", required_argument, NULL, O_STYLE},
        {"read-only", no_argument, NULL, O_RO},
        {"writable", no_argument, NULL, O_RW},
        {"image", required_argument, NULL, O_IMAGE},
        {"no-sha256", no_argument, NULL, O_NOSHA},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0},
    };
    const char *image[MR_SIM_MAX_PARTS] = {NULL};
    mr_sim_conf conf;
    mr_sim_conf_default(&conf, 2);
    unsigned set[MR_SIM_MAX_PARTS] = {0};
    int target = -1, highest = -1;
    mr_err err;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "p:", longopts, NULL)) != -1) {
        uint64_t v;
        switch (opt) {
        case O_HELP:
            usage_create(stdout);
            return 0;
        case O_NPARTS:
            if (cli_parse_u64(optarg, &v, &err) || v < 1 || v > MR_SIM_MAX_PARTS)
                return cli_usage_error("sim create", "--partitions %s: a board has 1 to %d",
                                       optarg, MR_SIM_MAX_PARTS);
            conf.nparts = (unsigned)v;
            break;
        case 'p':
            if (cli_parse_u64(optarg, &v, &err) || v >= MR_SIM_MAX_PARTS)
                return cli_usage_error("sim create", "-p %s: partitions are numbered 0 to %d",
                                       optarg, MR_SIM_MAX_PARTS - 1);
            target = (int)v;
            if (target > highest)
                highest = target;
            break;
        case O_NOSHA:
            conf.no_sha256 = true;
            break;
        case O_IMAGE:
            if (target < 0)
                return cli_usage_error("sim create", "--image %s: say which partition first "
                                       "(-p N --image FILE)", optarg);
            image[target] = optarg;
            break;
        case O_SIZE: case O_UNIT: case O_WMIN: case O_BASE: case O_STYLE: case O_RO: case O_RW:
            if (apply_part_option(&conf, set, target, opt, optarg, &err))
                return cli_usage_error("sim create", "%s", err.msg);
            break;
        default:
            return cli_usage_error("sim create", "unknown option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("sim create", "give exactly one directory");
    if (highest >= (int)conf.nparts)
        return cli_usage_error("sim create", "-p %d, but the board has %u partition%s; add "
                               "--partitions %d", highest, conf.nparts,
                               conf.nparts == 1 ? "" : "s", highest + 1);
    /* Default bases of later partitions follow the ones before them, as a linker
     * script lays them out, unless the user placed them. */
    for (unsigned i = 2; i < conf.nparts; i++)
        if (!(set[i] & SET_BASE)) {
            const mr_sim_part_conf *prev = &conf.part[i - 1];
            uint64_t mib = (uint64_t)1 << 20;
            conf.part[i].base = prev->base + (prev->size + mib - 1) / mib * mib;
        }
    /* An erase unit larger than a size the user chose shrinks to the size's largest
     * power-of-two divisor only when the user did not choose the unit too. */
    for (unsigned i = 0; i < conf.nparts; i++) {
        mr_sim_part_conf *p = &conf.part[i];
        if ((set[i] & SET_SIZE) && !(set[i] & SET_UNIT) && p->size && p->size % p->erase_unit) {
            uint32_t u = p->erase_unit;
            while (u > p->write_min && p->size % u)
                u >>= 1;
            p->erase_unit = u;
        }
    }
    if (mr_sim_conf_check(&conf, &err))
        return cli_usage_error("sim create", "%s", err.msg);
    const char *dir = argv[optind];
    /* Read every image before creating anything: a bad one leaves no half-made board. */
    uint8_t *bytes[MR_SIM_MAX_PARTS] = {NULL};
    size_t lens[MR_SIM_MAX_PARTS] = {0};
    int rc = 0;
    for (unsigned i = 0; i < conf.nparts && !rc; i++)
        if (image[i] && read_image(image[i], conf.part[i].size, i, &bytes[i], &lens[i], &err))
            rc = cli_fail(&err);
    if (!rc && mr_sim_create(dir, &conf, &err))
        rc = cli_fail(&err);
    for (unsigned i = 0; i < conf.nparts && !rc; i++)
        if (image[i] && mr_sim_load(dir, i, bytes[i], lens[i], &err))
            rc = cli_fail(&err);
    for (unsigned i = 0; i < MR_SIM_MAX_PARTS; i++)
        free(bytes[i]);
    if (rc)
        return rc;
    printf("created a simulated board in %s (use it as sim:%s)\n", dir, dir);
    return sim_print_board(dir);
}

