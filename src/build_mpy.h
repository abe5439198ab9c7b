/* The builder's .py -> .mpy conversion: mpy-cross writes into the tree's temporary
 * directory (never the source tree), and the node then points at the .mpy. */
#ifndef MR_BUILD_MPY_H
#define MR_BUILD_MPY_H

#include "build.h"
#include "mpy_cross.h"

/* Compile dir/node->name (a .py) to tree->tmpdir, storing it as mpy_name. */
int mr_build_compile_py(mr_tree *tree, mr_mpy_cross *mc, const char *dir, const char *mpy_name, mr_node *node,
                        mr_err *err);

#endif
