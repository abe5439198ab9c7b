/* The serial device backend against a scripted board on a pty: the setup probe,
 * partition info for both styles, a read, hashing, errors the board reports.
 * (End-to-end runs against the simulated board live in tests/e2e.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base64.h"
#include "pty_peer.h"
#include "serial_device.h"

#define BANNER "raw REPL; CTRL-B to exit\r\n>"
#define PASTE {.expect = "\x05" "A\x01", .reply = "R\x01\x00\x80\x01", .reply_len = 5}
#define SETUP_END "u,g,l)))\n\x04"
#define INFO_END "bytes(m[:16]))))\n\x04"

static mr_device *open_ok(pty_peer *peer, const pty_step *steps, size_t n)
{
    assert_int_equal(pty_peer_start(peer, steps, n, false), 0);
    mr_open_opts o = {.timeout_ms = 2000, .verbose = getenv("WIRE") != NULL};
    mr_device *dev;
    mr_err err;
    if (mr_serial_open(peer->path, &o, &dev, &err) != 0)
        fail_msg("%s", err.msg);
    return dev;
}

static void memoryview_partition(void **state)
{
    (void)state;
    static char read_reply[200];
    uint8_t data[100];
    for (int i = 0; i < 100; i++)
        data[i] = (uint8_t)(i * 7);
    char b64[140];
    mr_base64_encode(data, 100, b64);
    b64[136] = 0;
    snprintf(read_reply, sizeof read_reply, "\x04" "b'%s\\n'\r\n\x04\x04>", b64);
    uint8_t sums[64];
    for (int i = 0; i < 64; i++)
        sums[i] = i < 32 ? (uint8_t)i : 0xff;
    char sums64[96];
    mr_base64_encode(sums, 64, sums64);
    sums64[88] = 0;
    char hash_reply[160];
    snprintf(hash_reply, sizeof hash_reply, "\x04" "b'%s\\n'\r\n\x04\x04>", sums64);
    const pty_step steps[] = {
        {.expect = "\r\x01", .reply = BANNER},
        PASTE,
        {.expect = SETUP_END, .reply = "\x04(True, 2, 1, 1, 1, 1, True, 1, 100000, 2)\r\n\x04\x04>"},
        PASTE,
        {.expect = "vfs.rom_ioctl(6,0)" , .reply = NULL},
        {.expect = INFO_END,
         .reply = "\x04(0, 131072, 4096, 134348800, b'\\xd2\\xcd1\\x80\\x1c\\x02\\x81\\x1c\\x05\\x87"
                  "\\x02\\x04a.py\\x81\\x02')\r\n\x04\x04>"},
        PASTE,
        {.expect = "print(b2a_base64(m[o:min(o+3072,100)]))\n\x04", .reply = read_reply},
        PASTE,
        /* digests come back joined, as one base64 string */
        {.expect = "h=h+sha256(m[o:min(o+4096,131072)]).digest()\nprint(repr(b2a_base64(h)))\n\x04",
         .reply = hash_reply},
    };
    pty_peer peer;
    mr_device *dev = open_ok(&peer, steps, sizeof steps / sizeof steps[0]);
    mr_err err;
    unsigned n;
    assert_int_equal(dev->ops->count(dev, &n, &err), 0);
    assert_int_equal(n, 2);
    mr_dev_caps caps;
    assert_int_equal(dev->ops->caps(dev, &caps, &err), 0);
    assert_true(caps.sha256 && caps.deflate && caps.base64 && caps.raw_paste);
    assert_int_equal(caps.mem_free, 100000);
    mr_part_info pi;
    if (dev->ops->info(dev, 0, &pi, &err) != 0)
        fail_msg("%s", err.msg);
    assert_false(pi.block_device);
    assert_int_equal(pi.size, 131072);
    assert_int_equal(pi.erase_unit, 4096);
    assert_true(pi.base_known);
    assert_int_equal(pi.base, 134348800);
    assert_true(pi.writable);
    assert_true(pi.has_image);
    assert_int_equal(pi.image_size, 3 + 2 + 28); /* d2 cd 31, length 80 1c (padded varuint), payload */
    uint8_t buf[100];
    if (dev->ops->read(dev, 0, 0, buf, 100, &err) != 0)
        fail_msg("%s", err.msg);
    assert_memory_equal(buf, data, 100);
    mr_hash_algo algo;
    uint8_t digests[2][32];
    if (dev->ops->hash(dev, 0, 0, 4096, 2, &algo, digests, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(algo, MR_HASH_SHA256);
    assert_int_equal(digests[0][31], 0x1f);
    assert_int_equal(digests[1][0], 0xff);
    /* out of range: no round trip needed */
    uint64_t trips = dev->stats.round_trips;
    assert_int_equal(dev->ops->info(dev, 5, &pi, &err), -1);
    assert_non_null(strstr(err.msg, "partition 5 does not exist: the board has 2 ROMFS partitions (0-1)"));
    assert_int_equal(dev->stats.round_trips, trips);
    assert_int_equal(dev->stats.round_trips, 4);
    assert_true(dev->stats.bytes_received > 200);
    mr_device_close(dev);
    assert_int_equal(pty_peer_finish(&peer), 0);
}

static void block_device_partition(void **state)
{
    (void)state;
    const pty_step steps[] = {
        {.expect = "\r\x01", .reply = BANNER},
        PASTE,
        {.expect = SETUP_END, .reply = "\x04(True, 1, 0, 1, 0, 0, False, 0, 0, 1)\r\n\x04\x04>"},
        PASTE,
        {.expect = INFO_END,
         .reply = "\x04(1, 64, 4096, -1, b'\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff"
                  "\\xff\\xff\\xff\\xff\\xff')\r\n\x04\x04>"},
        PASTE,
        {.expect = "print(repr([crc32(m[o:min(o+4096,262144)]) for o in range(0,4096,4096)]))\n\x04",
         .reply = "\x04[3735928559]\r\n\x04\x04>"},
    };
    pty_peer peer;
    mr_device *dev = open_ok(&peer, steps, sizeof steps / sizeof steps[0]);
    mr_err err;
    mr_part_info pi;
    if (dev->ops->info(dev, 0, &pi, &err) != 0)
        fail_msg("%s", err.msg);
    assert_true(pi.block_device);
    assert_int_equal(pi.size, 64 * 4096);
    assert_int_equal(pi.erase_unit, 4096);
    assert_false(pi.base_known);
    assert_false(pi.has_image);
    mr_hash_algo algo;
    uint8_t d[1][32];
    if (dev->ops->hash(dev, 0, 0, 4096, 1, &algo, d, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(algo, MR_HASH_CRC32);
    assert_memory_equal(d[0], "\xde\xad\xbe\xef", 4);
    mr_device_close(dev);
    assert_int_equal(pty_peer_finish(&peer), 0);
}

static void firmware_without_romfs(void **state)
{
    (void)state;
    const pty_step steps[] = {
        {.expect = "\r\x01", .reply = BANNER},
        PASTE,
        {.expect = SETUP_END, .reply = "\x04(False, 0, 1, 1, 1, 1, True, 1, 5000, 2)\r\n\x04\x04>"},
    };
    assert_int_equal(0, 0);
    pty_peer peer;
    assert_int_equal(pty_peer_start(&peer, steps, 3, false), 0);
    mr_device *dev;
    mr_err err;
    mr_open_opts o = {.timeout_ms = 2000};
    assert_int_equal(mr_serial_open(peer.path, &o, &dev, &err), -1);
    assert_non_null(strstr(err.msg, "ROMFS is not enabled in this firmware"));
    assert_int_equal(pty_peer_finish(&peer), 0);
}

static void missing_partition_and_refused_erase(void **state)
{
    (void)state;
    const pty_step steps[] = {
        {.expect = "\r\x01", .reply = BANNER},
        PASTE,
        {.expect = SETUP_END, .reply = "\x04(True, 2, 1, 1, 1, 1, True, 1, 100000, 2)\r\n\x04\x04>"},
        PASTE,
        {.expect = INFO_END, .reply = "\x04(-19,)\r\n\x04\x04>"},
        PASTE,
        {.expect = INFO_END, .reply = "\x04(0, 8192, 0, 4096, b'')\r\n\x04\x04>"},
        PASTE,
        {.expect = "vfs.umount('/rom')", .reply = NULL},
        {.expect = "print(repr((k,0,w)))\n\x04", .reply = "\x04(-22, 0, 0)\r\n\x04\x04>"},
        /* info is fetched again after an erase: the first bytes may have changed */
        PASTE,
        {.expect = INFO_END, .reply = "\x04(0, 8192, 0, 4096, b'')\r\n\x04\x04>"},
    };
    pty_peer peer;
    mr_device *dev = open_ok(&peer, steps, sizeof steps / sizeof steps[0]);
    mr_err err;
    mr_part_info pi;
    assert_int_equal(dev->ops->info(dev, 0, &pi, &err), -1);
    assert_non_null(strstr(err.msg, "-19 (ENODEV)"));
    if (dev->ops->info(dev, 1, &pi, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(pi.erase_unit, 8192); /* no unit given: the whole partition */
    assert_int_equal(pi.base, 4096);
    assert_int_equal(dev->ops->erase(dev, 1, 0, 8192, &err), -1);
    assert_non_null(strstr(err.msg, "cannot be written on this board"));
    assert_non_null(strstr(err.msg, "-22 (EINVAL)"));
    assert_int_equal(dev->ops->info(dev, 1, &pi, &err), 0);
    assert_false(pi.writable);
    mr_device_close(dev);
    assert_int_equal(pty_peer_finish(&peer), 0);
}

static void reset_then_list_rom(void **state)
{
    (void)state;
    const pty_step steps[] = {
        {.expect = "\r\x01", .reply = BANNER},
        PASTE,
        {.expect = SETUP_END, .reply = "\x04(True, 1, 1, 1, 1, 1, True, 1, 100000, 2)\r\n\x04\x04>"},
        /* the soft reset: an empty program */
        {.expect = "\x04", .reply = "OK\r\nMPY: soft reboot\r\n" BANNER},
        PASTE,
        {.expect = SETUP_END, .reply = "\x04(True, 1, 1, 1, 1, 1, True, 1, 100000, 2)\r\n\x04\x04>"},
        PASTE,
        {.expect = "os.ilistdir('/rom')]))\n\x04",
         .reply = "\x04[('lib', 16384), ('main.py', 32768), ('it\\'s', 32768)]\r\n\x04\x04>"},
        PASTE,
        {.expect = "os.ilistdir('/rom/lib')]))\n\x04", .reply = "\x04[('a.py', 32768)]\r\n\x04\x04>"},
    };
    pty_peer peer;
    mr_device *dev = open_ok(&peer, steps, sizeof steps / sizeof steps[0]);
    mr_err err;
    char **paths;
    size_t n;
    if (dev->ops->reset_and_list(dev, &paths, &n, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(n, 4);
    assert_string_equal(paths[0], "lib/");
    assert_string_equal(paths[1], "lib/a.py");
    assert_string_equal(paths[2], "main.py");
    assert_string_equal(paths[3], "it's");
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    mr_device_close(dev);
    assert_int_equal(pty_peer_finish(&peer), 0);
}

static void hostile_listing_is_refused(void **state)
{
    (void)state;
    const pty_step steps[] = {
        {.expect = "\r\x01", .reply = BANNER},
        PASTE,
        {.expect = SETUP_END, .reply = "\x04(True, 1, 1, 1, 1, 1, True, 1, 100000, 2)\r\n\x04\x04>"},
        {.expect = "\x04", .reply = "OK\r\nMPY: soft reboot\r\n" BANNER},
        PASTE,
        {.expect = SETUP_END, .reply = "\x04(True, 1, 1, 1, 1, 1, True, 1, 100000, 2)\r\n\x04\x04>"},
        PASTE,
        {.expect = "os.ilistdir('/rom')]))\n\x04", .reply = "\x04[('../etc', 16384)]\r\n\x04\x04>"},
    };
    pty_peer peer;
    mr_device *dev = open_ok(&peer, steps, sizeof steps / sizeof steps[0]);
    mr_err err;
    char **paths;
    size_t n;
    assert_int_equal(dev->ops->reset_and_list(dev, &paths, &n, &err), -1);
    assert_non_null(strstr(err.msg, "unexpected entry"));
    mr_device_close(dev);
    assert_int_equal(pty_peer_finish(&peer), 0);
}

static int cancel_at_once(void *ctx, size_t ops_done, uint64_t bytes_done)
{
    size_t *calls = ctx;
    (*calls)++;
    assert_int_equal(ops_done, 0);
    assert_true(bytes_done > 0 && bytes_done < 3000);
    return 1;
}

/* A small board gets several programs for one write; the progress callback runs
 * after each and may stop the write between them. */
static void write_in_pieces_and_cancel(void **state)
{
    (void)state;
    const pty_step steps[] = {
        {.expect = "\r\x01", .reply = BANNER},
        PASTE,
        {.expect = SETUP_END, .reply = "\x04(True, 1, 1, 1, 1, 1, True, 1, 8000, 2)\r\n\x04\x04>"},
        PASTE,
        {.expect = INFO_END, .reply = "\x04(0, 65536, 4096, 0, b'')\r\n\x04\x04>"},
        PASTE,
        /* the batch's bytes as one deflate stream first, then the statements */
        {.expect = "f=DeflateIO(BytesIO(a2b_base64(b'", .reply = NULL},
        {.expect = "vfs.umount('/rom')", .reply = NULL},
        {.expect = "k=vfs.rom_ioctl(3,0,j,min(32768,4096-j))", .reply = NULL},
        {.expect = "buf=f.read(1024)", .reply = NULL},
        {.expect = "k=vfs.rom_ioctl(4,0,0,buf)", .reply = NULL},
        {.expect = "print(repr((k,q,w)))\n\x04", .reply = "\x04(0, 0, 16)\r\n\x04\x04>"},
    };
    pty_peer peer;
    mr_device *dev = open_ok(&peer, steps, sizeof steps / sizeof steps[0]);
    mr_err err;
    uint8_t data[3000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i % 50);
    mr_write_op op = {.offset = 0, .data = data, .len = sizeof data, .erase_first = true};
    size_t calls = 0;
    assert_int_equal(mr_device_write(dev, 0, &op, 1, cancel_at_once, &calls, &err), -1);
    assert_int_equal(calls, 1);
    assert_non_null(strstr(err.msg, "cancelled after 0 of 1 writes"));
    mr_device_close(dev);
    assert_int_equal(pty_peer_finish(&peer), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(memoryview_partition),
        cmocka_unit_test(block_device_partition),
        cmocka_unit_test(firmware_without_romfs),
        cmocka_unit_test(missing_partition_and_refused_erase),
        cmocka_unit_test(reset_then_list_rom),
        cmocka_unit_test(hostile_listing_is_refused),
        cmocka_unit_test(write_in_pieces_and_cancel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
