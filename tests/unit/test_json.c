#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"

static void parses_objects_arrays_scalars(void **state)
{
    (void)state;
    const char *t = "{\"a\": [1, -2.5e3, true, false, null, \"x\\n\\u00e9\\ud83d\\ude00\"], \"b\": {}}";
    mr_json v;
    mr_err err;
    assert_int_equal(mr_json_parse(&v, t, strlen(t), &err), 0);
    const mr_json *a = mr_json_get(&v, "a");
    assert_non_null(a);
    assert_int_equal(a->n, 6);
    uint64_t x;
    assert_int_equal(mr_json_u64(&a->items[0], &x), 0);
    assert_int_equal(x, 1);
    assert_int_equal(mr_json_u64(&a->items[1], &x), -1);
    assert_true(a->items[2].boolean);
    assert_int_equal(a->items[4].type, MR_JSON_NULL);
    assert_string_equal(a->items[5].str, "x\n\xc3\xa9\xf0\x9f\x98\x80");
    assert_int_equal(mr_json_get(&v, "b")->type, MR_JSON_OBJECT);
    assert_null(mr_json_get(&v, "c"));
    mr_json_free(&v);
}

static void expect_error(const char *t, const char *want)
{
    mr_json v;
    mr_err err;
    if (mr_json_parse(&v, t, strlen(t), &err) == 0)
        fail_msg("'%s' accepted", t);
    if (!strstr(err.msg, want))
        fail_msg("'%s': '%s' lacks '%s'", t, err.msg, want);
}

static void rejects_what_is_not_json(void **state)
{
    (void)state;
    expect_error("{\"a\":1,}", "line 1, column 8: expected a \"key\"");
    expect_error("[1,]", "expected a value");
    expect_error("{\"a\":1,\n \"a\":2}", "line 2, column 2: duplicate key \"a\"");
    expect_error("01", "unexpected text after");
    expect_error("\"\\x\"", "unknown escape");
    expect_error("\"\\ud800\"", "unpaired UTF-16 surrogate");
    expect_error("\"\\u0000\"", "NUL");
    expect_error("\"a\xff\"", "invalid UTF-8");
    expect_error("\"a\nb\"", "control character");
    expect_error("{\"a\" 1}", "expected ':'");
    expect_error("tru", "expected a value");
    expect_error("", "unexpected end");
    expect_error("// comment\n{}", "expected a value");
    char deep[201];
    memset(deep, '[', 100);
    memset(deep + 100, 0x5d, 100);
    deep[200] = 0;
    expect_error(deep, "nested too deeply");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_objects_arrays_scalars),
        cmocka_unit_test(rejects_what_is_not_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
