#include "board_open.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "sim.h"

void tui_find_exe_dir(const char *argv0, char *out, size_t cap)
{
    out[0] = '\0';
    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n > 0) {
        path[n] = '\0';
    } else if (argv0 && strchr(argv0, '/') && realpath(argv0, path)) {
        /* path set by realpath */
    } else {
        return;
    }
    char *slash = strrchr(path, '/');
    if (slash)
        *slash = '\0';
    snprintf(out, cap, "%s", path);
}

static int mkdirs(const char *path, mr_err *err)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return mr_fail(err, "path too long: %s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) < 0 && errno != EEXIST)
            return mr_fail_errno(err, "cannot create %s", buf);
        *p = '/';
    }
    if (mkdir(buf, 0700) < 0 && errno != EEXIST)
        return mr_fail_errno(err, "cannot create %s", buf);
    return 0;
}

int tui_default_sim_dir(char *out, size_t cap, mr_err *err)
{
    const char *state = getenv("XDG_STATE_HOME");
    int n;
    if (state && state[0] == '/') {
        n = snprintf(out, cap, "%s/mpromfs/sim", state);
    } else {
        const char *home = getenv("HOME");
        if (!home || !*home)
            return mr_fail(err, "neither XDG_STATE_HOME nor HOME is set: give a board with -d");
        n = snprintf(out, cap, "%s/.local/state/mpromfs/sim", home);
    }
    if (n < 0 || (size_t)n >= cap)
        return mr_fail(err, "the state directory path is too long");
    return 0;
}

/* examples/app next to the source tree (build/mpromfs -> ../examples/app) or in an
 * installed share directory (PREFIX/bin -> PREFIX/share/mpromfs/examples/app). */
static bool find_examples(const char *exe_dir, char *out, size_t cap)
{
    const char *rel[] = {"/../examples/app", "/../../examples/app", "/../share/mpromfs/examples/app"};
    for (size_t i = 0; exe_dir[0] && i < sizeof rel / sizeof rel[0]; i++) {
        char p[PATH_MAX + 64];
        struct stat st;
        snprintf(p, sizeof p, "%s%s", exe_dir, rel[i]);
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode) && realpath(p, out)) {
            (void)cap;
            return true;
        }
    }
    return false;
}

/* A small app of our own, for an installed binary without its examples. */
static const struct {
    const char *path;
    const char *text;
} builtin_app[] = {
    {"main.py", "# Runs from /rom: the built-in example of mpromfs.\n"
                "import blink\n\nblink.run(times=3)\n"},
    {"lib/", NULL},
    {"lib/blink.py", "import time\n\n\ndef run(times=1, period_ms=250):\n"
                     "    for _ in range(times):\n        print('on')\n"
                     "        time.sleep_ms(period_ms)\n        print('off')\n"
                     "        time.sleep_ms(period_ms)\n"},
    {"data/", NULL},
    {"data/config.json", "{\"name\": \"mpromfs example\", \"rate_hz\": 50}\n"},
};

static int write_builtin_app(const char *dir, mr_err *err)
{
    for (size_t i = 0; i < sizeof builtin_app / sizeof builtin_app[0]; i++) {
        char p[PATH_MAX + 32];
        snprintf(p, sizeof p, "%s/%s", dir, builtin_app[i].path);
        if (!builtin_app[i].text) {
            if (mkdir(p, 0700) < 0 && errno != EEXIST)
                return mr_fail_errno(err, "cannot create %s", p);
            continue;
        }
        FILE *f = fopen(p, "w");
        if (!f)
            return mr_fail_errno(err, "cannot write %s", p);
        fputs(builtin_app[i].text, f);
        if (fclose(f) != 0)
            return mr_fail_errno(err, "cannot write %s", p);
    }
    return 0;
}

static void remove_tree(const char *dir)
{
    for (size_t i = sizeof builtin_app / sizeof builtin_app[0]; i-- > 0;) {
        char p[PATH_MAX + 32];
        snprintf(p, sizeof p, "%s/%s", dir, builtin_app[i].path);
        if (builtin_app[i].text)
            unlink(p);
        else
            rmdir(p);
    }
    rmdir(dir);
}

int tui_preload(mr_device *dev, unsigned part, const char *app, mr_err *err)
{
    mr_scan_opts so = {.mpy = false};
    uint8_t *img = NULL;
    size_t len = 0;
    if (mr_build_memory(app, &so, &img, &len, err) < 0)
        return mr_wrap(err, "building the example app %s", app);
    mr_part_info info;
    int rc = -1;
    if (mr_device_info(dev, part, &info, err) < 0)
        goto out;
    uint64_t unit = info.erase_unit ? info.erase_unit : info.size;
    uint64_t wmin = info.write_min ? info.write_min : 1;
    uint64_t padded = (len + wmin - 1) / wmin * wmin;
    uint64_t erase = (len + unit - 1) / unit * unit;
    if (erase > info.size || padded > info.size) {
        mr_fail(err, "the example app (%zu bytes) does not fit partition %u (%llu bytes)", len, part,
                (unsigned long long)info.size);
        goto out;
    }
    uint8_t *buf = malloc(padded ? padded : 1);
    if (!buf) {
        mr_fail(err, "out of memory");
        goto out;
    }
    memcpy(buf, img, len);
    memset(buf + len, 0xff, padded - len);
    mr_write_op op = {.offset = 0, .data = buf, .len = (size_t)padded, .erase_first = false};
    rc = mr_device_erase(dev, part, 0, erase, err);
    if (rc == 0)
        rc = mr_device_write(dev, part, &op, 1, NULL, NULL, err);
    if (rc == 0)
        rc = mr_device_complete(dev, part, err);
    free(buf);
out:
    free(img);
    return rc;
}

int tui_sim_prepare(const char *dir, const char *exe_dir, mr_err *err)
{
    char conf_path[PATH_MAX + 16];
    snprintf(conf_path, sizeof conf_path, "%s/board.conf", dir);
    struct stat st;
    if (stat(conf_path, &st) == 0)
        return 0;
    if (mkdirs(dir, err) < 0)
        return -1;
    mr_sim_conf conf;
    mr_sim_conf_default(&conf, 2);
    if (mr_sim_create(dir, &conf, err) < 0)
        return -1;
    char name[PATH_MAX + 8];
    snprintf(name, sizeof name, "sim:%s", dir);
    mr_device *dev;
    if (mr_device_open(name, NULL, &dev, err) < 0)
        return -1;
    char app[PATH_MAX];
    char tmp[PATH_MAX] = "";
    int rc;
    if (find_examples(exe_dir, app, sizeof app)) {
        rc = tui_preload(dev, 0, app, err);
    } else {
        if (snprintf(tmp, sizeof tmp, "%s/.example-XXXXXX", dir) >= (int)sizeof tmp) {
            mr_device_close(dev);
            return mr_fail(err, "path too long: %s", dir);
        }
        if (!mkdtemp(tmp)) {
            mr_device_close(dev);
            return mr_fail_errno(err, "cannot create a temporary directory in %s", dir);
        }
        rc = write_builtin_app(tmp, err);
        if (rc == 0)
            rc = tui_preload(dev, 0, tmp, err);
        remove_tree(tmp);
    }
    mr_device_close(dev);
    return rc;
}

int tui_open_board(const char *device, const char *exe_dir, mr_device **out, char *note, size_t note_cap,
                   mr_err *err)
{
    if (note_cap)
        note[0] = '\0';
    if (device)
        return mr_device_open(device, NULL, out, err);
    mr_err why;
    mr_err_clear(&why);
    if (mr_device_open("auto", NULL, out, &why) == 0)
        return 0;
    if (note_cap)
        snprintf(note, note_cap, "auto: %s; showing the built-in simulated board", why.msg);
    char dir[PATH_MAX];
    if (tui_default_sim_dir(dir, sizeof dir, err) < 0)
        return -1;
    if (tui_sim_prepare(dir, exe_dir, err) < 0)
        return mr_wrap(err, "preparing the built-in simulated board in %s", dir);
    char name[PATH_MAX + 8];
    snprintf(name, sizeof name, "sim:%s", dir);
    return mr_device_open(name, NULL, out, err);
}
