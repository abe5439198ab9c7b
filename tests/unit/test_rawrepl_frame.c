/* The raw REPL reply parser on scripted byte streams, fed whole and in every split. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rawrepl_frame.h"

/* Feed s in pieces of `step` bytes; returns the final feed result. */
static int feed_in_steps(mr_frame *f, const char *s, size_t n, size_t step, size_t *consumed,
                         mr_err *err)
{
    size_t pos = 0;
    int rc = 0;
    while (pos < n) {
        size_t k = n - pos < step ? n - pos : step, used = 0;
        rc = mr_frame_feed(f, (const uint8_t *)s + pos, k, &used, err);
        pos += used;
        if (rc != 0)
            break;
        assert_int_equal(used, k);
    }
    *consumed = pos;
    return rc;
}

static void plain_reply_any_split(void **state)
{
    (void)state;
    const char reply[] = "OK42\r\n\x04\x04>next";
    size_t n = sizeof reply - 1;
    for (size_t step = 1; step <= n; step++) {
        mr_frame f;
        mr_err err;
        size_t used;
        mr_frame_init(&f, true, 100);
        assert_int_equal(feed_in_steps(&f, reply, n, step, &used, &err), 1);
        assert_int_equal(used, n - 4); /* "next" is left for what follows */
        assert_int_equal(f.out_len, 4);
        assert_string_equal((char *)f.out, "42\r\n");
        assert_int_equal(f.err_len, 0);
        mr_frame_free(&f);
    }
}

static void paste_reply_with_traceback(void **state)
{
    (void)state;
    const char reply[] = "partial\x04Traceback (most recent call last):\r\n  File \"<stdin>\", "
                         "line 1\r\nOSError: [Errno 22] EINVAL\r\n\x04>";
    mr_frame f;
    mr_err err;
    size_t used;
    mr_frame_init(&f, false, 100);
    assert_int_equal(feed_in_steps(&f, reply, sizeof reply - 1, 7, &used, &err), 1);
    assert_string_equal((char *)f.out, "partial");
    assert_non_null(strstr((char *)f.errtxt, "OSError: [Errno 22] EINVAL"));
    mr_frame_free(&f);
}

static void stray_prompt_before_ok(void **state)
{
    (void)state;
    mr_frame f;
    mr_err err;
    size_t used;
    mr_frame_init(&f, true, 100);
    assert_int_equal(feed_in_steps(&f, ">OK\x04\x04>", 7, 3, &used, &err), 1);
    mr_frame_free(&f);
}

static void garbage_is_named(void **state)
{
    (void)state;
    mr_frame f;
    mr_err err;
    size_t used;
    mr_frame_init(&f, true, 100);
    assert_int_equal(feed_in_steps(&f, ">>> hello\x01", 10, 4, &used, &err), -1);
    assert_non_null(strstr(err.msg, "where OK was expected"));
    mr_frame_free(&f);
    mr_frame_init(&f, true, 100);
    assert_int_equal(feed_in_steps(&f, "Ox", 2, 1, &used, &err), -1);
    assert_non_null(strstr(err.msg, "\"x\""));
    mr_frame_free(&f);
    /* something other than the prompt after the second \x04 */
    mr_frame_init(&f, true, 100);
    assert_int_equal(feed_in_steps(&f, "OK1\x04\x04raw", 8, 8, &used, &err), -1);
    assert_non_null(strstr(err.msg, "prompt"));
    mr_frame_free(&f);
}

static void absurd_length_is_refused(void **state)
{
    (void)state;
    mr_frame f;
    mr_err err;
    size_t used;
    char big[5000];
    memset(big, 'A', sizeof big);
    mr_frame_init(&f, false, 1000);
    assert_int_equal(feed_in_steps(&f, big, sizeof big, 300, &used, &err), -1);
    assert_non_null(strstr(err.msg, "longer than the 1000 bytes"));
    mr_frame_free(&f);
    /* exactly at the limit is fine */
    mr_frame_init(&f, false, 1000);
    big[1000] = 4;
    big[1001] = 4;
    big[1002] = '>';
    assert_int_equal(feed_in_steps(&f, big, 1003, 1003, &used, &err), 1);
    assert_int_equal(f.out_len, 1000);
    mr_frame_free(&f);
    /* an endless traceback too */
    mr_frame_init(&f, false, 10);
    static char tb[MR_FRAME_ERR_MAX + 10];
    memset(tb, 'E', sizeof tb);
    tb[0] = 4;
    assert_int_equal(feed_in_steps(&f, tb, sizeof tb, 4096, &used, &err), -1);
    mr_frame_free(&f);
}

static void paste_negotiation(void **state)
{
    (void)state;
    uint16_t w = 0;
    size_t used;
    assert_int_equal(mr_paste_classify((const uint8_t *)"", 0, &w, &used), MR_PASTE_NEED_MORE);
    assert_int_equal(mr_paste_classify((const uint8_t *)"R", 1, &w, &used), MR_PASTE_NEED_MORE);
    assert_int_equal(mr_paste_classify((const uint8_t *)"R\x01\x80", 3, &w, &used), MR_PASTE_NEED_MORE);
    assert_int_equal(mr_paste_classify((const uint8_t *)"R\x01\x80\x00\x01", 5, &w, &used),
                     MR_PASTE_SUPPORTED);
    assert_int_equal(w, 128);
    assert_int_equal(used, 4);
    assert_int_equal(mr_paste_classify((const uint8_t *)"R\x01\x00\x01", 4, &w, &used),
                     MR_PASTE_SUPPORTED);
    assert_int_equal(w, 256);
    assert_int_equal(mr_paste_classify((const uint8_t *)"R\x01\x00\x00", 4, &w, &used), MR_PASTE_GARBAGE);
    assert_int_equal(mr_paste_classify((const uint8_t *)"R\x00", 2, &w, &used), MR_PASTE_UNSUPPORTED);
    assert_int_equal(mr_paste_classify((const uint8_t *)"R\x07", 2, &w, &used), MR_PASTE_GARBAGE);
    assert_int_equal(mr_paste_classify((const uint8_t *)"raw RE", 6, &w, &used), MR_PASTE_NEED_MORE);
    assert_int_equal(mr_paste_classify((const uint8_t *)MR_RAW_BANNER ">", 27, &w, &used),
                     MR_PASTE_OLD_BOARD);
    assert_int_equal(used, 26);
    assert_int_equal(mr_paste_classify((const uint8_t *)"OK", 2, &w, &used), MR_PASTE_GARBAGE);
}

static void escape_for_messages(void **state)
{
    (void)state;
    char out[32];
    mr_escape_bytes((const uint8_t *)"a\r\n\x04\\", 5, out, sizeof out);
    assert_string_equal(out, "a\\r\\n\\x04\\\\");
    mr_escape_bytes((const uint8_t *)"0123456789012345678901234567890123456789", 40, out, 16);
    assert_string_equal(out, "012345678901...");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_reply_any_split),   cmocka_unit_test(paste_reply_with_traceback),
        cmocka_unit_test(stray_prompt_before_ok),  cmocka_unit_test(garbage_is_named),
        cmocka_unit_test(absurd_length_is_refused), cmocka_unit_test(paste_negotiation),
        cmocka_unit_test(escape_for_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
