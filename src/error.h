/* Errors are values: a function that can fail returns 0 on success or -1 with a
 * message in *err that a user can act on (what failed, on which path or offset,
 * and what to do). Messages never end with a newline. */
#ifndef MR_ERROR_H
#define MR_ERROR_H

#include <stddef.h>

typedef struct mr_err {
    char msg[1024];
} mr_err;

#if defined(__GNUC__)
#define MR_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define MR_PRINTF(a, b)
#endif

/* Set the message; returns -1 so that `return mr_fail(err, ...)` reads naturally. */
int mr_fail(mr_err *err, const char *fmt, ...) MR_PRINTF(2, 3);
/* As mr_fail, then ": strerror(errno)" with the errno at the time of the call. */
int mr_fail_errno(mr_err *err, const char *fmt, ...) MR_PRINTF(2, 3);
/* Prefix the existing message with more context: "context: old message". */
int mr_wrap(mr_err *err, const char *fmt, ...) MR_PRINTF(2, 3);
void mr_err_clear(mr_err *err);

#endif
