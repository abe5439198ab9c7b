#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int mr_fail(mr_err *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

int mr_fail_errno(mr_err *err, const char *fmt, ...)
{
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof err->msg)
        snprintf(err->msg + n, sizeof err->msg - (size_t)n, ": %s", strerror(saved));
    errno = saved;
    return -1;
}

int mr_wrap(mr_err *err, const char *fmt, ...)
{
    char old[sizeof err->msg];
    memcpy(old, err->msg, sizeof old);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    /* Append ": old", truncating the old message rather than the new context. */
    size_t used = strlen(err->msg);
    if (used + 3 < sizeof err->msg) {
        size_t n = strnlen(old, sizeof err->msg - used - 3);
        memcpy(err->msg + used, ": ", 2);
        memcpy(err->msg + used + 2, old, n);
        err->msg[used + 2 + n] = '\0';
    }
    return -1;
}

void mr_err_clear(mr_err *err)
{
    err->msg[0] = '\0';
}
