/* Deploy against the in-process simulated board (sim:DIR in a temp dir), on both
 * partition styles: first deploy, nothing-to-do, incremental, the power-cut matrix,
 * resume after cancel, corrupt writes caught by verify, and every bad input with the
 * board's counters proving nothing was touched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "build.h"
#include "build_layout.h"
#include "deploy.h"
#include "device.h"
#include "image.h"
#include "sim.h"

#define PART_MV 0    /* memoryview style: 4 KiB units, 16-byte writes */
#define PART_BLOCK 1 /* block-device style: 4 KiB blocks, 256-byte pages */

typedef struct fixture {
    char root[64];   /* temp dir: board/, src/ */
    char board[96];
    char devname[128];
} fixture;

static void rm_rf(const char *path)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->root, sizeof f->root, "/tmp/mpromfs-deploy.XXXXXX");
    if (!mkdtemp(f->root))
        return -1;
    snprintf(f->board, sizeof f->board, "%s/board", f->root);
    snprintf(f->devname, sizeof f->devname, "sim:%s", f->board);
    mr_sim_conf conf;
    mr_sim_conf_default(&conf, 2);
    conf.part[0] = (mr_sim_part_conf){.size = 2u << 20, .erase_unit = 4096, .write_min = 16,
                                      .base = 0x08100000, .writable = true, .style = MR_SIM_MEMORYVIEW};
    conf.part[1] = (mr_sim_part_conf){.size = 2u << 20, .erase_unit = 4096, .write_min = 256,
                                      .base = 0x10180000, .writable = true, .style = MR_SIM_BLOCK};
    mr_err err;
    if (mr_sim_create(f->board, &conf, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rm_rf(f->root);
    free(f);
    return 0;
}

/* ---- images -------------------------------------------------------------------- */

static uint32_t rng(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

static void write_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

/* A tree of `nfiles` files of `size` bytes each (half text-like, half random bytes)
 * under root/name, content from `seed`; file `changed` (if < nfiles) gets other bytes. */
static void make_tree(const fixture *f, const char *name, size_t nfiles, size_t size, uint32_t seed,
                      size_t changed)
{
    char dir[256], path[320];
    snprintf(dir, sizeof dir, "%s/%s", f->root, name);
    rm_rf(dir);
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(path, sizeof path, "%s/lib", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    uint8_t *buf = malloc(size);
    for (size_t i = 0; i < nfiles; i++) {
        uint32_t s = seed + (uint32_t)i * 7919u + (i == changed ? 99991u : 0u);
        for (size_t j = 0; j < size; j++)
            buf[j] = (i % 2) ? (uint8_t)rng(&s) : (uint8_t)("abcdefgh ()=\n"[rng(&s) % 13]);
        snprintf(path, sizeof path, "%s/%s/f%03zu.%s", dir, i % 3 ? "lib" : ".", i, i % 2 ? "bin" : "py");
        write_file(path, buf, size);
    }
    free(buf);
}

static void build(const fixture *f, const char *name, uint8_t **img, size_t *len)
{
    char dir[256];
    snprintf(dir, sizeof dir, "%s/%s", f->root, name);
    mr_layout_opts lo;
    mr_layout_opts_init(&lo);
    lo.mpy = false;
    mr_deploy_source src;
    mr_err err;
    int rc = mr_deploy_source_load(dir, &lo, NULL, &src, &err);
    mr_layout_opts_free(&lo);
    if (rc)
        fail_msg("%s", err.msg);
    *img = src.image;
    *len = src.len;
}

/* ---- the board ------------------------------------------------------------------- */

static mr_device *open_dev(const fixture *f)
{
    mr_device *dev;
    mr_err err;
    if (mr_device_open(f->devname, NULL, &dev, &err))
        fail_msg("%s", err.msg);
    return dev;
}

static mr_sim_counters counters(const fixture *f, unsigned part)
{
    mr_sim_counters c[2];
    mr_err err;
    if (mr_sim_counters_load(f->board, 2, c, &err))
        fail_msg("%s", err.msg);
    return c[part];
}

/* The partition's bytes, as a fresh process would see them. */
static uint8_t *board_bytes(const fixture *f, unsigned part, size_t *len)
{
    mr_sim *sim;
    mr_err err;
    if (mr_sim_open(f->board, &sim, &err))
        fail_msg("%s", err.msg);
    *len = (size_t)mr_sim_config(sim)->part[part].size;
    uint8_t *b = malloc(*len);
    memcpy(b, mr_sim_bytes(sim, part), *len);
    mr_sim_close(sim);
    return b;
}

static bool board_holds(const fixture *f, unsigned part, const uint8_t *img, size_t len)
{
    size_t n;
    uint8_t *b = board_bytes(f, part, &n);
    bool ok = n >= len && memcmp(b, img, len) == 0;
    free(b);
    return ok;
}

/* Units of the image that do not yet hold their target (image, then 0xff to the unit end). */
static size_t units_not_correct(const fixture *f, unsigned part, const uint8_t *img, size_t len)
{
    size_t n;
    uint8_t *b = board_bytes(f, part, &n);
    size_t bad = 0;
    for (size_t s = 0; s < len; s += 4096) {
        bool ok = true;
        for (size_t i = s; i < s + 4096 && ok; i++)
            ok = b[i] == (i < len ? img[i] : 0xff);
        bad += !ok;
    }
    free(b);
    return bad;
}

typedef struct run_out {
    int rc;
    mr_err err;
    mr_deploy_result res;
    size_t ndirty, ndiffer, units;
    char *state;
} run_out;

typedef struct cancel_after {
    size_t batches, seen;
} cancel_after;

static int cancel_cb(void *ctx, const mr_deploy_progress *p)
{
    cancel_after *c = ctx;
    return p->phase == MR_PHASE_WRITE && ++c->seen > c->batches;
}

/* One whole deploy as the CLI runs it: plan, execute, verify. */
static run_out deploy(const fixture *f, unsigned part, const uint8_t *img, size_t len, bool full,
                      mr_deploy_progress_fn fn, void *ctx)
{
    run_out r;
    memset(&r, 0, sizeof r);
    mr_device *dev = open_dev(f);
    mr_deploy_opts o = {.part = part, .full = full, .diff_read_limit = UINT64_MAX};
    mr_deploy_plan plan;
    r.rc = mr_deploy_plan_make(dev, &o, img, len, &plan, &r.err);
    if (r.rc == 0) {
        r.ndirty = plan.ndirty;
        r.ndiffer = plan.ndiffer;
        r.units = plan.units;
        r.rc = mr_deploy_execute(dev, &plan, fn, ctx, &r.res, &r.err);
        if (r.rc == 0 && plan.ndirty)
            r.rc = mr_deploy_verify(dev, &plan, NULL, NULL, &r.res, &r.err);
        if (r.rc)
            r.state = mr_deploy_state_text(&plan, &r.res);
        mr_deploy_plan_free(&plan);
    }
    mr_device_close(dev);
    return r;
}

static void expect_ok(run_out *r)
{
    if (r->rc)
        fail_msg("deploy failed: %s", r->err.msg);
    free(r->state);
}

/* ---- tests -------------------------------------------------------------------------- */

static void first_deploy_then_nothing_to_do(void **state, unsigned part)
{
    fixture *f = *state;
    make_tree(f, "a", 12, 3000, 1, 99);
    uint8_t *img;
    size_t len;
    build(f, "a", &img, &len);
    run_out r = deploy(f, part, img, len, false, NULL, NULL);
    expect_ok(&r);
    assert_true(board_holds(f, part, img, len));
    assert_int_equal(r.ndirty, r.units);
    assert_true(r.res.verified);
    assert_int_equal(r.res.verified_units, r.units);
    mr_sim_counters c1 = counters(f, part);
    assert_int_equal(c1.erased_bytes, r.units * 4096);
    assert_int_equal(c1.completes, 1);

    /* the same image again: compared, nothing touched */
    r = deploy(f, part, img, len, false, NULL, NULL);
    expect_ok(&r);
    assert_int_equal(r.ndirty, 0);
    assert_false(r.res.touched);
    mr_sim_counters c2 = counters(f, part);
    assert_memory_equal(&c1, &c2, sizeof c1);

    /* --full rewrites every unit */
    r = deploy(f, part, img, len, true, NULL, NULL);
    expect_ok(&r);
    mr_sim_counters c3 = counters(f, part);
    assert_int_equal(c3.erased_bytes - c2.erased_bytes, r.units * 4096);
    assert_true(board_holds(f, part, img, len));
    free(img);
}
static void first_deploy_mv(void **s) { first_deploy_then_nothing_to_do(s, PART_MV); }
static void first_deploy_block(void **s) { first_deploy_then_nothing_to_do(s, PART_BLOCK); }

/* Change one file of a 1 MiB image: only the units whose bytes changed, plus unit 0
 * (the header goes first and comes back last), are erased and written. */
static void incremental(void **state, unsigned part)
{
    fixture *f = *state;
    make_tree(f, "a", 64, 16384, 5, 99);
    make_tree(f, "b", 64, 16384, 5, 37);
    uint8_t *a, *b;
    size_t alen, blen;
    build(f, "a", &a, &alen);
    build(f, "b", &b, &blen);
    assert_true(alen >= (1u << 20));
    assert_int_equal(alen, blen);
    run_out r = deploy(f, part, a, alen, false, NULL, NULL);
    expect_ok(&r);
    mr_sim_counters c1 = counters(f, part);

    size_t differ = 0;
    for (size_t s = 0; s < alen; s += 4096)
        differ += memcmp(a + s, b + s, s + 4096 <= alen ? 4096 : alen - s) != 0;
    assert_true(differ >= 1 && differ <= 6);

    r = deploy(f, part, b, blen, false, NULL, NULL);
    expect_ok(&r);
    mr_sim_counters c2 = counters(f, part);
    assert_int_equal(r.ndiffer, differ);
    assert_int_equal(r.ndirty, differ + (memcmp(a, b, 4096) == 0));
    assert_int_equal(c2.erased_bytes - c1.erased_bytes, r.ndirty * 4096);
    assert_true(c2.written_bytes - c1.written_bytes <= r.ndirty * 4096);
    assert_true(board_holds(f, part, b, blen));
    free(a);
    free(b);
}
static void incremental_mv(void **s) { incremental(s, PART_MV); }
static void incremental_block(void **s) { incremental(s, PART_BLOCK); }

/* The power-cut matrix: image A on the board, deploy B (>= 20 units) with the power
 * cut after write k, for every k. Afterwards the partition holds no valid image or
 * exactly B; re-running leaves exactly B and rewrites only units not yet correct. */
static void cut_matrix(void **state, unsigned part)
{
    fixture *f = *state;
    /* A longer than B, so that putting A back rewrites every unit B uses */
    make_tree(f, "a", 28, 3500, 11, 99);
    make_tree(f, "b", 26, 3500, 12, 99);
    uint8_t *a, *b;
    size_t alen, blen;
    build(f, "a", &a, &alen);
    build(f, "b", &b, &blen);
    size_t units = (blen + 4095) / 4096;
    assert_true(units >= 20);

    /* how many writes a whole deploy of B over A takes */
    run_out r = deploy(f, part, a, alen, false, NULL, NULL);
    expect_ok(&r);
    mr_sim_counters c0 = counters(f, part);
    r = deploy(f, part, b, blen, false, NULL, NULL);
    expect_ok(&r);
    uint64_t total = counters(f, part).writes - c0.writes;
    assert_true(total >= units);

    mr_err err;
    for (uint64_t k = 0; k <= total; k++) {
        r = deploy(f, part, a, alen, false, NULL, NULL);
        expect_ok(&r);
        assert_int_equal(mr_sim_fault_power_cut(f->board, k, &err), 0);
        r = deploy(f, part, b, blen, false, NULL, NULL);
        if (k < total) {
            assert_int_not_equal(r.rc, 0);
            /* the last write is the header: a cut there leaves the outcome unknown */
            assert_non_null(strstr(r.state, k + 1 == total ? "holds either no valid image or the new one"
                                                           : "holds no valid image; "));
        } else {
            expect_ok(&r); /* the cut would come after the last write */
            assert_int_equal(mr_sim_fault_clear(f->board, &err), 0);
        }
        free(k < total ? r.state : NULL);

        size_t n;
        uint8_t *bytes = board_bytes(f, part, &n);
        size_t isz;
        if (mr_image_probe(bytes, n, &isz)) {
            /* a valid header only ever stands over exactly the new image */
            assert_int_equal(isz, blen);
            assert_memory_equal(bytes, b, blen);
            mr_image img;
            assert_int_equal(mr_image_parse(&img, bytes, n, &err), 0);
            mr_image_free(&img);
        } else {
            assert_true(k < total);
        }
        free(bytes);

        size_t wrong = units_not_correct(f, part, b, blen);
        mr_sim_counters before = counters(f, part);
        r = deploy(f, part, b, blen, false, NULL, NULL);
        expect_ok(&r);
        mr_sim_counters after = counters(f, part);
        assert_int_equal(r.ndirty, wrong);
        assert_true(after.erased_bytes - before.erased_bytes <= wrong * 4096);
        assert_true(board_holds(f, part, b, blen));
    }
    free(a);
    free(b);
}
static void cut_matrix_mv(void **s) { cut_matrix(s, PART_MV); }
static void cut_matrix_block(void **s) { cut_matrix(s, PART_BLOCK); }

/* Ctrl-C in the CLI is a progress callback returning non-zero: the deploy stops
 * between batches, says what the board holds, and the same deploy finishes it. */
static void cancel_then_resume(void **state)
{
    fixture *f = *state;
    make_tree(f, "a", 30, 3500, 21, 99);
    uint8_t *a;
    size_t alen;
    build(f, "a", &a, &alen);
    cancel_after c = {.batches = 9};
    run_out r = deploy(f, PART_MV, a, alen, false, cancel_cb, &c);
    assert_int_not_equal(r.rc, 0);
    assert_true(r.res.cancelled);
    assert_true(r.res.touched);
    assert_false(r.res.header_written);
    char want[128];
    snprintf(want, sizeof want, "partition 0 holds no valid image; %zu of %zu units written; run the same command again to finish",
             r.res.units_written, r.ndirty);
    assert_string_equal(r.state, want);
    assert_true(r.res.units_written >= 8);
    free(r.state);
    size_t n;
    uint8_t *bytes = board_bytes(f, PART_MV, &n);
    assert_false(mr_image_probe(bytes, n, &n));
    free(bytes);

    size_t wrong = units_not_correct(f, PART_MV, a, alen);
    assert_true(wrong < r.ndirty);
    mr_sim_counters before = counters(f, PART_MV);
    r = deploy(f, PART_MV, a, alen, false, NULL, NULL);
    expect_ok(&r);
    assert_int_equal(r.ndirty, wrong);
    assert_int_equal(counters(f, PART_MV).erased_bytes - before.erased_bytes, wrong * 4096);
    assert_true(board_holds(f, PART_MV, a, alen));
    free(a);
}

/* A board that confirms a write but stores other bytes: verify names the unit and the
 * offset, takes the header away again, and the next deploy repairs it. */
static void corrupt_write_caught(void **state)
{
    fixture *f = *state;
    make_tree(f, "a", 20, 3500, 31, 99);
    uint8_t *a;
    size_t alen;
    build(f, "a", &a, &alen);
    mr_err err;
    assert_int_equal(mr_sim_fault_corrupt(f->board, 5, &err), 0);
    run_out r = deploy(f, PART_BLOCK, a, alen, false, NULL, NULL);
    assert_int_not_equal(r.rc, 0);
    assert_non_null(strstr(r.err.msg, "verify failed: unit 5 of partition 1 (offset 0x5000-0x5fff)"));
    assert_non_null(strstr(r.err.msg, "first at offset 0x5"));
    free(r.state);
    size_t n;
    uint8_t *bytes = board_bytes(f, PART_BLOCK, &n);
    assert_false(mr_image_probe(bytes, n, &n));
    free(bytes);
    r = deploy(f, PART_BLOCK, a, alen, false, NULL, NULL);
    expect_ok(&r);
    assert_int_equal(r.ndirty, 2); /* the damaged unit and unit 0 */
    assert_true(board_holds(f, PART_BLOCK, a, alen));
    free(a);
}

static void expect_untouched(const fixture *f, const mr_sim_counters *c0)
{
    for (unsigned p = 0; p < 2; p++) {
        mr_sim_counters c = counters(f, p);
        assert_memory_equal(&c, &c0[p], sizeof c);
    }
}

static void bad_inputs_touch_nothing(void **state)
{
    fixture *f = *state;
    make_tree(f, "a", 10, 3000, 41, 99);
    uint8_t *a;
    size_t alen;
    build(f, "a", &a, &alen);
    run_out r = deploy(f, PART_MV, a, alen, false, NULL, NULL);
    expect_ok(&r);
    mr_sim_counters c0[2] = {counters(f, 0), counters(f, 1)};

    /* not a ROMFS image */
    uint8_t junk[4096];
    memset(junk, 0x42, sizeof junk);
    r = deploy(f, PART_MV, junk, sizeof junk, false, NULL, NULL);
    assert_int_not_equal(r.rc, 0);
    assert_non_null(strstr(r.err.msg, "not a valid ROMFS image"));
    expect_untouched(f, c0);

    /* a corrupt image: a valid header over a truncated payload */
    r = deploy(f, PART_MV, a, alen - 10, false, NULL, NULL);
    assert_int_not_equal(r.rc, 0);
    expect_untouched(f, c0);

    /* too big: says by how much */
    make_tree(f, "big", 40, 60000, 42, 99);
    uint8_t *big;
    size_t blen;
    build(f, "big", &big, &blen);
    assert_true(blen > (2u << 20));
    r = deploy(f, PART_MV, big, blen, false, NULL, NULL);
    assert_int_not_equal(r.rc, 0);
    char want[160];
    snprintf(want, sizeof want, "the image is %zu bytes, %zu bytes too big for partition 0 (2097152 bytes)", blen,
             blen - (2u << 20));
    assert_non_null(strstr(r.err.msg, want));
    expect_untouched(f, c0);
    free(big);

    /* a partition index the board does not have */
    r = deploy(f, 7, a, alen, false, NULL, NULL);
    assert_int_not_equal(r.rc, 0);
    expect_untouched(f, c0);

    /* source missing, or a file that is not named as an image */
    mr_layout_opts bo;
    mr_layout_opts_init(&bo);
    bo.mpy = false;
    mr_deploy_source src;
    mr_err err;
    char path[256];
    snprintf(path, sizeof path, "%s/missing", f->root);
    assert_int_not_equal(mr_deploy_source_load(path, &bo, NULL, &src, &err), 0);
    assert_non_null(strstr(err.msg, "No such file"));
    snprintf(path, sizeof path, "%s/a/f000.py", f->root);
    assert_int_not_equal(mr_deploy_source_load(path, &bo, NULL, &src, &err), 0);
    assert_non_null(strstr(err.msg, "not a directory"));
    mr_layout_opts_free(&bo);
    expect_untouched(f, c0);

    /* a read-only partition */
    mr_sim_conf conf;
    assert_int_equal(mr_sim_conf_load(f->board, &conf, &err), 0);
    conf.part[1].writable = false;
    assert_int_equal(mr_sim_conf_save(f->board, &conf, &err), 0);
    r = deploy(f, PART_BLOCK, a, alen, false, NULL, NULL);
    assert_int_not_equal(r.rc, 0);
    assert_non_null(strstr(r.err.msg, "partition 1 cannot be written"));
    assert_non_null(strstr(r.err.msg, "nothing was changed"));
    expect_untouched(f, c0);
    free(a);
}

/* The plan names files added, removed and changed against the board's image. */
static void plan_lists_files(void **state)
{
    fixture *f = *state;
    make_tree(f, "a", 6, 2000, 51, 99);
    uint8_t *a, *b;
    size_t alen, blen;
    build(f, "a", &a, &alen);
    run_out r = deploy(f, PART_MV, a, alen, false, NULL, NULL);
    expect_ok(&r);
    char path[256];
    snprintf(path, sizeof path, "%s/a/f000.py", f->root);
    assert_int_equal(unlink(path), 0);
    snprintf(path, sizeof path, "%s/a/lib/f002.py", f->root);
    write_file(path, (const uint8_t *)"print(2)\n", 9);
    snprintf(path, sizeof path, "%s/a/new.txt", f->root);
    write_file(path, (const uint8_t *)"hello\n", 6);
    char to[256];
    snprintf(path, sizeof path, "%s/a/lib/f001.bin", f->root);
    snprintf(to, sizeof to, "%s/a/lib/z001.bin", f->root);
    assert_int_equal(rename(path, to), 0);
    build(f, "a", &b, &blen);

    mr_device *dev = open_dev(f);
    mr_deploy_opts o = {.part = PART_MV, .diff_read_limit = UINT64_MAX};
    mr_deploy_plan plan;
    mr_err err;
    assert_int_equal(mr_deploy_plan_make(dev, &o, b, blen, &plan, &err), 0);
    assert_int_equal(plan.board, MR_BOARD_IMAGE);
    assert_int_equal(plan.nchanges, 4);
    assert_string_equal(plan.changes[0].path, "f000.py");
    assert_int_equal(plan.changes[0].kind, MR_FILE_REMOVED);
    assert_string_equal(plan.changes[1].path, "lib/f002.py");
    assert_int_equal(plan.changes[1].kind, MR_FILE_CHANGED);
    assert_int_equal(plan.changes[1].new_size, 9);
    assert_string_equal(plan.changes[2].path, "lib/z001.bin");
    assert_int_equal(plan.changes[2].kind, MR_FILE_RENAMED);
    assert_string_equal(plan.changes[2].from, "lib/f001.bin");
    assert_string_equal(plan.changes[3].path, "new.txt");
    assert_int_equal(plan.changes[3].kind, MR_FILE_ADDED);
    char *text = mr_deploy_plan_text(&plan, dev);
    assert_non_null(strstr(text, "files: 1 added, 1 removed, 1 changed, 1 renamed"));
    assert_non_null(strstr(text, "    > lib/f001.bin -> lib/z001.bin\n"));
    assert_non_null(strstr(text, "    ~ lib/f002.py (2000 -> 9 bytes)\n"));
    free(text);
    mr_deploy_plan_free(&plan);

    /* with a read limit too small the files are not compared, and nothing is read */
    o.diff_read_limit = 0;
    assert_int_equal(mr_deploy_plan_make(dev, &o, b, blen, &plan, &err), 0);
    assert_int_equal(plan.board, MR_BOARD_UNREAD);
    assert_int_equal(plan.nchanges, 0);
    mr_deploy_plan_free(&plan);
    mr_device_close(dev);
    free(a);
    free(b);
}

/* ---- boards without hashlib: the CRC-32 and read-back paths ---------------------- */

typedef struct wrap {
    mr_device *inner;
    bool crc32;      /* false: no hash at all, compare by reading back */
} wrap;

static mr_device *inner_of(mr_device *d) { return ((wrap *)d->impl)->inner; }
static int w_count(mr_device *d, unsigned *n, mr_err *e) { return mr_device_count(inner_of(d), n, e); }
static int w_info(mr_device *d, unsigned p, mr_part_info *i, mr_err *e) { return mr_device_info(inner_of(d), p, i, e); }
static int w_caps(mr_device *d, mr_dev_caps *c, mr_err *e)
{
    if (mr_device_caps(inner_of(d), c, e))
        return -1;
    c->sha256 = false;
    c->crc32 = ((wrap *)d->impl)->crc32;
    return 0;
}
static int w_read(mr_device *d, unsigned p, uint64_t o, uint8_t *b, size_t l, mr_err *e)
{
    return mr_device_read(inner_of(d), p, o, b, l, e);
}
static int w_erase(mr_device *d, unsigned p, uint64_t o, uint64_t l, mr_err *e)
{
    return mr_device_erase(inner_of(d), p, o, l, e);
}
static int w_write(mr_device *d, unsigned p, const mr_write_op *ops, size_t n, mr_progress_fn fn, void *ctx,
                   mr_err *e)
{
    return mr_device_write(inner_of(d), p, ops, n, fn, ctx, e);
}
static int w_complete(mr_device *d, unsigned p, mr_err *e) { return mr_device_complete(inner_of(d), p, e); }
static int w_hash(mr_device *d, unsigned p, uint64_t off, uint32_t unit, size_t count, mr_hash_algo *algo,
                  uint8_t (*out)[32], mr_err *e)
{
    if (!((wrap *)d->impl)->crc32)
        return mr_fail(e, "this board cannot hash");
    uint8_t *buf = malloc(unit);
    for (size_t i = 0; i < count; i++) {
        if (mr_device_read(inner_of(d), p, off + i * unit, buf, unit, e)) {
            free(buf);
            return -1;
        }
        uLong crc = crc32(crc32(0L, Z_NULL, 0), buf, unit);
        memset(out[i], 0, 32);
        out[i][0] = (uint8_t)(crc >> 24), out[i][1] = (uint8_t)(crc >> 16);
        out[i][2] = (uint8_t)(crc >> 8), out[i][3] = (uint8_t)crc;
    }
    free(buf);
    *algo = MR_HASH_CRC32;
    return 0;
}
static int w_list(mr_device *d, char ***p, size_t *n, mr_err *e) { return mr_device_reset_and_list(inner_of(d), p, n, e); }
static void w_close(mr_device *d) { mr_device_close(inner_of(d)); free(d->impl); }
static const struct mr_device_ops wrap_ops = {w_count, w_info, w_caps, w_read, w_erase, w_write,
                                              w_complete, w_hash, w_list, w_close};

static void weak_boards(void **state)
{
    fixture *f = *state;
    make_tree(f, "a", 12, 3000, 61, 99);
    make_tree(f, "b", 12, 3000, 61, 4);
    uint8_t *a, *b;
    size_t alen, blen;
    build(f, "a", &a, &alen);
    build(f, "b", &b, &blen);
    for (int crc = 0; crc <= 1; crc++) {
        mr_device *dev = calloc(1, sizeof *dev);
        wrap *w = calloc(1, sizeof *w);
        w->inner = open_dev(f);
        w->crc32 = crc;
        dev->ops = &wrap_ops;
        dev->impl = w;
        snprintf(dev->name, sizeof dev->name, "weak");
        for (int step = 0; step < 2; step++) {
            const uint8_t *img = step ? b : a;
            size_t len = step ? blen : alen;
            mr_deploy_opts o = {.part = PART_MV, .diff_read_limit = UINT64_MAX};
            mr_deploy_plan plan;
            mr_deploy_result res;
            mr_err err;
            assert_int_equal(mr_deploy_plan_make(dev, &o, img, len, &plan, &err), 0);
            assert_int_equal(plan.how, crc ? MR_COMPARE_CRC32 : MR_COMPARE_READBACK);
            if (step)
                assert_true(plan.ndirty <= 3);
            assert_int_equal(mr_deploy_execute(dev, &plan, NULL, NULL, &res, &err), 0);
            assert_int_equal(mr_deploy_verify(dev, &plan, NULL, NULL, &res, &err), 0);
            mr_deploy_plan_free(&plan);
        }
        mr_device_close(dev);
        assert_true(board_holds(f, PART_MV, b, blen));
        /* back to a for the next round */
        run_out r = deploy(f, PART_MV, a, alen, false, NULL, NULL);
        expect_ok(&r);
    }
    free(a);
    free(b);
}

static void reset_lists_image(void **state)
{
    fixture *f = *state;
    make_tree(f, "a", 5, 1000, 71, 99);
    uint8_t *a;
    size_t alen;
    build(f, "a", &a, &alen);
    run_out r = deploy(f, PART_MV, a, alen, false, NULL, NULL);
    expect_ok(&r);
    mr_device *dev = open_dev(f);
    mr_deploy_opts o = {.part = PART_MV, .diff_read_limit = 0};
    mr_deploy_plan plan;
    mr_err err;
    assert_int_equal(mr_deploy_plan_make(dev, &o, a, alen, &plan, &err), 0);
    assert_int_equal(mr_deploy_check_reset(dev, &plan, &err), 0);
    /* a plan for another image does not match what /rom lists */
    free(plan.image_paths[0]);
    plan.image_paths[0] = strdup("a0.py");
    assert_int_not_equal(mr_deploy_check_reset(dev, &plan, &err), 0);
    assert_non_null(strstr(err.msg, "/rom lacks 'a0.py'"));
    mr_deploy_plan_free(&plan);
    mr_device_close(dev);
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(first_deploy_mv, setup, teardown),
        cmocka_unit_test_setup_teardown(first_deploy_block, setup, teardown),
        cmocka_unit_test_setup_teardown(incremental_mv, setup, teardown),
        cmocka_unit_test_setup_teardown(incremental_block, setup, teardown),
        cmocka_unit_test_setup_teardown(cut_matrix_mv, setup, teardown),
        cmocka_unit_test_setup_teardown(cut_matrix_block, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_then_resume, setup, teardown),
        cmocka_unit_test_setup_teardown(corrupt_write_caught, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_inputs_touch_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(plan_lists_files, setup, teardown),
        cmocka_unit_test_setup_teardown(weak_boards, setup, teardown),
        cmocka_unit_test_setup_teardown(reset_lists_image, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
