/* OpenMV's romfs_config.json, read the way OpenMV's builder (tools/mkromfs.py) reads it:
 *   { "0": { "size": "0x1800000",
 *            "entries": [ { "type": "tflite", "path": "{TOP}/lib/models/x.tflite",
 *                           "alignment": 16, "enabled": true }, ... ] }, "1": {...} }
 * - keys are partition indices; one partition is built at a time;
 * - "size" is a string read as hexadecimal ("0x" optional, as Python's int(s, 16)),
 *   or a JSON integer;
 * - "path" has {TOP} replaced by the top directory; a path containing '*' is a glob
 *   (sorted, regular files only), any other path must name a file;
 * - "alignment" defaults to 4, as in OpenMV; "enabled": false skips the entry;
 * - every file goes to the top level of the image under its base name, in the
 *   order of the entries (not sorted), like OpenMV's images;
 * - "type" "tflite" and "haar" need OpenMV's model compilers (vela / stedgeai,
 *   haar2c), which mpromfs does not run: the file is copied verbatim with a warning.
 *   A .tflite's labels file (same name, .txt) is added after it, as OpenMV does. */
#ifndef MR_OPENMV_CONFIG_H
#define MR_OPENMV_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define MR_OMV_MAX_FILES 65536
#define MR_OMV_MAX_WARNINGS 64

typedef struct mr_omv_file {
    char *path;      /* on the host */
    char *name;      /* in the image: the base name */
    uint64_t align;
} mr_omv_file;

typedef struct mr_omv_partition {
    char key[16];
    uint64_t size;
    mr_omv_file *files;
    size_t n, cap;
    char *warnings[MR_OMV_MAX_WARNINGS];
    size_t nwarnings;
} mr_omv_partition;

/* Load partition `key` (NULL: "0", or the only partition) of the config file at
 * config_path; top replaces {TOP} (NULL: the config file's directory). Alignments
 * must be powers of two no larger than max_align. */
int mr_omv_load(mr_omv_partition *out, const char *config_path, const char *top, const char *key,
                uint64_t max_align, mr_err *err);
/* The same from text already in memory (name is used in messages). */
int mr_omv_parse(mr_omv_partition *out, const char *name, const char *text, size_t len, const char *top,
                 const char *key, uint64_t max_align, mr_err *err);
void mr_omv_free(mr_omv_partition *p);

#endif
