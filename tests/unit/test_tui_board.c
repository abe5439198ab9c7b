/* The board pane's model over known images, and the partition map's unit
 * classification for them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testfiles.h"
#include "tui/model_board.h"
#include "tui/model_map.h"

static void show(tui_board *b, const char *golden, uint64_t part_size, uint32_t unit, uint64_t base)
{
    size_t len;
    uint8_t *img = tf_read(tf_golden(golden), &len);
    assert_non_null(img);
    tui_board_init(b);
    tui_board_show_image(b, golden, img, len, part_size ? part_size : len, unit, base, true);
    assert_true(b->parsed);
}

static const char *row_name(const tui_board *b, size_t i)
{
    const mr_entry *e = tui_board_row(b, i);
    return e ? e->name : "(none)";
}

static void walks_the_tree(void **state)
{
    (void)state;
    tui_board b;
    show(&b, "basic.romfs", 4096, 256, 0x08000000);
    /* address order is the image's own order */
    assert_int_equal(b.nrows, 5);
    assert_string_equal(row_name(&b, 0), "README.txt");
    assert_string_equal(row_name(&b, 1), "data");
    assert_string_equal(row_name(&b, 4), "utils.py");
    char path[64];
    tui_board_dir_path(&b, path, sizeof path);
    assert_string_equal(path, "/");
    /* a file does not open; a directory does, and up comes back to it */
    assert_int_equal(tui_board_enter(&b), 0);
    b.cur.cur = 2;
    assert_int_equal(tui_board_enter(&b), 1);
    tui_board_dir_path(&b, path, sizeof path);
    assert_string_equal(path, "/lib/");
    assert_int_equal(b.nrows, 1);
    const mr_entry *e = tui_board_current(&b);
    assert_string_equal(e->path, "lib/helper.py");
    assert_true(tui_board_addr(&b, e) == 0x0800006f);
    assert_int_equal(mr_alignment(tui_board_addr(&b, e)), 1);
    assert_int_equal(tui_board_up(&b), 1);
    assert_string_equal(row_name(&b, b.cur.cur), "lib");
    /* at the root of an image with no device, there is nowhere further up */
    b.dev = NULL;
    assert_int_equal(tui_board_up(&b), 0);
    tui_board_free(&b);
}

static void sorts_and_searches(void **state)
{
    (void)state;
    tui_board b;
    show(&b, "basic.romfs", 0, 256, 0);
    b.cur.cur = 3; /* main.py */
    tui_board_set_sort(&b, TUI_SORT_NAME, false);
    assert_string_equal(row_name(&b, 0), "data");
    assert_string_equal(row_name(&b, 1), "lib");
    assert_string_equal(row_name(&b, 2), "README.txt");
    assert_string_equal(row_name(&b, b.cur.cur), "main.py");
    tui_board_set_sort(&b, TUI_SORT_SIZE, false);
    assert_string_equal(row_name(&b, 2), "main.py");
    assert_string_equal(row_name(&b, 3), "utils.py");
    assert_string_equal(row_name(&b, 4), "README.txt");
    tui_board_set_sort(&b, TUI_SORT_ADDR, true);
    assert_string_equal(row_name(&b, 0), "utils.py");
    size_t hit = tui_board_search(&b, "READ", 1);
    assert_string_equal(row_name(&b, hit), "README.txt");
    assert_int_equal(tui_board_search(&b, "zzz", 1), b.nrows);
    /* select by path opens the directory */
    assert_true(tui_board_select_path(&b, "/data/config.json"));
    assert_string_equal(tui_board_current(&b)->path, "data/config.json");
    assert_false(tui_board_select_path(&b, "no/such"));
    tui_board_free(&b);
}

static void bad_images_say_why(void **state)
{
    (void)state;
    tui_board b;
    tui_board_init(&b);
    uint8_t *bad = malloc(8);
    memcpy(bad, "\xd2\xcd\x31\x7f\x00\x00\x00\x00", 8); /* payload longer than the buffer */
    tui_board_show_image(&b, "x", bad, 8, 8, 4, 0, false);
    assert_false(b.parsed);
    assert_int_equal(b.nrows, 0);
    assert_non_null(strstr(b.problem, "not a valid image"));
    assert_null(tui_board_current(&b));
    tui_board_show_image(&b, "y", malloc(1), 0, 4096, 4096, 0, false);
    assert_non_null(strstr(b.problem, "no ROMFS image"));
    tui_board_free(&b);
}

/* header, a 12-byte padding record, a file "a" with 4 bytes "wxyz" */
static const uint8_t padded[] = {0xd2, 0xcd, 0x31, 0x16, 0x01, 0x0a, 0, 0, 0, 0, 0, 0, 0,
                                 0, 0, 0, 0x05, 0x08, 0x01, 'a', 0x02, 0x04, 'w', 'x', 'y', 'z'};

static void map_classifies_units(void **state)
{
    (void)state;
    mr_image img;
    mr_err err;
    assert_int_equal(mr_image_parse(&img, padded, sizeof padded, &err), 0);
    tui_map m;
    assert_int_equal(tui_map_build(&m, &img, 64, 8, &err), 0);
    assert_int_equal(m.nunits, 8);
    assert_true(m.unit_is_erase);
    /* unit 0: 4 header bytes, 4 padding; unit 1: padding; unit 2: the file's record
     * header and name (6) and 2 data bytes; unit 3: the last 2 data bytes */
    assert_int_equal(m.units[0].meta, 4);
    assert_int_equal(m.units[0].pad, 4);
    assert_int_equal(m.units[0].cls, TUI_UNIT_META);
    assert_int_equal(m.units[1].cls, TUI_UNIT_PAD);
    assert_int_equal(m.units[2].meta, 6);
    assert_int_equal(m.units[2].data, 2);
    assert_int_equal(m.units[2].cls, TUI_UNIT_META);
    assert_int_equal(m.units[3].data, 2);
    assert_int_equal(m.units[3].cls, TUI_UNIT_DATA);
    for (size_t u = 4; u < 8; u++)
        assert_int_equal(m.units[u].cls, TUI_UNIT_FREE);
    char marks[9];
    for (size_t u = 0; u < 8; u++)
        marks[u] = tui_unit_mark(&m.units[u]);
    marks[8] = '\0';
    assert_string_equal(marks, "H:H#....");
    /* the file's units, and the file in a unit */
    size_t a, b;
    assert_true(tui_map_units_of(&m, &img.entries[0], &a, &b));
    assert_int_equal(a, 2);
    assert_int_equal(b, 3);
    tui_map_files_in(&m, &img, 3, &a, &b);
    assert_int_equal(b - a, 1);
    tui_map_files_in(&m, &img, 1, &a, &b);
    assert_int_equal(b - a, 0);
    /* a plan's writes */
    tui_map_mark_write(&m, 0, 17);
    assert_int_equal(m.nwrite, 3);
    assert_int_equal(tui_unit_mark(&m.units[2]), 'W');
    tui_unit g = tui_map_group(&m, 0, 4);
    assert_true(g.write);
    tui_map_clear_writes(&m);
    g = tui_map_group(&m, 4, 8);
    assert_int_equal(g.cls, TUI_UNIT_FREE);
    assert_false(g.write);
    tui_map_free(&m);
    mr_image_free(&img);
}

static void map_of_a_golden_image(void **state)
{
    (void)state;
    size_t len;
    uint8_t *bytes = tf_read(tf_golden("micropython-tests-random.romfs"), &len);
    assert_non_null(bytes);
    mr_image img;
    mr_err err;
    assert_int_equal(mr_image_parse(&img, bytes, len, &err), 0);
    tui_map m;
    /* a 128 KiB partition in 4 KiB units: 98574 bytes of image fill 25 units */
    assert_int_equal(tui_map_build(&m, &img, 131072, 4096, &err), 0);
    assert_int_equal(m.nunits, 32);
    assert_int_equal(m.nfiles, 7);
    size_t used = 0;
    for (size_t u = 0; u < m.nunits; u++)
        used += m.units[u].cls != TUI_UNIT_FREE;
    assert_int_equal(used, (98574 + 4095) / 4096);
    uint64_t total = 0;
    for (size_t u = 0; u < m.nunits; u++)
        total += (uint64_t)m.units[u].meta + m.units[u].data + m.units[u].pad;
    assert_int_equal(total, 98574);
    /* files are in data order */
    for (size_t i = 1; i < m.nfiles; i++)
        assert_true(img.entries[m.files[i - 1]].data_offset <= img.entries[m.files[i]].data_offset);
    tui_map_free(&m);
    /* an erase unit as big as the partition is mapped in display units */
    assert_int_equal(tui_map_build(&m, &img, 131072, 131072, &err), 0);
    assert_false(m.unit_is_erase);
    assert_int_equal(m.unit, 512);
    tui_map_free(&m);
    /* nothing valid: every unit free */
    assert_int_equal(tui_map_build(&m, NULL, 16384, 4096, &err), 0);
    assert_int_equal(m.nunits, 4);
    assert_int_equal(m.units[0].cls, TUI_UNIT_FREE);
    tui_map_free(&m);
    mr_image_free(&img);
    free(bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(walks_the_tree),        cmocka_unit_test(sorts_and_searches),
        cmocka_unit_test(bad_images_say_why),    cmocka_unit_test(map_classifies_units),
        cmocka_unit_test(map_of_a_golden_image),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
