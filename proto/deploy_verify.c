/* After a deploy: did the board store what it was sent? Every run of written units
 * is digested on the board (one digest a run; per unit only to find a mismatch). A board that confirms writes
 * but stores other bytes must not keep a valid header over them, so a mismatch
 * erases unit 0 again: the board mounts nothing and re-running repairs it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deploy_internal.h"

/* Say where unit u differs, reading it back when the board allows. */
static int mismatch(mr_device *dev, const mr_deploy_plan *plan, size_t u, mr_err *err)
{
    size_t s, e;
    mr_deploy_unit_range(plan, u, &s, &e);
    char where[160] = "";
    uint8_t *buf = malloc(e - s);
    mr_err rerr;
    if (buf && mr_device_read(dev, plan->part, s, buf, e - s, &rerr) == 0) {
        for (size_t i = s; i < e; i++)
            if (buf[i - s] != plan->target[i]) {
                snprintf(where, sizeof where, ", first at offset 0x%zx (board has 0x%02x, expected 0x%02x)", i,
                         buf[i - s], plan->target[i]);
                break;
            }
    }
    free(buf);
    mr_err eerr;
    int erased = mr_device_erase(dev, plan->part, 0, plan->unit, &eerr) == 0 &&
                 mr_device_complete(dev, plan->part, &eerr) == 0;
    return mr_fail(err,
                   "verify failed: unit %zu of partition %u (offset 0x%zx-0x%zx) does not hold what was "
                   "written%s; %s",
                   u, plan->part, s, e - 1, where,
                   erased ? "unit 0 was erased again so the board mounts no image; run the same command "
                            "again to rewrite the units that differ"
                          : "the board may mount a damaged image; run the same command again");
}

int mr_deploy_verify(mr_device *dev, mr_deploy_plan *plan, mr_deploy_progress_fn fn, void *ctx,
                     mr_deploy_result *res, mr_err *err)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    mr_link_stats s0 = dev->stats;
    res->verified = false;
    res->verified_units = 0;
    res->reached = MR_PHASE_VERIFY;
    if (fn) {
        mr_deploy_progress p = {.phase = MR_PHASE_VERIFY, .bytes_done = res->bytes_done,
                                .bytes_total = plan->payload_bytes, .units_done = res->units_written,
                                .units_total = plan->ndirty, .seconds = res->seconds};
        (void)fn(ctx, &p); /* verifying is read-only: a cancel here stops nothing worth stopping */
    }
    bool *same = calloc(plan->units ? plan->units : 1, sizeof *same);
    if (!same)
        return mr_fail(err, "out of memory");
    int rc = 0;
    for (size_t u = 0; u < plan->units && rc == 0;) {
        if (!plan->dirty[u]) {
            u++;
            continue;
        }
        size_t v = u; /* one board round trip per run of written units */
        while (v < plan->units && plan->dirty[v])
            v++;
        /* one digest for the whole run; per-unit digests only to find a mismatch */
        bool run_same = false;
        if ((plan->caps.sha256 || plan->caps.crc32) &&
            mr_deploy_compare_run(dev, plan, u, v - u, &run_same, err) < 0) {
            rc = mr_wrap(err, "verifying partition %u", plan->part);
            break;
        }
        mr_compare_how how;
        if (run_same) {
            memset(same + u, 1, v - u);
        } else if (mr_deploy_compare_units(dev, plan, u, v - u, same + u, &how, err) < 0) {
            rc = mr_wrap(err, "verifying partition %u", plan->part);
            break;
        }
        for (size_t w = u; w < v; w++) {
            if (!same[w]) {
                rc = mismatch(dev, plan, w, err);
                break;
            }
            res->verified_units++;
        }
        u = v;
    }
    free(same);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    res->seconds += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    res->wire.bytes_sent += dev->stats.bytes_sent - s0.bytes_sent;
    res->wire.bytes_received += dev->stats.bytes_received - s0.bytes_received;
    res->wire.round_trips += dev->stats.round_trips - s0.round_trips;
    if (rc == 0) {
        res->verified = true;
        res->reached = MR_PHASE_DONE;
    }
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int mr_deploy_check_reset(mr_device *dev, const mr_deploy_plan *plan, mr_err *err)
{
    char **got = NULL;
    size_t n = 0;
    if (mr_device_reset_and_list(dev, &got, &n, err) < 0)
        return mr_wrap(err, "after a soft reset, listing /rom");
    char **want = malloc((plan->npaths ? plan->npaths : 1) * sizeof *want);
    if (!want) {
        for (size_t i = 0; i < n; i++)
            free(got[i]);
        free(got);
        return mr_fail(err, "out of memory");
    }
    memcpy(want, plan->image_paths, plan->npaths * sizeof *want);
    qsort(want, plan->npaths, sizeof *want, cmp_str);
    if (n > 1)
        qsort(got, n, sizeof *got, cmp_str);
    /* merge the two sorted lists; name the first difference */
    size_t i = 0, j = 0;
    int rc = 0;
    while (rc == 0 && (i < plan->npaths || j < n)) {
        int c = i == plan->npaths ? 1 : j == n ? -1 : strcmp(want[i], got[j]);
        if (c < 0)
            rc = mr_fail(err, "after a soft reset /rom lacks '%s' (it lists %zu entries, the image has %zu)",
                         want[i], n, plan->npaths);
        else if (c > 0)
            rc = mr_fail(err, "after a soft reset /rom lists '%s', which the image does not hold", got[j]);
        else
            i++, j++;
    }
    free(want);
    for (size_t k = 0; k < n; k++)
        free(got[k]);
    free(got);
    return rc;
}
