/* Base64 (RFC 4648, standard alphabet, '=' padding) and hex, as MicroPython's
 * binascii speaks them: the serial link carries binary data in these forms. */
#ifndef MR_BASE64_H
#define MR_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* Characters needed to encode n bytes (no NUL, no newline). */
size_t mr_base64_encoded_len(size_t n);
/* Encode n bytes into out (mr_base64_encoded_len(n) chars; no NUL written). */
void mr_base64_encode(const uint8_t *in, size_t n, char *out);
/* Decode strictly: only the alphabet, padding only at the end, length a multiple
 * of 4, unused bits zero. Returns the byte count, or -1. out needs len/4*3 bytes. */
long mr_base64_decode(const char *in, size_t len, uint8_t *out);

/* Lower-case hex; out needs 2n chars (no NUL written). */
void mr_hex_encode(const uint8_t *in, size_t n, char *out);
/* Decode an even-length hex string (either case); returns the byte count or -1. */
/* The value of one hex digit (either case), or -1. */
int mr_hex_digit(int c);
long mr_hex_decode(const char *in, size_t len, uint8_t *out);

#endif
