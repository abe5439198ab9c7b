/* Executing a plan in the safe order (see deploy.h). The header chunk goes in its own
 * write call, after everything else has been confirmed: whatever stops the deploy
 * before that (Ctrl-C, a power cut, the port vanishing) leaves a partition without a
 * valid header, and running the same deploy again finishes the job. */
#include <string.h>
#include <time.h>

#include "deploy_internal.h"

typedef struct exec_state {
    const mr_deploy_plan *plan;
    mr_deploy_result *res;
    mr_device *dev;
    mr_deploy_progress_fn fn;
    void *ctx;
    struct timespec t0;
    mr_link_stats s0;
    size_t op_base;         /* ops done before the current write call */
    uint64_t bytes_base;
    size_t ops_done;        /* total ops the board confirmed */
    bool cancel_asked;      /* the progress callback asked to stop */
} exec_state;

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void wire_delta(const exec_state *st, mr_link_stats *out)
{
    out->bytes_sent = st->dev->stats.bytes_sent - st->s0.bytes_sent;
    out->bytes_received = st->dev->stats.bytes_received - st->s0.bytes_received;
    out->round_trips = st->dev->stats.round_trips - st->s0.round_trips;
}

/* Units whose every op is confirmed: ops are grouped by unit, in order. */
static size_t units_done(const mr_deploy_plan *plan, size_t ops_done)
{
    size_t n = 0;
    for (size_t i = 0; i < ops_done && i < plan->nops; i++)
        if (i + 1 == plan->nops || plan->op_unit[i + 1] != plan->op_unit[i])
            n += i + 1 <= ops_done;
    return n;
}

static int report(exec_state *st, mr_deploy_phase phase)
{
    st->res->reached = phase;
    st->res->seconds = since(&st->t0);
    wire_delta(st, &st->res->wire);
    if (!st->fn)
        return 0;
    mr_deploy_progress p = {
        .phase = phase,
        .bytes_done = st->res->bytes_done,
        .bytes_total = st->plan->payload_bytes,
        .units_done = st->res->units_written,
        .units_total = st->plan->ndirty,
        .seconds = st->res->seconds,
        .wire_bytes = st->res->wire.bytes_sent,
    };
    return st->fn(st->ctx, &p);
}

static int on_batch(void *ctx, size_t ops_done, uint64_t bytes_done)
{
    exec_state *st = ctx;
    st->ops_done = st->op_base + ops_done;
    st->res->bytes_done = st->bytes_base + bytes_done;
    st->res->units_written = units_done(st->plan, st->ops_done);
    int r = report(st, MR_PHASE_WRITE);
    if (r)
        st->cancel_asked = true;
    return r;
}

static int write_ops(exec_state *st, size_t first, size_t count, mr_err *err)
{
    st->op_base = first;
    st->bytes_base = st->res->bytes_done;
    int rc = mr_device_write(st->dev, st->plan->part, st->plan->ops + first, count, on_batch, st, err);
    if (rc == 0) { /* a backend need not report the last batch */
        st->ops_done = first + count;
        st->bytes_base = 0;
        for (size_t i = 0; i < first + count; i++)
            st->bytes_base += st->plan->ops[i].len;
        st->res->bytes_done = st->bytes_base;
        st->res->units_written = units_done(st->plan, st->ops_done);
    }
    return rc;
}

static int stop(exec_state *st, mr_deploy_phase phase, int cancelled, mr_err *err)
{
    st->res->reached = phase;
    st->res->cancelled = cancelled;
    st->res->seconds = since(&st->t0);
    wire_delta(st, &st->res->wire);
    if (cancelled)
        mr_fail(err, "deploy cancelled");
    return -1;
}

int mr_deploy_execute(mr_device *dev, mr_deploy_plan *plan, mr_deploy_progress_fn fn, void *ctx,
                      mr_deploy_result *res, mr_err *err)
{
    memset(res, 0, sizeof *res);
    exec_state st = {.plan = plan, .res = res, .dev = dev, .fn = fn, .ctx = ctx, .s0 = dev->stats};
    clock_gettime(CLOCK_MONOTONIC, &st.t0);
    res->reached = MR_PHASE_PLANNED;
    if (plan->ndirty == 0 || plan->nops == 0) {
        res->reached = MR_PHASE_DONE;
        return 0;
    }
    if (report(&st, MR_PHASE_INVALIDATE))
        return stop(&st, MR_PHASE_PLANNED, 1, err);

    res->touched = true;
    for (size_t i = 0; i < plan->nerase_runs; i++) {
        const struct mr_erase_run *r = &plan->erase_runs[i];
        uint64_t off = (uint64_t)r->first * plan->unit;
        uint64_t len = (uint64_t)r->count * plan->unit;
        if (len > plan->info.size - off)
            len = plan->info.size - off;
        if (mr_device_erase(dev, plan->part, off, len, err) < 0) {
            /* A board that refuses the very first erase (it learns it is read-only only
             * then) has changed nothing: say so rather than "run again to finish". */
            mr_part_info now;
            mr_err ignored;
            if (i == 0 && mr_device_info(dev, plan->part, &now, &ignored) == 0 && !now.writable)
                res->touched = false;
            if (r->first == 0)
                mr_wrap(err, "erasing unit 0 (the image header) of partition %u", plan->part);
            else
                mr_wrap(err, "erasing units %zu-%zu of partition %u", r->first, r->first + r->count - 1,
                        plan->part);
            return stop(&st, MR_PHASE_INVALIDATE, 0, err);
        }
        if (i + 1 < plan->nerase_runs && report(&st, MR_PHASE_INVALIDATE))
            return stop(&st, MR_PHASE_INVALIDATE, 1, err);
    }
    if (report(&st, MR_PHASE_WRITE))
        return stop(&st, MR_PHASE_WRITE, 1, err);
    if (plan->nops > 1 && write_ops(&st, 0, plan->nops - 1, err) < 0) {
        int cancelled = st.cancel_asked;
        if (!cancelled)
            mr_wrap(err, "writing partition %u", plan->part);
        return stop(&st, MR_PHASE_WRITE, cancelled, err);
    }
    /* the commit point: the chunk holding the magic bytes, alone */
    if (report(&st, MR_PHASE_WRITE))
        return stop(&st, MR_PHASE_WRITE, 1, err);
    if (write_ops(&st, plan->nops - 1, 1, err) < 0) {
        res->header_unknown = true; /* it may have landed: say so */
        mr_wrap(err, "writing the image header of partition %u", plan->part);
        return stop(&st, MR_PHASE_WRITE, 0, err);
    }
    res->header_written = true;
    /* A cancel asked for now changes nothing: completing is the safe thing to do. */
    (void)report(&st, MR_PHASE_COMPLETE);
    if (mr_device_complete(dev, plan->part, err) < 0) {
        mr_wrap(err, "completing the write of partition %u (rom_ioctl op 5)", plan->part);
        return stop(&st, MR_PHASE_COMPLETE, 0, err);
    }
    res->completed = true;
    res->reached = MR_PHASE_COMPLETE;
    res->seconds = since(&st.t0);
    wire_delta(&st, &res->wire);
    return 0;
}
