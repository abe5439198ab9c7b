/* The builder: byte identity with mpremote's images, the tree model, the plan,
 * emit's checks, and every bad input with its message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>

#include <cmocka.h>

#include "build.h"
#include "image.h"
#include "testfiles.h"

static char *untar(const char *name)
{
    char *d = tf_tmpdir();
    assert_non_null(d);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "tar -xf '%s' -C '%s'", tf_golden(name), d);
    assert_int_equal(system(cmd), 0);
    return d;
}

static void golden_identity(void **state)
{
    (void)state;
    const char *names[] = {"basic", "edge"};
    for (size_t i = 0; i < 2; i++) {
        char tar[64], romfs[64], src[4096];
        snprintf(tar, sizeof tar, "%s.tar", names[i]);
        snprintf(romfs, sizeof romfs, "%s.romfs", names[i]);
        char *d = untar(tar);
        snprintf(src, sizeof src, "%s/%s", d, names[i]);
        size_t want_len, got_len;
        uint8_t *want = tf_read(tf_golden(romfs), &want_len);
        uint8_t *got = NULL;
        mr_err err = {{0}};
        mr_scan_opts o = {.mpy = false};
        assert_int_equal(mr_build_memory(src, &o, &got, &got_len, &err), 0);
        assert_int_equal(got_len, want_len);
        assert_memory_equal(got, want, want_len);
        /* and through a file */
        char out[4200];
        snprintf(out, sizeof out, "%s/out.romfs", d);
        mr_tree t;
        mr_plan p;
        assert_int_equal(mr_tree_scan(&t, src, &o, &err), 0);
        assert_int_equal(mr_plan_default(&p, &t, &err), 0);
        assert_int_equal(mr_emit_file(&p, &t, out, &err), 0);
        size_t file_len;
        uint8_t *file = tf_read(out, &file_len);
        assert_int_equal(file_len, want_len);
        assert_memory_equal(file, want, want_len);
        /* the plan is contiguous and its data offsets are where the reader finds the data */
        mr_image img;
        assert_int_equal(mr_image_parse(&img, file, file_len, &err), 0);
        for (size_t k = 1; k < p.count; k++)
            assert_true(p.items[k].offset == p.items[k - 1].offset + p.items[k - 1].len);
        for (size_t k = 0; k < t.count; k++) {
            assert_string_equal(img.entries[k].name, t.nodes[k].name);
            if (!t.nodes[k].is_dir)
                assert_true(p.data_offset[k] == img.entries[k].data_offset);
            assert_true(p.record_size[k] == img.entries[k].record_size);
        }
        mr_image_free(&img);
        mr_plan_free(&p);
        mr_tree_free(&t);
        free(file);
        free(want);
        free(got);
        tf_rmrf(d);
        free(d);
    }
}

static void tree_print_like_mpremote(void **state)
{
    (void)state;
    char *d = untar("basic.tar");
    char src[4096];
    snprintf(src, sizeof src, "%s/basic", d);
    mr_tree t;
    mr_err err = {{0}};
    mr_scan_opts o = {.mpy = true};
    assert_int_equal(mr_tree_scan(&t, src, &o, &err), 0);
    assert_int_equal(t.mpy_missed, 3); /* lib/helper.py, main.py, utils.py */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    mr_tree_print(&t, f);
    fclose(f);
    assert_string_equal(buf, "/\n"
                             "|-- README.txt\n"
                             "|-- data/\n"
                             "|   \\-- config.json\n"
                             "|-- lib/\n"
                             "|   \\-- helper.py\n"
                             "|-- main.py\n"
                             "\\-- utils.py\n");
    free(buf);
    mr_tree_free(&t);
    tf_rmrf(d);
    free(d);
}

static void sorted_like_python(void **state)
{
    (void)state;
    char *d = tf_tmpdir();
    const char *names[] = {"a.py", "_x.py", "Z", "B.py", "0.txt", "ab.py", "a_b.py", "a-b.py"};
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(tf_write(d, names[i], "x", 1), 0);
    /* a sibling .mpy means the .py is not counted as missed */
    assert_int_equal(tf_write(d, "a.mpy", "M\x06\x00\x1f", 4), 0);
    mr_tree t;
    mr_err err = {{0}};
    mr_scan_opts o = {.mpy = true};
    assert_int_equal(mr_tree_scan(&t, d, &o, &err), 0);
    const char *want[] = {"0.txt", "B.py", "Z", "_x.py", "a-b.py", "a.mpy", "a.py", "a_b.py", "ab.py"};
    assert_int_equal(t.count, 9);
    for (size_t i = 0; i < 9; i++)
        assert_string_equal(t.nodes[i].name, want[i]);
    assert_int_equal(t.mpy_missed, 5); /* B.py _x.py a-b.py a_b.py ab.py */
    mr_tree_free(&t);
    tf_rmrf(d);
    free(d);
}

static void expect_scan_error(const char *dir, const char *needle)
{
    mr_tree t;
    mr_err err = {{0}};
    mr_scan_opts o = {.mpy = false};
    if (mr_tree_scan(&t, dir, &o, &err) == 0)
        fail_msg("scan of %s succeeded, wanted '%s'", dir, needle);
    if (!strstr(err.msg, needle))
        fail_msg("scan of %s: '%s', wanted '%s'", dir, err.msg, needle);
}

static void bad_inputs(void **state)
{
    (void)state;
    char *d = tf_tmpdir();
    char p[2048], q[4096];

    snprintf(p, sizeof p, "%s/missing", d);
    expect_scan_error(p, "missing: No such file");

    snprintf(p, sizeof p, "%s/nonascii", d);
    assert_int_equal(tf_write(p, "caf\xc3\xa9.py", "x", 1), 0);
    expect_scan_error(p, "is not ASCII");

    snprintf(p, sizeof p, "%s/fifo", d);
    mkdir(p, 0755);
    snprintf(q, sizeof q, "%s/pipe", p);
    assert_int_equal(mkfifo(q, 0644), 0);
    expect_scan_error(p, "pipe is a fifo");

    snprintf(p, sizeof p, "%s/loop", d);
    mkdir(p, 0755);
    snprintf(q, sizeof q, "%s/self", p);
    assert_int_equal(symlink(".", q), 0);
    expect_scan_error(p, "symlink loop");

    snprintf(p, sizeof p, "%s/loop2", d);
    mkdir(p, 0755);
    snprintf(q, sizeof q, "%s/a", p);
    assert_int_equal(symlink("b", q), 0);
    snprintf(q, sizeof q, "%s/b", p);
    assert_int_equal(symlink("a", q), 0);
    expect_scan_error(p, "symlink loop");

    snprintf(p, sizeof p, "%s/dangling", d);
    mkdir(p, 0755);
    snprintf(q, sizeof q, "%s/gone", p);
    assert_int_equal(symlink("nowhere", q), 0);
    expect_scan_error(p, "dangling symlink");

    snprintf(p, sizeof p, "%s/afile", d);
    assert_int_equal(tf_write(d, "afile", "x", 1), 0);
    expect_scan_error(p, "is not a directory");

    if (geteuid() != 0) { /* root reads anything */
        snprintf(p, sizeof p, "%s/unreadable", d);
        assert_int_equal(tf_write(p, "secret", "x", 1), 0);
        snprintf(q, sizeof q, "%s/secret", p);
        chmod(q, 0);
        expect_scan_error(p, "cannot read");
        chmod(q, 0644);
    }
    tf_rmrf(d);
    free(d);
}

static void changed_size_is_caught(void **state)
{
    (void)state;
    char *d = tf_tmpdir();
    char src[4096], out[4096];
    snprintf(src, sizeof src, "%s/src", d);
    snprintf(out, sizeof out, "%s/out.romfs", d);
    assert_int_equal(tf_write(src, "f.bin", "abcdef", 6), 0);
    mr_tree t;
    mr_plan p;
    mr_err err = {{0}};
    mr_scan_opts o = {0};
    assert_int_equal(mr_tree_scan(&t, src, &o, &err), 0);
    assert_int_equal(mr_plan_default(&p, &t, &err), 0);
    assert_int_equal(tf_write(src, "f.bin", "abcdefgh", 8), 0);
    assert_int_equal(mr_emit_file(&p, &t, out, &err), -1);
    assert_non_null(strstr(err.msg, "f.bin changed size during the build"));
    assert_int_equal(access(out, F_OK), -1); /* no output, no temp file */
    char cmd[8300];
    snprintf(cmd, sizeof cmd, "test -z \"$(ls '%s' | grep tmp)\"", d);
    assert_int_equal(system(cmd), 0);
    mr_plan_free(&p);
    mr_tree_free(&t);
    tf_rmrf(d);
    free(d);
}

static void output_inside_source(void **state)
{
    (void)state;
    char *d = tf_tmpdir();
    char src[4096], out[4200];
    snprintf(src, sizeof src, "%s/src", d);
    assert_int_equal(tf_write(src, "sub/f.bin", "x", 1), 0);
    const char *outs[] = {"/x.romfs", "/sub/x.romfs", "/sub/../y.romfs", ""};
    for (size_t i = 0; i < 4; i++) {
        snprintf(out, sizeof out, "%s%s", src, outs[i]);
        bool inside = false;
        mr_err err = {{0}};
        assert_int_equal(mr_path_inside(out, src, &inside, &err), 0);
        assert_true(inside);
    }
    snprintf(out, sizeof out, "%s/src.romfs", d);
    bool inside = true;
    mr_err err = {{0}};
    assert_int_equal(mr_path_inside(out, src, &inside, &err), 0);
    assert_false(inside);
    snprintf(out, sizeof out, "%s/nodir/x.romfs", d);
    assert_int_equal(mr_path_inside(out, src, &inside, &err), -1);
    tf_rmrf(d);
    free(d);
}

static void full_disk_sink(void **state)
{
    (void)state;
    int fd = open("/dev/full", O_WRONLY);
    if (fd < 0)
        skip();
    mr_fd_sink f;
    mr_fd_sink_init(&f, fd, "img.romfs");
    mr_err err = {{0}};
    static uint8_t big[200000];
    /* small writes are buffered; the failure shows on the flush or the big write */
    int rc = f.base.write(&f.base, big, 10, &err);
    if (rc == 0)
        rc = f.base.write(&f.base, big, sizeof big, &err);
    if (rc == 0)
        rc = mr_fd_sink_finish(&f, &err);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err.msg, "cannot write img.romfs: No space left on device"));
    close(fd);
}

/* The image header's varuint is padded so that the whole image is even. */
static void even_header_padding(void **state)
{
    (void)state;
    char *d = tf_tmpdir();
    mr_err err = {{0}};
    mr_scan_opts o = {0};
    for (size_t size = 0; size < 6; size++) {
        char src[4096];
        snprintf(src, sizeof src, "%s/t%zu", d, size);
        assert_int_equal(tf_write(src, "f", "abcdef", size), 0);
        uint8_t *img;
        size_t len;
        assert_int_equal(mr_build_memory(src, &o, &img, &len, &err), 0);
        assert_int_equal(len % 2, 0);
        /* 05 len 01 'f' 02 size data: payload 6 + size; header 3 + 1 (+1 when odd) */
        assert_int_equal(len, 3 + 1 + ((6 + size) % 2) + 6 + size);
        if ((6 + size) % 2)
            assert_int_equal(img[3], 0x80);
        free(img);
    }
    /* an empty directory is the smallest image */
    char src[4096];
    snprintf(src, sizeof src, "%s/empty", d);
    mkdir(src, 0755);
    uint8_t *img;
    size_t len;
    assert_int_equal(mr_build_memory(src, &o, &img, &len, &err), 0);
    assert_int_equal(len, 4);
    assert_memory_equal(img, "\xd2\xcd\x31\x00", 4);
    free(img);
    tf_rmrf(d);
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(golden_identity),      cmocka_unit_test(tree_print_like_mpremote),
        cmocka_unit_test(sorted_like_python),   cmocka_unit_test(bad_inputs),
        cmocka_unit_test(changed_size_is_caught), cmocka_unit_test(output_inside_source),
        cmocka_unit_test(full_disk_sink),       cmocka_unit_test(even_header_padding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
