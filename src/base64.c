/* See base64.h. */
#include <limits.h>

#include "base64.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t mr_base64_encoded_len(size_t n)
{
    return (n + 2) / 3 * 4;
}

void mr_base64_encode(const uint8_t *in, size_t n, char *out)
{
    size_t i = 0, o = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = alphabet[(v >> 6) & 63];
        out[o++] = alphabet[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = '=';
        out[o++] = '=';
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = alphabet[(v >> 6) & 63];
        out[o++] = '=';
    }
}

static int b64val(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

long mr_base64_decode(const char *in, size_t len, uint8_t *out)
{
    if (len % 4 != 0 || len / 4 * 3 > LONG_MAX)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < len; i += 4) {
        int pad = 0;
        if (i + 4 == len) {
            if (in[i + 3] == '=')
                pad = in[i + 2] == '=' ? 2 : 1;
        }
        int v[4];
        for (int k = 0; k < 4; k++) {
            if (k >= 4 - pad) {
                v[k] = 0;
                continue;
            }
            v[k] = b64val(in[i + (size_t)k]);
            if (v[k] < 0)
                return -1;
        }
        uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        if ((pad == 1 && (w & 0xff)) || (pad == 2 && (w & 0xffff)))
            return -1; /* non-canonical: stray bits under the padding */
        out[o++] = (uint8_t)(w >> 16);
        if (pad < 2)
            out[o++] = (uint8_t)(w >> 8);
        if (pad < 1)
            out[o++] = (uint8_t)w;
    }
    return (long)o;
}

void mr_hex_encode(const uint8_t *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
}

int mr_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

long mr_hex_decode(const char *in, size_t len, uint8_t *out)
{
    if (len % 2 != 0 || len / 2 > LONG_MAX)
        return -1;
    for (size_t i = 0; i < len; i += 2) {
        int h = mr_hex_digit(in[i]), l = mr_hex_digit(in[i + 1]);
        if (h < 0 || l < 0)
            return -1;
        out[i / 2] = (uint8_t)(h << 4 | l);
    }
    return (long)(len / 2);
}
