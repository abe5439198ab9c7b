#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "path_glob.h"

static bool m(const char *pattern, const char *path)
{
    mr_glob g;
    mr_err err;
    if (mr_glob_compile(&g, pattern, &err) != 0)
        fail_msg("compile '%s': %s", pattern, err.msg);
    bool r = mr_glob_match(&g, path);
    mr_glob_free(&g);
    return r;
}

static void star_stays_in_component(void **state)
{
    (void)state;
    assert_true(m("lib/*.mpy", "lib/a.mpy"));
    assert_false(m("lib/*.mpy", "lib/net/a.mpy"));
    assert_false(m("lib/*.mpy", "x/lib/a.mpy")); /* anchored: has a '/' */
    assert_true(m("/lib/*.mpy", "lib/a.mpy"));   /* leading '/' ignored */
    assert_true(m("lib/*", "lib/"));
    assert_false(m("*/x", "a/b/x"));
}

static void basename_patterns_match_anywhere(void **state)
{
    (void)state;
    assert_true(m("*.tflite", "m.tflite"));
    assert_true(m("*.tflite", "models/deep/m.tflite"));
    assert_false(m("*.tflite", "models.tflite/m.bin"));
    assert_true(m("main.py", "main.py"));
    assert_true(m("main.py", "a/main.py"));
    assert_false(m("main.py", "amain.py"));
}

static void double_star_crosses_components(void **state)
{
    (void)state;
    assert_true(m("a/**/b", "a/b"));
    assert_true(m("a/**/b", "a/x/b"));
    assert_true(m("a/**/b", "a/x/y/b"));
    assert_false(m("a/**/b", "a/xb"));
    assert_true(m("**/*.bin", "x.bin"));
    assert_true(m("**/*.bin", "d/e/x.bin"));
    assert_true(m("data/**", "data/x/y"));
    assert_false(m("data/**", "database/x"));
    assert_true(m("**", "anything/at/all"));
}

static void question_and_classes(void **state)
{
    (void)state;
    assert_true(m("f?.bin", "f1.bin"));
    assert_false(m("f?.bin", "f12.bin"));
    assert_false(m("a?b/c", "a/b/c"));
    assert_true(m("[a-c]x", "bx"));
    assert_false(m("[a-c]x", "dx"));
    assert_true(m("[!a-c]x", "dx"));
    assert_true(m("[^a-c]x", "dx"));
    assert_true(m("[]]", "]"));
    assert_true(m("[a-]", "-"));
    assert_true(m("\\*", "*"));
    assert_false(m("\\*", "a"));
}

static void star_runs_stay_linear(void **state)
{
    (void)state;
    /* The classic exponential case for backtracking matchers. */
    char path[201];
    memset(path, 'a', 200);
    path[200] = '\0';
    assert_false(m("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", path));
    assert_true(m("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a", path));
}

static void bad_globs_are_errors(void **state)
{
    (void)state;
    const char *bad[] = {"", "/", "[abc", "a\\", "***", "a**", "**b/c", "[z-a]", "[a/b]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mr_glob g;
        mr_err err;
        if (mr_glob_compile(&g, bad[i], &err) == 0)
            fail_msg("'%s' compiled", bad[i]);
        assert_true(strlen(err.msg) > 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(star_stays_in_component),
        cmocka_unit_test(basename_patterns_match_anywhere),
        cmocka_unit_test(double_star_crosses_components),
        cmocka_unit_test(question_and_classes),
        cmocka_unit_test(star_runs_stay_linear),
        cmocka_unit_test(bad_globs_are_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
