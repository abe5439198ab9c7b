#include "varuint.h"

#include <string.h>

size_t mr_varuint_len(uint64_t value)
{
    size_t n = 1;
    while (value >>= 7)
        n++;
    return n;
}

size_t mr_varuint_encode(uint64_t value, uint8_t *out)
{
    size_t n = mr_varuint_len(value);
    for (size_t i = n; i-- > 0;) {
        out[i] = (uint8_t)((value & 0x7f) | (i == n - 1 ? 0 : 0x80));
        value >>= 7;
    }
    return n;
}

size_t mr_varuint_encode_padded(uint64_t value, size_t width, uint8_t *out)
{
    size_t n = mr_varuint_len(value);
    if (width < n || width > 64)
        return 0;
    memset(out, 0x80, width - n);
    mr_varuint_encode(value, out + (width - n));
    return width;
}

mr_varuint_status mr_varuint_decode(const uint8_t *p, size_t avail, uint64_t *value, size_t *used)
{
    uint64_t v = 0;
    for (size_t i = 0; i < avail; i++) {
        /* Padding bytes (0x80) keep v at 0, so any number of them is accepted. */
        if (v >> 57)
            return MR_VARUINT_OVERFLOW;
        v = (v << 7) | (p[i] & 0x7f);
        if (!(p[i] & 0x80)) {
            *value = v;
            *used = i + 1;
            return MR_VARUINT_OK;
        }
    }
    return MR_VARUINT_TRUNCATED;
}
