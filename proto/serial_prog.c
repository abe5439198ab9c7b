/* Building and running the programs the serial backend sends. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repr.h"
#include "serial_priv.h"

void prog_init(prog *p)
{
    memset(p, 0, sizeof *p);
}

void prog_free(prog *p)
{
    free(p->s);
    prog_init(p);
}

static bool reserve(prog *p, size_t more)
{
    if (p->oom)
        return false;
    if (p->len + more + 1 <= p->cap)
        return true;
    size_t nc = p->cap ? p->cap : 512;
    while (nc < p->len + more + 1)
        nc *= 2;
    char *ns = realloc(p->s, nc);
    if (!ns) {
        p->oom = true;
        return false;
    }
    p->s = ns;
    p->cap = nc;
    return true;
}

void prog_add_raw(prog *p, const char *s, size_t n)
{
    if (!reserve(p, n))
        return;
    memcpy(p->s + p->len, s, n);
    p->len += n;
    p->s[p->len] = 0;
}

void prog_add(prog *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(p, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(p->s + p->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    p->len += (size_t)n;
}

int sb_exec(mr_device *dev, const prog *p, unsigned timeout_ms, size_t out_max, char **out,
            size_t *out_len, mr_err *err)
{
    serial_board *b = board_of(dev);
    if (p->oom)
        return mr_fail(err, "out of memory building a program for the board");
    int rc = mr_rawrepl_exec(&b->repl, p->s, p->len, timeout_ms, out_max, out, out_len, err);
    dev->stats.bytes_sent = b->t->bytes_sent;
    dev->stats.bytes_received = b->t->bytes_received;
    dev->stats.round_trips = b->repl.round_trips;
    if (rc != 0)
        b->cur_part = -1; /* the program may have stopped before binding d and m */
    return rc;
}

int sb_eval(mr_device *dev, const prog *p, unsigned timeout_ms, size_t out_max, mr_value *v,
            mr_err *err)
{
    char *out;
    size_t n;
    if (sb_exec(dev, p, timeout_ms, out_max, &out, &n, err) != 0)
        return -1;
    int rc = mr_repr_parse(out, n, v, err);
    free(out);
    return rc;
}

void sb_bind(serial_board *b, prog *p, unsigned part)
{
    if (b->cur_part == (int)part)
        return;
    prog_add(p, "d=vfs.rom_ioctl(2,%u)\nm=memoryview(d)\n", part);
    b->cur_part = (int)part;
}

unsigned sb_link_ms(const serial_board *b, uint64_t n)
{
    uint64_t baud = b->baud ? b->baud : 115200;
    uint64_t ms = n * 10u * 1000u / baud; /* 10 bits per byte on the wire */
    return ms > 3600000u ? 3600000u : (unsigned)ms;
}

const char *mr_errno_name(long e)
{
    static const struct {
        long no;
        const char *name;
    } names[] = {
        {1, "EPERM"},   {2, "ENOENT"},  {5, "EIO"},     {9, "EBADF"},     {11, "EAGAIN"},
        {12, "ENOMEM"}, {13, "EACCES"}, {16, "EBUSY"},  {17, "EEXIST"},   {19, "ENODEV"},
        {21, "EISDIR"}, {22, "EINVAL"}, {28, "ENOSPC"}, {30, "EROFS"},    {95, "EOPNOTSUPP"},
        {110, "ETIMEDOUT"},
    };
    if (e < 0)
        e = -e;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].no == e)
            return names[i].name;
    return NULL;
}

void sb_errno_text(long e, char *out, size_t cap)
{
    const char *n = mr_errno_name(e);
    if (n)
        snprintf(out, cap, "%ld (%s)", e, n);
    else
        snprintf(out, cap, "%ld", e);
}
