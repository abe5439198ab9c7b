/* The reader on the golden images and on a table of corrupted ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "image.h"
#include "romfs.h"
#include "testfiles.h"
#include "varuint.h"

/* An image around a payload given as bytes: magic, minimal length (+0x80 to make it even). */
static size_t wrap(const uint8_t *payload, size_t n, uint8_t *out)
{
    memcpy(out, "\xd2\xcd\x31", 3);
    size_t w = mr_varuint_len(n);
    if ((3 + w + n) % 2)
        w++;
    mr_varuint_encode_padded(n, w, out + 3);
    memcpy(out + 3 + w, payload, n);
    return 3 + w + n;
}

static void golden_basic(void **state)
{
    (void)state;
    size_t len;
    uint8_t *b = tf_read(tf_golden("basic.romfs"), &len);
    assert_non_null(b);
    mr_image img;
    mr_err err = {{0}};
    assert_int_equal(mr_image_parse(&img, b, len, &err), 0);
    assert_int_equal(img.files, 5);
    assert_int_equal(img.dirs, 2);
    assert_int_equal(img.image_size, 264);
    assert_int_equal(img.free_bytes, 0);
    assert_int_equal(img.nnotes, 0);
    const char *order[] = {"README.txt", "data", "data/config.json", "lib", "lib/helper.py", "main.py", "utils.py"};
    assert_int_equal(img.count, 7);
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(img.entries[i].path, order[i]);
    const mr_entry *e = mr_image_find(&img, "/README.txt");
    assert_non_null(e);
    assert_int_equal(e->size, 12);
    assert_memory_equal(mr_entry_data(&img, e), "A tiny app.\n", 12);
    assert_int_equal(e->data_kind, MR_DATA_VERBATIM);
    e = mr_image_find(&img, "lib/");
    assert_non_null(e);
    assert_int_equal(e->type, MR_ENTRY_DIR);
    assert_int_equal(e->size, 1);
    assert_null(mr_image_find(&img, "lib/nope.py"));
    assert_null(mr_image_find(&img, "/"));
    assert_int_equal(img.entries[4].parent, 3);
    assert_int_equal(img.entries[4].depth, 1);
    mr_image_free(&img);
    free(b);
}

static void golden_edge(void **state)
{
    (void)state;
    size_t len;
    uint8_t *b = tf_read(tf_golden("edge.romfs"), &len);
    assert_non_null(b);
    mr_image img;
    mr_err err = {{0}};
    assert_int_equal(mr_image_parse(&img, b, len, &err), 0);
    assert_int_equal(img.files, 24);
    assert_int_equal(img.dirs, 17);
    const mr_entry *leaf = mr_image_find(&img, "d0/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/leaf.py");
    assert_non_null(leaf);
    assert_int_equal(leaf->depth, 12);
    const mr_entry *e = mr_image_find(&img, "sizes/s16384.bin");
    assert_non_null(e);
    assert_int_equal(e->size, 16384);
    e = mr_image_find(&img, "empty_dir");
    assert_non_null(e);
    assert_int_equal(e->size, 0);
    e = mr_image_find(&img, "sizes/s00000.bin");
    assert_non_null(e);
    assert_int_equal(e->size, 0);
    assert_non_null(mr_entry_data(&img, e));
    mr_image_free(&img);
    free(b);
}

/* MicroPython's tests/assets/random_romfs.bin: six random files named after their
 * own CRC32, and a sentinel text. */
static void golden_micropython_random(void **state)
{
    (void)state;
    size_t len;
    uint8_t *b = tf_read(tf_golden("micropython-tests-random.romfs"), &len);
    assert_non_null(b);
    mr_image img;
    mr_err err = {{0}};
    assert_int_equal(mr_image_parse(&img, b, len, &err), 0);
    assert_int_equal(img.files, 7);
    assert_int_equal(img.dirs, 0);
    const char *names[] = {"0x30d83fe5.bin", "0x37bef0eb.bin", "0x442f3b5f.bin", "0x648793fb.bin",
                           "0x913837b6.bin", "0xdb14aac7.bin", "romfs_sentinel.txt"};
    for (size_t i = 0; i < 7; i++) {
        const mr_entry *e = &img.entries[i];
        assert_string_equal(e->path, names[i]);
        if (i < 6) {
            assert_int_equal(e->size, 16384);
            char want[32];
            snprintf(want, sizeof want, "0x%08lx.bin", crc32(0, mr_entry_data(&img, e), (uInt)e->size));
            assert_string_equal(want, e->path);
        } else {
            assert_int_equal(e->size, 103);
            assert_memory_equal(mr_entry_data(&img, e), "*MPY-ROMFS-TEST-PARTITION*", 26);
        }
    }
    mr_image_free(&img);
    free(b);
}

/* Truncated at every byte: as a file (header says more than there is) and with the
 * header rewritten to the shorter payload (so the records themselves are cut). */
static void truncated_everywhere(void **state)
{
    (void)state;
    size_t len;
    uint8_t *b = tf_read(tf_golden("basic.romfs"), &len);
    assert_non_null(b);
    size_t hdr = 5; /* d2 cd 31 82 03 */
    uint8_t buf[600];
    for (size_t n = 0; n < len; n++) {
        mr_image img;
        mr_err err = {{0}};
        uint8_t *cut = malloc(n ? n : 1);
        memcpy(cut, b, n);
        assert_int_equal(mr_image_parse(&img, cut, n, &err), -1);
        assert_non_null(strstr(err.msg, n < 4 ? "not a ROMFS image" : "byte offset"));
        free(cut);
        if (n < hdr)
            continue;
        size_t m = wrap(b + hdr, n - hdr, buf);
        uint8_t *exact = malloc(m);
        memcpy(exact, buf, m);
        mr_err err2 = {{0}};
        if (mr_image_parse(&img, exact, m, &err2) == 0) {
            assert_true(img.count <= 7);
            mr_image_free(&img);
        } else {
            assert_non_null(strstr(err2.msg, "byte offset"));
        }
        free(exact);
    }
    free(b);
}

struct bad {
    const char *what;
    const char *payload; /* image payload, before wrap() */
    size_t len;
    int rc;              /* -1: parse fails; 0: parses */
    const char *expect;  /* in the error, or in a note */
    bool problem;        /* for rc 0: the note is a problem verify rejects */
};

#define P(s) s, sizeof(s) - 1
static const struct bad table[] = {
    {"record past its parent", P("\x05\x10\x01" "a"), -1, "claims 16 payload bytes", false},
    {"kind 0", P("\x00\x00"), -1, "kind 0 (unused) at byte offset 4", false},
    {"huge varuint kind", P("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01\x00"), -1, "does not fit in 64 bits",
     false},
    {"huge varuint length", P("\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f"), -1, "does not fit in 64 bits", false},
    {"length past the end", P("\x01\x8f\xff\xff\x7f"), -1, "claims", false},
    {"truncated varuint", P("\x01\x80"), -1, "record length truncated at byte offset", false},
    {"indirect past payload", P("\x05\x06\x01" "a\x03\x02\x04\x64"), -1, "past the image payload", false},
    {"indirect size past payload", P("\x05\x06\x01" "a\x03\x02\x7f\x00"), -1, "past the image payload", false},
    {"indirect truncated", P("\x05\x05\x01" "a\x03\x01\x84"), -1, "indirect data size truncated", false},
    {"empty name", P("\x05\x03\x00\x02\x00"), -1, "empty name", false},
    {"name with slash", P("\x05\x05\x02" "a/\x02\x00"), -1, "contains '/'", false},
    {"name dot dot", P("\x04\x03\x02.."), -1, "is not allowed", false},
    {"name past record", P("\x05\x03\x09" "ab"), -1, "name at byte offset", false},
    {"kind 0 inside a file", P("\x05\x04\x01" "a\x00\x00"), -1, "kind 0", false},
    {"bad record in a dir", P("\x04\x04\x01" "d\x02\x09"), -1, "claims 9", false},
    {"padding", P("\x01\x02xy\x05\x04\x01" "a\x02\x00"), 0, "padding (4 bytes)", false},
    {"padded varuints", P("\x80\x80\x01\x80\x00\x05\x04\x01" "a\x02\x00"), 0, "padding", false},
    {"unknown kind", P("\x09\x01z\x05\x04\x01" "a\x02\x00"), 0, "unknown record kind 9", false},
    {"data area", P("\x02\x01z\x05\x06\x01" "a\x03\x02\x01\x02"), 0, "data record outside a file", false},
    {"file without data", P("\x05\x02\x01" "a"), 0, "has no data record", true},
    {"duplicate", P("\x05\x04\x01" "a\x02\x00\x05\x04\x01" "a\x02\x00"), 0, "duplicate name 'a'", true},
    {"non-ascii name", P("\x05\x04\x01\xe9\x02\x00"), 0, "outside printable ASCII", true},
    {"extra data record", P("\x05\x06\x01" "a\x02\x00\x02\x00"), 0, "extra data record", false},
};

static void corrupted_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        const struct bad *t = &table[i];
        uint8_t buf[256];
        size_t n = wrap((const uint8_t *)t->payload, t->len, buf);
        uint8_t *exact = malloc(n); /* exact size so ASan sees any overread */
        memcpy(exact, buf, n);
        mr_image img;
        mr_err err = {{0}};
        int rc = mr_image_parse(&img, exact, n, &err);
        if (rc != t->rc || (rc && !strstr(err.msg, t->expect)))
            fail_msg("%s: rc %d, message '%s', wanted %d '%s'", t->what, rc, err.msg, t->rc, t->expect);
        if (rc == 0) {
            bool seen = false;
            for (size_t k = 0; k < img.nnotes; k++)
                if (strstr(img.notes[k].what, t->expect) && img.notes[k].problem == t->problem)
                    seen = true;
            if (!seen)
                fail_msg("%s: no note '%s' (problem %d) among %zu notes", t->what, t->expect, t->problem, img.nnotes);
            mr_image_free(&img);
        }
        free(exact);
    }
}

static void header_errors(void **state)
{
    (void)state;
    mr_image img;
    mr_err err = {{0}};
    assert_int_equal(mr_image_parse(&img, (const uint8_t *)"PK\x03\x04xx", 6, &err), -1);
    assert_non_null(strstr(err.msg, "expected d2 cd 31"));
    assert_int_equal(mr_image_parse(&img, (const uint8_t *)"\xd2\xcd\x31\x80", 4, &err), -1);
    assert_non_null(strstr(err.msg, "image length truncated at byte offset 3"));
    /* odd size is parsed but is a problem */
    assert_int_equal(mr_image_parse(&img, (const uint8_t *)"\xd2\xcd\x31\x00\xff", 5, &err), 0);
    assert_int_equal(img.image_size, 4);
    assert_int_equal(img.free_bytes, 1);
    assert_int_equal(img.tail_unerased, 0);
    mr_image_free(&img);
    assert_int_equal(mr_image_parse(&img, (const uint8_t *)"\xd2\xcd\x31\x03\x01\x01x", 7, &err), 0);
    assert_int_equal(img.problems, 1);
    bool odd = false;
    for (size_t k = 0; k < img.nnotes; k++)
        odd |= img.notes[k].problem && strstr(img.notes[k].what, "odd") != NULL;
    assert_true(odd);
    mr_image_free(&img);
    size_t sz = 0;
    assert_true(mr_image_probe((const uint8_t *)"\xd2\xcd\x31\x00\xff\xff", 6, &sz));
    assert_int_equal(sz, 4);
    assert_false(mr_image_probe((const uint8_t *)"\xd2\xcd\x31\x05\xff", 5, &sz));
}

/* Directories nested past the limit: an error, not a stack overflow. */
static void deep_nesting(void **state)
{
    (void)state;
    size_t depth = 5000;
    /* innermost first: each level wraps the previous in "04 len 01 'd'" */
    uint8_t *p = malloc(depth * 8 + 16);
    size_t n = 0;
    for (size_t i = 0; i < depth; i++) {
        uint8_t h[16];
        size_t hn = mr_varuint_encode(4, h);
        hn += mr_varuint_encode(n + 2, h + hn);
        h[hn++] = 1;
        h[hn++] = 'd';
        memmove(p + hn, p, n);
        memcpy(p, h, hn);
        n += hn;
    }
    uint8_t *img_bytes = malloc(n + 16);
    size_t m = wrap(p, n, img_bytes);
    mr_image img;
    mr_err err = {{0}};
    assert_int_equal(mr_image_parse(&img, img_bytes, m, &err), -1);
    assert_non_null(strstr(err.msg, "nested deeper than"));
    free(p);
    free(img_bytes);
}

static void alignment(void **state)
{
    (void)state;
    assert_true(mr_alignment(0) == MR_ALIGN_CAP);
    assert_true(mr_alignment(1) == 1);
    assert_true(mr_alignment(0x14) == 4);
    assert_true(mr_alignment(0x80000000) == MR_ALIGN_CAP);
    assert_true(mr_alignment(0x08010040) == 64);
    assert_true(mr_alignment(UINT64_MAX) == 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(golden_basic),       cmocka_unit_test(golden_edge),
        cmocka_unit_test(golden_micropython_random), cmocka_unit_test(truncated_everywhere),
        cmocka_unit_test(corrupted_table),    cmocka_unit_test(header_errors),
        cmocka_unit_test(deep_nesting),       cmocka_unit_test(alignment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
