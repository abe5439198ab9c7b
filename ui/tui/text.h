/* Text for the screen: hostile UTF-8 names made safe and fitted to a column width
 * (wide characters take two cells), sizes and addresses formatted. No ncurses. */
#ifndef TUI_TEXT_H
#define TUI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

/* Decode s (UTF-8, possibly invalid) into at most width display cells in out
 * (cap wide chars including the terminator). Invalid bytes and control
 * characters become '?'; a name cut short ends with '~'. Returns the cells used. */
int tui_fit(const char *s, int width, wchar_t *out, size_t cap);
/* Display width of s as tui_fit would draw it, unbounded. */
int tui_text_width(const char *s);

/* "999", "1234", "12.3K", "4.0M": at most 6 characters. */
void tui_fmt_size(uint64_t n, char out[16]);
/* s with the first "$HOME/" in it written "~/", for shorter titles. */
void tui_tilde(const char *s, char *out, size_t cap);
/* Does s contain needle, ignoring ASCII case? */
bool tui_contains_nocase(const char *s, const char *needle);

#endif
