/* Recognising MicroPython .mpy files from their 4-byte header (py/persistentcode.h):
 * 'M', the version, a feature byte (native architecture in bits 2-7, sub-version in
 * bits 0-1, 0x40 when architecture flags follow), the small-int bit count. */
#ifndef MR_MPY_H
#define MR_MPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct mr_mpy_info {
    unsigned version;        /* 6 for MicroPython 1.19 and later */
    unsigned sub_version;    /* native ABI revision, meaningful when arch != 0 */
    unsigned arch;           /* 0: bytecode only; see mr_mpy_arch_name */
    bool arch_flags;         /* architecture flags follow the header */
    unsigned small_int_bits;
} mr_mpy_info;

/* True when data starts with a plausible .mpy header (version 1 to 6). */
bool mr_mpy_decode(const uint8_t *data, size_t len, mr_mpy_info *info);
/* "armv7emsp", "x64", ... ; "bytecode" for 0; NULL when unknown. */
const char *mr_mpy_arch_name(unsigned arch);
/* "mpy v6 bytecode, small int 31 bits" or "mpy v6.3 armv7emsp, small int 31 bits". */
void mr_mpy_describe(const mr_mpy_info *info, char *out, size_t n);

#endif
