#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "align_rules.h"

static void last_match_wins(void **state)
{
    (void)state;
    mr_align_rules r;
    mr_err err;
    mr_align_rules_init(&r);
    assert_int_equal(mr_align_rules_add_arg(&r, "4", &err), 0);
    assert_int_equal(mr_align_rules_add_arg(&r, "*.tflite=16", &err), 0);
    assert_int_equal(mr_align_rules_add_arg(&r, "lib/*.mpy=0x20", &err), 0);
    const mr_align_rule *rule;
    assert_int_equal(mr_align_rules_lookup(&r, "m/x.tflite", &rule), 16);
    assert_string_equal(rule->pattern, "*.tflite");
    assert_int_equal(mr_align_rules_lookup(&r, "lib/a.mpy", NULL), 32);
    assert_int_equal(mr_align_rules_lookup(&r, "lib/x/a.mpy", NULL), 4);
    assert_int_equal(mr_align_rules_lookup(&r, "main.py", &rule), 4);
    assert_null(rule->pattern);
    /* a later catch-all overrides everything before it */
    assert_int_equal(mr_align_rules_add_arg(&r, "1", &err), 0);
    assert_int_equal(mr_align_rules_lookup(&r, "m/x.tflite", NULL), 1);
    mr_align_rules_free(&r);
}

static void no_rules_means_one(void **state)
{
    (void)state;
    mr_align_rules r;
    mr_align_rules_init(&r);
    const mr_align_rule *rule = (const mr_align_rule *)&r;
    assert_int_equal(mr_align_rules_lookup(&r, "a", &rule), 1);
    assert_null(rule);
}

static void expect_arg_error(const char *arg, const char *text)
{
    mr_align_rules r;
    mr_err err;
    mr_align_rules_init(&r);
    if (mr_align_rules_add_arg(&r, arg, &err) == 0)
        fail_msg("'%s' accepted", arg);
    if (!strstr(err.msg, text))
        fail_msg("'%s': message '%s' lacks '%s'", arg, err.msg, text);
    assert_int_equal(r.n, 0);
    mr_align_rules_free(&r);
}

static void bad_arguments(void **state)
{
    (void)state;
    expect_arg_error("3", "not a power of two");
    expect_arg_error("0", "not a power of two");
    expect_arg_error("*.bin=24", "not a power of two");
    expect_arg_error("131072", "larger than 65536");
    expect_arg_error("*.bin=", "missing alignment");
    expect_arg_error("=16", "missing glob");
    expect_arg_error("[x=16", "no closing ']'");
    expect_arg_error("x=16k", "not a number");
    expect_arg_error("99999999999999999999999", "too large");
}

static void erase_unit_caps(void **state)
{
    (void)state;
    mr_align_rules r;
    mr_err err;
    mr_align_rules_init(&r);
    assert_int_equal(mr_align_rules_add_arg(&r, "*.bin=8192", &err), 0);
    assert_int_equal(mr_align_rules_check_max(&r, 65536, "the erase unit", &err), 0);
    assert_int_equal(mr_align_rules_check_max(&r, 4096, "the erase unit", &err), -1);
    assert_non_null(strstr(err.msg, "--align *.bin=8192: alignment 8192 is larger than the erase unit (4096 bytes)"));
    mr_align_rules_free(&r);
}

static void layout_file(void **state)
{
    (void)state;
    const char *text = "# models first\n"
                       "\n"
                       "*.tflite   align=16   # Ethos-U\n"
                       "  data/**/*.bin align=0x40\r\n"
                       "lib/*.mpy align=4";
    mr_align_rules r;
    mr_err err;
    mr_align_rules_init(&r);
    assert_int_equal(mr_align_rules_parse_layout(&r, "layout.txt", text, strlen(text), &err), 0);
    assert_int_equal(r.n, 3);
    assert_string_equal(r.v[1].origin, "layout.txt:4");
    assert_int_equal(mr_align_rules_lookup(&r, "data/a/b/x.bin", NULL), 64);
    assert_int_equal(mr_align_rules_lookup(&r, "data/x.bin", NULL), 64);
    assert_int_equal(mr_align_rules_lookup(&r, "z.tflite", NULL), 16);
    assert_int_equal(mr_align_rules_lookup(&r, "lib/a.mpy", NULL), 4);
    mr_align_rules_free(&r);
}

static void expect_layout_error(const char *text, const char *want)
{
    mr_align_rules r;
    mr_err err;
    mr_align_rules_init(&r);
    if (mr_align_rules_parse_layout(&r, "L", text, strlen(text), &err) == 0)
        fail_msg("'%s' accepted", text);
    if (strcmp(err.msg, want) != 0)
        fail_msg("'%s': got '%s', wanted '%s'", text, err.msg, want);
    mr_align_rules_free(&r);
}

static void layout_errors_name_the_line(void **state)
{
    (void)state;
    expect_layout_error("a align=4\n*.bin size=3\n", "L:2: unknown key 'size' (the only key is align=N)");
    expect_layout_error("\n\n*.bin\n", "L:3: '*.bin' has no align=N");
    expect_layout_error("*.bin=16\n", "L:1: '*.bin=16': the glob and align=N must be separated by a space");
    expect_layout_error("*.bin align=5\n", "L:1: alignment 5 is not a power of two (1, 2, 4, ... 65536)");
    expect_layout_error("*.bin align=4 align=8\n", "L:1: align given twice");
    expect_layout_error("*.bin 16\n", "L:1: expected KEY=VALUE after the glob, got '16' (format: GLOB align=N)");
    expect_layout_error("[a align=4\n", "L:1: bad glob '[a': '[' at position 1 has no closing ']'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(last_match_wins),
        cmocka_unit_test(no_rules_means_one),
        cmocka_unit_test(bad_arguments),
        cmocka_unit_test(erase_unit_caps),
        cmocka_unit_test(layout_file),
        cmocka_unit_test(layout_errors_name_the_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
