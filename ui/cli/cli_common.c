#include "cli.h"
#include "device.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>

int cli_fail(const mr_err *err)
{
    fprintf(stderr, "mpromfs: %s\n", err->msg[0] ? err->msg : "failed");
    return 1;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "mpromfs %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'mpromfs %s --help'.\n", cmd);
    return 2;
}

static int parse_number(const char *s, bool suffixes, uint64_t *out, mr_err *err)
{
    if (!s || !*s || isspace((unsigned char)*s) || *s == '-' || *s == '+')
        return mr_fail(err, "'%s' is not a number", s ? s : "");
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s)
        return mr_fail(err, "'%s' is not a number", s);
    unsigned shift = 0;
    if (suffixes && *end) {
        switch (toupper((unsigned char)*end)) {
        case 'K': shift = 10; break;
        case 'M': shift = 20; break;
        case 'G': shift = 30; break;
        default: return mr_fail(err, "'%s': unknown size suffix (use K, M or G)", s);
        }
        end++;
        if (toupper((unsigned char)*end) == 'I')
            end++;
        if (toupper((unsigned char)*end) == 'B')
            end++;
    }
    if (*end)
        return mr_fail(err, "'%s' is not a number", s);
    if (shift && v > (UINT64_MAX >> shift))
        return mr_fail(err, "'%s' is too large", s);
    *out = (uint64_t)v << shift;
    return 0;
}

int cli_parse_size(const char *s, uint64_t *out, mr_err *err)
{
    return parse_number(s, true, out, err);
}

int cli_parse_u64(const char *s, uint64_t *out, mr_err *err)
{
    return parse_number(s, false, out, err);
}

int cli_help_only(int argc, char **argv, void (*usage)(FILE *out))
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
            return 0;
        }
        return cli_usage_error(argv[0], "unknown option");
    }
    return -1;
}

int cli_parse_partition(const char *cmd, const char *arg, unsigned *out)
{
    uint64_t v;
    mr_err err;
    if (cli_parse_u64(arg, &v, &err) != 0 || v >= MR_MAX_PARTITIONS)
        return cli_usage_error(cmd, "-p takes a partition index from 0 to %d, not '%s'",
                               MR_MAX_PARTITIONS - 1, arg);
    *out = (unsigned)v;
    return 0;
}
