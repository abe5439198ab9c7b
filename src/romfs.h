/* The ROMFS on-flash format: record kinds and the image header.
 * See README.md in this folder and ../shared/ROMFS-FACTS.md. */
#ifndef MR_ROMFS_H
#define MR_ROMFS_H

#include <stdint.h>

enum mr_record_kind {
    MR_KIND_UNUSED = 0,   /* a reader meeting it treats the image as corrupt */
    MR_KIND_PADDING = 1,  /* payload ignored */
    MR_KIND_VERBATIM = 2, /* file data, in place */
    MR_KIND_INDIRECT = 3, /* varuint size, varuint offset from the payload start */
    MR_KIND_DIR = 4,      /* varuint name_len, name, nested records */
    MR_KIND_FILE = 5,     /* varuint name_len, name, nested records */
};

#define MR_KIND_IMAGE 0x14a6b1u /* encodes as d2 cd 31: "RM1" */
#define MR_MAGIC0 0xd2
#define MR_MAGIC1 0xcd
#define MR_MAGIC2 0x31
#define MR_MAGIC_LEN 3

#endif
