/* Device names and USB identities: pure, no hardware needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ports.h"

static const mr_port two_boards[] = {
    {.path = "/dev/ttyACM0", .usb = true, .vid = 0x0483, .pid = 0x5740, .serial = "X1"},
    {.path = "/dev/ttyACM1", .usb = true, .vid = 0x2e8a, .pid = 0x0005, .serial = "E6614"},
    {.path = "/dev/ttyS0"},
    {.path = "/dev/ttyUSB0", .usb = true, .vid = 0x10c4, .pid = 0xea60, .serial = "0001"},
};

static void resolve(const char *name, const mr_port *ports, size_t n, const char *want_path,
                    uint32_t want_baud)
{
    char path[256];
    uint32_t baud = 1;
    mr_err err;
    if (mr_port_resolve(name, ports, n, path, sizeof path, &baud, &err) != 0)
        fail_msg("%s: %s", name, err.msg);
    assert_string_equal(path, want_path);
    assert_int_equal(baud, want_baud);
}

static void shortcuts_and_prefixes(void **state)
{
    (void)state;
    resolve("a0", NULL, 0, "/dev/ttyACM0", 0);
    resolve("a3", NULL, 0, "/dev/ttyACM3", 0);
    resolve("u2", NULL, 0, "/dev/ttyUSB2", 0);
    resolve("/dev/pts/7", NULL, 0, "/dev/pts/7", 0);
    resolve("serial:/dev/ttyUSB0", NULL, 0, "/dev/ttyUSB0", 0);
    resolve("serial:/dev/ttyUSB0@921600", NULL, 0, "/dev/ttyUSB0", 921600);
    resolve("port:/dev/ttyS1", NULL, 0, "/dev/ttyS1", 0);
    resolve("id:E6614", two_boards, 4, "/dev/ttyACM1", 0);
}

static void bad_names(void **state)
{
    (void)state;
    char path[256];
    uint32_t baud;
    mr_err err;
    const char *bad[] = {"a4", "u9", "ttyACM0", "serial:/dev/ttyUSB0@", "serial:/dev/x@fast",
                         "serial:/dev/x@0", "serial:@115200", "serial:", "id:nope"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(mr_port_resolve(bad[i], two_boards, 4, path, sizeof path, &baud, &err), -1);
    assert_int_equal(mr_port_resolve("ttyACM0", NULL, 0, path, sizeof path, &baud, &err), -1);
    assert_non_null(strstr(err.msg, "a0-a3"));
}

static void auto_prefers_micropython(void **state)
{
    (void)state;
    /* ACM0 is a USB port but not a MicroPython ID; ACM1 is an rp2 */
    resolve("auto", two_boards, 4, "/dev/ttyACM1", 0);
    /* without a MicroPython ID, the first USB port */
    mr_port others[] = {two_boards[2], two_boards[3]};
    resolve("auto", others, 2, "/dev/ttyUSB0", 0);
    /* nothing USB at all */
    char path[256];
    uint32_t baud;
    mr_err err;
    assert_int_equal(mr_port_resolve("auto", &two_boards[2], 1, path, sizeof path, &baud, &err), -1);
    assert_non_null(strstr(err.msg, "no board found"));
    assert_int_equal(mr_port_resolve("auto", NULL, 0, path, sizeof path, &baud, &err), -1);
}

static void usb_ids(void **state)
{
    (void)state;
    assert_true(mr_usb_id_is_micropython(0xf055, 0x9800));
    assert_true(mr_usb_id_is_micropython(0xf055, 0x980a));
    assert_false(mr_usb_id_is_micropython(0xf055, 0x980b));
    assert_true(mr_usb_id_is_micropython(0x2e8a, 0x0005));
    assert_false(mr_usb_id_is_micropython(0x2e8a, 0x000a));
    assert_true(mr_usb_id_is_micropython(0x37c5, 0x1234));
    assert_true(mr_usb_id_is_micropython(0x303a, 0x4001));
    assert_false(mr_usb_id_is_micropython(0x303a, 0x1001)); /* USB-Serial/JTAG */
    assert_false(mr_usb_id_is_micropython(0x10c4, 0xea60));
    assert_string_equal(mr_usb_id_kind(0x10c4, 0xea60), "CP210x bridge");
    assert_string_equal(mr_usb_id_kind(0x1a86, 0x55d4), "CH9102 bridge");
    assert_null(mr_usb_id_kind(0x1234, 0x5678));
}

static void listing_works_without_hardware(void **state)
{
    (void)state;
    mr_port *ports;
    size_t n;
    mr_err err;
    if (mr_ports_list(&ports, &n, &err) != 0)
        fail_msg("%s", err.msg);
    for (size_t i = 1; i < n; i++)
        assert_true(strcmp(ports[i - 1].path, ports[i].path) < 0);
    free(ports);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shortcuts_and_prefixes), cmocka_unit_test(bad_names),
        cmocka_unit_test(auto_prefers_micropython), cmocka_unit_test(usb_ids),
        cmocka_unit_test(listing_works_without_hardware),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
