/* ROMFS varuint: big-endian base-128, bit 7 set on every byte but the last.
 * Leading 0x80 bytes are padding and do not change the value. */
#ifndef MR_VARUINT_H
#define MR_VARUINT_H

#include <stddef.h>
#include <stdint.h>

#define MR_VARUINT_MAX_LEN 10 /* minimal encoding of a uint64_t */

/* Minimal encoding into out[MR_VARUINT_MAX_LEN]; returns its length (1..10). */
size_t mr_varuint_encode(uint64_t value, uint8_t *out);
/* Length of the minimal encoding of value. */
size_t mr_varuint_len(uint64_t value);
/* Encode padded with leading 0x80 bytes to exactly `width` bytes (width >= the
 * minimal length, at most 64). Returns width, or 0 if it does not fit. */
size_t mr_varuint_encode_padded(uint64_t value, size_t width, uint8_t *out);

typedef enum {
    MR_VARUINT_OK = 0,
    MR_VARUINT_TRUNCATED = -1, /* ran out of bytes before a byte without bit 7 */
    MR_VARUINT_OVERFLOW = -2,  /* value does not fit in 64 bits */
} mr_varuint_status;

/* Decode from p[0..avail). On success sets *value and *used. Never reads past avail. */
mr_varuint_status mr_varuint_decode(const uint8_t *p, size_t avail, uint64_t *value, size_t *used);

#endif
