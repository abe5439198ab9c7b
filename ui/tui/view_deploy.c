/* The deploy session: the plan first (fit, alignment, files, units, bytes), then
 * on confirmation the progress (bar, rate, ETA, the unit being written on the
 * map), the verification, and the board shown again. Cancel is safe at every step
 * and the screen says what state the partition is in. */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "colors.h"
#include "build_layout.h"
#include "deploy.h"
#include "draw.h"
#include "input.h"
#include "map_draw.h"
#include "model_map.h"
#include "model_plan.h"
#include "text.h"
#include "tui.h"
#include "tui_curses.h"
#include "views.h"

typedef enum { DS_PLAN, DS_RUNNING, DS_DONE, DS_STOPPED } deploy_stage;

struct tui_deploy_state {
    deploy_stage stage;
    char src[PATH_MAX];
    char label[PATH_MAX];       /* what the user calls src */
    unsigned part;
    mr_deploy_source source;
    mr_deploy_plan plan;
    bool have_plan;
    tui_plan_summary sum;
    tui_lines lines;            /* the summary, then the plan's own text */
    tui_map map;                /* the partition after the deploy, written units marked */
    bool have_map;
    mr_deploy_progress prog;
    double started;
    size_t cur_unit;
    mr_deploy_result res;
    bool cancel;                /* asked for while running */
    size_t scroll;
};

static void reset(struct tui_deploy_state *s)
{
    if (s->have_plan)
        mr_deploy_plan_free(&s->plan);
    mr_deploy_source_free(&s->source);
    if (s->have_map)
        tui_map_free(&s->map);
    tui_lines_free(&s->lines);
    memset(s, 0, sizeof *s);
}

/* The map shows what the last plan would write until a deploy changes the board. */
static void remember_plan(tui_app *app, const mr_deploy_plan *p)
{
    free(app->planned.dirty);
    app->planned.valid = false;
    app->planned.dirty = malloc(p->units ? p->units : 1);
    if (!app->planned.dirty)
        return;
    memcpy(app->planned.dirty, p->dirty, p->units * sizeof *p->dirty);
    app->planned.units = p->units;
    app->planned.unit = p->unit;
    app->planned.part = p->part;
    app->planned.valid = true;
}

static void add_text(tui_lines *l, const char *text)
{
    if (!text)
        return;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        tui_lines_add(l, UINT64_MAX, "%.*s", (int)n, p);
        p += n + (nl ? 1 : 0);
    }
}

int tui_deploy_start(tui_app *app, const char *src, const char *label, unsigned part)
{
    mr_device *dev = app->board.dev;
    if (!dev) {
        tui_message(app, TUI_MSG_WARN, "no board is open: start mpromfs with -d DEV");
        return -1;
    }
    if (!app->deploy && !(app->deploy = calloc(1, sizeof *app->deploy)))
        return -1;
    struct tui_deploy_state *s = app->deploy;
    reset(s);
    snprintf(s->src, sizeof s->src, "%s", src);
    snprintf(s->label, sizeof s->label, "%s", label ? label : src);
    s->part = part;
    mr_err err;
    mr_part_info info;
    if (mr_device_info(dev, part, &info, &err) < 0) {
        tui_error(app, &err);
        return -1;
    }
    tui_busy(app, "building and planning");
    /* built as `mpromfs deploy` builds it: the partition's base, size and erase unit */
    mr_layout_opts lo;
    mr_layout_opts_init(&lo);
    lo.mpy = app->local.compile_mpy;
    int rc = mr_deploy_source_load(src, &lo, &info, &s->source, &err);
    mr_layout_opts_free(&lo);
    if (rc < 0) {
        tui_error(app, &err);
        return -1;
    }
    mr_deploy_opts o = {.part = part, .full = false, .diff_read_limit = (uint64_t)4 << 20};
    if (mr_deploy_plan_make(dev, &o, s->source.image, s->source.len, &s->plan, &err) < 0) {
        tui_error(app, &err);
        return -1;
    }
    s->have_plan = true;
    tui_plan_summarize(&s->plan, &s->sum);
    char where[PATH_MAX + 64], shown[PATH_MAX];
    tui_tilde(label ? label : src, shown, sizeof shown);
    snprintf(where, sizeof where, "deploy %s to partition %u", shown, part);
    tui_lines_add(&s->lines, UINT64_MAX, "%s", where);
    tui_plan_lines(&s->sum, &s->lines);
    tui_lines_add(&s->lines, UINT64_MAX, "%s", "");
    char *text = mr_deploy_plan_text(&s->plan, dev);
    add_text(&s->lines, text);
    free(text);
    mr_image img;
    bool parsed = mr_image_parse(&img, s->plan.target, s->plan.image_size, &err) == 0;
    if (tui_map_build(&s->map, parsed ? &img : NULL, s->plan.info.size, s->plan.unit, &err) == 0) {
        s->have_map = true;
        for (size_t u = 0; u < s->plan.units; u++)
            if (s->plan.dirty[u])
                tui_map_mark_write(&s->map, (uint64_t)u * s->plan.unit, s->plan.unit);
    }
    if (parsed)
        mr_image_free(&img);
    remember_plan(app, &s->plan);
    s->stage = DS_PLAN;
    tui_push_view(app, TUI_VIEW_DEPLOY);
    return 0;
}

void tui_open_deploy(tui_app *app)
{
    tui_board *b = &app->board;
    if (!b->dev || b->nparts == 0) {
        tui_message(app, TUI_MSG_WARN, "no board is open: start mpromfs with -d DEV");
        return;
    }
    unsigned part = b->in_part && strncmp(b->source, "partition ", 10) == 0 ? b->part : (unsigned)b->pcur.cur;
    /* the source: the directory or image file under the local cursor, else the
     * directory the local pane shows */
    const tui_local_entry *e = tui_local_at(&app->local, app->local.cur.cur);
    char *src = NULL;
    if (e && e->mark != TUI_MARK_UP) {
        size_t n = strlen(e->name);
        bool image = !e->is_dir && ((n > 6 && strcmp(e->name + n - 6, ".romfs") == 0) ||
                                    (n > 4 && strcmp(e->name + n - 4, ".img") == 0));
        if (e->is_dir || image)
            src = tui_local_path(&app->local, app->local.cur.cur);
    }
    if (!src)
        src = strdup(app->local.dir ? app->local.dir : ".");
    if (src)
        tui_deploy_start(app, src, NULL, part);
    free(src);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int on_progress(void *ctx, const mr_deploy_progress *p)
{
    tui_app *app = ctx;
    struct tui_deploy_state *s = app->deploy;
    s->prog = *p;
    s->cur_unit = tui_plan_current_unit(&s->plan, p->bytes_done);
    static double last;
    double t = now_s();
    if (t - last > 0.05 || p->bytes_done >= p->bytes_total) {
        last = t;
        tui_redraw(app);
    }
    if (tui_poll_cancel(app))
        s->cancel = true;
    return s->cancel ? 1 : 0;
}

static void run(tui_app *app)
{
    struct tui_deploy_state *s = app->deploy;
    mr_device *dev = app->board.dev;
    mr_err err;
    s->stage = DS_RUNNING;
    s->started = now_s();
    s->cancel = false;
    tui_redraw(app);
    app->planned.valid = false; /* the board changes now: the marks would be stale */
    int rc = mr_deploy_execute(dev, &s->plan, on_progress, app, &s->res, &err);
    if (rc == 0 && s->plan.ndirty != 0)
        rc = mr_deploy_verify(dev, &s->plan, on_progress, app, &s->res, &err);
    tui_lines_free(&s->lines);
    s->scroll = 0;
    if (rc == 0) {
        s->stage = DS_DONE;
        char *text = mr_deploy_summary_text(&s->plan, &s->res, dev);
        add_text(&s->lines, text);
        free(text);
        char shown[PATH_MAX];
        tui_tilde(s->label, shown, sizeof shown);
        tui_message(app, TUI_MSG_INFO, "deployed %s to partition %u%s", shown, s->part,
                    s->res.verified ? ", verified" : "");
    } else {
        s->stage = DS_STOPPED;
        tui_lines_add(&s->lines, UINT64_MAX, "%s", s->res.cancelled ? "deploy cancelled" : err.msg);
        char *text = mr_deploy_state_text(&s->plan, &s->res);
        add_text(&s->lines, text);
        free(text);
    }
    /* show the board as it is now */
    tui_board *b = &app->board;
    if (tui_board_attach(b, dev, &err) == 0 && tui_board_open_part(b, s->part, tui_progress_cb, app, &err) == 0) {
        b->pcur.cur = s->part;
        app->focus = TUI_FOCUS_BOARD;
    } else {
        tui_error(app, &err);
    }
}

static unsigned scope(tui_app *app)
{
    (void)app;
    return TUI_IN_DEPLOY;
}

static void draw_progress(tui_app *app, int y, int w)
{
    struct tui_deploy_state *s = app->deploy;
    const mr_deploy_progress *p = &s->prog;
    double rate, eta;
    double secs = now_s() - s->started;
    tui_rate_eta(p->bytes_done, p->bytes_total, secs, &rate, &eta);
    static const char *const phase[] = {"planned", "invalidating the header", "writing", "completing",
                                        "verifying", "done"};
    const char *ph = (unsigned)p->phase < 6 ? phase[p->phase] : "";
    int bar = w - 2;
    int fill = p->bytes_total ? (int)((double)bar * (double)p->bytes_done / (double)p->bytes_total) : 0;
    if (fill > bar)
        fill = bar;
    tui_fill(y, 1, fill, tui_attr(TUI_C_BAR));
    tui_fill(y, 1 + fill, bar - fill, tui_attr(TUI_C_DIM) | A_REVERSE);
    char r[16], d[16], t[16], line[256], etas[32];
    tui_fmt_size((uint64_t)rate, r);
    tui_fmt_size(p->bytes_done, d);
    tui_fmt_size(p->bytes_total, t);
    if (eta >= 0)
        snprintf(etas, sizeof etas, ", %.0f s left", eta);
    else
        etas[0] = '\0';
    snprintf(line, sizeof line, "%s: %s/%s bytes, %zu/%zu units, %s/s%s, at unit %zu", ph, d, t, p->units_done,
             p->units_total, r, etas, s->cur_unit);
    tui_put(y + 1, 1, w - 1, line, A_BOLD);
}

static void draw(tui_app *app, int top, int height)
{
    struct tui_deploy_state *s = app->deploy;
    if (!s)
        return;
    static const char *const title[] = {"Deploy: the plan (nothing is written until you confirm)",
                                        "Deploy: writing", "Deploy: done", "Deploy: stopped"};
    tui_put(top, 0, app->cols, title[s->stage], tui_attr(TUI_C_CURSOR) | A_BOLD);
    /* the map of the partition-to-be takes the lower part */
    int map_h = 0;
    tui_map_grid g;
    if (s->have_map) {
        tui_map_grid_layout(&g, &s->map, 0, 0, 4, app->cols);
        size_t cells = (s->map.nunits + g.per_cell - 1) / g.per_cell;
        map_h = (int)((cells + (size_t)g.cols - 1) / (size_t)g.cols);
        if (map_h > height / 3)
            map_h = height / 3;
        if (map_h < 1)
            map_h = 1;
    }
    int prog_h = s->stage == DS_RUNNING ? 2 : 0;
    int text_h = height - 1 - (map_h ? map_h + 2 : 0) - prog_h - 1;
    if (text_h < 1)
        text_h = 1;
    if (s->lines.n > (size_t)text_h && s->scroll > s->lines.n - (size_t)text_h)
        s->scroll = s->lines.n - (size_t)text_h;
    size_t i = s->scroll;
    for (int r = 0; r < text_h && i < s->lines.n; i++) {
        const char *l = s->lines.v[i];
        int attr = strncmp(l, "warning", 7) == 0 ? tui_attr(TUI_C_WARN) : 0;
        if (s->stage == DS_STOPPED && i <= 1)
            attr = tui_attr(i == 0 ? TUI_C_ERROR : TUI_C_WARN);
        /* every line read whole: long ones wrap, continued under their indent */
        r += tui_put_wrapped(top + 1 + r, 1, app->cols - 2, text_h - r, l, attr);
    }
    int y = top + 1 + text_h;
    if (prog_h) {
        draw_progress(app, y, app->cols);
        y += prog_h;
    }
    if (s->have_map) {
        tui_map_grid_layout(&g, &s->map, y, 0, map_h, app->cols);
        size_t cu = s->stage == DS_RUNNING ? s->cur_unit * (s->plan.unit / (s->map.unit ? s->map.unit : 1)) : 0;
        tui_map_grid_draw(&g, &s->map, 1, 0, cu, s->stage == DS_RUNNING);
        tui_map_legend(y + map_h, 0, app->cols, &s->map);
    }
    const char *foot = s->stage == DS_PLAN      ? "y or Enter writes this plan; Tab plans another partition; c or Esc cancels"
                       : s->stage == DS_RUNNING ? "writing; c cancels at the next safe point"
                                                : "q, Esc or Enter returns to the board, which shows the partition now";
    tui_put(top + height - 1, 0, app->cols, foot, tui_attr(TUI_C_DIM));
}

/* After a write, the screens below (a map, an editor) show what the partition held
 * before: close them all and show the board as it is now. */
static void back_to_board(tui_app *app)
{
    while (app->view != TUI_VIEW_PANES)
        tui_pop_view(app);
}

static bool action(tui_app *app, tui_action a)
{
    struct tui_deploy_state *s = app->deploy;
    if (!s)
        return false;
    switch (a) {
    case TUI_A_UP: s->scroll = s->scroll ? s->scroll - 1 : 0; return true;
    case TUI_A_DOWN: s->scroll++; return true;
    case TUI_A_PAGE_DOWN: s->scroll += 10; return true;
    case TUI_A_PAGE_UP: s->scroll = s->scroll > 10 ? s->scroll - 10 : 0; return true;
    case TUI_A_SWITCH:
        if (s->stage == DS_PLAN && app->board.nparts > 1) {
            /* the choice of partition: plan the same source for the next one */
            char src[PATH_MAX], label[PATH_MAX];
            snprintf(src, sizeof src, "%s", s->src);
            snprintf(label, sizeof label, "%s", s->label);
            unsigned next = (s->part + 1) % app->board.nparts;
            if (tui_deploy_start(app, src, label, next) < 0 && app->view == TUI_VIEW_DEPLOY)
                tui_pop_view(app);
        }
        return true;
    case TUI_A_CONFIRM:
        if (s->stage == DS_PLAN) {
            if (s->plan.ndirty == 0) {
                tui_message(app, TUI_MSG_INFO, "nothing to write: partition %u already holds this image", s->part);
                tui_pop_view(app);
                return true;
            }
            run(app);
        } else if (s->stage != DS_RUNNING) {
            back_to_board(app);
        }
        return true;
    case TUI_A_CANCEL:
    case TUI_A_BACK:
        if (s->stage != DS_PLAN) {
            back_to_board(app);
            return true;
        }
        tui_message(app, TUI_MSG_INFO, "deploy cancelled: nothing was written, partition %u is unchanged", s->part);
        tui_pop_view(app);
        return true;
    default:
        return false;
    }
}

static void leave(tui_app *app)
{
    if (app->deploy) {
        reset(app->deploy);
        free(app->deploy);
        app->deploy = NULL;
    }
}

const tui_view_ops tui_view_deploy = {
    .name = "deploy",
    .scope = scope,
    .draw = draw,
    .action = action,
    .leave = leave,
};
