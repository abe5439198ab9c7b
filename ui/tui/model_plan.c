#include "model_plan.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "image.h"

static bool runs_in_place(const char *name)
{
    /* .py and .mpy are copied or referenced byte-wise: they need no alignment */
    size_t n = strlen(name);
    return !(n >= 3 && strcmp(name + n - 3, ".py") == 0) && !(n >= 4 && strcmp(name + n - 4, ".mpy") == 0);
}

void tui_plan_summarize(const mr_deploy_plan *p, tui_plan_summary *s)
{
    memset(s, 0, sizeof *s);
    s->image_size = p->image_size;
    s->part_size = p->info.size;
    s->percent = p->info.size ? (unsigned)(100.0 * (double)p->image_size / (double)p->info.size + 0.5) : 0;
    s->units_write = p->ndirty;
    s->units_image = p->units;
    s->units_part = p->part_units;
    s->bytes_send = p->payload_bytes;
    s->wire_bytes = p->link ? p->est_wire_bytes : 0;
    s->est_seconds = p->link ? p->est_seconds : 0;
    s->files_known = p->board == MR_BOARD_IMAGE || p->board == MR_BOARD_EMPTY;
    s->added = p->nadded;
    s->removed = p->nremoved;
    s->changed = p->nchanged;
    if (p->board == MR_BOARD_EMPTY) {
        s->added = p->image_files + p->image_dirs;
    }
    s->nothing_to_do = p->ndirty == 0;
    mr_image img;
    mr_err err;
    if (p->target && mr_image_parse(&img, p->target, p->image_size, &err) == 0) {
        uint64_t base = p->info.base_known ? p->info.base : 0;
        for (size_t i = 0; i < img.count; i++) {
            const mr_entry *e = &img.entries[i];
            if (e->type != MR_ENTRY_FILE || e->size == 0 || !runs_in_place(e->name))
                continue;
            uint64_t addr = base + e->data_offset;
            if (addr % 4 == 0)
                continue;
            if (s->misaligned++ == 0) {
                snprintf(s->first_misaligned, sizeof s->first_misaligned, "%s", e->path);
                s->first_misaligned_addr = addr;
            }
        }
        mr_image_free(&img);
    }
}

void tui_plan_lines(const tui_plan_summary *s, tui_lines *out)
{
    tui_lines_add(out, UINT64_MAX, "image %" PRIu64 " of %" PRIu64 " bytes (%u%% of the partition)", s->image_size,
                  s->part_size, s->percent);
    if (s->nothing_to_do)
        tui_lines_add(out, UINT64_MAX, "nothing to write: the partition already holds this image");
    else
        tui_lines_add(out, UINT64_MAX, "write %zu of %zu erase units, send %" PRIu64 " bytes%s", s->units_write,
                      s->units_part, s->bytes_send, s->wire_bytes ? "" : " (in-process board)");
    if (s->files_known)
        tui_lines_add(out, UINT64_MAX, "files: %zu added, %zu removed, %zu changed", s->added, s->removed,
                      s->changed);
    else
        tui_lines_add(out, UINT64_MAX, "files: not compared with the board");
    if (s->misaligned)
        tui_lines_add(out, UINT64_MAX,
                      "warning: %zu data file%s not 4-byte aligned: %s at 0x%08" PRIx64,
                      s->misaligned, s->misaligned == 1 ? "" : "s", s->first_misaligned, s->first_misaligned_addr);
    else
        tui_lines_add(out, UINT64_MAX, "alignment: every data file is 4-byte aligned");
}

size_t tui_plan_current_unit(const mr_deploy_plan *p, uint64_t bytes_done)
{
    uint64_t acc = 0;
    for (size_t i = 0; i < p->nops; i++) {
        acc += p->ops[i].len;
        if (acc > bytes_done)
            return p->op_unit ? p->op_unit[i] : 0;
    }
    return p->nops && p->op_unit ? p->op_unit[p->nops - 1] : 0;
}

void tui_rate_eta(uint64_t done, uint64_t total, double seconds, double *rate, double *eta)
{
    *rate = seconds > 0.001 ? (double)done / seconds : 0;
    *eta = *rate > 0 && total >= done ? (double)(total - done) / *rate : -1;
}
