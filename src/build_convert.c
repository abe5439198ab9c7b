/* Which file goes into the image under which name. This is the one place that knows
 * about conversions: mpremote compiles each x.py that has no sibling x.mpy with
 * mpy-cross and stores x.mpy instead (build_mpy.c). Without a compiler a .py that
 * would have been compiled is kept as it is and counted, and the caller prints
 * mpremote's warning. A converter sets node->src to the converted file (inside
 * tree->tmpdir), node->name to the new name, and node->converted. */
#include "build.h"
#include "build_mpy.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

/* os.path.isfile(dir + name): a regular file, following symlinks. */
static bool is_file(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 1);
    if (!p)
        return false;
    memcpy(p, dir, a);
    memcpy(p + a, name, b + 1);
    struct stat st;
    bool r = stat(p, &st) == 0 && S_ISREG(st.st_mode);
    free(p);
    return r;
}

int mr_build_convert(mr_tree *tree, const mr_scan_opts *opts, const char *dir, const char *name,
                     char *const *names, size_t n, mr_node *node, mr_err *err)
{
    (void)names;
    (void)n;
    size_t a = strlen(dir), b = strlen(name);
    node->src = malloc(a + b + 1);
    node->name = strdup(name);
    if (!node->src || !node->name)
        return mr_fail(err, "out of memory");
    memcpy(node->src, dir, a);
    memcpy(node->src + a, name, b + 1);
    if (opts && opts->mpy && ends_with(name, ".py")) {
        char *mpy = malloc(b + 2);
        if (!mpy)
            return mr_fail(err, "out of memory");
        memcpy(mpy, name, b - 3);
        memcpy(mpy + b - 3, ".mpy", 5);
        int rc = 0;
        if (!is_file(dir, mpy)) {
            if (opts->mpy_cross)
                rc = mr_build_compile_py(tree, opts->mpy_cross, dir, mpy, node, err);
            else
                tree->mpy_missed++;
        }
        free(mpy);
        return rc;
    }
    return 0;
}
