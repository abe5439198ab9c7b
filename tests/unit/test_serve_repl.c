/* The REPL framing of the simulated board on scripted bytes: exactly what a host
 * reads back for the friendly REPL, the raw REPL, raw-paste windows, soft reset,
 * Ctrl-B/Ctrl-C, interrupts while a program runs, and a power cut. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "py_board_mem.h"
#include "serve_repl.h"

typedef struct host {
    py_mem_board board;
    serve_repl *repl;
    uint8_t *out;
    size_t n;
    /* poll: Ctrl-C after this many calls (0 never), and bytes to push meanwhile */
    int polls, interrupt_at;
    const char *push;
} host;

static void collect(void *ctx, const uint8_t *d, size_t n)
{
    host *h = ctx;
    h->out = realloc(h->out, h->n + n + 1);
    memcpy(h->out + h->n, d, n);
    h->n += n;
    h->out[h->n] = 0;
}

static bool poll_host(void *ctx, serve_repl *r)
{
    host *h = ctx;
    h->polls++;
    if (h->push) {
        serve_repl_push(r, (const uint8_t *)h->push, strlen(h->push));
        h->push = NULL;
    }
    return h->interrupt_at && h->polls >= h->interrupt_at;
}

static host *make_host(py_caps caps, size_t max_source)
{
    host *h = calloc(1, sizeof *h);
    py_part p0 = {.size = 64 * 1024, .base = 0x08100000, .erase_unit = 4096, .write_min = 16,
                  .writable = true};
    assert_int_equal(py_mem_board_add(&h->board, &p0), 0);
    serve_repl_config cfg = {
        .py = {.board = &py_mem_board_ops, .board_ctx = &h->board, .caps = caps,
               .limits = py_default_limits(), .machine = "test board"},
        .write = collect,
        .write_ctx = h,
        .poll = poll_host,
        .poll_ctx = h,
    };
    if (max_source)
        cfg.py.limits.max_source = max_source;
    h->repl = serve_repl_new(&cfg);
    assert_non_null(h->repl);
    return h;
}

static void free_host(host *h)
{
    serve_repl_free(h->repl);
    py_mem_board_free(&h->board);
    free(h->out);
    free(h);
}

static void clear(host *h)
{
    h->n = 0;
    if (h->out)
        h->out[0] = 0;
}

static void send(host *h, const char *s, size_t n)
{
    serve_repl_feed(h->repl, (const uint8_t *)s, n);
}

#define SEND(h, lit) send(h, lit, sizeof(lit) - 1)
#define EXPECT(h, lit) expect(h, lit, sizeof(lit) - 1)

static void dump(const uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, d[i] >= 0x20 && d[i] < 0x7f ? "%c" : "\\x%02x", d[i]);
    fprintf(stderr, "\n");
}

static void expect(host *h, const char *want, size_t n)
{
    if (h->n != n || memcmp(h->out, want, n) != 0) {
        fprintf(stderr, "got:    ");
        dump(h->out, h->n);
        fprintf(stderr, "wanted: ");
        dump((const uint8_t *)want, n);
        fail();
    }
    clear(h);
}

#define BANNER "MicroPython v1.25.0 on 2026-01-01; test board\r\nType \"help()\" for more information.\r\n>>> "
#define RAW "raw REPL; CTRL-B to exit\r\n>"

static int setup(void **state)
{
    host *h = make_host(py_all_caps(), 0);
    serve_repl_boot(h->repl);
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    free_host(*state);
    return 0;
}

static void friendly_repl(void **state)
{
    host *h = *state;
    EXPECT(h, BANNER);
    SEND(h, "1+1\r");
    EXPECT(h, "1+1\r\n2\r\n>>> ");
    SEND(h, "x=5\r\nx\r");
    EXPECT(h, "x=5\r\n>>> x\r\n5\r\n>>> ");
    SEND(h, "\r");
    EXPECT(h, "\r\n>>> ");
    SEND(h, "abc\x7f\x7f" "d\r");
    EXPECT(h, "abc\b \b\b \bd\r\nTraceback (most recent call last):\r\n  File \"<stdin>\", line 1, in <module>\r\n"
              "NameError: name 'ad' isn't defined\r\n>>> ");
    SEND(h, "partial\x03");
    EXPECT(h, "partial\r\n>>> ");
    SEND(h, "\x1b[Ax\r");      /* an arrow key is ignored */
    EXPECT(h, "x\r\n5\r\n>>> ");
    SEND(h, "for i in range(2):\r print(i)\r\r");
    EXPECT(h, "for i in range(2):\r\n...  print(i)\r\n... \r\n0\r\n1\r\n>>> ");
    SEND(h, "\x02");
    EXPECT(h, "\r\n" BANNER);
    /* Ctrl-D on an empty line: soft reset, the variables are gone */
    SEND(h, "\x04");
    EXPECT(h, "\r\nMPY: soft reboot\r\n" BANNER);
    SEND(h, "x\r");
    EXPECT(h, "x\r\nTraceback (most recent call last):\r\n  File \"<stdin>\", line 1, in <module>\r\n"
              "NameError: name 'x' isn't defined\r\n>>> ");
}

static void friendly_paste_mode(void **state)
{
    host *h = *state;
    clear(h);
    SEND(h, "\x05");
    EXPECT(h, "\r\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== ");
    SEND(h, "a=2\rprint(a*3)\r\x04");
    EXPECT(h, "a=2\r\n=== print(a*3)\r\n=== \r\n6\r\n>>> ");
    SEND(h, "\x05junk\x03");
    EXPECT(h, "\r\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== junk\r\n>>> ");
}

static void raw_repl(void **state)
{
    host *h = *state;
    clear(h);
    SEND(h, "\r\x03\r\x01");
    EXPECT(h, "\r\n>>> \r\n>>> \r\n>>> \r\n" RAW);
    SEND(h, "print(1)\nbuf=b'kept'\x04");
    EXPECT(h, "OK1\r\n\x04\x04>");
    SEND(h, "print(buf)\x04");
    EXPECT(h, "OKb'kept'\r\n\x04\x04>");
    SEND(h, "print('out')\nx\x04");
    EXPECT(h, "OKout\r\n\x04Traceback (most recent call last):\r\n  File \"<stdin>\", line 2, in <module>\r\n"
              "NameError: name 'x' isn't defined\r\n\x04>");
    SEND(h, "garbage that is dropped\x03print(2)\x04");
    EXPECT(h, "OK2\r\n\x04\x04>");
    /* Ctrl-A again resets the raw REPL */
    SEND(h, "half\x01");
    EXPECT(h, RAW);
    /* soft reset: mpremote waits for "soft reboot\r\n" then the banner */
    SEND(h, "\x04");
    EXPECT(h, "OK\r\nMPY: soft reboot\r\n" RAW);
    SEND(h, "print(buf)\x04");
    EXPECT(h, "OK\x04Traceback (most recent call last):\r\n  File \"<stdin>\", line 1, in <module>\r\n"
              "NameError: name 'buf' isn't defined\r\n\x04>");
    SEND(h, "\r\x02");
    EXPECT(h, "\r\n" BANNER);
}

static void raw_paste(void **state)
{
    host *h = *state;
    SEND(h, "\x01");
    clear(h);
    SEND(h, "\x05" "A\x01");
    EXPECT(h, "R\x01\x80\x00\x01");
    /* 300 bytes: the board frees a window after each 128 it consumes */
    char prog[301];
    memset(prog, ' ', 300);
    memcpy(prog, "x=1", 3);
    memcpy(prog + 290, "\nprint(x)\n", 10);
    prog[300] = 0;
    send(h, prog, 128);
    EXPECT(h, "\x01");
    send(h, prog + 128, 127);
    EXPECT(h, "");
    send(h, prog + 255, 1);
    EXPECT(h, "\x01");
    send(h, prog + 256, 44);
    EXPECT(h, "");
    SEND(h, "\x04");
    EXPECT(h, "\x04" "1\r\n\x04\x04>");
    /* a compile error in raw-paste mode */
    SEND(h, "\x05" "A\x01x=\x04");
    EXPECT(h, "R\x01\x80\x00\x01\x04\x04Traceback (most recent call last):\r\n  File \"<stdin>\", line 1\r\n"
              "SyntaxError: invalid syntax\r\n\x04>");
    /* Ctrl-C from the host abandons the paste */
    SEND(h, "\x05" "A\x01print(1)\x03");
    EXPECT(h, "R\x01\x80\x00\x01\x04\x04KeyboardInterrupt: \r\n\x04>");
    /* other raw-paste commands are understood but refused */
    SEND(h, "\x05" "B\x01");
    EXPECT(h, "R\x00");
    SEND(h, "print(7)\x04");
    EXPECT(h, "OK7\r\n\x04\x04>");
}

static void raw_paste_refused(void **state)
{
    (void)state;
    py_caps caps = py_all_caps();
    caps.raw_paste = false;
    host *h = make_host(caps, 0);
    SEND(h, "\x01");
    EXPECT(h, "\r\n" RAW);
    SEND(h, "\x05" "A\x01");
    EXPECT(h, "R\x00");
    SEND(h, "print(3)\x04");
    EXPECT(h, "OK3\r\n\x04\x04>");
    free_host(h);
}

static void raw_paste_too_large(void **state)
{
    (void)state;
    host *h = make_host(py_all_caps(), 64);
    SEND(h, "\x01\x05" "A\x01");
    clear(h);
    char prog[100];
    memset(prog, '1', sizeof prog);
    send(h, prog, 64);
    EXPECT(h, "");
    /* the 65th byte stops the host early; the board waits for its \x04 */
    send(h, prog, 36);
    EXPECT(h, "\x04");
    SEND(h, "\x04");
    EXPECT(h, "\x04Traceback (most recent call last):\r\n  File \"<stdin>\", line 1, in <module>\r\n"
              "MemoryError: program larger than this simulated board accepts (64 bytes)\r\n\x04>");
    /* too large in the plain raw REPL: the same error after OK */
    send(h, prog, 100);
    SEND(h, "\x04");
    EXPECT(h, "OK\x04Traceback (most recent call last):\r\n  File \"<stdin>\", line 1, in <module>\r\n"
              "MemoryError: program larger than this simulated board accepts (64 bytes)\r\n\x04>");
    free_host(h);
}

static void ctrl_c_while_running(void **state)
{
    host *h = *state;
    SEND(h, "\x01");
    clear(h);
    h->interrupt_at = 2;
    h->push = "print(9)\x04"; /* sent while the loop runs, handled after it */
    SEND(h, "for i in range(100000000): x=i\n\x04");
    EXPECT(h, "OK\x04Traceback (most recent call last):\r\n  File \"<stdin>\", line 1, in <module>\r\n"
              "KeyboardInterrupt: \r\n\x04>OK9\r\n\x04\x04>");
    h->interrupt_at = 0;
}

static void split_input_same_output(void **state)
{
    host *h = *state;
    const char script[] = "\r\x03\r\x01\x04a=1\x04\x05" "A\x01print(a)\x04print(a+1)\x04\r\x02";
    clear(h);
    send(h, script, sizeof script - 1);
    size_t n = h->n;
    uint8_t *whole = malloc(n);
    memcpy(whole, h->out, n);
    /* same script, one byte at a time, on a fresh board */
    host *h2 = make_host(py_all_caps(), 0);
    serve_repl_boot(h2->repl);
    clear(h2);
    for (size_t i = 0; i < sizeof script - 1; i++)
        send(h2, script + i, 1);
    assert_int_equal(h2->n, n);
    assert_memory_equal(h2->out, whole, n);
    assert_true(serve_repl_programs(h2->repl) >= 3);
    free(whole);
    free_host(h2);
}

static void power_cut_silences(void **state)
{
    host *h = *state;
    h->board.power_cut_after = 1;
    SEND(h, "\x01");
    clear(h);
    SEND(h, "import vfs\nvfs.rom_ioctl(3,0,4096)\x04print(1)\x04");
    EXPECT(h, "OK");
    assert_true(serve_repl_dead(h->repl));
    SEND(h, "\r\x03\r\x01");
    EXPECT(h, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(friendly_repl, setup, teardown),
        cmocka_unit_test_setup_teardown(friendly_paste_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(raw_repl, setup, teardown),
        cmocka_unit_test_setup_teardown(raw_paste, setup, teardown),
        cmocka_unit_test(raw_paste_refused),
        cmocka_unit_test(raw_paste_too_large),
        cmocka_unit_test_setup_teardown(ctrl_c_while_running, setup, teardown),
        cmocka_unit_test_setup_teardown(split_input_same_output, setup, teardown),
        cmocka_unit_test_setup_teardown(power_cut_silences, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
