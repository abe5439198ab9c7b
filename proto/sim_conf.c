/* board.conf: the simulated board's descriptor. Human-readable key=value lines so a
 * test or a curious user can read it; parsed strictly because it is input like any
 * other (a hand edit or a damaged file must give a message, never a strange board). */
#include "sim.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim_internal.h"

const char *mr_sim_style_name(mr_sim_style s)
{
    return s == MR_SIM_BLOCK ? "block" : "memoryview";
}

void mr_sim_part_default(mr_sim_part_conf *p, unsigned index)
{
    memset(p, 0, sizeof *p);
    p->writable = true;
    p->style = MR_SIM_MEMORYVIEW;
    p->write_min = 16;
    switch (index) {
    case 0:
        p->size = 128 << 10;
        p->erase_unit = 4 << 10;
        p->base = 0x08100000;
        break;
    case 1:
        p->size = 1 << 20;
        p->erase_unit = 64 << 10;
        p->base = 0x90000000;
        break;
    default: /* after partition 1, each on the next MiB */
        p->size = 256 << 10;
        p->erase_unit = 4 << 10;
        p->base = 0x90000000 + ((uint64_t)(index - 1) << 20);
        break;
    }
}

void mr_sim_conf_default(mr_sim_conf *conf, unsigned nparts)
{
    memset(conf, 0, sizeof *conf);
    if (nparts < 1)
        nparts = 1;
    if (nparts > MR_SIM_MAX_PARTS)
        nparts = MR_SIM_MAX_PARTS;
    conf->nparts = nparts;
    for (unsigned i = 0; i < MR_SIM_MAX_PARTS; i++)
        mr_sim_part_default(&conf->part[i], i);
}

static bool pow2(uint64_t v)
{
    return v && !(v & (v - 1));
}

int mr_sim_conf_check(const mr_sim_conf *conf, mr_err *err)
{
    if (conf->nparts < 1 || conf->nparts > MR_SIM_MAX_PARTS)
        return mr_fail(err, "a simulated board has 1 to %d partitions, not %u", MR_SIM_MAX_PARTS,
                       conf->nparts);
    for (unsigned i = 0; i < conf->nparts; i++) {
        const mr_sim_part_conf *p = &conf->part[i];
        if (p->size == 0 || p->size > MR_SIM_MAX_PART_SIZE)
            return mr_fail(err, "partition %u: size %" PRIu64 " is not between 1 byte and 256 MiB",
                           i, p->size);
        if (!pow2(p->write_min))
            return mr_fail(err, "partition %u: minimum write size %" PRIu32 " is not a power of two",
                           i, p->write_min);
        if (!pow2(p->erase_unit))
            return mr_fail(err, "partition %u: erase unit %" PRIu32 " is not a power of two", i,
                           p->erase_unit);
        if (p->erase_unit < p->write_min)
            return mr_fail(err, "partition %u: erase unit %" PRIu32
                           " is smaller than the minimum write size %" PRIu32, i, p->erase_unit,
                           p->write_min);
        if (p->size % p->erase_unit)
            return mr_fail(err, "partition %u: size %" PRIu64 " is not a multiple of the erase unit %"
                           PRIu32, i, p->size, p->erase_unit);
        if (p->base > UINT64_MAX - p->size)
            return mr_fail(err, "partition %u: base address 0x%" PRIx64 " + size overflows", i,
                           p->base);
        if (p->style != MR_SIM_MEMORYVIEW && p->style != MR_SIM_BLOCK)
            return mr_fail(err, "partition %u: unknown style", i);
    }
    return 0;
}

/* ---- parsing ------------------------------------------------------------------ */

static int parse_num(const char *v, uint64_t max, uint64_t *out)
{
    if (!*v)
        return -1;
    unsigned base = 10;
    if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
        base = 16;
        v += 2;
        if (!*v)
            return -1;
    }
    uint64_t n = 0;
    for (; *v; v++) {
        unsigned d;
        if (*v >= '0' && *v <= '9')
            d = (unsigned)(*v - '0');
        else if (base == 16 && *v >= 'a' && *v <= 'f')
            d = (unsigned)(*v - 'a' + 10);
        else if (base == 16 && *v >= 'A' && *v <= 'F')
            d = (unsigned)(*v - 'A' + 10);
        else
            return -1;
        if (n > (UINT64_MAX - d) / base)
            return -1;
        n = n * base + d;
    }
    if (n > max)
        return -1;
    *out = n;
    return 0;
}

enum { F_SIZE, F_UNIT, F_WMIN, F_BASE, F_WRITABLE, F_STYLE, F_COUNT };
static const char *const part_fields[F_COUNT] = {"size", "erase_unit", "write_min",
                                                 "base", "writable", "style"};

typedef struct {
    mr_sim_conf *conf;
    unsigned seen_part[MR_SIM_MAX_PARTS]; /* bit per field */
    unsigned seen_global;                 /* bit per global key */
    bool have_parts;
} parse_state;

enum { G_VERSION, G_PARTS, G_CUT, G_CORRUPT, G_STOP, G_BAUD, G_SHA256, G_COUNT };
static const char *const global_keys[G_COUNT] = {"version", "partitions", "fault.power_cut_at_write",
                                                 "fault.corrupt_write", "link.stop_after_bytes",
                                                 "link.baud", "feature.sha256"};

static int bad_value(mr_err *err, unsigned line, const char *key, const char *v, const char *want)
{
    return mr_fail(err, "board.conf line %u: %s=%s: %s", line, key, v, want);
}

static int set_part_field(parse_state *st, unsigned line, const char *key, unsigned idx,
                          const char *field, const char *v, mr_err *err)
{
    int f = -1;
    for (int i = 0; i < F_COUNT; i++)
        if (strcmp(field, part_fields[i]) == 0)
            f = i;
    if (f < 0)
        return mr_fail(err, "board.conf line %u: unknown key '%s'", line, key);
    if (st->seen_part[idx] & (1u << f))
        return mr_fail(err, "board.conf line %u: '%s' is given twice", line, key);
    st->seen_part[idx] |= 1u << f;
    mr_sim_part_conf *p = &st->conf->part[idx];
    uint64_t n;
    switch (f) {
    case F_SIZE:
        if (parse_num(v, MR_SIM_MAX_PART_SIZE, &n) || n == 0)
            return bad_value(err, line, key, v, "want a size from 1 byte to 256 MiB");
        p->size = n;
        break;
    case F_UNIT:
    case F_WMIN:
        if (parse_num(v, UINT32_MAX, &n))
            return bad_value(err, line, key, v, "want a number below 4 GiB");
        if (f == F_UNIT)
            p->erase_unit = (uint32_t)n;
        else
            p->write_min = (uint32_t)n;
        break;
    case F_BASE:
        if (parse_num(v, UINT64_MAX, &n))
            return bad_value(err, line, key, v, "want an address such as 0x08100000");
        p->base = n;
        break;
    case F_WRITABLE:
        if (strcmp(v, "yes") == 0)
            p->writable = true;
        else if (strcmp(v, "no") == 0)
            p->writable = false;
        else
            return bad_value(err, line, key, v, "want yes or no");
        break;
    case F_STYLE:
        if (strcmp(v, "memoryview") == 0)
            p->style = MR_SIM_MEMORYVIEW;
        else if (strcmp(v, "block") == 0)
            p->style = MR_SIM_BLOCK;
        else
            return bad_value(err, line, key, v, "want memoryview or block");
        break;
    }
    return 0;
}

static int set_key(parse_state *st, unsigned line, const char *key, const char *v, mr_err *err)
{
    if (strncmp(key, "part", 4) == 0 && key[4] >= '0' && key[4] <= '9' && key[5] == '.') {
        unsigned idx = (unsigned)(key[4] - '0');
        if (idx >= MR_SIM_MAX_PARTS)
            return mr_fail(err, "board.conf line %u: '%s': a board has at most %d partitions",
                           line, key, MR_SIM_MAX_PARTS);
        return set_part_field(st, line, key, idx, key + 6, v, err);
    }
    int g = -1;
    for (int i = 0; i < G_COUNT; i++)
        if (strcmp(key, global_keys[i]) == 0)
            g = i;
    if (g < 0)
        return mr_fail(err, "board.conf line %u: unknown key '%s'", line, key);
    if (st->seen_global & (1u << g))
        return mr_fail(err, "board.conf line %u: '%s' is given twice", line, key);
    st->seen_global |= 1u << g;
    uint64_t n;
    switch (g) {
    case G_VERSION:
        if (parse_num(v, UINT32_MAX, &n))
            return bad_value(err, line, key, v, "want a number");
        if (n != MR_SIM_CONF_VERSION)
            return mr_fail(err, "board.conf line %u: version %" PRIu64 " is not supported (this "
                           "mpromfs reads version %d); recreate the board with mpromfs sim create",
                           line, n, MR_SIM_CONF_VERSION);
        break;
    case G_PARTS:
        if (parse_num(v, MR_SIM_MAX_PARTS, &n) || n < 1)
            return bad_value(err, line, key, v, "want 1 to 4");
        st->conf->nparts = (unsigned)n;
        break;
    case G_CUT:
    case G_CORRUPT:
    case G_STOP:
        if (parse_num(v, UINT64_MAX, &n))
            return bad_value(err, line, key, v, "want a number (0: not armed)");
        if (g == G_CUT)
            st->conf->faults.power_cut_at_write = n;
        else if (g == G_CORRUPT)
            st->conf->faults.corrupt_write = n;
        else
            st->conf->faults.link_stop_after = n;
        break;
    case G_BAUD:
        if (parse_num(v, 100000000, &n))
            return bad_value(err, line, key, v, "want a baud rate (0: full speed)");
        st->conf->faults.link_baud = (uint32_t)n;
        break;
    case G_SHA256:
        if (strcmp(v, "yes") && strcmp(v, "no"))
            return bad_value(err, line, key, v, "want yes or no");
        st->conf->no_sha256 = strcmp(v, "no") == 0;
        break;
    }
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

int mr_sim_conf_parse(const char *text, size_t len, mr_sim_conf *conf, mr_err *err)
{
    if (len > MR_SIM_MAX_CONF_SIZE)
        return mr_fail(err, "board.conf is %zu bytes; a descriptor is never larger than %d", len,
                       MR_SIM_MAX_CONF_SIZE);
    memset(conf, 0, sizeof *conf);
    parse_state st = {.conf = conf};
    size_t pos = 0;
    unsigned line = 0;
    while (pos < len) {
        line++;
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        char buf[256];
        size_t n = end - pos;
        if (n >= sizeof buf)
            return mr_fail(err, "board.conf line %u is too long (%zu bytes)", line, n);
        memcpy(buf, text + pos, n);
        buf[n] = '\0';
        pos = end + 1;
        if (strlen(buf) != n)
            return mr_fail(err, "board.conf line %u contains a NUL byte", line);
        char *s = trim(buf);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq)
            return mr_fail(err, "board.conf line %u: expected key=value, found '%.60s'", line, s);
        *eq = '\0';
        if (set_key(&st, line, trim(s), trim(eq + 1), err))
            return -1;
    }
    if (!(st.seen_global & (1u << G_VERSION)))
        return mr_fail(err, "board.conf has no version line; is this a simulated board?");
    if (!(st.seen_global & (1u << G_PARTS)))
        return mr_fail(err, "board.conf has no partitions line");
    for (unsigned i = 0; i < MR_SIM_MAX_PARTS; i++) {
        if (i >= conf->nparts) {
            if (st.seen_part[i])
                return mr_fail(err, "board.conf describes partition %u but says partitions=%u", i,
                               conf->nparts);
            continue;
        }
        for (int f = 0; f < F_COUNT; f++)
            if (!(st.seen_part[i] & (1u << f)))
                return mr_fail(err, "board.conf lacks part%u.%s", i, part_fields[f]);
    }
    if (mr_sim_conf_check(conf, err))
        return mr_wrap(err, "board.conf");
    return 0;
}

char *mr_sim_conf_format(const mr_sim_conf *conf)
{
    size_t cap = 2048;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    int n = snprintf(out, cap,
                     "# A simulated MicroPython board (mpromfs sim). Faults: mpromfs sim fault.\n"
                     "version=%d\npartitions=%u\n",
                     MR_SIM_CONF_VERSION, conf->nparts);
    for (unsigned i = 0; i < conf->nparts && i < MR_SIM_MAX_PARTS; i++) {
        const mr_sim_part_conf *p = &conf->part[i];
        n += snprintf(out + n, cap - (size_t)n,
                      "part%u.size=%" PRIu64 "\npart%u.erase_unit=%" PRIu32
                      "\npart%u.write_min=%" PRIu32 "\npart%u.base=0x%08" PRIx64
                      "\npart%u.writable=%s\npart%u.style=%s\n",
                      i, p->size, i, p->erase_unit, i, p->write_min, i, p->base, i,
                      p->writable ? "yes" : "no", i, mr_sim_style_name(p->style));
    }
    snprintf(out + n, cap - (size_t)n,
             "fault.power_cut_at_write=%" PRIu64 "\nfault.corrupt_write=%" PRIu64
             "\nlink.stop_after_bytes=%" PRIu64 "\nlink.baud=%" PRIu32 "\nfeature.sha256=%s\n",
             conf->faults.power_cut_at_write, conf->faults.corrupt_write,
             conf->faults.link_stop_after, conf->faults.link_baud,
             conf->no_sha256 ? "no" : "yes");
    return out;
}

int mr_sim_conf_load(const char *dir, mr_sim_conf *conf, mr_err *err)
{
    char path[4096];
    if (mr_sim_path(path, sizeof path, dir, "board.conf", err))
        return -1;
    char *text;
    size_t len;
    if (mr_sim_read_small(path, MR_SIM_MAX_CONF_SIZE, &text, &len, err)) {
        if (errno == ENOENT)
            return mr_fail(err, "%s is not a simulated board (no board.conf); create one with "
                           "'mpromfs sim create %s'", dir, dir);
        return -1;
    }
    int rc = mr_sim_conf_parse(text, len, conf, err);
    free(text);
    if (rc)
        return mr_wrap(err, "%s", dir);
    return 0;
}

int mr_sim_conf_save(const char *dir, const mr_sim_conf *conf, mr_err *err)
{
    if (mr_sim_conf_check(conf, err))
        return -1;
    char *text = mr_sim_conf_format(conf);
    if (!text)
        return mr_fail(err, "out of memory");
    int rc = mr_sim_write_atomic(dir, "board.conf", text, strlen(text), err);
    free(text);
    return rc;
}
