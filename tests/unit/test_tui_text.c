/* Pure pieces of the TUI: fitting hostile UTF-8 into columns, sizes, the prompt,
 * the cursor, the key table, scripted keys, and the inspector's text. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "testfiles.h"
#include "tui/cursor.h"
#include "tui/input.h"
#include "tui/keys.h"
#include "tui/model_inspect.h"
#include "tui/model_map.h"
#include "tui/prompt.h"
#include "tui/text.h"
#include "tui/tui_curses.h"

static void fits_wide_and_invalid_text(void **state)
{
    (void)state;
    wchar_t out[64];
    assert_int_equal(tui_fit("abc", 10, out, 64), 3);
    assert_true(wcscmp(out, L"abc") == 0);
    /* two CJK characters are four cells */
    assert_int_equal(tui_fit("\xe6\x97\xa5\xe6\x9c\xac", 10, out, 64), 4);
    assert_int_equal(tui_text_width("\xe6\x97\xa5\xe6\x9c\xac.py"), 7);
    /* cut short with '~', never splitting a wide character */
    assert_int_equal(tui_fit("\xe6\x97\xa5\xe6\x9c\xac.py", 4, out, 64), 3);
    assert_true(wcscmp(out, L"\x65e5~") == 0);
    assert_int_equal(tui_fit("abcdef", 4, out, 64), 4);
    assert_true(wcscmp(out, L"abc~") == 0);
    /* invalid bytes, overlong forms, surrogates and controls show as '?' */
    /* (each bad byte on its own) */
    assert_int_equal(tui_fit("a\xff" "b\xc0\xafz\xed\xa0\x80\x1b", 20, out, 64), 10);
    assert_true(wcscmp(out, L"a?b??z????") == 0);
    assert_int_equal(tui_fit("x", 0, out, 64), 0);
    /* a tiny output buffer is respected */
    assert_true(tui_fit("abcdefgh", 20, out, 4) <= 3);
}

static void formats_sizes(void **state)
{
    (void)state;
    char b[16];
    tui_fmt_size(0, b);
    assert_string_equal(b, "0");
    tui_fmt_size(9999, b);
    assert_string_equal(b, "9999");
    tui_fmt_size(131072, b);
    assert_string_equal(b, "128K");
    tui_fmt_size(1048576, b);
    assert_string_equal(b, "1.0M");
    tui_fmt_size(UINT64_MAX, b);
    assert_string_equal(b, "16E");
    assert_true(tui_contains_nocase("Main.PY", "main.py"));
    assert_false(tui_contains_nocase("main", "mainx"));
}

static void edits_a_prompt(void **state)
{
    (void)state;
    tui_prompt p;
    tui_prompt_start(&p, "Search: ", "ab");
    assert_true(tui_prompt_key(&p, 'c', 0));
    assert_string_equal(p.text, "abc");
    /* a UTF-8 character goes in byte by byte and comes out whole */
    tui_prompt_key(&p, 0xc3, 0);
    tui_prompt_key(&p, 0xa9, 0);
    assert_string_equal(p.text, "abc\xc3\xa9");
    assert_true(tui_prompt_key(&p, 127, 0));
    assert_string_equal(p.text, "abc");
    assert_true(tui_prompt_key(&p, 21, 0));
    assert_string_equal(p.text, "");
    assert_false(tui_prompt_key(&p, 127, 0));
    tui_prompt_key(&p, '\r', 0);
    assert_int_equal(p.state, TUI_PROMPT_DONE);
    assert_false(tui_prompt_key(&p, 'x', 0));
    tui_prompt_start(&p, "x", NULL);
    tui_prompt_key(&p, 27, 0);
    assert_int_equal(p.state, TUI_PROMPT_CANCELLED);
    /* the buffer never overflows */
    tui_prompt_start(&p, "x", NULL);
    for (int i = 0; i < 3 * TUI_PROMPT_MAX; i++)
        tui_prompt_key(&p, 'a', 0);
    assert_int_equal(p.len, TUI_PROMPT_MAX - 1);
}

static void moves_a_cursor(void **state)
{
    (void)state;
    tui_cursor c = {0, 0};
    tui_cursor_move(&c, 100, -5);
    assert_int_equal(c.cur, 0);
    tui_cursor_move(&c, 100, 250);
    assert_int_equal(c.cur, 99);
    tui_cursor_scroll(&c, 100, 10);
    assert_int_equal(c.top, 90);
    tui_cursor_move(&c, 100, -95);
    tui_cursor_scroll(&c, 100, 10);
    assert_int_equal(c.cur, 4);
    assert_int_equal(c.top, 4);
    tui_cursor_move(&c, 0, 3);
    assert_int_equal(c.cur, 0);
    /* a list shorter than the window starts at the top */
    c = (tui_cursor){3, 2};
    tui_cursor_scroll(&c, 5, 10);
    assert_int_equal(c.top, 0);
}

static void key_table_is_consistent(void **state)
{
    (void)state;
    assert_int_equal(tui_key_action('\t', TUI_IN_LOCAL), TUI_A_SWITCH);
    assert_int_equal(tui_key_action('q', TUI_IN_LOCAL), TUI_A_QUIT);
    assert_int_equal(tui_key_action('q', TUI_IN_MAP), TUI_A_BACK);
    assert_int_equal(tui_key_action('y', TUI_IN_DEPLOY), TUI_A_CONFIRM);
    assert_int_equal(tui_key_action('y', TUI_IN_LOCAL), TUI_A_NONE);
    assert_int_equal(tui_key_action('r', TUI_IN_EDIT), TUI_A_RENAME);
    assert_int_equal(tui_key_action('r', TUI_IN_BOARD), TUI_A_SORT_REVERSE);
    /* every binding is reachable: no earlier binding takes its key in all its scopes */
    for (size_t i = 0; i < tui_nbindings; i++) {
        const tui_binding *b = &tui_bindings[i];
        bool reachable = false;
        for (unsigned bit = 1; bit & TUI_IN_ALL; bit <<= 1)
            if ((b->scope & bit) && tui_key_action(b->key, bit) == b->action)
                reachable = true;
        if (!reachable)
            fail_msg("binding %zu (%s -> %s) is shadowed", i, b->label, tui_action_name(b->action));
    }
    char hints[80];
    tui_key_hints(TUI_IN_LOCAL, hints, sizeof hints);
    assert_string_equal(hints, "Tab:pane Enter:open /:search m:map i:inspect d:deploy e:edit ?:help q:quit");
    tui_key_hints(TUI_IN_LOCAL, hints, 20);
    assert_string_equal(hints, "Tab:pane Enter:open");
}

static void parses_scripted_keys(void **state)
{
    (void)state;
    const char *s = "ab <Tab><Enter> <Down><F12><C-l><lt><Resize:100x30><bogus>z";
    size_t pos = 0;
    int cols = 0, rows = 0;
    int want[] = {'a', 'b', '\t', '\r', KEY_DOWN, KEY_F(12), 12, '<', TUI_KEY_RESIZED, TUI_KEY_NONE, 'z',
                  TUI_KEY_EOF};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_int_equal(tui_script_key(s, &pos, &cols, &rows), want[i]);
    assert_int_equal(cols, 100);
    assert_int_equal(rows, 30);
}

static void dumps_hex(void **state)
{
    (void)state;
    const uint8_t d[] = "M\x06\x00\x1fhello, world!\n0123";
    char row[128];
    assert_int_equal(tui_hex_rows(sizeof d - 1), 2);
    tui_hex_row(d, sizeof d - 1, 0, 0x100, row, sizeof row);
    assert_string_equal(row, "00000100  4d 06 00 1f 68 65 6c 6c  6f 2c 20 77 6f 72 6c 64  |M...hello, world|");
    tui_hex_row(d, sizeof d - 1, 1, 0x100, row, sizeof row);
    assert_string_equal(row, "00000110  21 0a 30 31 32 33                                 |!.0123|");
}

static void decodes_mpy_headers(void **state)
{
    (void)state;
    /* v6 bytecode, 31-bit small ints, 2 qstrs, 1 constant, source "main.py" */
    const uint8_t mpy[] = {'M', 6, 0, 31, 2, 1, 14, 'm', 'a', 'i', 'n', '.', 'p', 'y', 0};
    tui_lines l = {0};
    tui_mpy_lines(mpy, sizeof mpy, &l);
    assert_int_equal(l.n, 8);
    assert_string_equal(l.v[0], "mpy v6 bytecode, small int 31 bits");
    assert_non_null(strstr(l.v[5], "2 strings"));
    assert_non_null(strstr(l.v[7], "source file     main.py"));
    tui_lines_free(&l);
    /* a name longer than the file is reported, not read */
    const uint8_t bad[] = {'M', 6, 0, 31, 2, 1, 0x7e, 'm'};
    tui_mpy_lines(bad, sizeof bad, &l);
    assert_non_null(strstr(l.v[l.n - 1], "does not fit"));
    tui_lines_free(&l);
    tui_mpy_lines((const uint8_t *)"#!", 2, &l);
    assert_int_equal(l.n, 1);
    assert_non_null(strstr(l.v[0], "not a .mpy"));
    tui_lines_free(&l);
}

static void lists_records(void **state)
{
    (void)state;
    size_t len;
    uint8_t *img = tf_read(tf_golden("basic.romfs"), &len);
    assert_non_null(img);
    tui_lines l = {0};
    tui_records_lines(img, len, &l);
    assert_int_equal(l.oom, 0);
    assert_non_null(strstr(l.v[0], "image header"));
    assert_non_null(strstr(l.v[0], "image 264 bytes"));
    bool saw_helper = false;
    for (size_t i = 0; i < l.n; i++)
        if (strstr(l.v[i], "file  helper.py"))
            saw_helper = true;
    assert_true(saw_helper);
    /* go to offset: the line of the record holding byte 0x6f (helper.py's data) */
    size_t at = tui_lines_find(&l, 0x6f);
    assert_non_null(strstr(l.v[at], "data  44 bytes at 0x6f"));
    tui_lines_free(&l);
    /* every truncation of the image is described without reading past it */
    for (size_t cut = 0; cut < len; cut++) {
        uint8_t *part = malloc(cut ? cut : 1);
        memcpy(part, img, cut);
        tui_records_lines(part, cut, &l);
        assert_true(l.n >= 1);
        tui_lines_free(&l);
        free(part);
    }
    free(img);
}

static void diffs_images(void **state)
{
    (void)state;
    size_t la, lb;
    uint8_t *a = tf_read(tf_golden("basic.romfs"), &la);
    uint8_t *b = tf_read(tf_golden("edge.romfs"), &lb);
    mr_image ia, ib;
    mr_err err;
    assert_int_equal(mr_image_parse(&ia, a, la, &err), 0);
    assert_int_equal(mr_image_parse(&ib, b, lb, &err), 0);
    tui_lines l = {0};
    tui_diff_count c;
    tui_diff_lines(&ia, &ia, &l, &c);
    assert_int_equal(l.n, 0);
    assert_int_equal(c.same, ia.count);
    tui_diff_lines(&ia, &ib, &l, &c);
    assert_true(c.added + c.removed + c.changed + c.moved > 0);
    assert_int_equal(l.n, c.added + c.removed + c.changed + c.moved);
    for (size_t i = 0; i < l.n; i++)
        assert_non_null(strchr("+-~>", l.v[i][0]));
    tui_lines_free(&l);
    mr_image_free(&ia);
    mr_image_free(&ib);
    free(a);
    free(b);
}

/* Hostile images: seeded random damage to a golden image through every decoder the
 * screens use (records, .mpy header, parse, board rows, the map). Under the sanitizer
 * build any read outside the buffer fails the test. */
static void survives_damaged_images(void **state)
{
    (void)state;
    size_t len;
    uint8_t *orig = tf_read(tf_golden("basic.romfs"), &len);
    assert_non_null(orig);
    uint32_t seed = 12345;
    for (int round = 0; round < 3000; round++) {
        uint8_t *img = malloc(len);
        memcpy(img, orig, len);
        int flips = 1 + round % 4;
        for (int k = 0; k < flips; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            seed = seed * 1103515245u + 12345u;
            img[at] = (uint8_t)(seed >> 16);
        }
        size_t cut = round % 7 == 0 ? (seed >> 4) % (len + 1) : len;
        tui_lines l = {0};
        tui_records_lines(img, cut, &l);
        tui_lines_free(&l);
        tui_mpy_lines(img, cut, &l);
        tui_lines_free(&l);
        mr_image parsed;
        mr_err err;
        if (mr_image_parse(&parsed, img, cut, &err) == 0) {
            tui_map m;
            if (tui_map_build(&m, &parsed, cut + 4096, 64, &err) == 0) {
                for (size_t u = 0; u < m.nunits; u++) {
                    size_t a, b;
                    tui_map_files_in(&m, &parsed, u, &a, &b);
                    assert_true(a <= b && b <= m.nfiles);
                }
                for (size_t i = 0; i < parsed.count; i++) {
                    size_t a, b;
                    if (tui_map_units_of(&m, &parsed.entries[i], &a, &b))
                        assert_true(a <= b && b < m.nunits);
                }
                tui_map_free(&m);
            }
            tui_diff_count c;
            tui_diff_lines(&parsed, &parsed, &l, &c);
            assert_int_equal(l.n, 0);
            tui_lines_free(&l);
            mr_image_free(&parsed);
        }
        free(img);
    }
    free(orig);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fits_wide_and_invalid_text), cmocka_unit_test(formats_sizes),
        cmocka_unit_test(edits_a_prompt),              cmocka_unit_test(moves_a_cursor),
        cmocka_unit_test(key_table_is_consistent),     cmocka_unit_test(parses_scripted_keys),
        cmocka_unit_test(dumps_hex),                   cmocka_unit_test(decodes_mpy_headers),
        cmocka_unit_test(lists_records),               cmocka_unit_test(diffs_images),
        cmocka_unit_test(survives_damaged_images),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
