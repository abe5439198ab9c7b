/* Models that work against a board: the board pane through the device layer, the
 * deploy plan summary, and the editor's staged tree. Uses an in-process simulated
 * board in a scratch directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "build.h"
#include "build_layout.h"
#include "deploy.h"
#include "sim.h"
#include "testfiles.h"
#include "tui/model_board.h"
#include "tui/model_edit.h"
#include "tui/model_plan.h"

typedef struct fixture {
    char *dir;
    mr_device *dev;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = tf_tmpdir();
    char board[4096], name[4200];
    snprintf(board, sizeof board, "%s/board", f->dir);
    mr_sim_conf conf;
    mr_sim_conf_default(&conf, 2);
    mr_err err;
    assert_int_equal(mr_sim_create(board, &conf, &err), 0);
    snprintf(name, sizeof name, "sim:%s", board);
    assert_int_equal(mr_device_open(name, NULL, &f->dev, &err), 0);
    assert_int_equal(tf_write(f->dir, "src/main.py", "print('hi')\n", 12), 0);
    assert_int_equal(tf_write(f->dir, "src/data/table.bin", "\x01\x02\x03\x04\x05", 5), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    mr_device_close(f->dev);
    tf_rmrf(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static int plan(fixture *f, const char *sub, mr_deploy_source *src, mr_deploy_plan *p)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", f->dir, sub);
    mr_layout_opts lo;
    mr_layout_opts_init(&lo);
    lo.mpy = false;
    mr_part_info info;
    mr_err err;
    assert_int_equal(mr_device_info(f->dev, 0, &info, &err), 0);
    int rc = mr_deploy_source_load(path, &lo, &info, src, &err);
    mr_layout_opts_free(&lo);
    if (rc < 0)
        fail_msg("%s", err.msg);
    mr_deploy_opts o = {.part = 0, .diff_read_limit = UINT64_MAX};
    if (mr_deploy_plan_make(f->dev, &o, src->image, src->len, p, &err) < 0)
        fail_msg("%s", err.msg);
    return 0;
}

static void summarizes_a_plan(void **state)
{
    fixture *f = *state;
    mr_deploy_source src = {0};
    mr_deploy_plan p;
    plan(f, "src", &src, &p);
    tui_plan_summary s;
    tui_plan_summarize(&p, &s);
    assert_int_equal(s.part_size, 131072);
    assert_int_equal(s.image_size, p.image_size);
    assert_int_equal(s.units_write, 1);
    assert_int_equal(s.units_part, 32);
    assert_int_equal(s.percent, 0);
    assert_false(s.nothing_to_do);
    assert_true(s.files_known);
    assert_int_equal(s.added, 3); /* main.py, data/, data/table.bin on an empty board */
    /* table.bin's data sits at an odd address: warned; main.py is code: not */
    assert_int_equal(s.misaligned, 1);
    assert_string_equal(s.first_misaligned, "data/table.bin");
    tui_lines l = {0};
    tui_plan_lines(&s, &l);
    assert_int_equal(l.n, 4);
    assert_non_null(strstr(l.v[1], "write 1 of 32 erase units"));
    assert_non_null(strstr(l.v[2], "files: 3 added, 0 removed, 0 changed"));
    assert_non_null(strstr(l.v[3], "warning: 1 data file not 4-byte aligned: data/table.bin at 0x0810"));
    tui_lines_free(&l);
    /* the unit being written follows the bytes done */
    assert_int_equal(tui_plan_current_unit(&p, 0), p.op_unit[0]);
    assert_int_equal(tui_plan_current_unit(&p, p.payload_bytes), p.op_unit[p.nops - 1]);
    /* run it, then the same plan again has nothing to do */
    mr_deploy_result res;
    mr_err err;
    assert_int_equal(mr_deploy_execute(f->dev, &p, NULL, NULL, &res, &err), 0);
    mr_deploy_plan_free(&p);
    mr_deploy_source_free(&src);
    plan(f, "src", &src, &p);
    tui_plan_summarize(&p, &s);
    assert_true(s.nothing_to_do);
    assert_int_equal(s.added + s.removed + s.changed, 0);
    tui_plan_lines(&s, &l);
    assert_non_null(strstr(l.v[1], "nothing to write"));
    tui_lines_free(&l);
    mr_deploy_plan_free(&p);
    mr_deploy_source_free(&src);
}

static void rate_and_eta(void **state)
{
    (void)state;
    double rate, eta;
    tui_rate_eta(5000, 10000, 2.0, &rate, &eta);
    assert_true(rate > 2499 && rate < 2501);
    assert_true(eta > 1.99 && eta < 2.01);
    tui_rate_eta(0, 10000, 0.0, &rate, &eta);
    assert_true(eta < 0);
}

static void board_through_the_device(void **state)
{
    fixture *f = *state;
    tui_board b;
    tui_board_init(&b);
    mr_err err;
    assert_int_equal(tui_board_attach(&b, f->dev, &err), 0);
    assert_int_equal(b.nparts, 2);
    assert_false(b.parts[0].has_image);
    /* an erased partition opens to an explanation, not an error */
    assert_int_equal(tui_board_open_part(&b, 0, NULL, NULL, &err), 0);
    assert_false(b.parsed);
    assert_non_null(strstr(b.problem, "no ROMFS image"));
    mr_deploy_source src = {0};
    mr_deploy_plan p;
    plan(f, "src", &src, &p);
    mr_deploy_result res;
    assert_int_equal(mr_deploy_execute(f->dev, &p, NULL, NULL, &res, &err), 0);
    assert_int_equal(tui_board_attach(&b, f->dev, &err), 0);
    assert_true(b.parts[0].has_image);
    assert_int_equal(tui_board_open_part(&b, 0, NULL, NULL, &err), 0);
    assert_true(b.parsed);
    assert_int_equal(b.len, p.image_size);
    assert_true(tui_board_select_path(&b, "main.py"));
    assert_true(tui_board_addr(&b, tui_board_current(&b)) == 0x08100000 + tui_board_current(&b)->data_offset);
    assert_int_equal(tui_board_open_part(&b, 7, NULL, NULL, &err), -1);
    tui_board_free(&b);
    mr_deploy_plan_free(&p);
    mr_deploy_source_free(&src);
}

static bool stop_at_once(void *ctx, const char *what, uint64_t done, uint64_t total)
{
    (void)what, (void)done, (void)total;
    ++*(int *)ctx;
    return true;
}

static void reading_can_be_cancelled(void **state)
{
    fixture *f = *state;
    mr_deploy_source src = {0};
    mr_deploy_plan p;
    plan(f, "src", &src, &p);
    mr_deploy_result res;
    mr_err err;
    assert_int_equal(mr_deploy_execute(f->dev, &p, NULL, NULL, &res, &err), 0);
    tui_board b;
    tui_board_init(&b);
    assert_int_equal(tui_board_attach(&b, f->dev, &err), 0);
    int calls = 0;
    assert_int_equal(tui_board_open_part(&b, 0, stop_at_once, &calls, &err), -1);
    assert_int_equal(calls, 1);
    assert_non_null(strstr(err.msg, "cancelled"));
    assert_false(b.in_part);
    tui_board_free(&b);
    mr_deploy_plan_free(&p);
    mr_deploy_source_free(&src);
}

static void edits_a_staged_tree(void **state)
{
    fixture *f = *state;
    char path[4200];
    snprintf(path, sizeof path, "%s/src", f->dir);
    uint8_t *img;
    size_t len;
    mr_err err;
    mr_scan_opts so = {.mpy = false};
    assert_int_equal(mr_build_memory(path, &so, &img, &len, &err), 0);
    tui_edit e;
    assert_int_equal(tui_edit_open(&e, img, len, 4096, "partition 0", &err), 0);
    assert_true(e.built);
    assert_int_equal(e.image_size, len);
    assert_false(e.changed);
    assert_int_equal(e.tree.n, 3); /* .., data, main.py */
    /* add a host file: the image grows */
    assert_int_equal(tf_write(f->dir, "extra.txt", "0123456789", 10), 0);
    snprintf(path, sizeof path, "%s/extra.txt", f->dir);
    assert_int_equal(tui_edit_add(&e, path, &err), 0);
    assert_true(e.changed);
    assert_true(e.image_size > len);
    assert_string_equal(e.tree.v[e.tree.cur.cur].name, "extra.txt");
    /* the same name twice is refused */
    assert_int_equal(tui_edit_add(&e, path, &err), -1);
    assert_non_null(strstr(err.msg, "already"));
    /* rename checks the name */
    assert_int_equal(tui_edit_rename(&e, "a/b", &err), -1);
    assert_int_equal(tui_edit_rename(&e, "notes.txt", &err), 0);
    assert_string_equal(e.tree.v[e.tree.cur.cur].name, "notes.txt");
    /* a name the build refuses is reported, with the staged path */
    assert_int_equal(tui_edit_rename(&e, "caf\xc3\xa9.txt", &err), 0);
    assert_false(e.built);
    assert_non_null(strstr(e.build_err, "ASCII"));
    assert_null(strstr(e.build_err, e.tmp));
    char status[1200];
    tui_edit_status(&e, status, sizeof status);
    assert_non_null(strstr(status, "does not build"));
    assert_int_equal(tui_edit_delete(&e, &err), 0);
    assert_true(e.built);
    assert_int_equal(e.image_size, len);
    /* too big for the partition */
    char big[5000];
    memset(big, 'x', sizeof big);
    assert_int_equal(tf_write(f->dir, "big.bin", big, sizeof big), 0);
    snprintf(path, sizeof path, "%s/big.bin", f->dir);
    assert_int_equal(tui_edit_add(&e, path, &err), 0);
    tui_edit_status(&e, status, sizeof status);
    assert_non_null(strstr(status, "does NOT fit"));
    /* save, then revert to the original */
    snprintf(path, sizeof path, "%s/out.romfs", f->dir);
    assert_int_equal(tui_edit_save(&e, path, &err), 0);
    size_t olen;
    uint8_t *out = tf_read(path, &olen);
    assert_int_equal(olen, e.image_size);
    free(out);
    assert_int_equal(tui_edit_revert(&e, &err), 0);
    assert_false(e.changed);
    assert_int_equal(e.image_size, len);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", e.tmp);
    tui_edit_close(&e);
    struct stat st;
    assert_int_equal(stat(tmp, &st), -1); /* the staging directory is gone */
    free(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(summarizes_a_plan, setup, teardown),
        cmocka_unit_test(rate_and_eta),
        cmocka_unit_test_setup_teardown(board_through_the_device, setup, teardown),
        cmocka_unit_test_setup_teardown(reading_can_be_cancelled, setup, teardown),
        cmocka_unit_test_setup_teardown(edits_a_staged_tree, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
