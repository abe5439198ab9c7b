/* Inspect: a file's bytes (hex and text), its .mpy header, an image's records from
 * an offset, or the difference between the local build and the board's image. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "colors.h"
#include "draw.h"
#include "model_inspect.h"
#include "text.h"
#include "mpy_cross.h"
#include "tui.h"
#include "tui_curses.h"
#include "views.h"

#define LOCAL_MAX ((size_t)64 << 20) /* the inspector reads at most this much of a host file */

struct tui_inspect_state {
    tui_inspect_mode mode;
    char title[1200];
    uint8_t *data;          /* the file's bytes (a copy) */
    size_t len;
    uint64_t off0;          /* offset of data[0] in its image, for the hex labels */
    uint8_t *image;         /* the image the file came from (a copy), for records */
    size_t image_len;
    tui_lines lines;        /* mpy, records and diff text */
    tui_cursor cur;
    char summary[256];
};

static void reset(struct tui_inspect_state *s)
{
    free(s->data);
    free(s->image);
    tui_lines_free(&s->lines);
    memset(s, 0, sizeof *s);
}

static int read_local(const char *path, uint8_t **out, size_t *len, mr_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mr_fail_errno(err, "cannot open %s", path);
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return mr_fail(err, "%s is not a regular file", path);
    }
    size_t want = (uint64_t)st.st_size > LOCAL_MAX ? LOCAL_MAX : (size_t)st.st_size;
    uint8_t *buf = malloc(want ? want : 1);
    if (!buf) {
        close(fd);
        return mr_fail(err, "out of memory reading %s", path);
    }
    size_t got = 0;
    while (got < want) {
        ssize_t n = read(fd, buf + got, want - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    *out = buf;
    *len = got;
    return 0;
}

static uint8_t *copy(const uint8_t *p, size_t n)
{
    uint8_t *c = malloc(n ? n : 1);
    if (c && n)
        memcpy(c, p, n);
    return c;
}

/* Fill lines for the current mode from data/image. */
static void regenerate(tui_app *app)
{
    struct tui_inspect_state *s = app->inspect;
    tui_lines_free(&s->lines);
    s->cur.cur = s->cur.top = 0;
    if (s->mode == TUI_INSPECT_MPY)
        tui_mpy_lines(s->data, s->len, &s->lines);
    else if (s->mode == TUI_INSPECT_RECORDS) {
        if (s->image)
            tui_records_lines(s->image, s->image_len, &s->lines);
        else if (s->data)
            tui_records_lines(s->data, s->len, &s->lines);
    }
}

/* The board's image is needed for records and diff: open the partition under the
 * cursor when only the partition list is shown. */
static bool ensure_board_image(tui_app *app)
{
    tui_board *b = &app->board;
    mr_err err;
    if (!b->in_part) {
        if (!b->dev || b->pcur.cur >= b->nparts) {
            tui_message(app, TUI_MSG_WARN, "no board image: open a partition or an image file (I)");
            return false;
        }
        if (tui_board_open_part(b, (unsigned)b->pcur.cur, tui_progress_cb, app, &err) < 0) {
            tui_error(app, &err);
            return false;
        }
    }
    return true;
}

static bool open_diff(tui_app *app, struct tui_inspect_state *s)
{
    if (!ensure_board_image(app))
        return false;
    tui_board *b = &app->board;
    /* the local directory under the cursor, else the one shown */
    const tui_local_entry *le = tui_local_at(&app->local, app->local.cur.cur);
    char *dir = le && le->is_dir && le->mark != TUI_MARK_UP ? tui_local_path(&app->local, app->local.cur.cur)
                                                            : strdup(app->local.dir ? app->local.dir : ".");
    if (!dir)
        return false;
    mr_err err;
    /* build as a deploy would: .py compiled when mpy-cross is there */
    mr_mpy_cross mc;
    memset(&mc, 0, sizeof mc);
    bool found = false;
    if (app->local.compile_mpy && mr_mpy_cross_find(&mc, NULL, &found, &err) < 0)
        found = false;
    mr_scan_opts so = {.mpy = app->local.compile_mpy, .mpy_cross = found ? &mc : NULL};
    uint8_t *img = NULL;
    size_t len = 0;
    int rc = mr_build_memory(dir, &so, &img, &len, &err);
    mr_mpy_cross_free(&mc);
    if (rc < 0) {
        tui_error(app, &err);
        free(dir);
        return false;
    }
    mr_image built;
    if (mr_image_parse(&built, img, len, &err) < 0) {
        tui_error(app, &err);
        free(img);
        free(dir);
        return false;
    }
    mr_image empty;
    memset(&empty, 0, sizeof empty);
    tui_diff_count c;
    tui_diff_lines(b->parsed ? &b->img : &empty, &built, &s->lines, &c);
    char shown[PATH_MAX];
    tui_tilde(dir, shown, sizeof shown);
    snprintf(s->title, sizeof s->title, "diff: %.500s (%s) -> build of %.600s", b->source,
             strncmp(b->source, "partition ", 10) == 0 ? "board" : "image", shown);
    snprintf(s->summary, sizeof s->summary, "%zu added, %zu removed, %zu changed, %zu moved, %zu unchanged; image %zu -> %zu bytes",
             c.added, c.removed, c.changed, c.moved, c.same, b->parsed ? b->img.image_size : (size_t)0, built.image_size);
    if (s->lines.n == 0)
        tui_lines_add(&s->lines, UINT64_MAX, "no difference: the board holds this build");
    mr_image_free(&built);
    free(img);
    free(dir);
    return true;
}

void tui_open_inspect(tui_app *app, tui_inspect_mode mode)
{
    if (!app->inspect) {
        app->inspect = calloc(1, sizeof *app->inspect);
        if (!app->inspect)
            return;
    }
    struct tui_inspect_state *s = app->inspect;
    reset(s);
    s->mode = mode;
    if (mode == TUI_INSPECT_DIFF) {
        if (!open_diff(app, s)) {
            reset(s);
            return;
        }
        tui_push_view(app, TUI_VIEW_INSPECT);
        return;
    }
    if (app->view == TUI_VIEW_EDIT || app->focus == TUI_FOCUS_BOARD || app->view == TUI_VIEW_MAP) {
        tui_board *b = &app->board;
        if (mode == TUI_INSPECT_RECORDS) {
            if (!ensure_board_image(app))
                return;
            s->image = copy(b->bytes, b->len);
            s->image_len = b->len;
            snprintf(s->title, sizeof s->title, "records of %s", b->source);
        } else {
            const mr_entry *e = b->in_part ? tui_board_current(b) : NULL;
            if (!e || e->type != MR_ENTRY_FILE) {
                tui_message(app, TUI_MSG_WARN, "put the cursor on a file of the image to inspect it");
                return;
            }
            s->data = copy(mr_entry_data(&b->img, e), e->size);
            s->len = e->size;
            s->off0 = e->data_offset;
            s->image = copy(b->bytes, b->len);
            s->image_len = b->len;
            snprintf(s->title, sizeof s->title, "%s: /%s, %zu bytes at offset 0x%zx", b->source, e->path, e->size,
                     e->data_offset);
        }
    } else {
        char *path = tui_local_path(&app->local, app->local.cur.cur);
        const tui_local_entry *le = tui_local_at(&app->local, app->local.cur.cur);
        if (!path || !le || le->is_dir) {
            free(path);
            tui_message(app, TUI_MSG_WARN, "put the cursor on a file to inspect it");
            return;
        }
        tui_inspect_file(app, path);
        free(path);
        return;
    }
    if (!s->data && !s->image) {
        tui_message(app, TUI_MSG_ERROR, "out of memory");
        return;
    }
    regenerate(app);
    tui_push_view(app, TUI_VIEW_INSPECT);
}

void tui_inspect_file(tui_app *app, const char *path)
{
    if (!app->inspect && !(app->inspect = calloc(1, sizeof *app->inspect)))
        return;
    struct tui_inspect_state *s = app->inspect;
    reset(s);
    mr_err err;
    if (read_local(path, &s->data, &s->len, &err) < 0) {
        tui_error(app, &err);
        return;
    }
    char shown[PATH_MAX];
    tui_tilde(path, shown, sizeof shown);
    snprintf(s->title, sizeof s->title, "%.1100s, %zu bytes%s", shown, s->len, s->len == LOCAL_MAX ? " (first 64 MiB)" : "");
    s->mode = TUI_INSPECT_HEX;
    regenerate(app);
    tui_push_view(app, TUI_VIEW_INSPECT);
}

static unsigned scope(tui_app *app)
{
    (void)app;
    return TUI_IN_INSPECT;
}

static size_t nrows(struct tui_inspect_state *s)
{
    return s->mode == TUI_INSPECT_HEX ? tui_hex_rows(s->len) : s->lines.n;
}

static const char *mode_name(tui_inspect_mode m)
{
    switch (m) {
    case TUI_INSPECT_HEX: return "hex";
    case TUI_INSPECT_MPY: return ".mpy header";
    case TUI_INSPECT_RECORDS: return "records";
    case TUI_INSPECT_DIFF: return "diff";
    }
    return "";
}

static void draw(tui_app *app, int top, int height)
{
    struct tui_inspect_state *s = app->inspect;
    if (!s)
        return;
    char head[1400];
    snprintf(head, sizeof head, " %s  [%s]", s->title, mode_name(s->mode));
    tui_put(top, 0, app->cols, head, tui_attr(TUI_C_CURSOR) | A_BOLD);
    int list_h = height - 2;
    size_t n = nrows(s);
    /* the cursor is the top line: the inspector scrolls, it does not select */
    if (n > (size_t)list_h && s->cur.cur > n - (size_t)list_h)
        s->cur.cur = n - (size_t)list_h;
    if (n <= (size_t)list_h)
        s->cur.cur = 0;
    for (int r = 0; r < list_h; r++) {
        size_t i = s->cur.cur + (size_t)r;
        if (i >= n)
            break;
        char row[256];
        int attr = 0;
        const char *text = row;
        if (s->mode == TUI_INSPECT_HEX) {
            tui_hex_row(s->data, s->len, i, s->off0, row, sizeof row);
        } else {
            text = s->lines.v[i];
            if (s->mode == TUI_INSPECT_DIFF)
                attr = tui_attr(text[0] == '+' ? TUI_C_INFO : text[0] == '-' ? TUI_C_MARK_BAD : text[0] == '~' ? TUI_C_WARN : TUI_C_DIM);
        }
        tui_put(top + 1 + r, 1, app->cols - 1, text, attr);
    }
    char foot[320];
    if (s->mode == TUI_INSPECT_DIFF)
        snprintf(foot, sizeof foot, "%s", s->summary);
    else if (s->mode == TUI_INSPECT_HEX)
        snprintf(foot, sizeof foot, "%zu bytes; x hex, M .mpy header, R image records, o go to offset",
                 s->len);
    else
        snprintf(foot, sizeof foot, "%zu lines; x hex, M .mpy header, R image records, o go to offset", n);
    tui_put(top + height - 1, 0, app->cols, foot, tui_attr(TUI_C_DIM));
}

static void on_goto(tui_app *app, const tui_prompt *p, bool done)
{
    struct tui_inspect_state *s = app->inspect;
    if (!done || p->state != TUI_PROMPT_DONE || !s)
        return;
    char *end;
    errno = 0;
    unsigned long long off = strtoull(p->text, &end, 16);
    if (errno || end == p->text || *end) {
        tui_message(app, TUI_MSG_ERROR, "'%s' is not a hex offset", p->text);
        return;
    }
    if (s->mode == TUI_INSPECT_HEX)
        s->cur.cur = off < s->off0 ? 0 : (size_t)((off - s->off0) / 16);
    else
        s->cur.cur = tui_lines_find(&s->lines, off);
}

static bool action(tui_app *app, tui_action a)
{
    struct tui_inspect_state *s = app->inspect;
    if (!s)
        return false;
    size_t n = nrows(s);
    size_t page = (size_t)(app->rows > 6 ? app->rows - 5 : 1);
    switch (a) {
    case TUI_A_UP: s->cur.cur = s->cur.cur ? s->cur.cur - 1 : 0; return true;
    case TUI_A_DOWN: s->cur.cur = s->cur.cur + 1 < n ? s->cur.cur + 1 : s->cur.cur; return true;
    case TUI_A_PAGE_UP: s->cur.cur = s->cur.cur > page ? s->cur.cur - page : 0; return true;
    case TUI_A_PAGE_DOWN: s->cur.cur = s->cur.cur + page < n ? s->cur.cur + page : (n ? n - 1 : 0); return true;
    case TUI_A_HOME: s->cur.cur = 0; return true;
    case TUI_A_END: s->cur.cur = n ? n - 1 : 0; return true;
    case TUI_A_HEXVIEW:
    case TUI_A_MPY:
    case TUI_A_RECORDS:
        if (s->mode == TUI_INSPECT_DIFF)
            return true;
        if (a != TUI_A_RECORDS && !s->data) {
            tui_message(app, TUI_MSG_WARN, "this view shows an image, not one file");
            return true;
        }
        s->mode = a == TUI_A_HEXVIEW ? TUI_INSPECT_HEX : a == TUI_A_MPY ? TUI_INSPECT_MPY : TUI_INSPECT_RECORDS;
        regenerate(app);
        /* records of a file's image start where the file's data is */
        if (s->mode == TUI_INSPECT_RECORDS && s->data && s->image)
            s->cur.cur = tui_lines_find(&s->lines, s->off0);
        return true;
    case TUI_A_GOTO:
        tui_ask(app, "Go to offset (hex): ", "", on_goto);
        return true;
    default:
        return false;
    }
}

static void leave(tui_app *app)
{
    if (app->inspect) {
        reset(app->inspect);
        free(app->inspect);
        app->inspect = NULL;
    }
}

const tui_view_ops tui_view_inspect = {
    .name = "inspect",
    .scope = scope,
    .draw = draw,
    .action = action,
    .leave = leave,
};
