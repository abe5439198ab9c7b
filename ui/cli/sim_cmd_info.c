/* mpromfs sim info and sim reset-counters: what a simulated board is and what reached
 * its flash. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd_sim.h"
#include "image.h"
#include "sim.h"

static void human(uint64_t n, char *out, size_t size)
{
    if (n && n % (1u << 20) == 0)
        snprintf(out, size, "%" PRIu64 " MiB", n >> 20);
    else if (n && n % 1024 == 0)
        snprintf(out, size, "%" PRIu64 " KiB", n >> 10);
    else
        snprintf(out, size, "%" PRIu64 " B", n);
}

int sim_print_board(const char *dir)
{
    mr_sim *sim;
    mr_err err;
    if (mr_sim_open(dir, &sim, &err))
        return cli_fail(&err);
    const mr_sim_conf *conf = mr_sim_config(sim);
    printf("part  size     erase unit  write min  base        style       access      image\n");
    for (unsigned i = 0; i < conf->nparts; i++) {
        const mr_sim_part_conf *p = &conf->part[i];
        char size[32], unit[32], wmin[32], image[48];
        human(p->size, size, sizeof size);
        human(p->erase_unit, unit, sizeof unit);
        human(p->write_min, wmin, sizeof wmin);
        size_t isize;
        if (mr_image_probe(mr_sim_bytes(sim, i), (size_t)p->size, &isize))
            snprintf(image, sizeof image, "%zu bytes", isize);
        else
            snprintf(image, sizeof image, "none");
        printf("%-4u  %-8s %-11s %-10s 0x%08" PRIx64 "  %-10s  %-10s  %s\n", i, size, unit, wmin,
               p->base, mr_sim_style_name(p->style), p->writable ? "read-write" : "read-only",
               image);
    }
    printf("\ncounters (what reached the flash):\n");
    printf("part  erases  erased bytes  writes  written bytes  completes\n");
    for (unsigned i = 0; i < conf->nparts; i++) {
        const mr_sim_counters *c = mr_sim_part_counters(sim, i);
        printf("%-4u  %-6" PRIu64 "  %-12" PRIu64 "  %-6" PRIu64 "  %-13" PRIu64 "  %" PRIu64 "\n",
               i, c->erases, c->erased_bytes, c->writes, c->written_bytes, c->completes);
    }
    char faults[512];
    mr_sim_fault_describe(&conf->faults, mr_sim_total_writes(sim), faults, sizeof faults);
    printf("\nfaults: %s\n", faults);
    printf("hashing on the board: %s\n", conf->no_sha256 ? "CRC-32 only (no hashlib.sha256)"
                                                         : "SHA-256 (hashlib.sha256)");
    mr_sim_close(sim);
    return 0;
}

int sim_info(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("Usage: mpromfs sim info DIR\n\n"
               "Show the simulated board's partitions, what reached its flash, and its faults.\n");
        return 0;
    }
    if (argc != 2 || argv[1][0] == '-')
        return cli_usage_error("sim info", "give exactly one directory");
    printf("simulated board in %s\n", argv[1]);
    return sim_print_board(argv[1]);
}

int sim_reset_counters(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("Usage: mpromfs sim reset-counters DIR\n\n"
               "Zero the counters of what reached the flash; armed write faults keep\n"
               "counting from now.\n");
        return 0;
    }
    if (argc != 2 || argv[1][0] == '-')
        return cli_usage_error("sim reset-counters", "give exactly one directory");
    mr_err err;
    if (mr_sim_reset_counters(argv[1], &err))
        return cli_fail(&err);
    printf("counters of %s reset\n", argv[1]);
    return 0;
}

