/* What the deploy screen says about a plan before anything is written, and how
 * far a running deploy is: pure functions over proto/deploy.h's plan. */
#ifndef TUI_MODEL_PLAN_H
#define TUI_MODEL_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deploy.h"
#include "lines.h"

typedef struct tui_plan_summary {
    uint64_t image_size, part_size;
    unsigned percent;               /* of the partition the image fills */
    size_t units_write, units_image, units_part;
    uint64_t bytes_send;            /* payload */
    uint64_t wire_bytes;            /* estimate on the link; 0 in-process */
    double est_seconds;             /* < 0 unknown */
    bool files_known;
    size_t added, removed, changed;
    size_t misaligned;              /* data files (not .py/.mpy) whose address is not 4-aligned */
    char first_misaligned[256];
    uint64_t first_misaligned_addr;
    bool nothing_to_do;
} tui_plan_summary;

void tui_plan_summarize(const mr_deploy_plan *p, tui_plan_summary *s);
/* The summary as the lines the screen shows above the plan's own text. */
void tui_plan_lines(const tui_plan_summary *s, tui_lines *out);

/* The unit being written once bytes_done payload bytes are confirmed. */
size_t tui_plan_current_unit(const mr_deploy_plan *p, uint64_t bytes_done);
/* Rate (bytes/s) and time left (s; < 0 unknown) from progress so far. */
void tui_rate_eta(uint64_t done, uint64_t total, double seconds, double *rate, double *eta);

#endif
