/* Running mpy-cross: the test double tests/lib/fake-mpy-cross.sh through $MPY_CROSS,
 * then the real compiler when one is on PATH. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mpy_cross.h"

static char dir[64];
static char fake[512];

static void write_file(const char *name, const char *text)
{
    char p[128];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/mpromfs-mpy.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    /* the test binary runs from the repository root (tests/run.sh) or its build dir */
    const char *root = getenv("MPROMFS_ROOT");
    snprintf(fake, sizeof fake, "%s/tests/lib/fake-mpy-cross.sh", root ? root : ".");
    if (access(fake, X_OK) != 0)
        return -1;
    write_file("good.py", "print('hi')\n");
    write_file("bad.py", "x = 1\ndef (:  # FAKE_MPY_CROSS_FAIL\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

static void fake_compiles_with_args(void **state)
{
    (void)state;
    setenv("MPY_CROSS", fake, 1);
    char log[128], src[128], out[128];
    snprintf(log, sizeof log, "%s/calls.log", dir);
    setenv("FAKE_MPY_CROSS_LOG", log, 1);
    mr_mpy_cross mc;
    bool found;
    mr_err err;
    assert_int_equal(mr_mpy_cross_find(&mc, " -march=armv7emsp  -O2 ", &found, &err), 0);
    assert_true(found);
    assert_int_equal(mc.nextra, 2);
    snprintf(src, sizeof src, "%s/good.py", dir);
    snprintf(out, sizeof out, "%s/out.mpy", dir);
    assert_int_equal(mr_mpy_cross_compile(&mc, src, "lib/good.py", out, &err), 0);
    FILE *f = fopen(out, "rb");
    assert_non_null(f);
    unsigned char h[4];
    assert_int_equal(fread(h, 1, 4, f), 4);
    fclose(f);
    assert_int_equal(h[0], 'M');
    assert_int_equal(h[1], 6);
    assert_int_equal(h[2] >> 2, 7); /* armv7emsp reached the compiler */
    f = fopen(log, "r");
    char line[512] = "";
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    assert_non_null(strstr(line, "-march=armv7emsp -O2 -o"));
    assert_non_null(strstr(line, "-s lib/good.py"));
    mr_mpy_cross_free(&mc);
    unsetenv("FAKE_MPY_CROSS_LOG");
}

static void compile_error_carries_message(void **state)
{
    (void)state;
    setenv("MPY_CROSS", fake, 1);
    mr_mpy_cross mc;
    bool found;
    mr_err err;
    assert_int_equal(mr_mpy_cross_find(&mc, NULL, &found, &err), 0);
    char src[128], out[128];
    snprintf(src, sizeof src, "%s/bad.py", dir);
    snprintf(out, sizeof out, "%s/bad.mpy", dir);
    assert_int_equal(mr_mpy_cross_compile(&mc, src, "bad.py", out, &err), -1);
    assert_non_null(strstr(err.msg, "mpy-cross could not compile"));
    assert_non_null(strstr(err.msg, "bad.py (exit status 1)"));
    assert_non_null(strstr(err.msg, "line 2"));
    assert_non_null(strstr(err.msg, "SyntaxError"));
    mr_mpy_cross_free(&mc);
}

static void bad_env_and_missing(void **state)
{
    (void)state;
    mr_mpy_cross mc;
    bool found;
    mr_err err;
    setenv("MPY_CROSS", "/nonexistent/mpy-cross", 1);
    assert_int_equal(mr_mpy_cross_find(&mc, NULL, &found, &err), -1);
    assert_non_null(strstr(err.msg, "MPY_CROSS=/nonexistent/mpy-cross is not an executable file"));
    unsetenv("MPY_CROSS");
    char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
    setenv("PATH", dir, 1);
    assert_int_equal(mr_mpy_cross_find(&mc, NULL, &found, &err), 0);
    assert_false(found);
    if (old) {
        setenv("PATH", old, 1);
        free(old);
    }
}

static void real_compiler_when_present(void **state)
{
    (void)state;
    unsetenv("MPY_CROSS");
    mr_mpy_cross mc;
    bool found;
    mr_err err;
    assert_int_equal(mr_mpy_cross_find(&mc, NULL, &found, &err), 0);
    if (!found)
        skip(); /* no mpy-cross on PATH here */
    char src[128], out[128];
    snprintf(src, sizeof src, "%s/good.py", dir);
    snprintf(out, sizeof out, "%s/real.mpy", dir);
    assert_int_equal(mr_mpy_cross_compile(&mc, src, "good.py", out, &err), 0);
    write_file("syntax.py", "def (:\n");
    snprintf(src, sizeof src, "%s/syntax.py", dir);
    assert_int_equal(mr_mpy_cross_compile(&mc, src, "syntax.py", out, &err), -1);
    assert_non_null(strstr(err.msg, "SyntaxError"));
    mr_mpy_cross_free(&mc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fake_compiles_with_args),
        cmocka_unit_test(compile_error_carries_message),
        cmocka_unit_test(bad_env_and_missing),
        cmocka_unit_test(real_compiler_when_present),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
