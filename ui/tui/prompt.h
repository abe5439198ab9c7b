/* A one-line text input (search, rename, a path): the buffer and what the keys do
 * to it. No ncurses: keys arrive as ints, the view draws the buffer. */
#ifndef TUI_PROMPT_H
#define TUI_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

#define TUI_PROMPT_MAX 1024

typedef enum { TUI_PROMPT_EDITING, TUI_PROMPT_DONE, TUI_PROMPT_CANCELLED } tui_prompt_state;

typedef struct tui_prompt {
    char label[64];             /* "Search: ", "Rename to: " */
    char text[TUI_PROMPT_MAX];  /* UTF-8 */
    size_t len;
    tui_prompt_state state;
} tui_prompt;

void tui_prompt_start(tui_prompt *p, const char *label, const char *initial);
/* Feed one key (a byte of UTF-8 text, Backspace 8/127, ^U, Enter, Esc). Returns true
 * when the text changed. Other keys are ignored. */
bool tui_prompt_key(tui_prompt *p, int key, int backspace_code);

#endif
