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
    /* The source name recorded in the .mpy (and shown in tracebacks) is the path
     * mpremote hands mpy-cross: the source directory as the user typed it, a '/',
     * then the path inside it. Using the same string keeps --mpy images
     * byte-identical to `mpremote romfs build` with the same mpy-cross. */
    char source_name[4200];
    if (snprintf(source_name, sizeof source_name, "%s%s", dir, node->name) >= (int)sizeof source_name)
        return mr_fail(err, "path too long: %s%s", dir, node->name);
    if (mr_mpy_cross_compile(mc, node->src, source_name, out, err)) {
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
