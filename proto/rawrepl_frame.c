/* See rawrepl_frame.h. No I/O here: the client feeds what it read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rawrepl_frame.h"

void mr_escape_bytes(const uint8_t *d, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    if (cap == 0)
        return;
    for (size_t i = 0; i < n; i++) {
        char tmp[8];
        uint8_t c = d[i];
        if (c == '\n')
            strcpy(tmp, "\\n");
        else if (c == '\r')
            strcpy(tmp, "\\r");
        else if (c == '\\')
            strcpy(tmp, "\\\\");
        else if (c >= 0x20 && c < 0x7f)
            tmp[0] = (char)c, tmp[1] = 0;
        else
            snprintf(tmp, sizeof tmp, "\\x%02x", c);
        size_t tl = strlen(tmp);
        if (o + tl + 4 > cap) {
            if (o + 4 <= cap)
                memcpy(out + o, "...", 3), o += 3;
            break;
        }
        memcpy(out + o, tmp, tl);
        o += tl;
    }
    out[o] = 0;
}

void mr_frame_init(mr_frame *f, bool expect_ok, size_t out_max)
{
    memset(f, 0, sizeof *f);
    f->state = expect_ok ? MR_FRAME_WANT_OK : MR_FRAME_STDOUT;
    f->out_max = out_max;
}

void mr_frame_free(mr_frame *f)
{
    free(f->out);
    free(f->errtxt);
    f->out = f->errtxt = NULL;
}

/* Append to a growing buffer, keeping a NUL after the data; fails past max. */
static int append(uint8_t **buf, size_t *len, size_t *cap, size_t max, const uint8_t *d, size_t n)
{
    if (n > max - *len)
        return -1;
    if (*len + n + 1 > *cap) {
        size_t nc = *cap ? *cap : 256;
        while (nc < *len + n + 1)
            nc *= 2;
        if (nc > max + 1)
            nc = max + 1;
        uint8_t *nb = realloc(*buf, nc);
        if (!nb)
            return -1;
        *buf = nb;
        *cap = nc;
    }
    memcpy(*buf + *len, d, n);
    *len += n;
    (*buf)[*len] = 0;
    return 0;
}

static int unexpected(mr_err *err, const char *where, const uint8_t *d, size_t n)
{
    char shown[120];
    mr_escape_bytes(d, n, shown, sizeof shown);
    return mr_fail(err, "the board answered \"%s\" %s", shown, where);
}

int mr_frame_feed(mr_frame *f, const uint8_t *d, size_t n, size_t *used, mr_err *err)
{
    size_t i = 0;
    while (i < n) {
        switch (f->state) {
        case MR_FRAME_WANT_OK:
            /* A stray prompt before OK is harmless (boards that refuse raw-paste
             * print one); anything else means the board is not in the raw REPL. */
            if (f->ok_matched == 0 && d[i] == '>') {
                i++;
                break;
            }
            if (d[i] != (uint8_t)"OK"[f->ok_matched])
                return unexpected(err, "where OK was expected (is it in the raw REPL?)", d + i,
                                  n - i);
            i++;
            if (++f->ok_matched == 2)
                f->state = MR_FRAME_STDOUT;
            break;
        case MR_FRAME_STDOUT:
        case MR_FRAME_STDERR: {
            const uint8_t *eot = memchr(d + i, 0x04, n - i);
            size_t take = eot ? (size_t)(eot - (d + i)) : n - i;
            int bad = f->state == MR_FRAME_STDOUT
                          ? append(&f->out, &f->out_len, &f->out_cap, f->out_max, d + i, take)
                          : append(&f->errtxt, &f->err_len, &f->err_cap, MR_FRAME_ERR_MAX, d + i,
                                   take);
            if (bad)
                return mr_fail(err, "the board's reply is longer than the %zu bytes expected",
                               f->state == MR_FRAME_STDOUT ? f->out_max : (size_t)MR_FRAME_ERR_MAX);
            i += take;
            if (eot) {
                i++;
                f->state = f->state == MR_FRAME_STDOUT ? MR_FRAME_STDERR : MR_FRAME_PROMPT;
            }
            break;
        }
        case MR_FRAME_PROMPT:
            if (d[i] != '>')
                return unexpected(err, "after a program's output, where the prompt '>' was expected",
                                  d + i, n - i);
            i++;
            f->state = MR_FRAME_DONE;
            break;
        case MR_FRAME_DONE:
            *used = i;
            return 1;
        }
    }
    *used = i;
    return f->state == MR_FRAME_DONE ? 1 : 0;
}

mr_paste_reply mr_paste_classify(const uint8_t *d, size_t n, uint16_t *window, size_t *used)
{
    *used = 0;
    if (n == 0)
        return MR_PASTE_NEED_MORE;
    if (d[0] == 'R') {
        if (n < 2)
            return MR_PASTE_NEED_MORE;
        if (d[1] == 0) {
            *used = 2;
            return MR_PASTE_UNSUPPORTED;
        }
        if (d[1] != 1)
            return MR_PASTE_GARBAGE;
        if (n < 4)
            return MR_PASTE_NEED_MORE;
        *window = (uint16_t)(d[2] | (d[3] << 8));
        if (*window == 0)
            return MR_PASTE_GARBAGE;
        *used = 4;
        return MR_PASTE_SUPPORTED;
    }
    /* An old board takes ctrl-A as "re-enter the raw REPL" and prints the banner. */
    size_t bl = strlen(MR_RAW_BANNER);
    size_t k = n < bl ? n : bl;
    if (memcmp(d, MR_RAW_BANNER, k) != 0)
        return MR_PASTE_GARBAGE;
    if (n < bl)
        return MR_PASTE_NEED_MORE;
    *used = bl;
    return MR_PASTE_OLD_BOARD;
}
