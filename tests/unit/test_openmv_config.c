/* romfs_config.json as OpenMV's tools/mkromfs.py reads it. */
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

#include "openmv_config.h"

static char top[64];

static void touch(const char *rel)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", top, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(rel, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(top, sizeof top, "/tmp/mpromfs-omv.XXXXXX");
    if (!mkdtemp(top))
        return -1;
    char p[128];
    snprintf(p, sizeof p, "%s/models", top);
    mkdir(p, 0755);
    touch("models/b.tflite");
    touch("models/b.txt");
    touch("models/a.tflite");
    touch("models/c.bin");
    touch("eye.xml");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", top);
    return system(cmd);
}

static int parse(mr_omv_partition *p, const char *json, const char *key, mr_err *err)
{
    return mr_omv_parse(p, "cfg.json", json, strlen(json), top, key, 65536, err);
}

static void entries_in_config_order_flat(void **state)
{
    (void)state;
    const char *cfg = "{\"0\": {\"size\": \"0x1000\", \"entries\": ["
                      " {\"type\": \"haar\", \"path\": \"{TOP}/eye.xml\", \"stages\": 0},"
                      " {\"type\": \"tflite\", \"path\": \"{TOP}/models/*.tflite\", \"alignment\": 16},"
                      " {\"type\": \"bin\", \"path\": \"{TOP}/models/c.bin\", \"enabled\": false}]},"
                      " \"1\": {\"size\": 4096, \"entries\": []}}";
    mr_omv_partition p;
    mr_err err;
    assert_int_equal(parse(&p, cfg, NULL, &err), 0);
    assert_string_equal(p.key, "0");
    assert_int_equal(p.size, 0x1000);
    assert_int_equal(p.n, 4);
    assert_string_equal(p.files[0].name, "eye.xml");
    assert_int_equal(p.files[0].align, 4); /* OpenMV's default */
    assert_string_equal(p.files[1].name, "a.tflite");
    assert_int_equal(p.files[1].align, 16);
    assert_string_equal(p.files[2].name, "b.tflite");
    assert_string_equal(p.files[3].name, "b.txt"); /* labels follow their model */
    assert_int_equal(p.files[3].align, 4);
    assert_int_equal(p.nwarnings, 2);
    assert_non_null(strstr(p.warnings[0], "type haar"));
    assert_non_null(strstr(p.warnings[1], "copied verbatim"));
    mr_omv_free(&p);
    assert_int_equal(parse(&p, cfg, "1", &err), 0);
    assert_int_equal(p.size, 4096);
    assert_int_equal(p.n, 0);
    mr_omv_free(&p);
}

static void expect_error(const char *cfg, const char *want)
{
    mr_omv_partition p;
    mr_err err;
    if (parse(&p, cfg, NULL, &err) == 0)
        fail_msg("accepted: %s", cfg);
    if (!strstr(err.msg, want))
        fail_msg("'%s' lacks '%s'", err.msg, want);
}

static void clear_errors(void **state)
{
    (void)state;
    expect_error("[]", "expected an object with partitions");
    expect_error("{\"x\": {}}", "partition key \"x\" is not a partition index");
    expect_error("{\"1\": {}, \"2\": {}}", "choose one with --partition");
    expect_error("{\"0\": {\"entries\": []}}", "no \"size\"");
    expect_error("{\"0\": {\"size\": \"1M\", \"entries\": []}}", "is not a hexadecimal number");
    expect_error("{\"0\": {\"size\": 1.5, \"entries\": []}}", "not a whole number");
    expect_error("{\"0\": {\"size\": \"0x10\"}}", "\"entries\" must be an array");
    expect_error("{\"0\": {\"size\": \"0x10\", \"entries\": [{\"path\": \"{TOP}/nope\"}]}}", "is not a file");
    expect_error("{\"0\": {\"size\": \"0x10\", \"entries\": [{\"path\": \"{BUILD}/x\"}]}}",
                 "unknown variable {BUILD}");
    expect_error("{\"0\": {\"size\": \"0x10\", \"entries\": [{\"path\": \"{TOP}/eye.xml\", \"alignment\": 24}]}}",
                 "entry 1 (line 1): \"alignment\": alignment 24 is not a power of two");
    expect_error("{\"0\": {\"size\": \"0x10\", \"entries\": [{\"path\": \"{TOP}/eye.xml\"},"
                 " {\"path\": \"{TOP}/eye.xml\"}]}}",
                 "would both be /eye.xml");
    expect_error("{\"0\": {\"size\": \"0x10\", \"entries\": [{\"path\": \"{TOP}/eye.xml\", \"enabled\": 1}]}}",
                 "\"enabled\" must be true or false");
    expect_error("{\"0\": {\"size\": \"0x10\", \"entries\": [}}", "cfg.json: line 1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(entries_in_config_order_flat),
        cmocka_unit_test(clear_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
