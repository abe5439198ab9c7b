#include "prompt.h"

#include <stdio.h>
#include <string.h>

void tui_prompt_start(tui_prompt *p, const char *label, const char *initial)
{
    snprintf(p->label, sizeof p->label, "%s", label);
    p->len = 0;
    p->text[0] = '\0';
    if (initial) {
        size_t n = strlen(initial);
        if (n >= sizeof p->text)
            n = sizeof p->text - 1;
        memcpy(p->text, initial, n);
        p->text[n] = '\0';
        p->len = n;
    }
    p->state = TUI_PROMPT_EDITING;
}

bool tui_prompt_key(tui_prompt *p, int key, int backspace_code)
{
    if (p->state != TUI_PROMPT_EDITING)
        return false;
    if (key == '\n' || key == '\r') {
        p->state = TUI_PROMPT_DONE;
        return false;
    }
    if (key == 27 || key == 7 /* ^G */) {
        p->state = TUI_PROMPT_CANCELLED;
        return false;
    }
    if (key == 8 || key == 127 || (backspace_code && key == backspace_code)) {
        if (p->len == 0)
            return false;
        /* drop a whole UTF-8 sequence: continuation bytes, then the lead byte */
        while (p->len > 0 && ((unsigned char)p->text[p->len - 1] & 0xc0) == 0x80)
            p->len--;
        if (p->len > 0)
            p->len--;
        p->text[p->len] = '\0';
        return true;
    }
    if (key == 21 /* ^U */) {
        p->len = 0;
        p->text[0] = '\0';
        return true;
    }
    if (key >= 0x20 && key <= 0xff && key != 0x7f && p->len + 1 < sizeof p->text) {
        p->text[p->len++] = (char)key;
        p->text[p->len] = '\0';
        return true;
    }
    return false;
}
