/* The local pane's model: listing, build marks, navigation, sorting, search. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "testfiles.h"
#include "tui/model_local.h"

static char *make_tree(void)
{
    char *d = tf_tmpdir();
    assert_non_null(d);
    assert_int_equal(tf_write(d, "b.py", "x = 1\n", 6), 0);
    assert_int_equal(tf_write(d, "a.py", "y = 2\n", 6), 0);
    assert_int_equal(tf_write(d, "a.mpy", "M\x06\x00\x1f", 4), 0);
    assert_int_equal(tf_write(d, "big.bin", "0123456789", 10), 0);
    assert_int_equal(tf_write(d, "Z.txt", "", 0), 0);
    assert_int_equal(tf_write(d, "caf\xc3\xa9.txt", "c", 1), 0);
    assert_int_equal(tf_write(d, "lib/x.py", "pass\n", 5), 0);
    assert_int_equal(tf_write(d, "lib/deep/y.py", "pass\n", 5), 0);
    char fifo[4096];
    snprintf(fifo, sizeof fifo, "%s/pipe", d);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    return d;
}

static size_t index_of(const tui_local *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].name, name) == 0)
            return i;
    fail_msg("%s is not listed", name);
    return 0;
}

static void lists_with_marks(void **state)
{
    (void)state;
    char *d = make_tree();
    tui_local m;
    tui_local_init(&m);
    m.compile_mpy = true;
    mr_err err;
    assert_int_equal(tui_local_open(&m, d, &err), 0);
    /* "..", then directories, then files in code-point order */
    assert_string_equal(m.v[0].name, "..");
    assert_int_equal(m.v[0].mark, TUI_MARK_UP);
    assert_string_equal(m.v[1].name, "lib");
    assert_true(m.v[1].is_dir);
    assert_string_equal(m.v[2].name, "Z.txt");
    assert_string_equal(m.v[3].name, "a.mpy");
    assert_int_equal(m.n, 9);
    assert_int_equal(m.nfiles, 7);
    assert_int_equal(m.ndirs, 1);
    /* a.py has a sibling a.mpy, so the build keeps the .mpy and a.py as is */
    assert_int_equal(m.v[index_of(&m, "a.py")].mark, TUI_MARK_NONE);
    assert_int_equal(m.v[index_of(&m, "b.py")].mark, TUI_MARK_MPY);
    assert_int_equal(m.v[index_of(&m, "caf\xc3\xa9.txt")].mark, TUI_MARK_BADNAME);
    assert_int_equal(m.v[index_of(&m, "pipe")].mark, TUI_MARK_SKIP);
    assert_int_equal(m.v[index_of(&m, "big.bin")].size, 10);
    /* without a compiler nothing is compiled */
    m.compile_mpy = false;
    assert_int_equal(tui_local_reload(&m, &err), 0);
    assert_int_equal(m.v[index_of(&m, "b.py")].mark, TUI_MARK_NONE);
    tui_local_free(&m);
    tf_rmrf(d);
    free(d);
}

static void build_mark_rules(void **state)
{
    (void)state;
    assert_int_equal(tui_build_mark("x.py", false, true, false, true), TUI_MARK_MPY);
    assert_int_equal(tui_build_mark("x.py", false, true, true, true), TUI_MARK_NONE);
    assert_int_equal(tui_build_mark(".py", false, true, false, true), TUI_MARK_NONE);
    assert_int_equal(tui_build_mark("pkg.py", true, false, false, true), TUI_MARK_NONE);
    assert_int_equal(tui_build_mark("a\tb", false, true, false, true), TUI_MARK_BADNAME);
    assert_int_equal(tui_build_mark("sock", false, false, false, true), TUI_MARK_SKIP);
}

static void walks_down_and_up(void **state)
{
    (void)state;
    char *d = make_tree();
    tui_local m;
    tui_local_init(&m);
    mr_err err;
    assert_int_equal(tui_local_open(&m, d, &err), 0);
    char *real = realpath(d, NULL);
    /* a file is not entered */
    m.cur.cur = index_of(&m, "big.bin");
    assert_int_equal(tui_local_enter(&m, &err), 0);
    m.cur.cur = index_of(&m, "lib");
    assert_int_equal(tui_local_enter(&m, &err), 1);
    assert_int_equal(m.cur.cur, 0);
    assert_string_equal(m.v[1].name, "deep");
    m.cur.cur = 1;
    assert_int_equal(tui_local_enter(&m, &err), 1);
    /* up lands on the directory we came from */
    assert_int_equal(tui_local_up(&m, &err), 1);
    assert_string_equal(m.v[m.cur.cur].name, "deep");
    /* ".." works like Backspace */
    m.cur.cur = 0;
    assert_int_equal(tui_local_enter(&m, &err), 1);
    assert_string_equal(m.dir, real);
    assert_string_equal(m.v[m.cur.cur].name, "lib");
    /* a directory that cannot be read leaves the model as it was */
    assert_int_equal(tui_local_open(&m, "/nonexistent/dir", &err), -1);
    assert_non_null(strstr(err.msg, "/nonexistent/dir"));
    assert_string_equal(m.dir, real);
    free(real);
    tui_local_free(&m);
    tf_rmrf(d);
    free(d);
}

static void sorts_keep_the_cursor(void **state)
{
    (void)state;
    char *d = make_tree();
    tui_local m;
    tui_local_init(&m);
    mr_err err;
    assert_int_equal(tui_local_open(&m, d, &err), 0);
    m.cur.cur = index_of(&m, "b.py");
    tui_local_set_sort(&m, TUI_SORT_SIZE, false);
    /* largest file first, directories still first, cursor still on b.py */
    assert_string_equal(m.v[0].name, "..");
    assert_string_equal(m.v[1].name, "lib");
    assert_string_equal(m.v[2].name, "big.bin");
    assert_string_equal(m.v[m.cur.cur].name, "b.py");
    /* equal sizes fall back to the name */
    assert_true(index_of(&m, "a.py") < index_of(&m, "b.py"));
    tui_local_set_sort(&m, TUI_SORT_NAME, true);
    assert_string_equal(m.v[0].name, "..");
    assert_string_equal(m.v[2].name, "pipe");
    assert_string_equal(m.v[m.n - 1].name, "Z.txt");
    assert_string_equal(m.v[m.cur.cur].name, "b.py");
    tui_local_free(&m);
    tf_rmrf(d);
    free(d);
}

static void search_wraps_and_ignores_case(void **state)
{
    (void)state;
    char *d = make_tree();
    tui_local m;
    tui_local_init(&m);
    mr_err err;
    assert_int_equal(tui_local_open(&m, d, &err), 0);
    m.cur.cur = index_of(&m, "big.bin");
    size_t hit = tui_local_search(&m, "Z.T", 1);
    assert_string_equal(m.v[hit].name, "Z.txt"); /* wrapped to the top */
    /* forward from big.bin wraps past the top; a.mpy does not contain ".py" */
    hit = tui_local_search(&m, ".PY", 1);
    assert_string_equal(m.v[hit].name, "a.py");
    m.cur.cur = hit;
    /* backward from a.py wraps past the top to the bottom and up to b.py */
    hit = tui_local_search(&m, ".py", -1);
    assert_string_equal(m.v[hit].name, "b.py");
    assert_int_equal(tui_local_search(&m, "nothing-like-this", 1), m.n);
    tui_local_free(&m);
    tf_rmrf(d);
    free(d);
}

static void ten_thousand_files(void **state)
{
    (void)state;
    char *d = tf_tmpdir();
    char name[64];
    for (int i = 0; i < 10000; i++) {
        snprintf(name, sizeof name, "f%05d.py", i);
        assert_int_equal(tf_write(d, name, "", 0), 0);
    }
    tui_local m;
    tui_local_init(&m);
    mr_err err;
    assert_int_equal(tui_local_open(&m, d, &err), 0);
    assert_int_equal(m.n, 10001);
    assert_string_equal(m.v[10000].name, "f09999.py");
    /* types are only looked up when asked: none were */
    for (size_t i = 0; i < m.n; i++)
        assert_null(m.v[i].type);
    tui_cursor_set(&m.cur, m.n, m.n - 1);
    tui_cursor_scroll(&m.cur, m.n, 20);
    assert_int_equal(m.cur.top, m.n - 20);
    tui_local_free(&m);
    tf_rmrf(d);
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lists_with_marks),       cmocka_unit_test(build_mark_rules),
        cmocka_unit_test(walks_down_and_up),      cmocka_unit_test(sorts_keep_the_cursor),
        cmocka_unit_test(search_wraps_and_ignores_case), cmocka_unit_test(ten_thousand_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
