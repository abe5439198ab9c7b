/* The device interface over the in-process simulator (sim:DIR), and the checked
 * wrappers' consistent errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "device.h"
#include "scratch.h"
#include "sha256.h"
#include "sim.h"

typedef struct {
    char *dir;
    char name[4200];
    mr_device *dev;
} fixture;

static int setup_conf(void **state, const mr_sim_conf *conf)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = scratch_dir();
    mr_err err;
    snprintf(f->name, sizeof f->name, "sim:%s", f->dir);
    if (mr_sim_create(f->dir, conf, &err) || mr_device_open(f->name, NULL, &f->dev, &err)) {
        print_error("%s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int setup(void **state)
{
    mr_sim_conf conf;
    mr_sim_conf_default(&conf, 2);
    return setup_conf(state, &conf);
}

static int setup_block(void **state)
{
    mr_sim_conf conf;
    mr_sim_conf_default(&conf, 1);
    conf.part[0].style = MR_SIM_BLOCK;
    conf.part[0].write_min = 1;
    conf.part[0].base = 0x10180000; /* rp2-like: XIP flash */
    return setup_conf(state, &conf);
}

static int setup_crc_only(void **state)
{
    mr_sim_conf conf;
    mr_sim_conf_default(&conf, 1);
    conf.no_sha256 = true;
    return setup_conf(state, &conf);
}

static int teardown(void **state)
{
    fixture *f = *state;
    mr_device_close(f->dev);
    scratch_remove(f->dir);
    free(f);
    return 0;
}

static void expect_msg(const mr_err *err, const char *want)
{
    if (!strstr(err->msg, want))
        fail_msg("message '%s' lacks '%s'", err->msg, want);
}

static void partition_table(void **state)
{
    fixture *f = *state;
    mr_err err;
    unsigned n;
    assert_int_equal(mr_device_count(f->dev, &n, &err), 0);
    assert_int_equal(n, 2);
    mr_part_info info;
    assert_int_equal(mr_device_info(f->dev, 1, &info, &err), 0);
    assert_int_equal(info.index, 1);
    assert_int_equal(info.size, 1 << 20);
    assert_int_equal(info.erase_unit, 64 << 10);
    assert_int_equal(info.write_min, 16);
    assert_true(info.base_known);
    assert_int_equal(info.base, 0x90000000);
    assert_true(info.writable);
    assert_false(info.block_device);
    assert_false(info.has_image);
    assert_int_equal(info.head[0], 0xff);
    mr_dev_caps caps;
    assert_int_equal(mr_device_caps(f->dev, &caps, &err), 0);
    assert_true(caps.sha256);
    assert_true(caps.crc32);
    assert_int_equal(caps.baud, 0);
    assert_string_equal(f->dev->name, f->name);
    assert_non_null(strstr(f->dev->desc, "simulated board in"));
}

static void wrappers_check_ranges(void **state)
{
    fixture *f = *state;
    mr_err err;
    mr_part_info info;
    uint8_t buf[0x2000];
    assert_int_equal(mr_device_info(f->dev, 3, &info, &err), -1);
    assert_string_equal(err.msg, "partition 3 does not exist (the board has 2: 0-1)");
    assert_int_equal(mr_device_read(f->dev, 2, 0, buf, 1, &err), -1);
    assert_string_equal(err.msg, "partition 2 does not exist (the board has 2: 0-1)");
    assert_int_equal(mr_device_read(f->dev, 0, 0x1f000, buf, 0x2000, &err), -1);
    assert_string_equal(err.msg, "range 0x1f000+0x2000 is past the end of partition 0 (128 KiB)");
    assert_int_equal(mr_device_erase(f->dev, 1, 0xf0000, 0x20000, &err), -1);
    assert_string_equal(err.msg, "range 0xf0000+0x20000 is past the end of partition 1 (1 MiB)");
    assert_int_equal(mr_device_erase(f->dev, 0, UINT64_MAX, 2, &err), -1);
    mr_write_op ops[2] = {{.offset = 0, .data = buf, .len = 16},
                          {.offset = 0x20000, .data = buf, .len = 16}};
    assert_int_equal(mr_device_write(f->dev, 0, ops, 2, NULL, NULL, &err), -1);
    assert_string_equal(err.msg, "write 2 of 2: range 0x20000+0x10 is past the end of partition 0 (128 KiB)");
    mr_write_op nodata = {.offset = 0, .data = NULL, .len = 16};
    assert_int_equal(mr_device_write(f->dev, 0, &nodata, 1, NULL, NULL, &err), -1);
    expect_msg(&err, "has no data");
    uint8_t (*out)[32] = calloc(40, 32);
    mr_hash_algo algo;
    assert_int_equal(mr_device_hash(f->dev, 0, 0, 4096, 33, &algo, out, &err), -1);
    expect_msg(&err, "runs past the end of partition 0 (128 KiB)");
    assert_int_equal(mr_device_hash(f->dev, 0, 0, 0, 1, &algo, out, &err), -1);
    assert_int_equal(mr_device_complete(f->dev, 5, &err), -1);
    free(out);
    /* nothing of the above reached the flash */
    mr_sim_counters c[2];
    assert_int_equal(mr_sim_counters_load(f->dir, 2, c, &err), 0);
    assert_int_equal(c[0].writes + c[0].erases + c[1].writes + c[1].erases, 0);
}

static void board_refusals_read_like_a_board(void **state)
{
    fixture *f = *state;
    mr_err err;
    uint8_t d[16] = {0};
    assert_int_equal(mr_device_erase(f->dev, 0, 0x800, 0x1000, &err), -1);
    expect_msg(&err, "the board answered -22 (EINVAL) to erase at 0x800: ");
    expect_msg(&err, "erase-unit boundaries");
    mr_write_op op = {.offset = 0x1008, .data = d, .len = 16};
    assert_int_equal(mr_device_write(f->dev, 0, &op, 1, NULL, NULL, &err), -1);
    expect_msg(&err, "the board answered -22 (EINVAL) to write 1 of 1 (16 bytes) at 0x1008: offset "
                     "0x1008 is not a multiple of the minimum write size (16)");
}

static int count_progress(void *ctx, size_t ops_done, uint64_t bytes_done)
{
    size_t *calls = ctx;
    (*calls)++;
    assert_int_equal(ops_done, *calls);
    assert_int_equal(bytes_done, ops_done * 4096);
    return 0;
}

static int stop_after_two(void *ctx, size_t ops_done, uint64_t bytes_done)
{
    (void)ctx;
    (void)bytes_done;
    return ops_done == 2;
}

static void batched_write_erase_first(void **state)
{
    fixture *f = *state;
    mr_err err;
    static uint8_t data[3][4096];
    for (int i = 0; i < 3; i++)
        memset(data[i], 0x10 * (i + 1), 4096);
    /* dirty the units first: erase_first must make the writes land exactly */
    memset(data[2], 0x00, 16);
    mr_write_op pre = {.offset = 0x2000, .data = data[2], .len = 16};
    assert_int_equal(mr_device_write(f->dev, 0, &pre, 1, NULL, NULL, &err), 0);
    memset(data[2], 0x30, 16);
    mr_write_op ops[3];
    for (int i = 0; i < 3; i++)
        ops[i] = (mr_write_op){.offset = 0x1000 * (uint64_t)(i + 1), .data = data[i], .len = 4096,
                               .erase_first = true};
    size_t calls = 0;
    assert_int_equal(mr_device_write(f->dev, 0, ops, 3, count_progress, &calls, &err), 0);
    assert_int_equal(calls, 3);
    assert_int_equal(mr_device_complete(f->dev, 0, &err), 0);
    uint8_t back[4096];
    for (int i = 0; i < 3; i++) {
        assert_int_equal(mr_device_read(f->dev, 0, 0x1000 * (uint64_t)(i + 1), back, 4096, &err), 0);
        assert_memory_equal(back, data[i], 4096);
    }
    /* hashes: whole units, and a short last one at the partition end */
    uint8_t (*out)[32] = calloc(3, 32);
    mr_hash_algo algo = MR_HASH_CRC32;
    assert_int_equal(mr_device_hash(f->dev, 0, 0x1000, 4096, 3, &algo, out, &err), 0);
    assert_int_equal(algo, MR_HASH_SHA256);
    for (int i = 0; i < 3; i++) {
        uint8_t want[32];
        mr_sha256(data[i], 4096, want);
        assert_memory_equal(out[i], want, 32);
    }
    assert_int_equal(mr_device_hash(f->dev, 0, (128 << 10) - 4096, 3000, 2, &algo, out, &err), 0);
    uint8_t ff[1096];
    memset(ff, 0xff, sizeof ff);
    uint8_t want[32];
    mr_sha256(ff, sizeof ff, want);
    assert_memory_equal(out[1], want, 32);
    free(out);
    /* cancelled between ops */
    assert_int_equal(mr_device_write(f->dev, 0, ops, 3, stop_after_two, NULL, &err), -1);
    assert_string_equal(err.msg, "cancelled after 2 of 3 writes");
    mr_sim_counters c[2];
    assert_int_equal(mr_sim_counters_load(f->dir, 2, c, &err), 0);
    assert_int_equal(c[0].writes, 1 + 3 + 2);
    assert_int_equal(c[0].erases, 3 + 2);
    assert_int_equal(c[0].completes, 1);
}

/* A 32-byte image: /a.py ("x=1") and /lib/b.py (empty); the length varuint is
 * padded with 0x80 to keep the record's size even, as writers must. */
static const uint8_t tiny_image[32] = {
    0xd2, 0xcd, 0x31, 0x80, 0x1b,
    0x05, 0x0a, 0x04, 'a', '.', 'p', 'y', 0x02, 0x03, 'x', '=', '1',
    0x04, 0x0d, 0x03, 'l', 'i', 'b', 0x05, 0x07, 0x04, 'b', '.', 'p', 'y', 0x02, 0x00};

static void image_and_listing(void **state)
{
    fixture *f = *state;
    mr_err err;
    char **paths;
    size_t n;
    assert_int_equal(mr_device_reset_and_list(f->dev, &paths, &n, &err), 0);
    assert_int_equal(n, 0); /* erased flash: nothing mounted */
    free(paths);
    mr_write_op op = {.offset = 0, .data = tiny_image, .len = sizeof tiny_image, .erase_first = true};
    assert_int_equal(mr_device_write(f->dev, 0, &op, 1, NULL, NULL, &err), 0);
    mr_part_info info;
    assert_int_equal(mr_device_info(f->dev, 0, &info, &err), 0);
    assert_true(info.has_image);
    assert_int_equal(info.image_size, 32);
    assert_memory_equal(info.head, tiny_image, 16);
    assert_int_equal(mr_device_reset_and_list(f->dev, &paths, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(paths[0], "a.py");
    assert_string_equal(paths[1], "lib/");
    assert_string_equal(paths[2], "lib/b.py");
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

static void power_cut_through_device(void **state)
{
    fixture *f = *state;
    mr_err err;
    static uint8_t d[4][16];
    memset(d, 0, sizeof d);
    assert_int_equal(mr_sim_fault_power_cut(f->dir, 2, &err), 0);
    mr_write_op ops[4];
    for (int i = 0; i < 4; i++)
        ops[i] = (mr_write_op){.offset = 16 * (uint64_t)i, .data = d[i], .len = 16};
    assert_int_equal(mr_device_write(f->dev, 0, ops, 4, NULL, NULL, &err), -1);
    expect_msg(&err, "the board vanished during write 3 of 4 (16 bytes) at 0x20");
    uint8_t b[16];
    assert_int_equal(mr_device_read(f->dev, 0, 0, b, 16, &err), -1);
    expect_msg(&err, "vanished");
    mr_device_close(f->dev);
    /* power back: the first two writes stayed */
    assert_int_equal(mr_device_open(f->name, NULL, &f->dev, &err), 0);
    uint8_t back[64];
    assert_int_equal(mr_device_read(f->dev, 0, 0, back, 64, &err), 0);
    for (int i = 0; i < 64; i++)
        assert_int_equal(back[i], i < 32 ? 0 : 0xff);
}

static void block_style(void **state)
{
    fixture *f = *state;
    mr_err err;
    mr_part_info info;
    unsigned n;
    assert_int_equal(mr_device_count(f->dev, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(mr_device_info(f->dev, 0, &info, &err), 0);
    assert_true(info.block_device);
    assert_int_equal(info.write_min, 1);
    assert_int_equal(info.base, 0x10180000);
    assert_int_equal(mr_device_info(f->dev, 1, &info, &err), -1);
    assert_string_equal(err.msg, "partition 1 does not exist (the board has 1: 0)");
    uint8_t d[3] = {1, 2, 3};
    mr_write_op op = {.offset = 5, .data = d, .len = 3};
    assert_int_equal(mr_device_write(f->dev, 0, &op, 1, NULL, NULL, &err), 0);
    uint8_t back[3];
    assert_int_equal(mr_device_read(f->dev, 0, 5, back, 3, &err), 0);
    assert_memory_equal(back, d, 3);
}

/* Firmware without hashlib.sha256: the board hashes with binascii.crc32. */
static void crc_fallback(void **state)
{
    fixture *f = *state;
    mr_err err;
    mr_dev_caps caps;
    assert_int_equal(mr_device_caps(f->dev, &caps, &err), 0);
    assert_false(caps.sha256);
    assert_true(caps.crc32);
    uint8_t d[16] = {1, 2, 3};
    mr_write_op op = {.offset = 4096, .data = d, .len = 16};
    assert_int_equal(mr_device_write(f->dev, 0, &op, 1, NULL, NULL, &err), 0);
    uint8_t unit[4096];
    memset(unit, 0xff, sizeof unit);
    memcpy(unit, d, 16);
    uint32_t want = (uint32_t)crc32(0L, unit, sizeof unit);
    uint8_t (*out)[32] = calloc(1, 32);
    mr_hash_algo algo = MR_HASH_SHA256;
    assert_int_equal(mr_device_hash(f->dev, 0, 4096, 4096, 1, &algo, out, &err), 0);
    assert_int_equal(algo, MR_HASH_CRC32);
    assert_int_equal(out[0][0], want >> 24);
    assert_int_equal(out[0][1], (want >> 16) & 0xff);
    assert_int_equal(out[0][2], (want >> 8) & 0xff);
    assert_int_equal(out[0][3], want & 0xff);
    assert_int_equal(out[0][4], 0);
    free(out);
}

static void open_names(void **state)
{
    (void)state;
    mr_device *dev;
    mr_err err;
    assert_int_equal(mr_device_open("sim:", NULL, &dev, &err), -1);
    expect_msg(&err, "needs the board's directory");
    assert_int_equal(mr_device_open("sim:/nonexistent/board", NULL, &dev, &err), -1);
    expect_msg(&err, "is not a simulated board");
    assert_int_equal(mr_device_open("", NULL, &dev, &err), -1);
    expect_msg(&err, "no device given");
    mr_device_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(partition_table, setup, teardown),
        cmocka_unit_test_setup_teardown(wrappers_check_ranges, setup, teardown),
        cmocka_unit_test_setup_teardown(board_refusals_read_like_a_board, setup, teardown),
        cmocka_unit_test_setup_teardown(batched_write_erase_first, setup, teardown),
        cmocka_unit_test_setup_teardown(image_and_listing, setup, teardown),
        cmocka_unit_test_setup_teardown(power_cut_through_device, setup, teardown),
        cmocka_unit_test_setup_teardown(block_style, setup_block, teardown),
        cmocka_unit_test_setup_teardown(crc_fallback, setup_crc_only, teardown),
        cmocka_unit_test(open_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
