/* The builder with layout control: alignment rules, OpenMV manifests, mpy-cross,
 * fitting a partition. One entry point for every command that builds an image
 * (build, deploy): fill an mr_layout_opts (ui/cli/cli_layout.h parses the options),
 * call mr_layout_build, then emit r.plan with r.tree (build.h). With no rule that
 * matches a file, the plan is mpremote's, byte for byte. */
#ifndef MR_BUILD_LAYOUT_H
#define MR_BUILD_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "align_rules.h"
#include "build.h"
#include "error.h"
#include "openmv_config.h"

typedef struct mr_layout_opts {
    mr_align_rules rules;       /* --align and --layout, in the order given: last match wins */
    uint64_t base;              /* --base: address of the image's first byte */
    uint64_t size;              /* --size: partition size; 0 unknown (the config's is used) */
    uint64_t erase_unit;        /* largest alignment allowed; 0: unknown (MR_ALIGN_DEFAULT_MAX) */
    const char *config;         /* --config romfs_config.json (OpenMV), instead of a directory */
    const char *top;            /* --top: {TOP} in the config (default: the config's directory) */
    const char *partition;      /* --partition: which of the config's partitions */
    const char *mpy_cross_args; /* --mpy-cross-args */
    bool mpy;                   /* compile .py with mpy-cross (default true) */
    bool no_indirect;           /* --no-indirect: align with padding only, no data area */
} mr_layout_opts;

void mr_layout_opts_init(mr_layout_opts *o);
void mr_layout_opts_free(mr_layout_opts *o);

typedef struct mr_layout_result {
    mr_tree tree;
    mr_plan plan;
    bool have_plan;
    bool aligned;          /* some file had a rule above 1: the aligning planner ran */
    uint64_t size;         /* the image */
    uint64_t data;         /* file data bytes */
    uint64_t metadata;     /* headers, names, mpremote's parity byte */
    uint64_t padding;      /* what alignment added */
    uint64_t min_padding;  /* the lower bound for inline layouts (mr_align_min_padding) */
    uint64_t partition;    /* partition size when known (--size or the config), else 0 */
    unsigned aligned_files;
    size_t moved_files;    /* aligned through indirect records into the data area */
    unsigned compiled;     /* .py files compiled by mpy-cross */
    bool no_compiler;      /* .py kept because mpy-cross was not found (tree.mpy_missed) */
    mr_omv_partition omv;  /* the config's files and warnings, with --config */
} mr_layout_result;

/* Scan (or read the config), compile, apply rules, plan; fails before anything is
 * written when the image would not fit the partition. dir is NULL with --config. */
int mr_layout_build(mr_layout_result *r, const char *dir, const mr_layout_opts *o, mr_err *err);
void mr_layout_result_free(mr_layout_result *r);

/* The summary after a build: data, metadata, padding, image size, partition use. */
void mr_layout_print_summary(const mr_layout_result *r, FILE *out);

/* "lib/x.py" for node i (no leading slash) into out[n]. */
void mr_tree_path(const mr_tree *t, size_t i, char *out, size_t n);

/* Plan tree with each node's align (build.h), for addresses starting at base. Sets
 * the inline lower bound on the padding and how many files went to the data area. */
int mr_plan_aligned(mr_plan *plan, const mr_tree *tree, uint64_t base, bool area, uint64_t *min_padding,
                    size_t *moved, mr_err *err);

#endif
