/* Listing rows, text and JSON output, .mpy header decoding and file types. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "list.h"
#include "mpy.h"
#include "testfiles.h"

static char *capture_text(const mr_listing *l, bool types)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    mr_list_print_text(l, types, f);
    fclose(f);
    return buf;
}

static void rows_and_text(void **state)
{
    (void)state;
    size_t len;
    uint8_t *b = tf_read(tf_golden("basic.romfs"), &len);
    mr_image img;
    mr_err err = {{0}};
    assert_int_equal(mr_image_parse(&img, b, len, &err), 0);
    mr_listing l;
    assert_int_equal(mr_list(&l, &img, 0x08000000, NULL, false, NULL, &err), 0);
    assert_int_equal(l.count, 7);
    assert_int_equal(l.files, 5);
    assert_int_equal(l.dirs, 2);
    assert_string_equal(l.rows[0].e->path, "README.txt");
    assert_true(l.rows[0].offset == 0x14);
    assert_true(l.rows[0].address == 0x08000014);
    assert_true(l.rows[0].align == 4);
    assert_true(l.rows[1].align == 0); /* a directory */
    char *text = capture_text(&l, false);
    assert_string_equal(text, "SIZE  OFFSET    ADDRESS     ALIGN  DATA      PATH\n"
                              "  12  0x000014  0x08000014      4  verbatim  README.txt\n"
                              "   -  0x000020  0x08000020      -  dir       data/\n"
                              "  36  0x000037  0x08000037      1  verbatim  data/config.json\n"
                              "   -  0x00005b  0x0800005b      -  dir       lib/\n"
                              "  44  0x00006f  0x0800006f      1  verbatim  lib/helper.py\n"
                              "  69  0x0000a7  0x080000a7      1  verbatim  main.py\n"
                              "  15  0x0000f9  0x080000f9      1  verbatim  utils.py\n"
                              "5 files, 2 directories, image 264 bytes, partition 264 bytes, 0 bytes free\n");
    free(text);
    mr_list_free(&l);

    /* a subtree, and a single file */
    assert_int_equal(mr_list(&l, &img, 0, "/lib/", false, NULL, &err), 0);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.rows[0].e->path, "lib/helper.py");
    mr_list_free(&l);
    assert_int_equal(mr_list(&l, &img, 0, "main.py", false, NULL, &err), 0);
    assert_int_equal(l.count, 1);
    mr_list_free(&l);
    assert_int_equal(mr_list(&l, &img, 0, "nope", false, NULL, &err), -1);
    assert_non_null(strstr(err.msg, "nope: no such file or directory in the image"));

    /* types through libmagic */
    mr_filetype *ft = mr_filetype_open(&err);
    assert_non_null(ft);
    assert_int_equal(mr_list(&l, &img, 0, NULL, true, ft, &err), 0);
    assert_string_equal(l.rows[1].type, "directory");
    assert_string_equal(l.rows[2].type, "JSON text data");
    assert_non_null(strstr(l.rows[4].type, "Python script"));
    char *buf = NULL;
    size_t blen = 0;
    FILE *f = open_memstream(&buf, &blen);
    mr_list_print_json(&l, f);
    fclose(f);
    assert_non_null(strstr(buf, "{\"image_size\": 264, \"partition_size\": 264, \"free\": 0, \"base\": 0, \"files\": 5, \"dirs\": 2"));
    assert_non_null(strstr(buf, "{\"path\": \"data\", \"type\": \"dir\", \"children\": 1, \"offset\": 32, \"address\": 32, \"content\": \"directory\"}"));
    assert_non_null(strstr(buf, "\"content\": \"JSON text data\""));
    free(buf);
    mr_list_free(&l);
    mr_filetype_close(ft);
    mr_image_free(&img);
    free(b);
}

static void mpy_headers(void **state)
{
    (void)state;
    mr_mpy_info mi;
    char s[96];
    /* bytecode, 31-bit small ints (the common case) */
    assert_true(mr_mpy_decode((const uint8_t *)"M\x06\x00\x1f", 4, &mi));
    mr_mpy_describe(&mi, s, sizeof s);
    assert_string_equal(s, "mpy v6 bytecode, small int 31 bits");
    /* native armv7emsp (7 << 2 | sub-version 3) */
    assert_true(mr_mpy_decode((const uint8_t *)"M\x06\x1f\x1f", 4, &mi));
    assert_int_equal(mi.arch, 7);
    assert_int_equal(mi.sub_version, 3);
    mr_mpy_describe(&mi, s, sizeof s);
    assert_string_equal(s, "mpy v6.3 armv7emsp, small int 31 bits");
    /* x64 with arch flags, rv32imc */
    assert_true(mr_mpy_decode((const uint8_t *)"M\x06\x4b\x3f", 4, &mi));
    mr_mpy_describe(&mi, s, sizeof s);
    assert_string_equal(s, "mpy v6.3 x64+flags, small int 63 bits");
    assert_true(mr_mpy_decode((const uint8_t *)"M\x06\x2f\x1f", 4, &mi));
    mr_mpy_describe(&mi, s, sizeof s);
    assert_string_equal(s, "mpy v6.3 rv32imc, small int 31 bits");
    /* not .mpy: text, short, version out of range */
    assert_false(mr_mpy_decode((const uint8_t *)"Makefile", 8, &mi));
    assert_false(mr_mpy_decode((const uint8_t *)"M\x06\x00", 3, &mi));
    assert_false(mr_mpy_decode((const uint8_t *)"M\x07\x00\x1f", 4, &mi));
    assert_string_equal(mr_mpy_arch_name(8), "armv7emdp");
    assert_null(mr_mpy_arch_name(40));
    mr_filetype_describe(NULL, (const uint8_t *)"M\x06\x00\x1e\x06", 5, s, sizeof s);
    assert_string_equal(s, "mpy v6 bytecode, small int 30 bits");
    mr_filetype_describe(NULL, (const uint8_t *)"", 0, s, sizeof s);
    assert_string_equal(s, "empty");
}

static void hostile_names_are_escaped(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    mr_print_name(f, "a\x1b[2Jb\\");
    fputc(' ', f);
    mr_json_string(f, "q\"\n\xe9");
    fclose(f);
    assert_string_equal(buf, "a\\x1b[2Jb\\\\ \"q\\\"\\u000a\\u00e9\"");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_and_text),
        cmocka_unit_test(mpy_headers),
        cmocka_unit_test(hostile_names_are_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
