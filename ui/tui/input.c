#include "input.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "tui_curses.h"

static const struct {
    const char *name;
    int key;
} names[] = {
    {"Tab", '\t'},         {"Enter", '\r'},       {"Esc", 27},          {"Up", KEY_UP},
    {"Down", KEY_DOWN},    {"Left", KEY_LEFT},    {"Right", KEY_RIGHT}, {"PgUp", KEY_PPAGE},
    {"PgDn", KEY_NPAGE},   {"Home", KEY_HOME},    {"End", KEY_END},     {"BS", 127},
    {"Del", KEY_DC},       {"Space", ' '},        {"lt", '<'},          {"Wait", TUI_KEY_NONE},
};

int tui_script_key(const char *script, size_t *pos, int *cols, int *rows)
{
    while (script[*pos] == ' ' || script[*pos] == '\n' || script[*pos] == '\t')
        (*pos)++;
    const char *p = script + *pos;
    if (!*p)
        return TUI_KEY_EOF;
    if (*p == '<') {
        const char *end = strchr(p, '>');
        if (end && end - p > 1 && end - p < 32) {
            char tok[32];
            size_t len = (size_t)(end - p - 1);
            memcpy(tok, p + 1, len);
            tok[len] = '\0';
            *pos += len + 2;
            for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
                if (strcmp(tok, names[i].name) == 0)
                    return names[i].key;
            if (tok[0] == 'F' && isdigit((unsigned char)tok[1]))
                return KEY_F(atoi(tok + 1));
            if (tok[0] == 'C' && tok[1] == '-' && tok[2] && !tok[3])
                return tok[2] & 0x1f;
            int c, r;
            if (sscanf(tok, "Resize:%dx%d", &c, &r) == 2 && c > 0 && r > 0 && c < 1000 &&
                r < 1000) {
                *cols = c;
                *rows = r;
                return TUI_KEY_RESIZED;
            }
            return TUI_KEY_NONE;
        }
    }
    (*pos)++;
    return (unsigned char)*p;
}

int tui_next_key(const char *script, size_t *pos, int timeout_ms)
{
    if (script) {
        int cols = 0, rows = 0;
        int k = tui_script_key(script, pos, &cols, &rows);
        if (k == TUI_KEY_RESIZED)
            resizeterm(rows, cols);
        return k;
    }
    timeout(timeout_ms);
    int k = getch();
    if (k == ERR)
        return TUI_KEY_NONE;
    if (k == KEY_RESIZE)
        return TUI_KEY_RESIZED;
    return k;
}
