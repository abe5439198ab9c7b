/* The serial board backend: proto/device.h's operations over MicroPython's raw
 * REPL and vfs.rom_ioctl, for both partition styles (memoryview ports such as
 * stm32; block-device ports such as rp2 and esp32). The programs it sends are
 * listed in proto/WIRE.md. */
#ifndef MR_SERIAL_DEVICE_H
#define MR_SERIAL_DEVICE_H

#include "device.h"

/* name: a path, serial:PATH[@BAUD], a0-a3, u0-u3, id:SERIAL, port:PATH or auto. */
int mr_serial_open(const char *name, const mr_open_opts *opts, mr_device **out, mr_err *err);

/* "EINVAL" for 22 (MicroPython's errno numbers); NULL when unknown. */
const char *mr_errno_name(long e);

#endif
