#include "openmv_config.h"

#include <ctype.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "align_rules.h"
#include "json.h"

void mr_omv_free(mr_omv_partition *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->files[i].path);
        free(p->files[i].name);
    }
    free(p->files);
    for (size_t i = 0; i < p->nwarnings; i++)
        free(p->warnings[i]);
    memset(p, 0, sizeof *p);
}

static void warn(mr_omv_partition *p, const char *fmt, ...) MR_PRINTF(2, 3);
static void warn(mr_omv_partition *p, const char *fmt, ...)
{
    if (p->nwarnings >= MR_OMV_MAX_WARNINGS)
        return;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if ((p->warnings[p->nwarnings] = strdup(buf)))
        p->nwarnings++;
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int add_file(mr_omv_partition *p, const char *path, uint64_t align, const char *where, mr_err *err)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    if (!*name)
        return mr_fail(err, "%s: '%s' has no file name", where, path);
    for (const char *c = name; *c; c++)
        if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
            return mr_fail(err, "%s: '%s': image names must be printable ASCII", where, name);
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->files[i].name, name) == 0)
            return mr_fail(err, "%s: '%s' and '%s' would both be /%s in the image (OpenMV places every "
                                "file at the top level under its base name)",
                           where, p->files[i].path, path, name);
    if (p->n >= MR_OMV_MAX_FILES)
        return mr_fail(err, "%s: more than %d files", where, MR_OMV_MAX_FILES);
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        mr_omv_file *f = realloc(p->files, cap * sizeof *f);
        if (!f)
            return mr_fail(err, "out of memory");
        p->files = f;
        p->cap = cap;
    }
    mr_omv_file *f = &p->files[p->n];
    f->path = strdup(path);
    f->name = strdup(name);
    f->align = align;
    if (!f->path || !f->name) {
        free(f->path);
        free(f->name);
        return mr_fail(err, "out of memory");
    }
    p->n++;
    return 0;
}

/* "{TOP}/x" -> "top/x"; other {NAME} are errors (OpenMV's {BUILD} holds converted
 * models, which mpromfs does not produce). */
static int expand(const char *in, const char *top, char **out, const char *where, mr_err *err)
{
    size_t cap = strlen(in) + 1, n = 0;
    size_t tl = strlen(top);
    for (const char *c = in; (c = strstr(c, "{TOP}")); c += 5)
        cap += tl;
    char *s = malloc(cap);
    if (!s)
        return mr_fail(err, "out of memory");
    for (const char *c = in; *c;) {
        if (strncmp(c, "{TOP}", 5) == 0) {
            memcpy(s + n, top, tl);
            n += tl;
            c += 5;
        } else if (*c == '{' || *c == '}') {
            const char *close = strchr(c, '}');
            free(s);
            if (*c == '{' && close)
                return mr_fail(err, "%s: unknown variable %.*s in \"%s\" (only {TOP} is supported)", where,
                               (int)(close - c + 1 > 40 ? 40 : close - c + 1), c, in);
            return mr_fail(err, "%s: unmatched brace in \"%s\"", where, in);
        } else {
            s[n++] = *c++;
        }
    }
    s[n] = '\0';
    *out = s;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_path(mr_omv_partition *p, const char *path, uint64_t align, bool tflite, const char *where,
                    mr_err *err)
{
    if (strchr(path, '*')) {
        glob_t g;
        int rc = glob(path, GLOB_NOSORT, NULL, &g);
        if (rc == GLOB_NOMATCH) {
            warn(p, "%s: \"%s\" matches no file", where, path);
            return 0;
        }
        if (rc != 0)
            return mr_fail(err, "%s: cannot expand \"%s\"", where, path);
        /* Python's sorted(): code-point order, whatever the locale */
        qsort(g.gl_pathv, g.gl_pathc, sizeof *g.gl_pathv, cmp_str);
        int r = 0;
        for (size_t i = 0; i < g.gl_pathc && r == 0; i++)
            if (is_file(g.gl_pathv[i]))
                r = add_path(p, g.gl_pathv[i], align, tflite, where, err);
        globfree(&g);
        return r;
    }
    if (!is_file(path))
        return mr_fail(err, "%s: \"%s\" is not a file", where, path);
    if (add_file(p, path, align, where, err))
        return -1;
    if (tflite) {
        /* OpenMV adds a model's labels (x.txt beside x.tflite) right after it. */
        const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
        size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - path) : strlen(path);
        char *labels = malloc(stem + 5);
        if (!labels)
            return mr_fail(err, "out of memory");
        memcpy(labels, path, stem);
        memcpy(labels + stem, ".txt", 5);
        int r = is_file(labels) ? add_file(p, labels, 4, where, err) : 0;
        free(labels);
        return r;
    }
    return 0;
}

static int parse_size(const mr_json *v, uint64_t *out, const char *where, mr_err *err)
{
    if (v->type == MR_JSON_NUMBER) {
        if (mr_json_u64(v, out))
            return mr_fail(err, "%s: \"size\" %s is not a whole number of bytes", where, v->str);
        return 0;
    }
    if (v->type != MR_JSON_STRING)
        return mr_fail(err, "%s: \"size\" must be a string such as \"0x100000\" or a number, not %s", where,
                       mr_json_type_name(v->type));
    const char *s = v->str;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    uint64_t x = 0;
    if (!*s)
        return mr_fail(err, "%s: \"size\" \"%s\" is not a hexadecimal number", where, v->str);
    for (; *s; s++) {
        if (!isxdigit((unsigned char)*s))
            return mr_fail(err, "%s: \"size\" \"%s\" is not a hexadecimal number (OpenMV reads a size "
                                "string as hex; write a plain number for decimal)",
                           where, v->str);
        if (x >> 60)
            return mr_fail(err, "%s: \"size\" \"%s\" is too large", where, v->str);
        x = x * 16 + (uint64_t)(isdigit((unsigned char)*s) ? *s - '0' : tolower((unsigned char)*s) - 'a' + 10);
    }
    *out = x;
    return 0;
}

static int parse_entry(mr_omv_partition *p, const mr_json *e, size_t idx, const char *name, const char *top,
                       uint64_t max_align, mr_err *err)
{
    char where[160];
    snprintf(where, sizeof where, "%.80s: partition \"%s\", entry %zu (line %u)", name, p->key, idx + 1, e->line);
    if (e->type != MR_JSON_OBJECT)
        return mr_fail(err, "%s: an entry must be an object, not %s", where, mr_json_type_name(e->type));
    const mr_json *path = mr_json_get(e, "path"), *type = mr_json_get(e, "type");
    const mr_json *align = mr_json_get(e, "alignment"), *enabled = mr_json_get(e, "enabled");
    for (size_t i = 0; i < e->n; i++) {
        const char *k = e->keys[i];
        if (strcmp(k, "path") && strcmp(k, "type") && strcmp(k, "alignment") && strcmp(k, "enabled") &&
            strcmp(k, "optimize") && strcmp(k, "profile") && strcmp(k, "stages"))
            warn(p, "%s: ignoring unknown key \"%.64s\"", where, k);
    }
    if (!path || path->type != MR_JSON_STRING || path->len == 0)
        return mr_fail(err, "%s: \"path\" must be a non-empty string", where);
    if (type && type->type != MR_JSON_STRING)
        return mr_fail(err, "%s: \"type\" must be a string", where);
    if (enabled && enabled->type != MR_JSON_BOOL)
        return mr_fail(err, "%s: \"enabled\" must be true or false", where);
    if (enabled && !enabled->boolean)
        return 0;
    uint64_t a = 4; /* OpenMV's default */
    if (align) {
        char num[80];
        if (align->type != MR_JSON_NUMBER)
            return mr_fail(err, "%s: \"alignment\" must be a number", where);
        snprintf(num, sizeof num, "%s", align->str);
        if (mr_align_parse_value(num, strlen(num), max_align, &a, err))
            return mr_wrap(err, "%s: \"alignment\"", where);
    }
    const char *t = type ? type->str : "";
    bool tflite = strcmp(t, "tflite") == 0;
    if (tflite)
        warn(p, "%s: \"%s\" has type tflite, which OpenMV compiles with vela or stedgeai for its NPU; "
                "copied verbatim", where, path->str);
    else if (strcmp(t, "haar") == 0)
        warn(p, "%s: \"%s\" has type haar, which OpenMV converts to a .cascade file; copied verbatim", where,
             path->str);
    char *full = NULL;
    if (expand(path->str, top, &full, where, err))
        return -1;
    int rc = add_path(p, full, a, tflite, where, err);
    free(full);
    return rc;
}

int mr_omv_parse(mr_omv_partition *out, const char *name, const char *text, size_t len, const char *top,
                 const char *key, uint64_t max_align, mr_err *err)
{
    memset(out, 0, sizeof *out);
    mr_json root;
    if (mr_json_parse(&root, text, len, err))
        return mr_wrap(err, "%s", name);
    int rc = -1;
    const mr_json *part = NULL;
    if (root.type != MR_JSON_OBJECT || root.n == 0) {
        mr_fail(err, "%s: expected an object with partitions (\"0\": {...})", name);
        goto done;
    }
    for (size_t i = 0; i < root.n; i++) {
        const char *k = root.keys[i];
        size_t kl = strlen(k);
        if (kl == 0 || kl > 9 || strspn(k, "0123456789") != kl) {
            mr_fail(err, "%s: partition key \"%.40s\" is not a partition index such as \"0\"", name, k);
            goto done;
        }
    }
    if (key) {
        part = mr_json_get(&root, key);
        if (!part) {
            mr_fail(err, "%s: no partition \"%.40s\"", name, key);
            goto done;
        }
    } else if ((part = mr_json_get(&root, "0"))) {
        key = "0";
    } else if (root.n == 1) {
        part = &root.items[0];
        key = root.keys[0];
    } else {
        mr_fail(err, "%s: several partitions and none is \"0\": choose one with --partition", name);
        goto done;
    }
    snprintf(out->key, sizeof out->key, "%s", key);
    if (part->type != MR_JSON_OBJECT) {
        mr_fail(err, "%s: partition \"%s\" must be an object", name, out->key);
        goto done;
    }
    char where[120];
    snprintf(where, sizeof where, "%.80s: partition \"%s\"", name, out->key);
    const mr_json *size = mr_json_get(part, "size"), *entries = mr_json_get(part, "entries");
    if (!size) {
        mr_fail(err, "%s: no \"size\"", where);
        goto done;
    }
    if (parse_size(size, &out->size, where, err))
        goto done;
    if (!entries || entries->type != MR_JSON_ARRAY) {
        mr_fail(err, "%s: \"entries\" must be an array", where);
        goto done;
    }
    for (size_t i = 0; i < entries->n; i++)
        if (parse_entry(out, &entries->items[i], i, name, top, max_align, err))
            goto done;
    rc = 0;
done:
    mr_json_free(&root);
    if (rc)
        mr_omv_free(out);
    return rc;
}

int mr_omv_load(mr_omv_partition *out, const char *config_path, const char *top, const char *key,
                uint64_t max_align, mr_err *err)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(config_path, "rb");
    if (!f)
        return mr_fail_errno(err, "cannot open %s", config_path);
    char *buf = malloc(MR_JSON_MAX_INPUT + 1);
    if (!buf) {
        fclose(f);
        return mr_fail(err, "out of memory");
    }
    size_t n = fread(buf, 1, MR_JSON_MAX_INPUT + 1, f);
    int bad = ferror(f);
    fclose(f);
    int rc;
    char *dir = NULL;
    if (bad) {
        rc = mr_fail(err, "cannot read %s", config_path);
    } else if (n > MR_JSON_MAX_INPUT) {
        rc = mr_fail(err, "%s is larger than %u bytes", config_path, MR_JSON_MAX_INPUT);
    } else {
        if (!top) {
            const char *slash = strrchr(config_path, '/');
            dir = slash ? strndup(config_path, (size_t)(slash - config_path) + (slash == config_path))
                        : strdup(".");
            top = dir;
        }
        rc = top ? mr_omv_parse(out, config_path, buf, n, top, key, max_align, err)
                 : mr_fail(err, "out of memory");
    }
    free(dir);
    free(buf);
    return rc;
}
