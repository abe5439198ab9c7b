#include "cli/ls_layout.h"

#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "list.h"
#include "list_layout.h"

bool cli_ls_layout_option(cli_ls_layout *o, int c, const char *arg, int *status)
{
    mr_err err = {{0}};
    struct stat st;
    *status = 0;
    switch (c) {
    case CLI_LS_FORMAT:
        if (strcmp(arg, "openmv") == 0)
            o->openmv = true;
        else if (strcmp(arg, "text") == 0)
            o->openmv = false;
        else
            *status = cli_usage_error("ls", "--format: '%s' is not a format (text, openmv)", arg);
        return true;
    case CLI_LS_CHECK_ALIGN:
        /* a file that exists is a layout file; anything else is one rule */
        o->checking = true;
        if (stat(arg, &st) == 0 && S_ISREG(st.st_mode)) {
            if (mr_align_rules_load_layout(&o->check, arg, &err))
                *status = cli_fail(&err);
        } else if (mr_align_rules_add_arg(&o->check, arg, &err)) {
            *status = cli_usage_error("ls", "--check-align: %s", err.msg);
        }
        return true;
    case CLI_LS_SIZE:
        if (cli_parse_size(arg, &o->size, &err))
            *status = cli_usage_error("ls", "--size: %s", err.msg);
        return true;
    default:
        return false;
    }
}

bool cli_ls_layout_wanted(const cli_ls_layout *o)
{
    return o->openmv || o->checking || o->size;
}

void cli_ls_layout_free(cli_ls_layout *o)
{
    mr_align_rules_free(&o->check);
}

int cli_ls_layout_run(const cli_ls_layout *o, const uint8_t *bytes, size_t len, uint64_t base, const char *path,
                      bool lng)
{
    mr_err err = {{0}};
    mr_image img;
    if (mr_image_parse(&img, bytes, len, &err))
        return cli_fail(&err);
    int rc = 0;
    if (o->size) {
        if (img.image_size > o->size) {
            mr_fail(&err, "the image (%zu bytes) does not fit a partition of %llu bytes: %llu bytes too many",
                    img.image_size, (unsigned long long)o->size, (unsigned long long)(img.image_size - o->size));
            mr_image_free(&img);
            return cli_fail(&err);
        }
        /* list it as it would sit in a partition of that size */
        img.len = (size_t)o->size;
        img.free_bytes = (size_t)(o->size - img.image_size);
    }
    if (o->openmv) {
        mr_list_print_openmv(&img, base, stdout);
    } else if (o->checking) {
        rc = mr_check_align(&img, base, &o->check, stdout) ? 1 : 0;
    } else {
        mr_filetype *ft = NULL;
        if (lng && !(ft = mr_filetype_open(&err))) {
            mr_image_free(&img);
            return cli_fail(&err);
        }
        mr_listing l;
        if (mr_list(&l, &img, base, path, lng, ft, &err) == 0) {
            mr_list_print_text(&l, lng, stdout);
            mr_list_free(&l);
        } else {
            rc = cli_fail(&err);
        }
        mr_filetype_close(ft);
    }
    mr_image_free(&img);
    return rc;
}
