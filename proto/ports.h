/* Serial ports and device names. Enumeration goes through libserialport (it
 * knows the USB identity); everything else here is pure (a table and functions
 * over a port list) so it is tested without hardware. */
#ifndef MR_PORTS_H
#define MR_PORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct mr_port {
    char path[256];         /* /dev/ttyACM0 */
    bool usb;               /* vid/pid known */
    int vid, pid;
    char serial[128];       /* "" when unknown */
    char manufacturer[128];
    char product[128];
} mr_port;

/* What a USB VID:PID says about the board behind it: "MicroPython", "OpenMV",
 * "Arduino", ... for firmware that presents its own USB device; "CP210x bridge"
 * and the like for USB-UART bridges (a board may sit behind one); NULL if unknown. */
const char *mr_usb_id_kind(int vid, int pid);
/* True for IDs that MicroPython firmware itself presents (not bridges). */
bool mr_usb_id_is_micropython(int vid, int pid);

/* All serial ports, sorted by path. *ports is malloc'd (free it). */
int mr_ports_list(mr_port **ports, size_t *n, mr_err *err);

/* Turn a device name into a path and baud, given the ports present:
 * "auto" (the first port with MicroPython's IDs, else the first USB port),
 * "a0".."a3" / "u0".."u3" (/dev/ttyACMn, /dev/ttyUSBn), "id:SERIAL",
 * "serial:PATH[@BAUD]", "port:PATH", or a path. *baud is 0 when not given. */
int mr_port_resolve(const char *name, const mr_port *ports, size_t n, char *path, size_t cap,
                    uint32_t *baud, mr_err *err);

#endif
