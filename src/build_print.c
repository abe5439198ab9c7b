/* The tree mpremote prints while it builds: "/" then one line per entry,
 * "|-- " for an entry with later siblings, "\-- " for the last one, directories
 * with a trailing '/', converted files as "x.py -> .mpy". */
#include "build.h"

#include <string.h>

static bool is_last(const mr_tree *t, size_t i)
{
    size_t p = t->nodes[i].parent;
    size_t end = p == MR_NO_NODE ? t->count : t->nodes[p].end;
    return t->nodes[i].end == end;
}

void mr_tree_print(const mr_tree *t, FILE *out)
{
    fputs("/\n", out);
    for (size_t i = 0; i < t->count; i++) {
        const mr_node *nd = &t->nodes[i];
        /* the prefix: one column per ancestor, blank under ancestors that were last */
        char prefix[4 * 130 + 1];
        size_t len = 4 * (size_t)nd->depth;
        if (len >= sizeof prefix)
            len = sizeof prefix - 1;
        prefix[len] = '\0';
        size_t a = nd->parent;
        for (size_t col = nd->depth; col-- > 0 && a != MR_NO_NODE; a = t->nodes[a].parent)
            if (4 * col + 4 <= len)
                memcpy(prefix + 4 * col, is_last(t, a) ? "    " : "|   ", 4);
        fprintf(out, "%s%s ", prefix, is_last(t, i) ? "\\--" : "|--");
        if (nd->is_dir) {
            fprintf(out, "%s/\n", nd->name);
        } else if (nd->converted) {
            size_t n = strlen(nd->name);
            fprintf(out, "%.*s.py -> .mpy\n", (int)(n > 4 ? n - 4 : 0), nd->name);
        } else {
            fprintf(out, "%s\n", nd->name);
        }
    }
}
