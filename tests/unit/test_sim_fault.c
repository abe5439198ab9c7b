/* Injected faults fire at the write they name, leave what was written, and are
 * disarmed once fired. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scratch.h"
#include "sim.h"

static int setup(void **state)
{
    char *dir = scratch_dir();
    mr_sim_conf conf;
    mr_err err;
    mr_sim_conf_default(&conf, 2);
    if (mr_sim_create(dir, &conf, &err))
        return -1;
    *state = dir;
    return 0;
}

static int teardown(void **state)
{
    scratch_remove(*state);
    return 0;
}

static const uint8_t *row(uint8_t v)
{
    static uint8_t buf[16];
    memset(buf, v, sizeof buf);
    return buf;
}

static void power_cut_after_n(void **state)
{
    const char *dir = *state;
    mr_err err;
    mr_sim *sim;
    /* one write before arming: "from now" must count from here */
    assert_int_equal(mr_sim_open(dir, &sim, &err), 0);
    assert_int_equal(mr_sim_write(sim, 1, 0, row(0x11), 16), 0);
    mr_sim_close(sim);
    assert_int_equal(mr_sim_fault_power_cut(dir, 2, &err), 0);

    assert_int_equal(mr_sim_open(dir, &sim, &err), 0);
    assert_int_equal(mr_sim_write(sim, 0, 0x00, row(0x01), 16), 0);
    assert_int_equal(mr_sim_write(sim, 0, 0x10, row(0x02), 16), 0);
    assert_int_equal(mr_sim_write(sim, 0, 0x20, row(0x03), 16), MR_SIM_POWER_CUT);
    assert_non_null(strstr(mr_sim_why(sim), "power cut by the injected fault (board write #4 did not happen)"));
    assert_true(mr_sim_powered_off(sim));
    uint8_t buf[16];
    assert_int_equal(mr_sim_read(sim, 0, 0, buf, 16), MR_SIM_POWER_CUT);
    assert_int_equal(mr_sim_erase(sim, 0, 0, 4096), MR_SIM_POWER_CUT);
    mr_sim_close(sim);

    /* Power back: writes 1-2 are there, write 3 is not, the fault is gone. */
    assert_int_equal(mr_sim_open(dir, &sim, &err), 0);
    const uint8_t *m = mr_sim_bytes(sim, 0);
    assert_memory_equal(m, row(0x01), 16);
    assert_memory_equal(m + 0x10, row(0x02), 16);
    assert_memory_equal(m + 0x20, row(0xff), 16);
    assert_int_equal(mr_sim_config(sim)->faults.power_cut_at_write, 0);
    assert_int_equal(mr_sim_part_counters(sim, 0)->writes, 2);
    assert_int_equal(mr_sim_write(sim, 0, 0x20, row(0x03), 16), 0);
    mr_sim_close(sim);
}

static void power_cut_next_write(void **state)
{
    const char *dir = *state;
    mr_err err;
    mr_sim *sim;
    assert_int_equal(mr_sim_open(dir, &sim, &err), 0);
    /* armed by another process while this one has the board open */
    assert_int_equal(mr_sim_fault_power_cut(dir, 0, &err), 0);
    assert_int_equal(mr_sim_erase(sim, 0, 0, 4096), 0); /* erases are not writes */
    assert_int_equal(mr_sim_write(sim, 0, 0, row(0), 16), MR_SIM_POWER_CUT);
    mr_sim_close(sim);
    assert_int_equal(mr_sim_open(dir, &sim, &err), 0);
    assert_memory_equal(mr_sim_bytes(sim, 0), row(0xff), 16);
    mr_sim_close(sim);
}

static void corrupt_write_flips_a_bit(void **state)
{
    const char *dir = *state;
    mr_err err;
    mr_sim *sim;
    assert_int_equal(mr_sim_fault_corrupt(dir, 2, &err), 0);
    assert_int_equal(mr_sim_open(dir, &sim, &err), 0);
    uint8_t data[64];
    memset(data, 0x00, sizeof data);
    assert_int_equal(mr_sim_write(sim, 0, 0, data, 64), 0);
    assert_int_equal(mr_sim_write(sim, 0, 64, data, 64), 0); /* reports success */
    assert_int_equal(mr_sim_write(sim, 0, 128, data, 64), 0);
    const uint8_t *m = mr_sim_bytes(sim, 0);
    size_t differ = 0;
    for (size_t i = 0; i < 192; i++)
        if (m[i] != 0) {
            differ++;
            assert_int_equal(i, 64 + 32);
            assert_int_equal(m[i], 0x10);
        }
    assert_int_equal(differ, 1);
    assert_int_equal(mr_sim_config(sim)->faults.corrupt_write, 0);
    mr_sim_close(sim);
    mr_sim_conf conf;
    assert_int_equal(mr_sim_conf_load(dir, &conf, &err), 0);
    assert_int_equal(conf.faults.corrupt_write, 0); /* disarmed on disk too */
}

static void reset_counters_keeps_from_now(void **state)
{
    const char *dir = *state;
    mr_err err;
    mr_sim *sim;
    assert_int_equal(mr_sim_open(dir, &sim, &err), 0);
    for (int i = 0; i < 5; i++)
        assert_int_equal(mr_sim_write(sim, 0, (uint64_t)i * 16, row(0), 16), 0);
    mr_sim_close(sim);
    assert_int_equal(mr_sim_fault_power_cut(dir, 1, &err), 0);
    assert_int_equal(mr_sim_fault_corrupt(dir, 1, &err), 0);
    mr_sim_conf conf;
    assert_int_equal(mr_sim_conf_load(dir, &conf, &err), 0);
    assert_int_equal(conf.faults.power_cut_at_write, 7);
    assert_int_equal(conf.faults.corrupt_write, 6);
    char text[256];
    mr_sim_fault_describe(&conf.faults, 5, text, sizeof text);
    assert_string_equal(text, "power cut after 1 more write (write 7 does not happen); "
                              "write 1 from now (1 = the next) stores a flipped bit");
    assert_int_equal(mr_sim_reset_counters(dir, &err), 0);
    assert_int_equal(mr_sim_conf_load(dir, &conf, &err), 0);
    assert_int_equal(conf.faults.power_cut_at_write, 2);
    assert_int_equal(conf.faults.corrupt_write, 1);
    assert_int_equal(mr_sim_open(dir, &sim, &err), 0);
    assert_int_equal(mr_sim_write(sim, 0, 0x100, row(0), 16), 0);
    assert_int_equal(mr_sim_write(sim, 0, 0x110, row(0), 16), MR_SIM_POWER_CUT);
    mr_sim_close(sim);
}

static void link_faults_recorded(void **state)
{
    const char *dir = *state;
    mr_err err;
    mr_sim_conf conf;
    assert_int_equal(mr_sim_fault_link(dir, true, 4096, true, 9600, &err), 0);
    assert_int_equal(mr_sim_fault_link(dir, false, 0, true, 115200, &err), 0);
    assert_int_equal(mr_sim_conf_load(dir, &conf, &err), 0);
    assert_int_equal(conf.faults.link_stop_after, 4096);
    assert_int_equal(conf.faults.link_baud, 115200);
    char text[256];
    mr_sim_fault_describe(&conf.faults, 0, text, sizeof text);
    assert_string_equal(text, "link stops answering after 4096 bytes; link slowed to 115200 baud");
    assert_int_equal(mr_sim_fault_clear(dir, &err), 0);
    assert_int_equal(mr_sim_conf_load(dir, &conf, &err), 0);
    mr_sim_fault_describe(&conf.faults, 0, text, sizeof text);
    assert_string_equal(text, "none");
    /* a short buffer truncates, never overflows */
    mr_sim_faults all = {.power_cut_at_write = 9, .corrupt_write = 8, .link_stop_after = 7,
                         .link_baud = 6};
    char small[12];
    memset(small, 'x', sizeof small);
    mr_sim_fault_describe(&all, 0, small, 10);
    assert_true(strlen(small) < 10);
    assert_int_equal(small[10], 'x');
    assert_int_equal(mr_sim_fault_corrupt(dir, 0, &err), -1);
    assert_int_equal(mr_sim_fault_clear("/nonexistent", &err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(power_cut_after_n, setup, teardown),
        cmocka_unit_test_setup_teardown(power_cut_next_write, setup, teardown),
        cmocka_unit_test_setup_teardown(corrupt_write_flips_a_bit, setup, teardown),
        cmocka_unit_test_setup_teardown(reset_counters_keeps_from_now, setup, teardown),
        cmocka_unit_test_setup_teardown(link_faults_recorded, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
