/* What a deploy will do, what it did, and what an interrupted one left behind,
 * as text for the CLI and the TUI alike. Deterministic: no times in the plan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deploy_internal.h"

#define MAX_LISTED_CHANGES 40
#define MAX_LISTED_RANGES 12

static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

static void unit_list(mr_text *t, const mr_deploy_plan *plan)
{
    size_t ranges = 0;
    const char *sep = "";
    for (size_t u = 0; u < plan->units;) {
        if (!plan->dirty[u]) {
            u++;
            continue;
        }
        size_t v = u;
        while (v + 1 < plan->units && plan->dirty[v + 1])
            v++;
        if (++ranges > MAX_LISTED_RANGES) {
            mr_text_add(t, ", ...");
            return;
        }
        if (v == u)
            mr_text_add(t, "%s%zu", sep, u);
        else
            mr_text_add(t, "%s%zu-%zu", sep, u, v);
        sep = ", ";
        u = v + 1;
    }
}

static void changes(mr_text *t, const mr_deploy_plan *plan)
{
    switch (plan->board) {
    case MR_BOARD_EMPTY:
        mr_text_add(t, "  board: no image on partition %u; every entry is new\n", plan->part);
        return;
    case MR_BOARD_CORRUPT:
        mr_text_add(t, "  board: partition %u holds a damaged image (it does not parse); files not compared\n",
                    plan->part);
        return;
    case MR_BOARD_UNREAD: {
        char b[32];
        mr_human_bytes(plan->board_read_needed, b, sizeof b);
        mr_text_add(t,
                    "  board: an image of %zu bytes; files not compared (that needs reading %s "
                    "from the board; --dry-run reads it)\n",
                    plan->board_image_size, b);
        return;
    }
    case MR_BOARD_IMAGE:
        break;
    }
    mr_text_add(t, "  files: %zu added, %zu removed, %zu changed", plan->nadded, plan->nremoved, plan->nchanged);
    if (plan->nrenamed)
        mr_text_add(t, ", %zu renamed", plan->nrenamed);
    mr_text_add(t, " (board image: %zu bytes)\n", plan->board_image_size);
    for (size_t i = 0; i < plan->nchanges && i < MAX_LISTED_CHANGES; i++) {
        const mr_file_change *c = &plan->changes[i];
        size_t n = strlen(c->path);
        bool dir = n > 0 && c->path[n - 1] == '/';
        if (c->kind == MR_FILE_ADDED)
            mr_text_add(t, dir ? "    + %s\n" : "    + %s (%llu bytes)\n", c->path, (unsigned long long)c->new_size);
        else if (c->kind == MR_FILE_REMOVED)
            mr_text_add(t, "    - %s\n", c->path);
        else if (c->kind == MR_FILE_RENAMED)
            mr_text_add(t, "    > %s -> %s\n", c->from, c->path);
        else
            mr_text_add(t, "    ~ %s (%llu -> %llu bytes)\n", c->path, (unsigned long long)c->old_size,
                        (unsigned long long)c->new_size);
    }
    if (plan->nchanges > MAX_LISTED_CHANGES)
        mr_text_add(t, "    ... and %zu more\n", plan->nchanges - MAX_LISTED_CHANGES);
}

char *mr_deploy_plan_text(const mr_deploy_plan *plan, const mr_device *dev)
{
    mr_text t = {0};
    const mr_part_info *in = &plan->info;
    mr_text_add(&t, "image: %zu bytes, %zu files, %zu directories", plan->image_size, plan->image_files,
                plan->image_dirs);
    if (plan->dropped_tail)
        mr_text_add(&t, " (%zu bytes after the image record are not sent)", plan->dropped_tail);
    mr_text_add(&t, "\npartition %u of %s: %llu bytes", plan->part, dev->desc[0] ? dev->desc : dev->name,
                (unsigned long long)in->size);
    if (in->base_known)
        mr_text_add(&t, " at 0x%08llx", (unsigned long long)in->base);
    mr_text_add(&t, ", erase unit %u, write size %u, %s\n", plan->unit, plan->write_min,
                in->block_device ? "block device" : "memoryview");
    mr_text_add(&t, "  compared %zu unit%s with the board (%s): %zu differ%s\n", plan->units, plural(plan->units),
                mr_compare_how_name(plan->how), plan->ndiffer, plan->ndiffer == 1 ? "s" : "");
    if (plan->ndirty == 0) {
        mr_text_add(&t, "  nothing to write: the partition already holds this image\n");
    } else {
        mr_text_add(&t, "  to erase and write: %zu of %zu units (", plan->ndirty, plan->units);
        unit_list(&t, plan);
        mr_text_add(&t, ")%s\n",
                    plan->full ? ", --full" : plan->ndiffer < plan->ndirty ? "; unit 0 is rewritten last to keep the "
                                                                             "header off half-written data"
                                                                           : "");
        char pay[32], wire[32];
        mr_human_bytes(plan->payload_bytes, pay, sizeof pay);
        mr_human_bytes(plan->est_wire_bytes, wire, sizeof wire);
        mr_text_add(&t, "  to send: %s of payload in %zu write%s", pay, plan->nops, plural(plan->nops));
        if (!plan->link)
            mr_text_add(&t, " (in-process board: no link)\n");
        else if (plan->est_seconds >= 0)
            mr_text_add(&t, ", about %s on the wire, about %.1f s at %u baud\n", wire, plan->est_seconds,
                        plan->caps.baud);
        else
            mr_text_add(&t, ", about %s on the wire (link speed unknown)\n", wire);
    }
    changes(&t, plan);
    return mr_text_take(&t);
}

char *mr_deploy_summary_text(const mr_deploy_plan *plan, const mr_deploy_result *res, const mr_device *dev)
{
    mr_text t = {0};
    if (plan->ndirty == 0) {
        mr_text_add(&t, "partition %u already holds this image (%zu unit%s compared by %s): nothing written\n",
                    plan->part, plan->units, plural(plan->units), mr_compare_how_name(plan->how));
        return mr_text_take(&t);
    }
    mr_text_add(&t, "deployed %zu bytes (%zu files) to partition %u%s\n", plan->image_size, plan->image_files,
                plan->part, res->verified ? ", verified" : "");
    mr_text_add(&t, "  units changed: %zu of %zu (erase unit %u bytes)\n", plan->ndirty, plan->units, plan->unit);
    mr_text_add(&t, "  payload: %llu bytes\n", (unsigned long long)res->bytes_done);
    if (res->wire.bytes_sent > 0) {
        mr_text_add(&t, "  on the wire: %llu bytes sent, %llu received (payload/sent %.2fx)\n",
                    (unsigned long long)res->wire.bytes_sent, (unsigned long long)res->wire.bytes_received,
                    (double)res->bytes_done / (double)res->wire.bytes_sent);
        mr_text_add(&t, "  round trips: %llu\n", (unsigned long long)res->wire.round_trips);
        if (dev)
            mr_text_add(&t, "  whole session (connect, plan, write, verify): %llu bytes sent, %llu received, "
                            "%llu round trips\n",
                        (unsigned long long)dev->stats.bytes_sent, (unsigned long long)dev->stats.bytes_received,
                        (unsigned long long)dev->stats.round_trips);
    } else {
        mr_text_add(&t, "  on the wire: nothing (in-process board)\n");
    }
    mr_text_add(&t, "  time: %.2f s\n", res->seconds);
    if (res->verified)
        mr_text_add(&t, "  verified: %zu unit%s by %s\n", res->verified_units, plural(res->verified_units),
                    mr_compare_how_name(plan->how));
    return mr_text_take(&t);
}

char *mr_deploy_state_text(const mr_deploy_plan *plan, const mr_deploy_result *res)
{
    mr_text t = {0};
    if (!res->touched)
        mr_text_add(&t, "partition %u is unchanged: nothing was erased or written", plan->part);
    else if (res->header_unknown)
        mr_text_add(&t,
                    "partition %u holds either no valid image or the new one (the header write did not "
                    "finish); run the same command again to finish",
                    plan->part);
    else if (!res->header_written)
        mr_text_add(&t, "partition %u holds no valid image; %zu of %zu units written; run the same command "
                        "again to finish",
                    plan->part, res->units_written, plan->ndirty);
    else if (!res->completed)
        mr_text_add(&t, "partition %u holds the new image but completing the write (rom_ioctl op 5) failed; "
                        "run the same command again to check it",
                    plan->part);
    else
        mr_text_add(&t, "partition %u holds the new image", plan->part);
    return mr_text_take(&t);
}
