/* The simulated flash obeys NOR rules as a port's rom_ioctl reports them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scratch.h"
#include "sim.h"

typedef struct {
    char *dir;
    mr_sim *sim;
} fixture;

static int setup_with(void **state, mr_sim_conf *conf)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = scratch_dir();
    mr_err err;
    if (mr_sim_create(f->dir, conf, &err) || mr_sim_open(f->dir, &f->sim, &err)) {
        print_error("%s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int setup_default(void **state)
{
    mr_sim_conf conf;
    mr_sim_conf_default(&conf, 2);
    return setup_with(state, &conf);
}

/* Partition 1 read-only and block style, partition 0 with 1-byte writes. */
static int setup_mixed(void **state)
{
    mr_sim_conf conf;
    mr_sim_conf_default(&conf, 2);
    conf.part[0].write_min = 1;
    conf.part[0].style = MR_SIM_BLOCK;
    conf.part[1].writable = false;
    return setup_with(state, &conf);
}

static int teardown(void **state)
{
    fixture *f = *state;
    mr_sim_close(f->sim);
    scratch_remove(f->dir);
    free(f);
    return 0;
}

static bool all_ff(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0xff)
            return false;
    return true;
}

static void created_erased(void **state)
{
    fixture *f = *state;
    assert_int_equal(mr_sim_nparts(f->sim), 2);
    assert_true(all_ff(mr_sim_bytes(f->sim, 0), 128 << 10));
    assert_true(all_ff(mr_sim_bytes(f->sim, 1), 1 << 20));
    assert_null(mr_sim_bytes(f->sim, 2));
    const mr_sim_counters *c = mr_sim_part_counters(f->sim, 0);
    assert_int_equal(c->writes + c->erases + c->completes, 0);
}

static void writes_only_clear_bits(void **state)
{
    fixture *f = *state;
    uint8_t a[16], b[16];
    memset(a, 0xf0, sizeof a);
    memset(b, 0x3c, sizeof b);
    assert_int_equal(mr_sim_write(f->sim, 0, 0x100, a, 16), 0);
    assert_int_equal(mr_sim_write(f->sim, 0, 0x100, b, 16), 0);
    const uint8_t *m = mr_sim_bytes(f->sim, 0);
    for (int i = 0; i < 16; i++)
        assert_int_equal(m[0x100 + i], 0x30);
    /* Writing 0xff over it changes nothing: only an erase sets bits. */
    memset(a, 0xff, sizeof a);
    assert_int_equal(mr_sim_write(f->sim, 0, 0x100, a, 16), 0);
    assert_int_equal(m[0x100], 0x30);
    assert_int_equal(mr_sim_part_counters(f->sim, 0)->writes, 3);
    assert_int_equal(mr_sim_part_counters(f->sim, 0)->written_bytes, 48);
}

static void erase_whole_units_only(void **state)
{
    fixture *f = *state;
    uint8_t z[4096];
    memset(z, 0, sizeof z);
    assert_int_equal(mr_sim_write(f->sim, 0, 0x1000, z, sizeof z), 0);
    assert_int_equal(mr_sim_write(f->sim, 0, 0x2000, z, sizeof z), 0);
    /* Not on unit boundaries: refused, nothing erased, nothing counted. */
    assert_int_equal(mr_sim_erase(f->sim, 0, 0x1800, 0x1000), -EINVAL);
    assert_non_null(strstr(mr_sim_why(f->sim), "erase-unit boundaries"));
    assert_int_equal(mr_sim_erase(f->sim, 0, 0x1000, 0x800), -EINVAL);
    assert_int_equal(mr_sim_part_counters(f->sim, 0)->erases, 0);
    assert_int_equal(mr_sim_bytes(f->sim, 0)[0x1800], 0);
    /* One unit: exactly that unit becomes 0xff. */
    assert_int_equal(mr_sim_erase(f->sim, 0, 0x1000, 0x1000), 0);
    assert_true(all_ff(mr_sim_bytes(f->sim, 0) + 0x1000, 0x1000));
    assert_int_equal(mr_sim_bytes(f->sim, 0)[0x2000], 0);
    assert_int_equal(mr_sim_part_counters(f->sim, 0)->erases, 1);
    assert_int_equal(mr_sim_part_counters(f->sim, 0)->erased_bytes, 0x1000);
    /* Partition 1 has 64 KiB units: 4 KiB is not one. */
    assert_int_equal(mr_sim_erase(f->sim, 1, 0, 0x1000), -EINVAL);
    assert_int_equal(mr_sim_erase(f->sim, 1, 0x10000, 0x20000), 0);
    assert_string_equal(mr_sim_why(f->sim), "");
}

static void misaligned_writes_refused(void **state)
{
    fixture *f = *state;
    uint8_t d[32];
    memset(d, 0, sizeof d);
    assert_int_equal(mr_sim_write(f->sim, 0, 0x1003, d, 16), -EINVAL);
    assert_non_null(strstr(mr_sim_why(f->sim), "offset 0x1003 is not a multiple of the minimum write size (16)"));
    assert_int_equal(mr_sim_write(f->sim, 0, 0x1000, d, 17), -EINVAL);
    assert_non_null(strstr(mr_sim_why(f->sim), "length 17"));
    assert_true(all_ff(mr_sim_bytes(f->sim, 0) + 0x1000, 32));
    assert_int_equal(mr_sim_part_counters(f->sim, 0)->writes, 0);
    assert_int_equal(mr_sim_write(f->sim, 0, 0x1010, d, 32), 0);
}

static void bounds_refused(void **state)
{
    fixture *f = *state;
    uint8_t d[16] = {0};
    uint8_t buf[32];
    uint64_t end = 128 << 10;
    assert_int_equal(mr_sim_write(f->sim, 0, end, d, 16), -EINVAL);
    assert_int_equal(mr_sim_write(f->sim, 0, end - 16, d, 16), 0);
    assert_int_equal(mr_sim_write(f->sim, 0, UINT64_MAX - 15, d, 16), -EINVAL);
    assert_int_equal(mr_sim_erase(f->sim, 0, end, 4096), -EINVAL);
    assert_int_equal(mr_sim_erase(f->sim, 0, 0, end + 4096), -EINVAL);
    assert_int_equal(mr_sim_read(f->sim, 0, end - 16, buf, 32), -EINVAL);
    assert_int_equal(mr_sim_read(f->sim, 0, end - 16, buf, 16), 0);
    assert_int_equal(mr_sim_read(f->sim, 2, 0, buf, 1), -EINVAL);
    assert_non_null(strstr(mr_sim_why(f->sim), "partition 2 does not exist"));
    assert_int_equal(mr_sim_write(f->sim, 7, 0, d, 16), -EINVAL);
    assert_int_equal(mr_sim_complete(f->sim, 2), -EINVAL);
}

static void read_only_partition(void **state)
{
    fixture *f = *state;
    uint8_t d[16] = {0}, buf[16];
    assert_int_equal(mr_sim_write(f->sim, 1, 0, d, 16), -EINVAL);
    assert_non_null(strstr(mr_sim_why(f->sim), "read-only"));
    assert_int_equal(mr_sim_erase(f->sim, 1, 0, 0x10000), -EINVAL);
    assert_int_equal(mr_sim_complete(f->sim, 1), -EINVAL);
    assert_int_equal(mr_sim_read(f->sim, 1, 0, buf, 16), 0); /* reads always work */
    assert_true(all_ff(buf, 16));
    /* Partition 0 takes writes of any size at any offset. */
    assert_int_equal(mr_sim_write(f->sim, 0, 3, d, 5), 0);
    assert_int_equal(mr_sim_bytes(f->sim, 0)[2], 0xff);
    assert_int_equal(mr_sim_bytes(f->sim, 0)[3], 0);
    assert_int_equal(mr_sim_bytes(f->sim, 0)[8], 0xff);
    assert_int_equal(mr_sim_config(f->sim)->part[0].style, MR_SIM_BLOCK);
}

/* Everything reaches the files: a reopened board (another process) sees it. */
static void persists_across_open(void **state)
{
    fixture *f = *state;
    uint8_t d[16];
    memset(d, 0x5a, sizeof d);
    assert_int_equal(mr_sim_write(f->sim, 1, 0x20, d, 16), 0);
    assert_int_equal(mr_sim_complete(f->sim, 1), 0);
    mr_sim *again;
    mr_err err;
    assert_int_equal(mr_sim_open(f->dir, &again, &err), 0);
    assert_memory_equal(mr_sim_bytes(again, 1) + 0x20, d, 16);
    assert_int_equal(mr_sim_part_counters(again, 1)->writes, 1);
    assert_int_equal(mr_sim_part_counters(again, 1)->completes, 1);
    assert_int_equal(mr_sim_total_writes(again), 1);
    mr_sim_close(again);
    /* reset-counters zeroes them on disk */
    assert_int_equal(mr_sim_reset_counters(f->dir, &err), 0);
    assert_int_equal(mr_sim_open(f->dir, &again, &err), 0);
    assert_int_equal(mr_sim_part_counters(again, 1)->writes, 0);
    mr_sim_close(again);
}

static void damaged_board_refused(void **state)
{
    fixture *f = *state;
    mr_err err;
    mr_sim *s;
    assert_int_equal(scratch_write(f->dir, "part1.bin", "short", 5), 0);
    assert_int_equal(mr_sim_open(f->dir, &s, &err), -1);
    assert_non_null(strstr(err.msg, "part1.bin is 5 bytes but board.conf says partition 1 has 1048576"));
    assert_int_equal(mr_sim_open("/nonexistent/board", &s, &err), -1);
    assert_non_null(strstr(err.msg, "is not a simulated board"));
    /* and creating over an existing board is refused */
    mr_sim_conf conf;
    mr_sim_conf_default(&conf, 1);
    assert_int_equal(mr_sim_create(f->dir, &conf, &err), -1);
    assert_non_null(strstr(err.msg, "already holds a simulated board"));
}

static void factory_load(void **state)
{
    fixture *f = *state;
    mr_err err;
    uint8_t img[5000];
    memset(img, 0x42, sizeof img);
    assert_int_equal(mr_sim_load(f->dir, 1, img, sizeof img, &err), 0);
    mr_sim *s;
    assert_int_equal(mr_sim_open(f->dir, &s, &err), 0);
    assert_memory_equal(mr_sim_bytes(s, 1), img, sizeof img);
    assert_true(all_ff(mr_sim_bytes(s, 1) + sizeof img, (64 << 10) - sizeof img));
    assert_int_equal(mr_sim_total_writes(s), 0);
    mr_sim_close(s);
    static uint8_t big[(128 << 10) + 1];
    assert_int_equal(mr_sim_load(f->dir, 0, big, sizeof big, &err), -1);
    assert_non_null(strstr(err.msg, "do not fit in partition 0"));
    assert_int_equal(mr_sim_load(f->dir, 2, img, 1, &err), -1);
}

/* A process killed right after a write (no close, no msync) leaves the write on disk. */
static void write_survives_a_crash(void **state)
{
    fixture *f = *state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        mr_sim *s;
        mr_err err;
        uint8_t d[16];
        memset(d, 0x77, sizeof d);
        if (mr_sim_open(f->dir, &s, &err) || mr_sim_write(s, 0, 0x40, d, 16))
            _exit(3);
        raise(SIGKILL);
        _exit(4);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    mr_sim *again;
    mr_err err;
    assert_int_equal(mr_sim_open(f->dir, &again, &err), 0);
    for (int i = 0; i < 16; i++)
        assert_int_equal(mr_sim_bytes(again, 0)[0x40 + i], 0x77);
    assert_int_equal(mr_sim_part_counters(again, 0)->writes, 1);
    mr_sim_close(again);
}

/* sim serve keeps the board open while `sim reset-counters` runs elsewhere. */
static void reset_while_open(void **state)
{
    fixture *f = *state;
    mr_err err;
    uint8_t d[16] = {0};
    assert_int_equal(mr_sim_write(f->sim, 0, 0, d, 16), 0);
    assert_int_equal(mr_sim_write(f->sim, 0, 16, d, 16), 0);
    assert_int_equal(mr_sim_reset_counters(f->dir, &err), 0);
    assert_int_equal(mr_sim_write(f->sim, 0, 32, d, 16), 0);
    mr_sim_counters c[2];
    assert_int_equal(mr_sim_counters_load(f->dir, 2, c, &err), 0);
    assert_int_equal(c[0].writes, 1);
    assert_int_equal(c[0].written_bytes, 16);
    assert_int_equal(mr_sim_part_counters(f->sim, 0)->writes, 1);
}

/* The counters file is input too: damage is reported, not believed. */
static void hostile_counters(void **state)
{
    fixture *f = *state;
    mr_err err;
    mr_sim *s;
    const char *bad[] = {"part0.writes=12x\n", "part9.writes=1\n", "part0.bogus=1\n",
                         "part0.writes=99999999999999999999999\n", "junk\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(scratch_write(f->dir, "counters", bad[i], strlen(bad[i])), 0);
        if (mr_sim_open(f->dir, &s, &err) == 0)
            fail_msg("accepted counters '%s'", bad[i]);
        assert_non_null(strstr(err.msg, "counters"));
    }
    assert_non_null(strstr(err.msg, "reset-counters"));
    assert_int_equal(mr_sim_reset_counters(f->dir, &err), 0);
    assert_int_equal(mr_sim_open(f->dir, &s, &err), 0);
    mr_sim_close(s);
    const char *good = "# hand made\npart1.writes=7\n";
    assert_int_equal(scratch_write(f->dir, "counters", good, strlen(good)), 0);
    assert_int_equal(mr_sim_open(f->dir, &s, &err), 0);
    assert_int_equal(mr_sim_part_counters(s, 1)->writes, 7);
    mr_sim_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(created_erased, setup_default, teardown),
        cmocka_unit_test_setup_teardown(writes_only_clear_bits, setup_default, teardown),
        cmocka_unit_test_setup_teardown(erase_whole_units_only, setup_default, teardown),
        cmocka_unit_test_setup_teardown(misaligned_writes_refused, setup_default, teardown),
        cmocka_unit_test_setup_teardown(bounds_refused, setup_default, teardown),
        cmocka_unit_test_setup_teardown(read_only_partition, setup_mixed, teardown),
        cmocka_unit_test_setup_teardown(persists_across_open, setup_default, teardown),
        cmocka_unit_test_setup_teardown(damaged_board_refused, setup_default, teardown),
        cmocka_unit_test_setup_teardown(factory_load, setup_default, teardown),
        cmocka_unit_test_setup_teardown(reset_while_open, setup_default, teardown),
        cmocka_unit_test_setup_teardown(write_survives_a_crash, setup_default, teardown),
        cmocka_unit_test_setup_teardown(hostile_counters, setup_default, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
