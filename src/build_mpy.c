#include "build_mpy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int mr_build_compile_py(mr_tree *tree, mr_mpy_cross *mc, const char *dir, const char *mpy_name, mr_node *node,
                        mr_err *err)
{
    if (!tree->tmpdir) {
        const char *tmp = getenv("TMPDIR");
        char tmpl[4096];
        snprintf(tmpl, sizeof tmpl, "%s/mpromfs-mpy.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(tmpl))
            return mr_fail_errno(err, "cannot create a temporary directory for mpy-cross in %s",
                                 tmp && *tmp ? tmp : "/tmp");
        if (!(tree->tmpdir = strdup(tmpl)))
            return mr_fail(err, "out of memory");
    }
    size_t idx = (size_t)(node - tree->nodes);
    char out[4200];
    snprintf(out, sizeof out, "%s/%zu.mpy", tree->tmpdir, idx);
    /* the name recorded in the .mpy: the path inside the image, so that the
     * output does not depend on where the source tree is */
    size_t rl = tree->root ? strlen(tree->root) : 0;
    char rel[4096];
    snprintf(rel, sizeof rel, "%s%s", strncmp(dir, tree->root ? tree->root : "", rl) == 0 ? dir + rl : dir,
             node->name);
    if (mr_mpy_cross_compile(mc, node->src, rel, out, err)) {
        unlink(out);
        return -1;
    }
    struct stat st;
    char *src = strdup(out), *name = strdup(mpy_name);
    if (!src || !name || stat(out, &st) != 0) {
        free(src);
        free(name);
        unlink(out);
        return src && name ? mr_fail_errno(err, "cannot read %s", out) : mr_fail(err, "out of memory");
    }
    free(node->src);
    free(node->name);
    node->src = src;
    node->name = name;
    node->size = (uint64_t)st.st_size;
    node->dev = st.st_dev;
    node->ino = st.st_ino;
    node->converted = true;
    return 0;
}
