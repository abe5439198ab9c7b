/* mpromfs devs: the serial ports, their USB identity, and which look like boards. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ports.h"

MR_COMMAND(devs, cmd_devs, "list serial ports with USB IDs; mark MicroPython boards");

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: mpromfs devs\n"
            "\n"
            "List the serial ports: device, USB serial number, VID:PID, manufacturer,\n"
            "product, and what the USB ID says about the board (MicroPython firmware,\n"
            "a USB-UART bridge a board may sit behind, or nothing known). '-d auto'\n"
            "picks the first MicroPython board, else the first USB port.\n"
            "\n"
            "  -h, --help   show this help\n");
}

static const char *or_dash(const char *s)
{
    return s && s[0] ? s : "-";
}

int cmd_devs(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
            return 0;
        }
        return cli_usage_error("devs", "unknown option '%s'", argv[optind - 1]);
    }
    if (optind != argc)
        return cli_usage_error("devs", "no arguments expected");
    mr_port *ports;
    size_t n;
    mr_err err;
    if (mr_ports_list(&ports, &n, &err) != 0)
        return cli_fail(&err);
    if (n == 0) {
        printf("no serial ports found\n");
        free(ports);
        return 0;
    }
    int wd = 6, ws = 6, wm = 12, wp = 7;
    for (size_t i = 0; i < n; i++) {
        int l;
        if ((l = (int)strlen(ports[i].path)) > wd) wd = l;
        if ((l = (int)strlen(or_dash(ports[i].serial))) > ws) ws = l;
        if ((l = (int)strlen(or_dash(ports[i].manufacturer))) > wm) wm = l;
        if ((l = (int)strlen(or_dash(ports[i].product))) > wp) wp = l;
    }
    printf("%-*s  %-*s  %-9s  %-*s  %-*s  %s\n", wd, "DEVICE", ws, "SERIAL", "VID:PID", wm,
           "MANUFACTURER", wp, "PRODUCT", "BOARD");
    for (size_t i = 0; i < n; i++) {
        const mr_port *p = &ports[i];
        char id[16] = "-";
        const char *kind = NULL;
        if (p->usb) {
            snprintf(id, sizeof id, "%04x:%04x", (unsigned)p->vid & 0xffff, (unsigned)p->pid & 0xffff);
            kind = mr_usb_id_kind(p->vid, p->pid);
        }
        printf("%-*s  %-*s  %-9s  %-*s  %-*s  %s\n", wd, p->path, ws, or_dash(p->serial), id, wm,
               or_dash(p->manufacturer), wp, or_dash(p->product),
               kind ? kind : (p->usb ? "unknown USB device" : "-"));
    }
    free(ports);
    return 0;
}
