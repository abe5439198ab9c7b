/* The raw REPL client. Wire behaviour follows mpremote (see ROMFS-FACTS.md); the
 * reply framing itself is parsed by rawrepl_frame.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rawrepl.h"
#include "rawrepl_frame.h"

#define SECONDS(ms) (((ms) + 999u) / 1000u)

void mr_rawrepl_init(mr_rawrepl *r, mr_transport *t, unsigned timeout_ms)
{
    memset(r, 0, sizeof *r);
    r->t = t;
    r->timeout_ms = timeout_ms ? timeout_ms : 5000;
    r->try_raw_paste = true;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Make sure pend holds at least one byte, waiting until deadline. *have is false
 * when the deadline passed first. */
static int fill(mr_rawrepl *r, uint64_t deadline, bool *have, mr_err *err)
{
    if (r->pend_pos < r->pend_len) {
        *have = true;
        return 0;
    }
    r->pend_pos = r->pend_len = 0;
    size_t got;
    if (mr_transport_read(r->t, r->pend, sizeof r->pend, deadline, &got, err) != 0)
        return -1;
    r->pend_len = got;
    *have = got > 0;
    return 0;
}

/* Consume bytes until what was read ends with `suffix`. Returns 1 (no message)
 * when the deadline passes first, with the last bytes seen in tail. Gives up on
 * a board that keeps talking without ever saying it (max_bytes). */
static int read_until(mr_rawrepl *r, const char *suffix, uint64_t deadline, size_t max_bytes,
                      char *tail, size_t tail_cap, mr_err *err)
{
    size_t sl = strlen(suffix), seen = 0, total = 0;
    uint8_t last[64];
    if (tail_cap)
        tail[0] = 0;
    for (;;) {
        bool have;
        if (fill(r, deadline, &have, err) != 0)
            return -1;
        if (!have) {
            size_t k = seen < sizeof last ? seen : sizeof last;
            if (tail_cap)
                mr_escape_bytes(last + (sizeof last - k), k, tail, tail_cap);
            return 1;
        }
        uint8_t c = r->pend[r->pend_pos++];
        memmove(last, last + 1, sizeof last - 1);
        last[sizeof last - 1] = c;
        seen++;
        if (seen >= sl && memcmp(last + sizeof last - sl, suffix, sl) == 0)
            return 0;
        if (++total > max_bytes) {
            char shown[100];
            mr_escape_bytes(last, sizeof last, shown, sizeof shown);
            return mr_fail(err, "%s keeps sending data without the expected \"%s\" (last: \"%s\")",
                           r->t->path, suffix[0] == 'r' ? "raw REPL" : "prompt", shown);
        }
    }
}

static int no_answer(mr_rawrepl *r, unsigned ms, const char *tail, mr_err *err)
{
    if (tail && tail[0])
        return mr_fail(err, "no answer from %s after %u s (it sent \"%s\"); is a program running? "
                            "try --reset", r->t->path, SECONDS(ms), tail);
    return mr_fail(err, "no answer from %s after %u s; is a program running? try --reset",
                   r->t->path, SECONDS(ms));
}

static int wait_banner(mr_rawrepl *r, const char *suffix, mr_err *err)
{
    char tail[160];
    uint64_t deadline = mr_now_ms() + r->timeout_ms;
    int rc = read_until(r, suffix, deadline, 1u << 20, tail, sizeof tail, err);
    if (rc == 1)
        return no_answer(r, r->timeout_ms, tail, err);
    return rc;
}

int mr_rawrepl_soft_reset(mr_rawrepl *r, mr_err *err)
{
    if (!r->at_prompt && wait_banner(r, ">", err) != 0)
        return -1;
    r->at_prompt = false;
    if (mr_transport_write(r->t, (const uint8_t *)"\x04", 1, err) != 0)
        return -1;
    if (wait_banner(r, MR_SOFT_REBOOT, err) != 0)
        return mr_wrap(err, "soft reset");
    if (wait_banner(r, MR_RAW_BANNER ">", err) != 0)
        return mr_wrap(err, "soft reset");
    r->at_prompt = true;
    return 0;
}

int mr_rawrepl_enter(mr_rawrepl *r, bool soft_reset, mr_err *err)
{
    r->at_prompt = false;
    if (mr_transport_write(r->t, (const uint8_t *)"\r\x03", 2, err) != 0)
        return -1;
    /* Give a running program a moment to stop, then drop whatever it printed. */
    sleep_ms(20);
    r->pend_pos = r->pend_len = 0;
    if (mr_transport_discard_input(r->t, err) != 0)
        return -1;
    if (mr_transport_write(r->t, (const uint8_t *)"\r\x01", 2, err) != 0)
        return -1;
    if (wait_banner(r, MR_RAW_BANNER ">", err) != 0)
        return -1;
    r->at_prompt = true;
    if (soft_reset)
        return mr_rawrepl_soft_reset(r, err);
    return 0;
}

void mr_rawrepl_leave(mr_rawrepl *r)
{
    mr_err ignored;
    /* make sure ctrl-B reaches the board before the port is closed */
    if (mr_transport_write(r->t, (const uint8_t *)"\r\x02", 2, &ignored) == 0)
        mr_transport_drain(r->t, &ignored);
    r->at_prompt = false;
}

/* Ask for raw-paste mode. *window is 0 when the board has none (it is then back
 * at its prompt, ready for the plain raw REPL). */
static int negotiate_paste(mr_rawrepl *r, uint64_t deadline, uint16_t *window, mr_err *err)
{
    *window = 0;
    if (mr_transport_write(r->t, (const uint8_t *)"\x05" "A\x01", 3, err) != 0)
        return -1;
    uint8_t got[32];
    size_t n = 0;
    for (;;) {
        uint16_t w = 0;
        size_t used = 0;
        mr_paste_reply k = mr_paste_classify(got, n, &w, &used);
        if (k == MR_PASTE_SUPPORTED) {
            *window = w;
            return 0;
        }
        if (k == MR_PASTE_UNSUPPORTED) {
            r->try_raw_paste = false;
            return 0; /* a '>' may follow; the OK parser skips it */
        }
        if (k == MR_PASTE_OLD_BOARD) {
            r->try_raw_paste = false;
            char tail[80];
            int rc = read_until(r, ">", deadline, 4096, tail, sizeof tail, err);
            return rc == 1 ? no_answer(r, r->timeout_ms, tail, err) : rc;
        }
        if (k == MR_PASTE_GARBAGE) {
            char shown[100];
            mr_escape_bytes(got, n, shown, sizeof shown);
            return mr_fail(err, "%s answered \"%s\" to the raw-paste request; is it a MicroPython "
                                "board in the raw REPL?", r->t->path, shown);
        }
        bool have;
        if (fill(r, deadline, &have, err) != 0)
            return -1;
        if (!have)
            return no_answer(r, r->timeout_ms, NULL, err);
        if (n == sizeof got)
            return mr_fail(err, "%s: raw-paste reply too long", r->t->path);
        got[n++] = r->pend[r->pend_pos++];
    }
}

/* Send the program under the board's flow control. */
static int paste_send(mr_rawrepl *r, const uint8_t *src, size_t len, uint16_t window,
                      uint64_t deadline, mr_err *err)
{
    size_t remain = window, i = 0;
    while (i < len) {
        /* Take every credit (\x01) already sent; wait for one when out of window. */
        for (;;) {
            bool have;
            if (fill(r, remain ? 0 : deadline, &have, err) != 0)
                return -1;
            if (!have) {
                if (remain)
                    break;
                return mr_fail(err, "%s stopped accepting the program after %zu of %zu bytes "
                                    "(no flow-control answer in %u s)", r->t->path, i, len,
                               SECONDS(r->timeout_ms));
            }
            uint8_t c = r->pend[r->pend_pos++];
            if (c == 0x01) {
                if (remain < (size_t)1 << 30)
                    remain += window;
            } else if (c == 0x04) {
                /* The board stopped reading early (usually a syntax error): acknowledge;
                 * the reply with its traceback follows. */
                return mr_transport_write(r->t, (const uint8_t *)"\x04", 1, err);
            } else {
                char shown[16];
                mr_escape_bytes(&c, 1, shown, sizeof shown);
                return mr_fail(err, "%s sent \"%s\" during raw-paste flow control", r->t->path,
                               shown);
            }
        }
        size_t k = len - i < remain ? len - i : remain;
        if (mr_transport_write(r->t, src + i, k, err) != 0)
            return -1;
        i += k;
        remain -= k;
    }
    if (mr_transport_write(r->t, (const uint8_t *)"\x04", 1, err) != 0)
        return -1;
    for (;;) { /* the board acknowledges the end with \x04; credits may come first */
        bool have;
        if (fill(r, deadline, &have, err) != 0)
            return -1;
        if (!have)
            return mr_fail(err, "%s did not acknowledge the end of the program within %u s",
                           r->t->path, SECONDS(r->timeout_ms));
        uint8_t c = r->pend[r->pend_pos++];
        if (c == 0x04)
            return 0;
        if (c != 0x01) {
            char shown[16];
            mr_escape_bytes(&c, 1, shown, sizeof shown);
            return mr_fail(err, "%s sent \"%s\" instead of acknowledging the program", r->t->path,
                           shown);
        }
    }
}

static int plain_send(mr_rawrepl *r, const uint8_t *src, size_t len, mr_err *err)
{
    /* Without flow control, pace the program as mpremote does so a board's small
     * receive buffer keeps up: 256 bytes every 10 ms. */
    for (size_t i = 0; i < len; i += 256) {
        size_t k = len - i < 256 ? len - i : 256;
        if (mr_transport_write(r->t, src + i, k, err) != 0)
            return -1;
        if (i + k < len)
            sleep_ms(10);
    }
    return mr_transport_write(r->t, (const uint8_t *)"\x04", 1, err);
}

static void trim_right(uint8_t *s, size_t *len)
{
    while (*len && (s[*len - 1] == '\n' || s[*len - 1] == '\r' || s[*len - 1] == ' '))
        s[--*len] = 0;
}

int mr_rawrepl_exec(mr_rawrepl *r, const char *src, size_t len, unsigned timeout_ms,
                    size_t out_max, char **out, size_t *out_len, mr_err *err)
{
    *out = NULL;
    *out_len = 0;
    r->board_raised = false;
    unsigned limit = timeout_ms ? timeout_ms : r->timeout_ms;
    uint64_t deadline = mr_now_ms() + limit;
    if (!r->at_prompt) {
        char tail[80];
        int rc = read_until(r, ">", deadline, 1u << 16, tail, sizeof tail, err);
        if (rc != 0)
            return rc == 1 ? no_answer(r, limit, tail, err) : -1;
    }
    r->at_prompt = false;
    uint16_t window = 0;
    if (r->try_raw_paste && negotiate_paste(r, deadline, &window, err) != 0)
        return -1;
    r->used_raw_paste = window != 0;
    int rc = window ? paste_send(r, (const uint8_t *)src, len, window, deadline, err)
                    : plain_send(r, (const uint8_t *)src, len, err);
    if (rc != 0)
        return -1;
    r->round_trips++;

    mr_frame f;
    mr_frame_init(&f, window == 0, out_max);
    bool started = false;
    for (;;) {
        size_t used = 0;
        int fr = mr_frame_feed(&f, r->pend + r->pend_pos, r->pend_len - r->pend_pos, &used, err);
        r->pend_pos += used;
        if (fr < 0) {
            mr_frame_free(&f);
            return mr_wrap(err, "%s", r->t->path);
        }
        if (fr == 1)
            break;
        bool have;
        if (fill(r, deadline, &have, err) != 0) {
            mr_frame_free(&f);
            return -1;
        }
        if (!have) {
            mr_frame_free(&f);
            if (started)
                return mr_fail(err, "%s went silent for %u s in the middle of its answer (after %zu "
                                    "bytes); is the board stuck or unplugged? try --reset",
                               r->t->path, SECONDS(r->timeout_ms), f.out_len);
            return mr_fail(err, "no answer from %s after %u s while it ran a program; is it stuck? "
                                "try --reset or a longer --timeout", r->t->path, SECONDS(limit));
        }
        /* Once the answer streams in, only a silence longer than the base time-out
         * counts: the scaled limit was for the work before the first byte. */
        started = true;
        deadline = mr_now_ms() + r->timeout_ms;
    }
    r->at_prompt = true;
    if (f.err_len) {
        trim_right(f.errtxt, &f.err_len);
        mr_fail(err, "the board raised an exception:\n%s", (const char *)f.errtxt);
        r->board_raised = true;
        mr_frame_free(&f);
        return -1;
    }
    free(f.errtxt);
    if (!f.out) {
        f.out = calloc(1, 1);
        if (!f.out)
            return mr_fail(err, "out of memory");
    }
    *out = (char *)f.out;
    *out_len = f.out_len;
    return 0;
}
