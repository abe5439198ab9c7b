#include "dump.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "tui_curses.h"

static void write_row(FILE *f, int y, int cols)
{
    /* one cell at a time: a wide character fills two cells, and the second cell
     * repeats it, so keep only cells that start a character */
    char line[8192];
    size_t len = 0;
    for (int x = 0; x < cols; x++) {
        cchar_t cc;
        if (mvin_wch(y, x, &cc) == ERR)
            break;
        wchar_t wch[CCHARW_MAX + 1];
        attr_t attrs;
        short pair;
        if (getcchar(&cc, wch, &attrs, &pair, NULL) == ERR)
            continue;
        /* line-drawing characters are stored as VT100 letters: write what they look like */
        if (attrs & A_ALTCHARSET) {
            static const char from[] = "xqlkmjtuvwn";
            static const wchar_t to[] = L"\u2502\u2500\u250c\u2510\u2514\u2518\u251c\u2524\u2534\u252c\u253c";
            const char *hit = wch[0] < 128 ? strchr(from, (int)wch[0]) : NULL;
            if (hit && wch[0])
                wch[0] = to[hit - from];
        }
        int w = wcwidth(wch[0]);
        for (int k = 0; wch[k] && k < CCHARW_MAX; k++) {
            char mb[MB_LEN_MAX];
            mbstate_t st;
            memset(&st, 0, sizeof st);
            size_t n = wcrtomb(mb, wch[k], &st);
            if (n == (size_t)-1) {
                mb[0] = '?';
                n = 1;
            }
            if (len + n < sizeof line) {
                memcpy(line + len, mb, n);
                len += n;
            }
        }
        if (w > 1)
            x += w - 1;
    }
    while (len > 0 && line[len - 1] == ' ')
        len--;
    fwrite(line, 1, len, f);
    fputc('\n', f);
}

int tui_dump_screen(const char *path, mr_err *err)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (!tmp)
        return mr_fail(err, "out of memory");
    snprintf(tmp, plen + 16, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) {
        mr_fail_errno(err, "cannot write the screen dump %s", tmp);
        free(tmp);
        return -1;
    }
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    for (int y = 0; y < rows; y++)
        write_row(f, y, cols);
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        mr_fail_errno(err, "cannot write the screen dump %s", path);
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}
