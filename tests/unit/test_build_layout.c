/* The builder with rules, end to end in memory: random trees on disk, built with
 * alignment rules at several bases, read back by a reader that mirrors MicroPython's
 * vfs_rom.c (tests/lib/vfsrom_mini.c) and by the project's reader: every file is
 * found with its exact bytes, every rule holds, the padding is at the lower bound,
 * and without rules the image is the default (mpremote) plan's, byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "build_layout.h"
#include "image.h"
#include "testfiles.h"
#include "vfsrom_mini.h"

static uint64_t seed = 12345;
static unsigned rnd(unsigned n)
{
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    return (unsigned)((seed >> 33) % n);
}

typedef struct {
    char path[64];
    uint8_t *data;
    size_t len;
} file;

static size_t make_tree(const char *dir, file *files, size_t max)
{
    static const char *const dirs[] = {"", "lib/", "lib/net/", "models/", "data/x/y/", "a/"};
    static const char *const exts[] = {".py", ".mpy", ".bin", ".tflite", ".txt", ""};
    size_t n = 0;
    for (size_t i = 0; i < max; i++) {
        file *f = &files[n];
        snprintf(f->path, sizeof f->path, "%sf%zu%s", dirs[rnd(6)], i, exts[rnd(6)]);
        f->len = rnd(5) == 0 ? rnd(20000) : rnd(4) == 0 ? 64 * rnd(8) : rnd(300);
        f->data = malloc(f->len + 1);
        for (size_t k = 0; k < f->len; k++)
            f->data[k] = (uint8_t)rnd(256);
        assert_int_equal(tf_write(dir, f->path, f->data, f->len), 0);
        n++;
    }
    return n;
}

static void build(const char *dir, const char *const *rules, size_t nrules, uint64_t base, mr_layout_result *r,
                  uint8_t **img, size_t *len)
{
    mr_layout_opts o;
    mr_layout_opts_init(&o);
    o.mpy = false;
    o.base = base;
    mr_err err;
    for (size_t i = 0; i < nrules; i++)
        assert_int_equal(mr_align_rules_add_arg(&o.rules, rules[i], &err), 0);
    if (mr_layout_build(r, dir, &o, &err))
        fail_msg("build: %s", err.msg);
    if (mr_emit_memory(&r->plan, &r->tree, img, len, &err))
        fail_msg("emit: %s", err.msg);
    mr_layout_opts_free(&o);
}

static void rules_hold_for_both_readers(void **state)
{
    (void)state;
    static const char *const rulesets[][3] = {
        {"4", NULL, NULL},
        {"*.tflite=16", "lib/**/*.mpy=8", NULL},
        {"*.bin=4096", "models/*=32", "f1*=2"},
        {"**=64", "*.txt=1", NULL},
    };
    static const uint64_t bases[] = {0, 1, 0x10000003, 0x08100000, 0x2000fffe};
    size_t moved = 0;
    for (int round = 0; round < 3; round++) {
        char *dir = tf_tmpdir();
        file files[60];
        size_t n = make_tree(dir, files, 20 + rnd(40));
        for (size_t rs = 0; rs < 4; rs++) {
            size_t nr = 0;
            while (nr < 3 && rulesets[rs][nr])
                nr++;
            mr_align_rules rules;
            mr_err err;
            mr_align_rules_init(&rules);
            for (size_t k = 0; k < nr; k++)
                assert_int_equal(mr_align_rules_add_arg(&rules, rulesets[rs][k], &err), 0);
            for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++) {
                mr_layout_result r;
                uint8_t *img;
                size_t len;
                build(dir, rulesets[rs], nr, bases[b], &r, &img, &len);
                assert_int_equal(len % 2, 0);
                if (r.moved_files)
                    moved += r.moved_files; /* a data area: chosen only when it beats inline */
                else
                    assert_int_equal(r.padding, r.min_padding);
                mr_image parsed;
                assert_int_equal(mr_image_parse(&parsed, img, len, &err), 0);
                for (size_t i = 0; i < n; i++) {
                    size_t off, size;
                    if (vfsrom_mini_find(img, len, files[i].path, &off, &size))
                        fail_msg("%s not found by the vfs_rom.c-style reader", files[i].path);
                    assert_int_equal(size, files[i].len);
                    if (size)
                        assert_memory_equal(img + off, files[i].data, size);
                    uint64_t need = mr_align_rules_lookup(&rules, files[i].path, NULL);
                    if ((bases[b] + off) % need)
                        fail_msg("%s at 0x%llx, needs %llu", files[i].path, (unsigned long long)(bases[b] + off),
                                 (unsigned long long)need);
                    const mr_entry *e = mr_image_find(&parsed, files[i].path);
                    assert_non_null(e);
                    assert_int_equal(e->data_offset, off);
                }
                mr_image_free(&parsed);
                free(img);
                mr_layout_result_free(&r);
            }
            mr_align_rules_free(&rules);
        }
        for (size_t i = 0; i < n; i++)
            free(files[i].data);
        tf_rmrf(dir);
        free(dir);
    }
    print_message("files read through indirect records: %zu\n", moved);
    assert_true(moved > 0);
}

static void no_rule_is_the_default_plan(void **state)
{
    (void)state;
    char *dir = tf_tmpdir();
    file files[40];
    size_t n = make_tree(dir, files, 40);
    static const char *const none[] = {"nothing*=64"};
    mr_layout_result r;
    uint8_t *img;
    size_t len;
    build(dir, none, 1, 0x1001, &r, &img, &len);
    assert_false(r.aligned);
    mr_scan_opts so = {.mpy = false};
    uint8_t *ref;
    size_t rlen;
    mr_err err;
    assert_int_equal(mr_build_memory(dir, &so, &ref, &rlen, &err), 0);
    assert_int_equal(len, rlen);
    assert_memory_equal(img, ref, len);
    free(ref);
    free(img);
    mr_layout_result_free(&r);
    for (size_t i = 0; i < n; i++)
        free(files[i].data);
    tf_rmrf(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_rule_is_the_default_plan),
        cmocka_unit_test(rules_hold_for_both_readers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
