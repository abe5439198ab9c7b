/* See ports.h: the pure half (ID table, name resolution). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ports.h"

typedef struct {
    int vid, pid_lo, pid_hi; /* pid range; -1..-1 for any */
    bool micropython;        /* firmware's own USB device (not a bridge) */
    const char *kind;
} usb_id;

/* From ROMFS-FACTS.md ("Boards and ports"). */
static const usb_id usb_ids[] = {
    {0xf055, 0x9800, 0x980a, true, "MicroPython"},
    {0x2e8a, 0x0005, 0x0005, true, "MicroPython (rp2)"},
    {0x303a, 0x4001, 0x4001, true, "MicroPython (esp32)"},
    {0x37c5, -1, -1, true, "OpenMV"},
    {0x1209, 0xabd1, 0xabd1, true, "OpenMV"},
    {0x2341, -1, -1, true, "Arduino"},
    {0x239a, -1, -1, true, "Adafruit"},
    {0x2886, -1, -1, true, "Seeed"},
    {0x10c4, 0xea60, 0xea60, false, "CP210x bridge"},
    {0x1a86, 0x7523, 0x7523, false, "CH340 bridge"},
    {0x1a86, 0x55d4, 0x55d4, false, "CH9102 bridge"},
    {0x0403, 0x6001, 0x6001, false, "FTDI bridge"},
    {0x0403, 0x6015, 0x6015, false, "FTDI bridge"},
    {0x303a, 0x1001, 0x1001, false, "ESP USB-Serial/JTAG"},
};

static const usb_id *lookup(int vid, int pid)
{
    for (size_t i = 0; i < sizeof usb_ids / sizeof usb_ids[0]; i++) {
        const usb_id *u = &usb_ids[i];
        if (u->vid == vid && (u->pid_lo < 0 || (pid >= u->pid_lo && pid <= u->pid_hi)))
            return u;
    }
    return NULL;
}

const char *mr_usb_id_kind(int vid, int pid)
{
    const usb_id *u = lookup(vid, pid);
    return u ? u->kind : NULL;
}

bool mr_usb_id_is_micropython(int vid, int pid)
{
    const usb_id *u = lookup(vid, pid);
    return u && u->micropython;
}

static int set_path(char *path, size_t cap, const char *p, mr_err *err)
{
    if (p[0] == 0)
        return mr_fail(err, "empty serial port path");
    if ((size_t)snprintf(path, cap, "%s", p) >= cap)
        return mr_fail(err, "serial port path too long: %.60s...", p);
    return 0;
}

int mr_port_resolve(const char *name, const mr_port *ports, size_t n, char *path, size_t cap,
                    uint32_t *baud, mr_err *err)
{
    *baud = 0;
    if (strcmp(name, "auto") == 0) {
        for (size_t i = 0; i < n; i++)
            if (ports[i].usb && mr_usb_id_is_micropython(ports[i].vid, ports[i].pid))
                return set_path(path, cap, ports[i].path, err);
        for (size_t i = 0; i < n; i++)
            if (ports[i].usb)
                return set_path(path, cap, ports[i].path, err);
        return mr_fail(err, "no board found: no USB serial port is present ('mpromfs devs' lists "
                            "the ports; use -d PATH, or -d sim:DIR for a simulated board)");
    }
    if (strlen(name) == 2 && (name[0] == 'a' || name[0] == 'u') && name[1] >= '0' && name[1] <= '3') {
        snprintf(path, cap, "/dev/tty%s%c", name[0] == 'a' ? "ACM" : "USB", name[1]);
        return 0;
    }
    if (strncmp(name, "id:", 3) == 0) {
        for (size_t i = 0; i < n; i++)
            if (ports[i].serial[0] && strcmp(ports[i].serial, name + 3) == 0)
                return set_path(path, cap, ports[i].path, err);
        return mr_fail(err, "no serial port with serial number '%s' ('mpromfs devs' lists them)",
                       name + 3);
    }
    if (strncmp(name, "port:", 5) == 0)
        return set_path(path, cap, name + 5, err);
    if (strncmp(name, "serial:", 7) == 0) {
        const char *p = name + 7;
        const char *at = strrchr(p, '@');
        if (!at)
            return set_path(path, cap, p, err);
        char *end;
        unsigned long b = strtoul(at + 1, &end, 10);
        if (at[1] == 0 || *end || b < 300 || b > 12000000)
            return mr_fail(err, "bad baud rate in '%s': want serial:PATH@BAUD, e.g. "
                                "serial:/dev/ttyUSB0@115200", name);
        if ((size_t)(at - p) >= cap || at == p)
            return mr_fail(err, "bad serial port path in '%s'", name);
        memcpy(path, p, (size_t)(at - p));
        path[at - p] = 0;
        *baud = (uint32_t)b;
        return 0;
    }
    if (name[0] != '/')
        return mr_fail(err, "unknown device '%s': use a path (/dev/ttyACM0), serial:PATH[@BAUD], "
                            "a0-a3, u0-u3, id:SERIAL, auto, or sim:DIR", name);
    return set_path(path, cap, name, err);
}
