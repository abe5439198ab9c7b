/* diff logic (added, removed, changed, moved, renames) and extract's safety. */
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

#include "build.h"
#include "compare.h"
#include "extract.h"
#include "testfiles.h"

static uint8_t *build(const char *dir, size_t *len)
{
    mr_err err = {{0}};
    mr_scan_opts o = {0};
    uint8_t *p = NULL;
    if (mr_build_memory(dir, &o, &p, len, &err))
        fail_msg("build %s: %s", dir, err.msg);
    return p;
}

static const mr_diff_item *find(const mr_diff *d, mr_diff_kind k, const char *path)
{
    for (size_t i = 0; i < d->count; i++) {
        const mr_diff_item *it = &d->items[i];
        const char *p = it->b ? it->b->path : it->a->path;
        if (it->kind == k && strcmp(p, path) == 0)
            return it;
    }
    return NULL;
}

static void diff_kinds(void **state)
{
    (void)state;
    char *t = tf_tmpdir();
    char a[4096], b[4096];
    snprintf(a, sizeof a, "%s/a", t);
    snprintf(b, sizeof b, "%s/b", t);
    tf_write(a, "keep.txt", "same", 4);
    tf_write(a, "grow.txt", "1234", 4);
    tf_write(a, "gone.txt", "bye", 3);
    tf_write(a, "old/name.bin", "renamed data", 12);
    tf_write(a, "x", "file", 4);
    tf_write(b, "keep.txt", "same", 4);
    tf_write(b, "grow.txt", "12345", 5);
    tf_write(b, "new.txt", "hello", 5);
    tf_write(b, "newdir/name.bin", "renamed data", 12);
    tf_write(b, "x/inner", "now a dir", 9);
    size_t la, lb;
    uint8_t *ia = build(a, &la), *ib = build(b, &lb);
    mr_image A, B;
    mr_err err = {{0}};
    assert_int_equal(mr_image_parse(&A, ia, la, &err), 0);
    assert_int_equal(mr_image_parse(&B, ib, lb, &err), 0);
    mr_diff d;
    assert_int_equal(mr_compare(&A, &B, &d, &err), 0);
    assert_non_null(find(&d, MR_DIFF_CHANGED, "grow.txt"));
    assert_non_null(find(&d, MR_DIFF_REMOVED, "gone.txt"));
    assert_non_null(find(&d, MR_DIFF_ADDED, "new.txt"));
    const mr_diff_item *mv = find(&d, MR_DIFF_MOVED, "newdir/name.bin");
    assert_non_null(mv);
    assert_string_equal(mv->a->path, "old/name.bin");
    assert_non_null(find(&d, MR_DIFF_CHANGED, "x")); /* file -> directory */
    assert_non_null(find(&d, MR_DIFF_ADDED, "x/inner"));
    assert_non_null(find(&d, MR_DIFF_REMOVED, "old"));
    assert_non_null(find(&d, MR_DIFF_ADDED, "newdir"));
    /* keep.txt has the same bytes, but gone.txt (before it) vanished: a new offset */
    assert_non_null(find(&d, MR_DIFF_MOVED, "keep.txt"));
    assert_int_equal(d.same, 0);
    mr_diff_free(&d);
    /* an image against itself */
    assert_int_equal(mr_compare(&A, &A, &d, &err), 0);
    assert_int_equal(d.count, 0);
    assert_int_equal(d.same, A.count);
    mr_diff_free(&d);
    mr_image_free(&A);
    mr_image_free(&B);
    free(ia);
    free(ib);
    tf_rmrf(t);
    free(t);
}

static void extract_round_trip_and_refusals(void **state)
{
    (void)state;
    char *t = tf_tmpdir();
    char src[4096], out[4200], cmd[9000];
    snprintf(src, sizeof src, "%s/src", t);
    tf_write(src, "a/b/c.bin", "\0\1\2\3", 4);
    tf_write(src, "empty", "", 0);
    snprintf(out, sizeof out, "%s/empty_dir", src);
    mkdir(out, 0755);
    size_t len;
    uint8_t *img_bytes = build(src, &len);
    mr_image img;
    mr_err err = {{0}};
    assert_int_equal(mr_image_parse(&img, img_bytes, len, &err), 0);
    snprintf(out, sizeof out, "%s/out", t);
    assert_int_equal(mr_extract(&img, out, &err), 0);
    snprintf(cmd, sizeof cmd, "diff -r '%s' '%s'", src, out);
    assert_int_equal(system(cmd), 0);
    /* not into a non-empty directory, not over a file */
    assert_int_equal(mr_extract(&img, out, &err), -1);
    assert_non_null(strstr(err.msg, "is not empty"));
    snprintf(out, sizeof out, "%s/src/empty", t);
    assert_int_equal(mr_extract(&img, out, &err), -1);
    assert_non_null(strstr(err.msg, "is not a directory"));
    mr_image_free(&img);
    free(img_bytes);

    /* duplicates: refused, nothing created */
    static const uint8_t dup[] = {0xd2, 0xcd, 0x31, 0x80, 0x0c, 5, 4, 1, 'a', 2, 0, 5, 4, 1, 'a', 2, 0};
    assert_int_equal(mr_image_parse(&img, dup, sizeof dup, &err), 0);
    snprintf(out, sizeof out, "%s/dup", t);
    assert_int_equal(mr_extract(&img, out, &err), -1);
    assert_non_null(strstr(err.msg, "duplicate name 'a'"));
    assert_int_equal(access(out, F_OK), -1);
    mr_image_free(&img);
    tf_rmrf(t);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(diff_kinds),
        cmocka_unit_test(extract_round_trip_and_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
