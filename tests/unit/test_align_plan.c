/* The alignment planner on random trees at several bases: every aligned file's data
 * lands aligned where an independent VfsRom-style reader finds it, the image is even,
 * and the padding equals the independent lower bound whenever no length varuint had
 * to grow (and never goes below it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "align_plan.h"
#include "romfs.h"
#include "varuint.h"
#include "vfsrom_mini.h"

typedef struct {
    mr_align_node *nodes;
    char (*names)[40];
    size_t n;
} tree;

static uint64_t rnd_state = 0x9e3779b97f4a7c15u;
static uint64_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

/* A random tree of at most max nodes; names unique (they carry the index). */
static void make_tree(tree *t, size_t max, unsigned align_pct, uint64_t big)
{
    t->nodes = calloc(max, sizeof *t->nodes);
    t->names = calloc(max, sizeof *t->names);
    t->n = 0;
    size_t stack[16];
    size_t depth = 0;
    while (t->n < max) {
        size_t i = t->n++;
        mr_align_node *nd = &t->nodes[i];
        nd->parent = depth ? stack[depth - 1] : MR_ALIGN_NO_PARENT;
        int len = snprintf(t->names[i], sizeof t->names[i], "n%zu", i);
        int want = 2 + (int)(rnd() % 30);
        while (len < want)
            t->names[i][len++] = 'x';
        t->names[i][len] = '\0';
        nd->name_len = (uint64_t)len;
        unsigned r = (unsigned)(rnd() % 100);
        if (r < 12 && depth < 15) {
            nd->is_dir = true;
            stack[depth++] = i;
        } else {
            nd->size = rnd() % 5 == 0 ? rnd() % big : rnd() % 200;
            if (rnd() % 100 < align_pct)
                nd->align = (uint64_t)1 << (rnd() % 13);
            if (nd->align > 1 && rnd() % 3 == 0)
                nd->size = nd->align * (rnd() % 4); /* a whole number of alignment units */
            if (depth && rnd() % 6 == 0)
                depth--;
        }
    }
}

static void free_tree(tree *t)
{
    free(t->nodes);
    free(t->names);
}

static size_t put(uint8_t *b, size_t at, uint64_t v, size_t w)
{
    return at + mr_varuint_encode_padded(v, w, b + at);
}

static size_t put_pad(uint8_t *b, size_t at, uint64_t n)
{
    if (n == 1) {
        b[at] = 0x80;
        return at + 1;
    }
    size_t h = mr_align_padding_header(n, b + at);
    memset(b + at + h, 0, n - h);
    return at + n;
}

/* A writer written from the layout's description, independent of the builder. */
static uint8_t *serialize(const tree *t, const mr_align_layout *l, size_t *len)
{
    uint8_t *b = calloc(l->size + 64, 1);
    size_t at = 0;
    b[at++] = MR_MAGIC0;
    b[at++] = MR_MAGIC1;
    b[at++] = MR_MAGIC2;
    at = put(b, at, l->top_payload, l->header_width);
    for (size_t i = 0; i < t->n; i++) {
        const mr_align_node *nd = &t->nodes[i];
        if (l->pad_before[i])
            at = put_pad(b, at, l->pad_before[i]);
        b[at++] = nd->is_dir ? MR_KIND_DIR : MR_KIND_FILE;
        at = put(b, at, l->payload[i], l->width[i]);
        at = put(b, at, nd->name_len, 1);
        memcpy(b + at, t->names[i], nd->name_len);
        at += nd->name_len;
        if (!nd->is_dir && l->moved[i]) {
            b[at++] = MR_KIND_INDIRECT;
            b[at++] = (uint8_t)(mr_varuint_len(nd->size) + l->off_width);
            at = put(b, at, nd->size, mr_varuint_len(nd->size));
            at = put(b, at, l->data_offset[i] - 3 - l->header_width, l->off_width);
        } else if (!nd->is_dir) {
            b[at++] = MR_KIND_VERBATIM;
            at = put(b, at, nd->size, mr_varuint_len(nd->size));
            assert_int_equal(at, l->data_offset[i]);
            memset(b + at, (int)(i & 0xff), nd->size);
            at += nd->size;
        }
    }
    if (l->area) {
        b[at++] = MR_KIND_PADDING;
        at = put(b, at, l->area_payload, l->area_width);
        size_t start = at;
        for (size_t k = 0; k < l->area_count; k++) {
            size_t i = l->area_order[k];
            assert_true(l->data_offset[i] >= at);
            at = l->data_offset[i];
            memset(b + at, (int)(i & 0xff), t->nodes[i].size);
            at += t->nodes[i].size;
        }
        at += l->area_back;
        assert_int_equal(at - start, l->area_payload);
    }
    if (l->trail)
        at = put_pad(b, at, l->trail);
    *len = at;
    return b;
}

static void path_of(const tree *t, size_t i, char *out, size_t cap)
{
    size_t chain[32], n = 0;
    for (size_t j = i; j != MR_ALIGN_NO_PARENT; j = t->nodes[j].parent)
        chain[n++] = j;
    out[0] = '\0';
    while (n--) {
        strncat(out, t->names[chain[n]], cap - strlen(out) - 1);
        if (n)
            strncat(out, "/", cap - strlen(out) - 1);
    }
}

static bool widths_minimal(const tree *t, const mr_align_layout *l)
{
    /* Did any width end above what mpremote would use for the rule-free tree? */
    mr_align_node *plain = calloc(t->n ? t->n : 1, sizeof *plain);
    memcpy(plain, t->nodes, t->n * sizeof *plain);
    for (size_t i = 0; i < t->n; i++)
        plain[i].align = 0;
    mr_align_layout p;
    mr_err err;
    assert_int_equal(mr_align_plan(&p, plain, t->n, 0, true, &err), 0);
    bool same = true;
    for (size_t i = 0; i < t->n; i++)
        if (l->width[i] != p.width[i])
            same = false;
    if (mr_varuint_len(l->top_payload) != mr_varuint_len(p.top_payload))
        same = false;
    mr_align_layout_free(&p);
    free(plain);
    return same;
}

/* Serialise the layout, then find every file with the vfs_rom.c-style reader. */
static void read_back(const tree *t, const mr_align_layout *l, uint64_t base)
{
    size_t len;
    uint8_t *img = serialize(t, l, &len);
    assert_int_equal(len, l->size);
    assert_int_equal(len % 2, 0);
    for (size_t i = 0; i < t->n; i++) {
        if (t->nodes[i].is_dir)
            continue;
        char path[1024];
        path_of(t, i, path, sizeof path);
        size_t off, size;
        if (vfsrom_mini_find(img, len, path, &off, &size) != 0)
            fail_msg("%s not found (base 0x%llx)", path, (unsigned long long)base);
        assert_int_equal(off, l->data_offset[i]);
        assert_int_equal(size, t->nodes[i].size);
        if (t->nodes[i].align > 1 && (base + off) % t->nodes[i].align != 0)
            fail_msg("%s at 0x%llx not aligned to %llu", path, (unsigned long long)(base + off),
                     (unsigned long long)t->nodes[i].align);
        if (size)
            assert_int_equal(img[off], (uint8_t)(i & 0xff));
    }
    free(img);
}

static void check(const tree *t, uint64_t base, unsigned *exact, unsigned *total, unsigned *moved, unsigned *below)
{
    mr_align_layout in, l;
    mr_err err;
    /* padding only: at the independent lower bound whenever no varuint had to grow */
    assert_int_equal(mr_align_plan(&in, t->nodes, t->n, base, false, &err), 0);
    assert_false(in.area);
    read_back(t, &in, base);
    uint64_t min = mr_align_min_padding(t->nodes, t->n, base);
    assert_true(in.padding >= min);
    if (widths_minimal(t, &in))
        assert_int_equal(in.padding, min);
    *exact += in.padding == min;
    *total += 1;
    /* with the data area allowed: never larger, and a data area only when smaller */
    assert_int_equal(mr_align_plan(&l, t->nodes, t->n, base, true, &err), 0);
    read_back(t, &l, base);
    assert_true(l.size <= in.size);
    if (l.area) {
        assert_true(l.size < in.size);
        *moved += 1;
        *below += l.padding < min;
    } else {
        assert_int_equal(l.size, in.size);
    }
    mr_align_layout_free(&in);
    mr_align_layout_free(&l);
}

static void random_trees_every_base(void **state)
{
    (void)state;
    const uint64_t bases[] = {0, 1, 2, 3, 0x10000000, 0x08040001, 0x2000fffe, 0x90000007};
    unsigned exact = 0, total = 0, moved = 0, below = 0;
    for (int round = 0; round < 60; round++) {
        tree t;
        make_tree(&t, 1 + rnd() % 400, (unsigned)(rnd() % 101), round % 3 ? 300 : 40000);
        for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++)
            check(&t, bases[b], &exact, &total, &moved, &below);
        free_tree(&t);
    }
    print_message("inline layouts at the lower bound: %u of %u; with a data area: %u (%u below the inline bound)\n",
                  exact, total, moved, below);
    assert_true(moved > 0);
    assert_true(exact * 10 >= total * 8);
}

static void no_alignment_is_mpremote(void **state)
{
    (void)state;
    tree t;
    make_tree(&t, 200, 0, 300);
    mr_align_layout l;
    mr_err err;
    assert_int_equal(mr_align_plan(&l, t.nodes, t.n, 0x1234, true, &err), 0);
    assert_int_equal(l.padding, 0);
    assert_int_equal(l.size, l.plain_size);
    for (size_t i = 0; i < t.n; i++)
        assert_int_equal(l.pad_before[i], 0);
    mr_align_layout_free(&l);
    free_tree(&t);
}

static void small_cases_by_hand(void **state)
{
    (void)state;
    /* One file "a" of 3 bytes, aligned 16, base 0: header d2 cd 31 LL, record
     * 05 LL 01 'a' 02 03 -> data at 10 without padding; 6 bytes of gap to 16. */
    mr_align_node one = {.parent = MR_ALIGN_NO_PARENT, .name_len = 1, .size = 3, .align = 16};
    mr_align_layout l;
    mr_err err;
    assert_int_equal(mr_align_plan(&l, &one, 1, 0, true, &err), 0);
    assert_int_equal(l.data_offset[0], 16);
    assert_int_equal(l.pad_before[0], 6);
    /* 16 + 3 = 19 is odd and nothing follows the file: a 3-byte padding record. */
    assert_int_equal(l.trail, 3);
    assert_int_equal(l.size, 22);
    assert_int_equal(l.padding, mr_align_min_padding(&one, 1, 0));
    mr_align_layout_free(&l);
    /* A one-byte gap is a 0x80 prefix on the kind varuint. */
    assert_int_equal(mr_align_plan(&l, &one, 1, 5, true, &err), 0);
    assert_int_equal((5 + l.data_offset[0]) % 16, 0);
    assert_int_equal(l.pad_before[0], 1);
    mr_align_layout_free(&l);
    uint8_t h[16];
    for (uint64_t n = 2; n < 70000; n++) {
        size_t hl = mr_align_padding_header(n, h);
        uint64_t v;
        size_t used;
        assert_int_equal(h[0], MR_KIND_PADDING);
        assert_int_equal(mr_varuint_decode(h + 1, hl - 1, &v, &used), MR_VARUINT_OK);
        assert_int_equal(1 + used + v, n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_cases_by_hand),
        cmocka_unit_test(no_alignment_is_mpremote),
        cmocka_unit_test(random_trees_every_base),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
