/* REPL framing of a simulated board, byte by byte, as MicroPython's pyexec.c frames
 * it (see serve_repl.h). Input that arrives while a program runs is queued and
 * handled afterwards, as a board's stdin buffer does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve_repl.h"

enum mode { M_FRIENDLY, M_PASTE, M_RAW, M_RAW_PASTE, M_RAW_PASTE_DRAIN, M_DEAD };

struct serve_repl {
    serve_repl_config cfg;
    py_vm *vm;
    enum mode mode;
    /* bytes from the host not yet handled */
    uint8_t *in;
    size_t in_len, in_cap, in_pos;
    bool processing;
    /* the program or line being entered */
    char *line;
    size_t line_len, line_cap;
    bool overflow;
    size_t cur_line_start;  /* friendly REPL: where the line being typed begins */
    bool last_cr;           /* friendly REPL: a \n right after \r is the same line end */
    int esc;                /* friendly REPL: inside an escape sequence (arrow keys) */
    uint16_t window, window_remain;
    /* stderr of the running raw-REPL program, sent after stdout's \x04 */
    char *err;
    size_t err_len, err_cap;
    bool err_to_buffer;
    unsigned long programs;
};

static void out(serve_repl *r, const void *data, size_t len)
{
    if (r->mode != M_DEAD && len)
        r->cfg.write(r->cfg.write_ctx, data, len);
}

static void outs(serve_repl *r, const char *s)
{
    out(r, s, strlen(s));
}

static bool grow(void **buf, size_t *cap, size_t want)
{
    if (want <= *cap)
        return true;
    size_t ncap = *cap ? *cap : 256;
    while (ncap < want)
        ncap *= 2;
    void *p = realloc(*buf, ncap);
    if (!p)
        return false;
    *buf = p;
    *cap = ncap;
    return true;
}

static void line_reset(serve_repl *r)
{
    r->line_len = 0;
    r->cur_line_start = 0;
    r->overflow = false;
}

static void line_add(serve_repl *r, char c)
{
    if (r->line_len >= r->cfg.py.limits.max_source) {
        r->overflow = true;
        return;
    }
    if (!grow((void **)&r->line, &r->line_cap, r->line_len + 2)) {
        r->overflow = true;
        return;
    }
    r->line[r->line_len++] = c;
}

/* ---- program output ----------------------------------------------------------- */
static void prog_out(void *ctx, const char *s, size_t n)
{
    out(ctx, s, n);
}

static void prog_err(void *ctx, const char *s, size_t n)
{
    serve_repl *r = ctx;
    if (!r->err_to_buffer) {
        out(r, s, n);
        return;
    }
    if (grow((void **)&r->err, &r->err_cap, r->err_len + n))
        memcpy(r->err + r->err_len, s, n), r->err_len += n;
}

static bool interrupted(void *ctx)
{
    serve_repl *r = ctx;
    return r->cfg.poll && r->cfg.poll(r->cfg.poll_ctx, r);
}

static int run(serve_repl *r, bool single)
{
    r->programs++;
    r->err_len = 0;
    int rc = single ? py_vm_exec_single(r->vm, r->line, r->line_len, prog_out, prog_err, r)
                    : py_vm_exec(r->vm, r->line, r->line_len, prog_out, prog_err, r);
    if (rc == PY_POWER_CUT)
        r->mode = M_DEAD;
    return rc;
}

static void too_large(serve_repl *r)
{
    char msg[200];
    snprintf(msg, sizeof msg,
             "Traceback (most recent call last):\r\n  File \"<stdin>\", line 1, in <module>\r\n"
             "MemoryError: program larger than this simulated board accepts (%zu bytes)\r\n",
             r->cfg.py.limits.max_source);
    outs(r, msg);
}

/* A raw-REPL program: stdout, \x04, the traceback (empty if none), \x04. */
static void run_raw(serve_repl *r)
{
    if (r->overflow) {
        outs(r, "\x04");
        too_large(r);
        outs(r, "\x04");
        return;
    }
    r->err_to_buffer = true;
    run(r, false);
    r->err_to_buffer = false;
    out(r, "\x04", 1);
    out(r, r->err, r->err_len);
    out(r, "\x04", 1);
}

/* ---- banners and modes ------------------------------------------------------- */
static void friendly_banner(serve_repl *r)
{
    outs(r, SERVE_VERSION_BANNER "; ");
    outs(r, py_vm_machine(r->vm));
    outs(r, "\r\nType \"help()\" for more information.\r\n>>> ");
}

static void enter_raw(serve_repl *r)
{
    r->mode = M_RAW;
    line_reset(r);
    outs(r, SERVE_RAW_BANNER ">");
}

static void enter_friendly(serve_repl *r)
{
    r->mode = M_FRIENDLY;
    line_reset(r);
    r->esc = 0;
    friendly_banner(r);
}

static void soft_reset(serve_repl *r, bool raw)
{
    py_vm_soft_reset(r->vm);
    outs(r, SERVE_SOFT_REBOOT);
    if (raw)
        enter_raw(r);
    else
        enter_friendly(r);
}

/* ---- friendly REPL ------------------------------------------------------------- */
static void friendly_enter_line(serve_repl *r)
{
    outs(r, "\r\n");
    if (r->line_len == 0) {
        outs(r, ">>> ");
        return;
    }
    if (!r->overflow && py_needs_more_input(r->line, r->line_len)) {
        line_add(r, '\n');
        r->cur_line_start = r->line_len;
        outs(r, "... ");
        return;
    }
    if (r->overflow)
        too_large(r);
    else
        run(r, true);
    line_reset(r);
    outs(r, ">>> ");
}

static void friendly_byte(serve_repl *r, uint8_t c)
{
    bool was_cr = r->last_cr;
    r->last_cr = false;
    if (r->esc == 1) {
        r->esc = c == '[' || c == 'O' ? 2 : 0;
        return;
    }
    if (r->esc == 2) {
        if (c >= 0x40 && c <= 0x7e)
            r->esc = 0;
        return;
    }
    switch (c) {
    case 0x1b: r->esc = 1; return;
    case 0x01:
        outs(r, "\r\n");
        enter_raw(r);
        return;
    case 0x02:
        outs(r, "\r\n");
        enter_friendly(r);
        return;
    case 0x03:
        outs(r, "\r\n>>> ");
        line_reset(r);
        return;
    case 0x04:
        if (r->cur_line_start > 0) {
            /* ends a compound statement early */
            outs(r, "\r\n");
            run(r, true);
            line_reset(r);
            outs(r, ">>> ");
        } else if (r->line_len == 0) {
            outs(r, "\r\n");
            soft_reset(r, false);
        }
        return;
    case 0x05:
        r->mode = M_PASTE;
        line_reset(r);
        outs(r, "\r\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== ");
        return;
    case '\r':
        r->last_cr = true;
        friendly_enter_line(r);
        return;
    case '\n':
        if (!was_cr)
            friendly_enter_line(r);
        return;
    case 0x7f: case 0x08:
        if (r->line_len > r->cur_line_start) {
            r->line_len--;
            outs(r, "\b \b");
        }
        return;
    default:
        if (c >= 0x20 || c == '\t') {
            line_add(r, (char)c);
            out(r, &c, 1);
        }
        return;
    }
}

static void paste_byte(serve_repl *r, uint8_t c)
{
    if (c == 0x03) {
        outs(r, "\r\n>>> ");
        r->mode = M_FRIENDLY;
        line_reset(r);
    } else if (c == 0x04) {
        outs(r, "\r\n");
        r->mode = M_FRIENDLY;
        if (r->overflow)
            too_large(r);
        else
            run(r, false);
        line_reset(r);
        outs(r, ">>> ");
    } else {
        line_add(r, (char)c);
        if (c == '\r')
            outs(r, "\r\n=== ");
        else
            out(r, &c, 1);
    }
}

/* ---- raw REPL ---------------------------------------------------------------- */
static void raw_byte(serve_repl *r, uint8_t c)
{
    switch (c) {
    case 0x01:
        if (r->line_len == 2 && r->line[0] == 0x05) {
            if (r->line[1] == 'A' && r->cfg.py.caps.raw_paste) {
                uint8_t hdr[5] = {'R', 1, (uint8_t)(r->window & 0xff), (uint8_t)(r->window >> 8), 1};
                out(r, hdr, sizeof hdr);
                r->mode = M_RAW_PASTE;
                r->window_remain = r->window;
                line_reset(r);
                return;
            }
            /* understood but not supported: the host carries on in the raw REPL */
            out(r, "R\x00", 2);
            line_reset(r);
            return;
        }
        enter_raw(r);
        return;
    case 0x02:
        outs(r, "\r\n");
        enter_friendly(r);
        return;
    case 0x03:
        line_reset(r);
        return;
    case 0x04:
        outs(r, "OK");
        if (r->line_len == 0 && !r->overflow) {
            outs(r, "\r\n");
            soft_reset(r, true);
            return;
        }
        run_raw(r);
        line_reset(r);
        outs(r, ">");
        return;
    default:
        line_add(r, (char)c);
        return;
    }
}

static void raw_paste_byte(serve_repl *r, uint8_t c)
{
    if (r->mode == M_RAW_PASTE_DRAIN) {
        if (c == 0x03 || c == 0x04) {
            outs(r, "\x04");
            too_large(r);
            outs(r, "\x04>");
            r->mode = M_RAW;
            line_reset(r);
        }
        return;
    }
    if (c == 0x04) {
        out(r, "\x04", 1);
        run_raw(r);
        if (r->mode == M_DEAD)
            return;
        r->mode = M_RAW;
        line_reset(r);
        outs(r, ">");
        return;
    }
    if (c == 0x03) {
        outs(r, "\x04\x04KeyboardInterrupt: \r\n\x04>");
        r->mode = M_RAW;
        line_reset(r);
        return;
    }
    line_add(r, (char)c);
    if (r->overflow) {
        /* stop the host early, as a board that ran out of memory does */
        out(r, "\x04", 1);
        r->mode = M_RAW_PASTE_DRAIN;
        return;
    }
    if (--r->window_remain == 0) {
        out(r, "\x01", 1);
        r->window_remain = r->window;
    }
}

static void handle(serve_repl *r, uint8_t c)
{
    switch (r->mode) {
    case M_FRIENDLY: friendly_byte(r, c); break;
    case M_PASTE: paste_byte(r, c); break;
    case M_RAW: raw_byte(r, c); break;
    case M_RAW_PASTE: case M_RAW_PASTE_DRAIN: raw_paste_byte(r, c); break;
    case M_DEAD: break;
    }
}

/* ---- public ----------------------------------------------------------------- */
serve_repl *serve_repl_new(const serve_repl_config *cfg)
{
    serve_repl *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->cfg = *cfg;
    if (!r->cfg.py.limits.max_source)
        r->cfg.py.limits = py_default_limits();
    r->window = cfg->paste_window ? cfg->paste_window : SERVE_PASTE_WINDOW;
    r->vm = py_vm_new(&r->cfg.py);
    if (!r->vm) {
        free(r);
        return NULL;
    }
    py_vm_set_interrupt(r->vm, interrupted, r);
    r->mode = M_FRIENDLY;
    return r;
}

void serve_repl_free(serve_repl *r)
{
    if (!r)
        return;
    py_vm_free(r->vm);
    free(r->in);
    free(r->line);
    free(r->err);
    free(r);
}

void serve_repl_boot(serve_repl *r)
{
    enter_friendly(r);
}

void serve_repl_push(serve_repl *r, const uint8_t *data, size_t len)
{
    if (r->in_pos == r->in_len)
        r->in_pos = r->in_len = 0;
    if (!len || !grow((void **)&r->in, &r->in_cap, r->in_len + len))
        return;
    memcpy(r->in + r->in_len, data, len);
    r->in_len += len;
}

void serve_repl_feed(serve_repl *r, const uint8_t *data, size_t len)
{
    serve_repl_push(r, data, len);
    if (r->processing)
        return;
    r->processing = true;
    while (r->in_pos < r->in_len && r->mode != M_DEAD)
        handle(r, r->in[r->in_pos++]);
    r->in_pos = r->in_len = 0;
    r->processing = false;
}

bool serve_repl_dead(const serve_repl *r)
{
    return r->mode == M_DEAD;
}

unsigned long serve_repl_programs(const serve_repl *r)
{
    return r->programs;
}
