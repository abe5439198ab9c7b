/* Listings about layout: OpenMV's ls_romfs() format, and checking files' addresses
 * against alignment rules. Both read a parsed image (image.h). */
#ifndef MR_LIST_LAYOUT_H
#define MR_LIST_LAYOUT_H

#include <stdint.h>
#include <stdio.h>

#include "align_rules.h"
#include "image.h"

/* Exactly the lines OpenMV's romfs.ls_romfs() prints on the camera (its
 * scripts/libraries/romfs.py), one per top-level file, in image order:
 *   addr: 0x%08X  size: %-8d  alignment: %-4d  name: NAME
 * the address masked to 28 bits, the alignment the largest of 128, 64, 32, 16, 8, 4
 * dividing it, else "alignment: NOT aligned name: NAME" (one space, as OpenMV has it).
 * Directories are skipped (ls_romfs would fail opening them). */
void mr_list_print_openmv(const mr_image *img, uint64_t base, FILE *out);

/* One line per file that a rule asks to align (required > 1): "ok" or "MISALIGNED",
 * the required and actual alignment, address, path, and the rule; then a total.
 * Returns the number of misaligned files. */
size_t mr_check_align(const mr_image *img, uint64_t base, const mr_align_rules *rules, FILE *out);

#endif
