/* An independent, minimal ROMFS reader for tests: it follows MicroPython's
 * extmod/vfs_rom.c lookup (magic, image length within the buffer, a path search that
 * skips records it does not know, a file's data = its first verbatim or indirect
 * record) and nothing else, so images the project writes are checked against the
 * board's rules rather than against the project's own reader. */
#ifndef VFSROM_MINI_H
#define VFSROM_MINI_H

#include <stddef.h>
#include <stdint.h>

/* 0: found a file (data offset from byte 0 of buf and size set); -1 otherwise. */
int vfsrom_mini_find(const uint8_t *buf, size_t len, const char *path, size_t *data_off, size_t *size);
/* Number of entries (files and dirs) listed in directory path ("" for the top). */
int vfsrom_mini_count(const uint8_t *buf, size_t len, const char *path);

#endif
