/* ls's layout views: --format openmv, --check-align, --size (used/free of a
 * partition of that size). Kept apart from cmd_ls.c so that ls stays small. */
#ifndef MR_LS_LAYOUT_H
#define MR_LS_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "align_rules.h"

typedef struct cli_ls_layout {
    bool openmv;           /* --format openmv */
    mr_align_rules check;  /* --check-align RULE or FILE, repeatable */
    bool checking;
    uint64_t size;         /* --size: partition size, 0 when not given */
} cli_ls_layout;

/* Handle one option; returns false when it is not one of these (status then unset). */
bool cli_ls_layout_option(cli_ls_layout *o, int c, const char *arg, int *status);
bool cli_ls_layout_wanted(const cli_ls_layout *o);
int cli_ls_layout_run(const cli_ls_layout *o, const uint8_t *bytes, size_t len, uint64_t base, const char *path,
                      bool lng);
void cli_ls_layout_free(cli_ls_layout *o);

enum { CLI_LS_FORMAT = 0x4c40, CLI_LS_CHECK_ALIGN, CLI_LS_SIZE };
#define CLI_LS_LAYOUT_LONGOPTS                                                                              \
    {"format", required_argument, NULL, CLI_LS_FORMAT}, {"check-align", required_argument, NULL, CLI_LS_CHECK_ALIGN}, \
        {"size", required_argument, NULL, CLI_LS_SIZE}

#endif
