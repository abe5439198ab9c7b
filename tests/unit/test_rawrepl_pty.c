/* The raw REPL client end to end over a real pseudo-terminal (the termios
 * transport), against a scripted board: banners, raw-paste flow control, the
 * fallbacks, tracebacks, garbage, silence, split reads, a board that vanishes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pty_peer.h"
#include "rawrepl.h"
#include "transport.h"

/* replies holding NUL bytes need their length */
#define RAW(s) .reply = s, .reply_len = sizeof(s) - 1
#define BANNER "raw REPL; CTRL-B to exit\r\n>"

typedef struct {
    pty_peer peer;
    mr_transport *t;
    mr_rawrepl r;
} rig;

static void rig_start(rig *g, const pty_step *steps, size_t n, bool hang_up, unsigned timeout_ms)
{
    assert_int_equal(pty_peer_start(&g->peer, steps, n, hang_up), 0);
    assert_true(mr_path_is_pty(g->peer.path));
    mr_err err;
    if (mr_transport_open(g->peer.path, 115200, getenv("WIRE") != NULL, &g->t, &err) != 0)
        fail_msg("%s", err.msg);
    mr_rawrepl_init(&g->r, g->t, timeout_ms);
}

static int rig_finish(rig *g)
{
    mr_transport_close(g->t);
    return pty_peer_finish(&g->peer);
}

static void exec_ok(mr_rawrepl *r, const char *src, const char *want)
{
    mr_err err;
    char *out;
    size_t n;
    if (mr_rawrepl_exec(r, src, strlen(src), 0, 1000, &out, &n, &err) != 0)
        fail_msg("exec failed: %s", err.msg);
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
    free(out);
}

static void raw_paste_with_flow_control(void **state)
{
    (void)state;
    const pty_step steps[] = {
        {.expect = "\r\x01", .reply = BANNER},
        {.expect = "\x05" "A\x01", RAW("R\x01\x08\x00\x01")},
        /* window 8 plus one extra credit: the client may send 16 bytes, then waits */
        {.expect = "print(repr(12345", .quiet_ms = 150, .reply = "\x01"},
        {.expect = "678))\x04", .reply = "\x04" "12345678\r\n\x04\x04>", .trickle = true},
        {.expect = "\x05" "A\x01", RAW("R\x01\x80\x00\x01")},
        {.expect = "print(2)\x04", .reply = "\x04" "2\r\n\x04\x04>"},
    };
    rig g;
    rig_start(&g, steps, sizeof steps / sizeof steps[0], false, 2000);
    mr_err err;
    if (mr_rawrepl_enter(&g.r, false, &err) != 0)
        fail_msg("%s", err.msg);
    exec_ok(&g.r, "print(repr(12345678))", "12345678\r\n");
    assert_true(g.r.used_raw_paste);
    exec_ok(&g.r, "print(2)", "2\r\n");
    assert_int_equal(g.r.round_trips, 2);
    assert_true(g.t->bytes_sent > 30);
    assert_int_equal(rig_finish(&g), 0);
}

static void falls_back_when_unsupported(void **state)
{
    (void)state;
    const pty_step steps[] = {
        {.expect = "\r\x01", .reply = BANNER},
        {.expect = "\x05" "A\x01", RAW("R\x00>")},
        {.expect = "print(1)\x04", .reply = "OK1\r\n\x04\x04>", .trickle = true},
        /* no second raw-paste request: straight to the program */
        {.expect = "print(3)\x04", .reply = "OK3\r\n\x04\x04>"},
    };
    rig g;
    rig_start(&g, steps, 4, false, 2000);
    mr_err err;
    if (mr_rawrepl_enter(&g.r, false, &err) != 0)
        fail_msg("%s", err.msg);
    exec_ok(&g.r, "print(1)", "1\r\n");
    assert_false(g.r.used_raw_paste);
    exec_ok(&g.r, "print(3)", "3\r\n");
    assert_int_equal(rig_finish(&g), 0);
}

static void old_board_without_raw_paste(void **state)
{
    (void)state;
    const pty_step steps[] = {
        {.expect = "\r\x01", .reply = BANNER},
        {.expect = "\x05" "A\x01", .reply = BANNER, .trickle = true},
        {.expect = "x=1\x04", .reply = "OK\x04\x04>"},
    };
    rig g;
    rig_start(&g, steps, 3, false, 2000);
    mr_err err;
    if (mr_rawrepl_enter(&g.r, false, &err) != 0)
        fail_msg("%s", err.msg);
    exec_ok(&g.r, "x=1", "");
    assert_int_equal(rig_finish(&g), 0);
}

static void soft_reset_waits_for_banner(void **state)
{
    (void)state;
    const pty_step steps[] = {
        {.expect = "\r\x01", .reply = "\r\n>>> " BANNER},
        {.expect = "\x04", .reply = "OK\r\nMPY: soft reboot\r\nboot.py says hi\r\n" BANNER,
         .trickle = true},
    };
    rig g;
    rig_start(&g, steps, 2, false, 2000);
    mr_err err;
    if (mr_rawrepl_enter(&g.r, true, &err) != 0)
        fail_msg("%s", err.msg);
    assert_true(g.r.at_prompt);
    assert_int_equal(rig_finish(&g), 0);
}

static void traceback_becomes_error(void **state)
{
    (void)state;
    const pty_step steps[] = {
        {.expect = "\r\x01", .reply = BANNER},
        {.expect = "\x05" "A\x01", RAW("R\x01\x80\x00\x01")},
        {.expect = "vfs.rom_ioctl(9)\x04",
         .reply = "\x04\x04Traceback (most recent call last):\r\n  File \"<stdin>\", line 1, in "
                  "<module>\r\nOSError: [Errno 22] EINVAL\r\n\x04>"},
    };
    rig g;
    rig_start(&g, steps, 3, false, 2000);
    mr_err err;
    if (mr_rawrepl_enter(&g.r, false, &err) != 0)
        fail_msg("%s", err.msg);
    char *out;
    size_t n;
    assert_int_equal(mr_rawrepl_exec(&g.r, "vfs.rom_ioctl(9)", 16, 0, 100, &out, &n, &err), -1);
    assert_true(g.r.board_raised);
    assert_non_null(strstr(err.msg, "raised an exception"));
    assert_non_null(strstr(err.msg, "OSError: [Errno 22] EINVAL"));
    assert_true(g.r.at_prompt); /* still usable */
    assert_int_equal(rig_finish(&g), 0);
}

static void early_stop_in_raw_paste(void **state)
{
    (void)state;
    const pty_step steps[] = {
        {.expect = "\r\x01", .reply = BANNER},
        {.expect = "\x05" "A\x01", RAW("R\x01\x04\x00")},
        /* the board stops reading after one window (a syntax error) */
        {.expect = "x=((", .reply = "\x04"},
        {.expect = "\x04", .reply = "\x04SyntaxError: invalid syntax\r\n\x04>"},
    };
    rig g;
    rig_start(&g, steps, 4, false, 2000);
    mr_err err;
    if (mr_rawrepl_enter(&g.r, false, &err) != 0)
        fail_msg("%s", err.msg);
    char *out;
    size_t n;
    const char *prog = "x=((((((((((((((((((";
    assert_int_equal(mr_rawrepl_exec(&g.r, prog, strlen(prog), 0, 100, &out, &n, &err), -1);
    assert_non_null(strstr(err.msg, "SyntaxError"));
    assert_int_equal(rig_finish(&g), 0);
}

static void silence_is_a_clear_error(void **state)
{
    (void)state;
    const pty_step steps[] = {{.expect = "\r\x01", .reply = "busy busy"}};
    rig g;
    rig_start(&g, steps, 1, false, 300);
    mr_err err;
    assert_int_equal(mr_rawrepl_enter(&g.r, false, &err), -1);
    assert_non_null(strstr(err.msg, "no answer from /dev/pts/"));
    assert_non_null(strstr(err.msg, "after 1 s"));
    assert_non_null(strstr(err.msg, "busy busy"));
    assert_non_null(strstr(err.msg, "try --reset"));
    rig_finish(&g);
}

static void program_that_never_ends(void **state)
{
    (void)state;
    const pty_step steps[] = {
        {.expect = "\r\x01", .reply = BANNER},
        {.expect = "\x05" "A\x01", RAW("R\x01\x80\x00\x01")},
        {.expect = "while 1:pass\x04", .reply = "\x04"},
    };
    rig g;
    rig_start(&g, steps, 3, false, 300);
    mr_err err;
    if (mr_rawrepl_enter(&g.r, false, &err) != 0)
        fail_msg("%s", err.msg);
    char *out;
    size_t n;
    assert_int_equal(mr_rawrepl_exec(&g.r, "while 1:pass", 12, 0, 100, &out, &n, &err), -1);
    assert_non_null(strstr(err.msg, "while it ran a program"));
    rig_finish(&g);
}

static void board_vanishes_mid_reply(void **state)
{
    (void)state;
    const pty_step steps[] = {
        {.expect = "\r\x01", .reply = BANNER},
        {.expect = "\x05" "A\x01", RAW("R\x01\x80\x00\x01")},
        {.expect = "print(1)\x04", .reply = "\x04" "12"},
    };
    rig g;
    rig_start(&g, steps, 3, true, 3000);
    mr_err err;
    if (mr_rawrepl_enter(&g.r, false, &err) != 0)
        fail_msg("%s", err.msg);
    char *out;
    size_t n;
    assert_int_equal(mr_rawrepl_exec(&g.r, "print(1)", 8, 0, 100, &out, &n, &err), -1);
    assert_non_null(strstr(err.msg, "lost the connection"));
    rig_finish(&g);
}

static void garbage_instead_of_paste_reply(void **state)
{
    (void)state;
    const pty_step steps[] = {
        {.expect = "\r\x01", .reply = BANNER},
        {.expect = "\x05" "A\x01", .reply = "\xff\xfeZZ"},
    };
    rig g;
    rig_start(&g, steps, 2, false, 1000);
    mr_err err;
    if (mr_rawrepl_enter(&g.r, false, &err) != 0)
        fail_msg("%s", err.msg);
    char *out;
    size_t n;
    assert_int_equal(mr_rawrepl_exec(&g.r, "print(1)", 8, 0, 100, &out, &n, &err), -1);
    assert_non_null(strstr(err.msg, "\\xff"));
    assert_non_null(strstr(err.msg, "raw-paste request"));
    rig_finish(&g);
}

static void missing_port(void **state)
{
    (void)state;
    mr_transport *t;
    mr_err err;
    assert_int_equal(mr_transport_open("/dev/ttyACM_mpromfs_none", 0, false, &t, &err), -1);
    assert_non_null(strstr(err.msg, "does not exist"));
    assert_int_equal(mr_transport_open("/etc/hostname", 0, false, &t, &err), -1);
    assert_non_null(strstr(err.msg, "not a serial port"));
    assert_false(mr_path_is_pty("/dev/null"));
}

/* libserialport cannot open a pty (no sysfs entry, no modem-control ioctls):
 * mr_transport_open must notice and use termios, which can. */
static void pty_goes_through_termios(void **state)
{
    (void)state;
    const pty_step steps[] = {{.expect = "ping", .reply = "pong"}};
    pty_peer peer;
    assert_int_equal(pty_peer_start(&peer, steps, 1, false), 0);
    mr_transport *t;
    mr_err err;
    assert_int_equal(mr_transport_open_libserialport(peer.path, 0, &t, &err), -1);
    assert_non_null(strstr(err.msg, peer.path));
    if (mr_transport_open(peer.path, 0, false, &t, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(mr_transport_write(t, (const uint8_t *)"ping", 4, &err), 0);
    assert_int_equal(mr_transport_drain(t, &err), 0); /* the peer reads: nothing stays queued */
    uint8_t buf[8];
    size_t got = 0, total = 0;
    while (total < 4) {
        assert_int_equal(mr_transport_read(t, buf + total, sizeof buf - total, mr_now_ms() + 2000, &got, &err), 0);
        assert_true(got > 0);
        total += got;
    }
    assert_memory_equal(buf, "pong", 4);
    /* a second client is refused while the first holds the port */
    mr_transport *t2;
    assert_int_equal(mr_transport_open(peer.path, 0, false, &t2, &err), -1);
    assert_non_null(strstr(err.msg, "is busy"));
    assert_int_equal(t->bytes_sent, 4);
    assert_int_equal(t->bytes_received, 4);
    /* nothing more comes: the read returns empty at the deadline */
    uint64_t t0 = mr_now_ms();
    assert_int_equal(mr_transport_read(t, buf, sizeof buf, t0 + 100, &got, &err), 0);
    assert_int_equal(got, 0);
    assert_true(mr_now_ms() - t0 >= 90);
    mr_transport_close(t);
    assert_int_equal(pty_peer_finish(&peer), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(raw_paste_with_flow_control),
        cmocka_unit_test(falls_back_when_unsupported),
        cmocka_unit_test(old_board_without_raw_paste),
        cmocka_unit_test(soft_reset_waits_for_banner),
        cmocka_unit_test(traceback_becomes_error),
        cmocka_unit_test(early_stop_in_raw_paste),
        cmocka_unit_test(silence_is_a_clear_error),
        cmocka_unit_test(program_that_never_ends),
        cmocka_unit_test(board_vanishes_mid_reply),
        cmocka_unit_test(garbage_instead_of_paste_reply),
        cmocka_unit_test(missing_port),
        cmocka_unit_test(pty_goes_through_termios),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
