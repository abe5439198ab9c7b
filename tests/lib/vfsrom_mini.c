#include "vfsrom_mini.h"

#include <string.h>

static int uint_at(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
    uint64_t x = 0;
    uint8_t b;
    do {
        if (*p >= end)
            return -1;
        b = *(*p)++;
        x = (x << 7) | (b & 0x7f);
    } while (b & 0x80);
    *v = x;
    return 0;
}

static uint64_t record(const uint8_t **p, const uint8_t **next, const uint8_t *end)
{
    uint64_t kind, len;
    if (uint_at(p, end, &kind) || uint_at(p, end, &len) || len > (uint64_t)(end - *p))
        return 0;
    *next = *p + len;
    return kind;
}

static int image(const uint8_t *buf, size_t len, const uint8_t **fs, const uint8_t **top)
{
    if (len < 4 || buf[0] != 0xd2 || buf[1] != 0xcd || buf[2] != 0x31)
        return -1;
    const uint8_t *p = buf;
    if (record(&p, top, buf + len) != 0x14a6b1)
        return -1;
    *fs = p;
    return 0;
}

static int data_of(const uint8_t *buf, const uint8_t *fs0, const uint8_t *p, const uint8_t *top,
                   size_t *off, size_t *size)
{
    while (p < top) {
        const uint8_t *next;
        uint64_t k = record(&p, &next, top);
        if (k == 0)
            return -1;
        if (k == 2) {
            *off = (size_t)(p - buf);
            *size = (size_t)(next - p);
            return 0;
        }
        if (k == 3) {
            uint64_t sz, o;
            if (uint_at(&p, next, &sz) || uint_at(&p, next, &o))
                return -1;
            *off = (size_t)(fs0 - buf) + (size_t)o;
            *size = (size_t)sz;
            return 0;
        }
        p = next;
    }
    return -1;
}

/* Walk to path; for a directory, sets *pp and *tp to its contents. Returns 4 or 5, 0 on failure. */
static int search(const uint8_t *buf, size_t len, const char *path, const uint8_t **fs0,
                  const uint8_t **pp, const uint8_t **tp)
{
    const uint8_t *p, *top;
    if (image(buf, len, &p, &top))
        return 0;
    *fs0 = p;
    size_t plen = strlen(path);
    if (*path == '/') {
        path++;
        plen--;
    }
    while (plen > 0 && p < top) {
        const uint8_t *next;
        uint64_t k = record(&p, &next, top);
        if (k == 0)
            return 0;
        if (k == 4 || k == 5) {
            uint64_t nl;
            if (uint_at(&p, next, &nl) || nl > (uint64_t)(next - p))
                return 0;
            if ((nl == plen || (nl < plen && path[nl] == '/')) && memcmp(path, p, nl) == 0) {
                p += nl;
                top = next;
                path += nl;
                plen -= nl;
                if (k == 4) {
                    if (*path == '/') {
                        path++;
                        plen--;
                    }
                } else {
                    if (plen)
                        return 0;
                    *pp = p;
                    *tp = top;
                    return 5;
                }
            } else {
                p = next;
            }
        } else {
            p = next;
        }
    }
    if (plen)
        return 0;
    *pp = p;
    *tp = top;
    return 4;
}

int vfsrom_mini_find(const uint8_t *buf, size_t len, const char *path, size_t *data_off, size_t *size)
{
    const uint8_t *fs0, *p, *top;
    if (search(buf, len, path, &fs0, &p, &top) != 5)
        return -1;
    return data_of(buf, fs0, p, top, data_off, size);
}

int vfsrom_mini_count(const uint8_t *buf, size_t len, const char *path)
{
    const uint8_t *fs0, *p, *top;
    if (search(buf, len, path, &fs0, &p, &top) != 4)
        return -1;
    int n = 0;
    while (p < top) {
        const uint8_t *next;
        uint64_t k = record(&p, &next, top);
        if (k == 0)
            return -1;
        if (k == 4 || k == 5)
            n++;
        p = next;
    }
    return n;
}
