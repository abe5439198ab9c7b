/* Where keys come from: the keyboard, or a script ($MPROMFS_TUI_KEYS) for tests
 * and screen captures. Script syntax: each character is a key, except blanks
 * (ignored) and <Name> tokens: <Tab> <Enter> <Esc> <Up> <Down> <Left> <Right>
 * <PgUp> <PgDn> <Home> <End> <BS> <Del> <Space> <F1>..<F12> <C-x> <lt>
 * <Resize:COLSxROWS> <Wait> (let pending work run: one idle turn). */
#ifndef TUI_INPUT_H
#define TUI_INPUT_H

#include <stddef.h>

#define TUI_KEY_NONE (-1)      /* nothing yet (time-out) */
#define TUI_KEY_EOF (-2)       /* the script ended */
#define TUI_KEY_RESIZED (-3)   /* the size changed (KEY_RESIZE or <Resize>) */

/* Next key: from script (advancing *pos) or the keyboard, waiting up to timeout_ms
 * (0: poll). */
int tui_next_key(const char *script, size_t *pos, int timeout_ms);

/* Parse one token at script[*pos] (exposed for tests); resize gets cols/rows. */
int tui_script_key(const char *script, size_t *pos, int *cols, int *rows);

#endif
