/* SHA-256 (FIPS 180-4), small and dependency-free: the host side of comparing
 * flash contents with what a board hashes (hashlib.sha256) without reading it back. */
#ifndef MR_SHA256_H
#define MR_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define MR_SHA256_LEN 32

typedef struct mr_sha256_ctx {
    uint32_t h[8];
    uint64_t total;         /* bytes hashed so far */
    uint8_t block[64];
    size_t fill;            /* bytes waiting in block */
} mr_sha256_ctx;

void mr_sha256_init(mr_sha256_ctx *s);
void mr_sha256_update(mr_sha256_ctx *s, const void *data, size_t len);
void mr_sha256_final(mr_sha256_ctx *s, uint8_t out[MR_SHA256_LEN]);
/* One-shot convenience. */
void mr_sha256(const void *data, size_t len, uint8_t out[MR_SHA256_LEN]);
/* Lower-case hex, 64 characters plus the terminator. */
void mr_sha256_hex(const uint8_t digest[MR_SHA256_LEN], char out[2 * MR_SHA256_LEN + 1]);

#endif
