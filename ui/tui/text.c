#include "text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One code point from s; *len gets the bytes used (1 for an invalid byte, which
 * decodes to U+FFFD so the caller shows '?'). */
static uint32_t utf8_next(const unsigned char *s, size_t *len)
{
    unsigned c = s[0];
    size_t n;
    uint32_t cp;
    if (c < 0x80) {
        *len = 1;
        return c;
    } else if ((c & 0xe0) == 0xc0) {
        n = 2, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
        n = 3, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
        n = 4, cp = c & 0x07;
    } else {
        *len = 1;
        return 0xfffd;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *len = 1;
            return 0xfffd;
        }
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    /* overlong forms, surrogates and values past U+10FFFF are invalid too */
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        *len = 1;
        return 0xfffd;
    }
    *len = n;
    return cp;
}

static int cell_width(uint32_t cp, wchar_t *shown)
{
    if (cp == 0xfffd || cp < 0x20 || cp == 0x7f) {
        *shown = L'?';
        return 1;
    }
    int w = wcwidth((wchar_t)cp);
    if (w < 0) {
        *shown = L'?';
        return 1;
    }
    *shown = (wchar_t)cp;
    return w;
}

int tui_fit(const char *s, int width, wchar_t *out, size_t cap)
{
    if (cap == 0)
        return 0;
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    int used = 0;
    if (width <= 0) {
        out[0] = 0;
        return 0;
    }
    while (*p) {
        size_t len;
        wchar_t shown;
        int w = cell_width(utf8_next(p, &len), &shown);
        /* keep one cell for the '~' unless this is the last character and fits */
        bool last = p[len] == 0;
        int room = width - used - (last ? 0 : 1);
        if (w > room || o + 2 >= cap) {
            if (used < width && o + 1 < cap)
                out[o++] = L'~', used++;
            break;
        }
        out[o++] = shown;
        used += w;
        p += len;
    }
    out[o] = 0;
    return used;
}

int tui_text_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int used = 0;
    while (*p) {
        size_t len;
        wchar_t shown;
        used += cell_width(utf8_next(p, &len), &shown);
        p += len;
    }
    return used;
}

void tui_fmt_size(uint64_t n, char out[16])
{
    static const char units[] = "KMGTPE";
    if (n < 10000) {
        snprintf(out, 16, "%u", (unsigned)n);
        return;
    }
    double v = (double)n;
    int u = -1;
    while (v >= 1024 && u < 5)
        v /= 1024, u++;
    if (v < 10)
        snprintf(out, 16, "%.1f%c", v, units[u]);
    else
        snprintf(out, 16, "%.0f%c", v, units[u]);
}

bool tui_contains_nocase(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return true;
    for (; *s; s++) {
        size_t i = 0;
        while (i < n && s[i] && tolower((unsigned char)s[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

void tui_tilde(const char *s, char *out, size_t cap)
{
    const char *home = getenv("HOME");
    size_t hl = home ? strlen(home) : 0;
    while (hl > 1 && home[hl - 1] == '/')
        hl--;
    const char *at = NULL;
    if (hl > 1) {
        for (const char *p = strstr(s, home); p; p = strstr(p + 1, home))
            if (p[hl] == '/' || p[hl] == '\0') {
                at = p;
                break;
            }
    }
    if (!at) {
        snprintf(out, cap, "%s", s);
        return;
    }
    snprintf(out, cap, "%.*s~%s", (int)(at - s), s, at + hl);
}
