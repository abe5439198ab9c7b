#include "mpy.h"

#include <stdio.h>

/* MP_NATIVE_ARCH_* in order; the names mpy-cross's -march takes. */
static const char *const arch_names[] = {
    "bytecode", "x86",     "x64",       "armv6",   "armv6m",  "armv7m", "armv7em",
    "armv7emsp", "armv7emdp", "xtensa", "xtensawin", "rv32imc", "rv64imc", "debug",
};

const char *mr_mpy_arch_name(unsigned arch)
{
    return arch < sizeof arch_names / sizeof arch_names[0] ? arch_names[arch] : NULL;
}

bool mr_mpy_decode(const uint8_t *data, size_t len, mr_mpy_info *info)
{
    if (len < 4 || data[0] != 'M' || data[1] < 1 || data[1] > 6 || data[3] > 64)
        return false;
    info->version = data[1];
    info->small_int_bits = data[3];
    if (data[1] >= 6) {
        info->arch = (data[2] >> 2) & 0x2f;
        info->sub_version = data[2] & 3;
        info->arch_flags = (data[2] & 0x40) != 0;
    } else {
        /* before v6 the feature byte held flags; the architecture was in bits 2-7 too */
        info->arch = data[2] >> 2;
        info->sub_version = 0;
        info->arch_flags = false;
    }
    return true;
}

void mr_mpy_describe(const mr_mpy_info *info, char *out, size_t n)
{
    const char *arch = mr_mpy_arch_name(info->arch);
    char unknown[32];
    if (!arch) {
        snprintf(unknown, sizeof unknown, "arch %u", info->arch);
        arch = unknown;
    }
    if (info->arch)
        snprintf(out, n, "mpy v%u.%u %s%s, small int %u bits", info->version, info->sub_version, arch,
                 info->arch_flags ? "+flags" : "", info->small_int_bits);
    else
        snprintf(out, n, "mpy v%u bytecode, small int %u bits", info->version, info->small_int_bits);
}
