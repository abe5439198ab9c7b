/* board.conf: what mpromfs writes it reads back; what it did not write it refuses
 * with a message naming the line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim.h"

static void round_trip(void **state)
{
    (void)state;
    mr_sim_conf a, b;
    mr_err err;
    mr_sim_conf_default(&a, 4);
    a.part[2].style = MR_SIM_BLOCK;
    a.part[3].writable = false;
    a.part[3].write_min = 1;
    a.part[1].base = 0x1234abcd0000ull;
    a.faults.power_cut_at_write = 7;
    a.faults.corrupt_write = 3;
    a.faults.link_stop_after = 5000;
    a.faults.link_baud = 115200;
    a.no_sha256 = true;
    char *text = mr_sim_conf_format(&a);
    assert_non_null(text);
    assert_int_equal(mr_sim_conf_parse(text, strlen(text), &b, &err), 0);
    assert_memory_equal(&a.faults, &b.faults, sizeof a.faults);
    assert_int_equal(b.nparts, 4);
    assert_true(b.no_sha256);
    for (int i = 0; i < 4; i++) {
        assert_true(a.part[i].size == b.part[i].size);
        assert_int_equal(a.part[i].erase_unit, b.part[i].erase_unit);
        assert_int_equal(a.part[i].write_min, b.part[i].write_min);
        assert_true(a.part[i].base == b.part[i].base);
        assert_int_equal(a.part[i].writable, b.part[i].writable);
        assert_int_equal(a.part[i].style, b.part[i].style);
    }
    /* the same text again: formatting is deterministic */
    char *again = mr_sim_conf_format(&b);
    assert_string_equal(text, again);
    free(text);
    free(again);
}

/* Comments, blank lines, spaces around '=', CRLF and hex are fine. */
static void lenient_layout(void **state)
{
    (void)state;
    const char *t = "# hand written\r\n\nversion = 1\r\npartitions=1\n"
                    "  part0.size = 0x10000\npart0.erase_unit=4096\npart0.write_min=0x4\n"
                    "part0.base=0\npart0.writable=no\npart0.style=block";
    mr_sim_conf c;
    mr_err err;
    assert_int_equal(mr_sim_conf_parse(t, strlen(t), &c, &err), 0);
    assert_int_equal(c.part[0].size, 0x10000);
    assert_int_equal(c.part[0].write_min, 4);
    assert_false(c.part[0].writable);
    assert_int_equal(c.part[0].style, MR_SIM_BLOCK);
    assert_int_equal(c.faults.power_cut_at_write, 0);
}

/* A good one-partition descriptor with one line replaced: the error names it. */
static void expect_refused(const char *key, const char *value, const char *want)
{
    char text[2048];
    const char *lines[] = {"version=1", "partitions=1", "part0.size=65536", "part0.erase_unit=4096",
                           "part0.write_min=16", "part0.base=0x08100000", "part0.writable=yes",
                           "part0.style=memoryview"};
    size_t n = 0;
    bool replaced = false;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        size_t klen = strcspn(lines[i], "=");
        if (strlen(key) == klen && strncmp(lines[i], key, klen) == 0) {
            replaced = true;
            if (value)
                n += (size_t)snprintf(text + n, sizeof text - n, "%s=%s\n", key, value);
        } else {
            n += (size_t)snprintf(text + n, sizeof text - n, "%s\n", lines[i]);
        }
    }
    if (!replaced)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s=%s\n", key, value);
    mr_sim_conf c;
    mr_err err;
    if (mr_sim_conf_parse(text, n, &c, &err) == 0)
        fail_msg("accepted %s=%s", key, value ? value : "(missing)");
    if (!strstr(err.msg, want))
        fail_msg("%s=%s: message '%s' lacks '%s'", key, value ? value : "(missing)", err.msg, want);
}

static void hostile_descriptors(void **state)
{
    (void)state;
    expect_refused("part0.size", "12x", "line 3: part0.size=12x");
    expect_refused("part0.size", "-1", "want a size");
    expect_refused("part0.size", "0", "want a size");
    expect_refused("part0.size", "99999999999999999999999", "want a size");
    expect_refused("part0.size", "0x", "want a size");
    expect_refused("part0.size", "1073741824", "want a size from 1 byte to 256 MiB");
    expect_refused("part0.size", "65537", "size 65537 is not a multiple of the erase unit 4096");
    expect_refused("part0.erase_unit", "3000", "erase unit 3000 is not a power of two");
    expect_refused("part0.erase_unit", "8", "erase unit 8 is smaller than the minimum write size 16");
    expect_refused("part0.erase_unit", "4294967296", "want a number below 4 GiB");
    expect_refused("part0.write_min", "0", "minimum write size 0 is not a power of two");
    expect_refused("part0.writable", "maybe", "want yes or no");
    expect_refused("part0.style", "mmap", "want memoryview or block");
    expect_refused("part0.base", "0xffffffffffffffff", "overflows");
    expect_refused("partitions", "5", "want 1 to 4");
    expect_refused("partitions", "0", "want 1 to 4");
    expect_refused("partitions", "2", "lacks part1.size");
    expect_refused("part4.size", "4096", "at most 4 partitions");
    expect_refused("part1.size", "4096", "describes partition 1 but says partitions=1");
    expect_refused("part0.colour", "red", "unknown key 'part0.colour'");
    expect_refused("bogus", "1", "unknown key 'bogus'");
    expect_refused("version", "2", "version 2 is not supported");
    expect_refused("version", NULL, "no version line");
    expect_refused("part0.style", NULL, "lacks part0.style");
    expect_refused("link.baud", "1000000000", "want a baud rate");
    expect_refused("fault.corrupt_write", "x", "want a number");
    expect_refused("feature.sha256", "perhaps", "want yes or no");
}

static void hostile_text(void **state)
{
    (void)state;
    mr_sim_conf c;
    mr_err err;
    const char *dup = "version=1\nversion=1\n";
    assert_int_equal(mr_sim_conf_parse(dup, strlen(dup), &c, &err), -1);
    assert_non_null(strstr(err.msg, "line 2: 'version' is given twice"));
    const char *noeq = "version=1\njunk\n";
    assert_int_equal(mr_sim_conf_parse(noeq, strlen(noeq), &c, &err), -1);
    assert_non_null(strstr(err.msg, "expected key=value"));
    const char nul[] = "version=1\npartitions=1\0\n";
    assert_int_equal(mr_sim_conf_parse(nul, sizeof nul - 1, &c, &err), -1);
    assert_non_null(strstr(err.msg, "NUL"));
    char *longline = malloc(1000);
    memset(longline, 'a', 999);
    longline[999] = '\n';
    assert_int_equal(mr_sim_conf_parse(longline, 1000, &c, &err), -1);
    assert_non_null(strstr(err.msg, "too long"));
    free(longline);
    char *huge = calloc(1, MR_SIM_MAX_CONF_SIZE + 1);
    assert_int_equal(mr_sim_conf_parse(huge, MR_SIM_MAX_CONF_SIZE + 1, &c, &err), -1);
    assert_non_null(strstr(err.msg, "never larger"));
    free(huge);
    assert_int_equal(mr_sim_conf_parse("", 0, &c, &err), -1);
}

static void defaults_look_real(void **state)
{
    (void)state;
    mr_sim_conf c;
    mr_err err;
    mr_sim_conf_default(&c, 9); /* clamped */
    assert_int_equal(c.nparts, 4);
    assert_int_equal(mr_sim_conf_check(&c, &err), 0);
    assert_int_equal(c.part[0].size, 128 << 10);
    assert_int_equal(c.part[0].erase_unit, 4096);
    assert_int_equal(c.part[0].write_min, 16);
    assert_int_equal(c.part[0].base, 0x08100000);
    assert_int_equal(c.part[1].size, 1 << 20);
    assert_int_equal(c.part[1].erase_unit, 64 << 10);
    assert_int_equal(c.part[2].base, 0x90100000);
    c.nparts = 0;
    assert_int_equal(mr_sim_conf_check(&c, &err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(lenient_layout),
        cmocka_unit_test(hostile_descriptors),
        cmocka_unit_test(hostile_text),
        cmocka_unit_test(defaults_look_real),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
