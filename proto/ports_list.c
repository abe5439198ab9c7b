/* Enumerating serial ports through libserialport. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libserialport.h>

#include "ports.h"

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const mr_port *)a)->path, ((const mr_port *)b)->path);
}

int mr_ports_list(mr_port **out, size_t *n, mr_err *err)
{
    *out = NULL;
    *n = 0;
    struct sp_port **list = NULL;
    if (sp_list_ports(&list) != SP_OK) {
        char *m = sp_last_error_message();
        mr_fail(err, "cannot list serial ports: %s", m ? m : "libserialport failed");
        sp_free_error_message(m);
        return -1;
    }
    size_t count = 0;
    while (list[count])
        count++;
    mr_port *ports = calloc(count ? count : 1, sizeof *ports);
    if (!ports) {
        sp_free_port_list(list);
        return mr_fail(err, "out of memory");
    }
    for (size_t i = 0; i < count; i++) {
        mr_port *p = &ports[i];
        copy(p->path, sizeof p->path, sp_get_port_name(list[i]));
        int vid, pid;
        if (sp_get_port_transport(list[i]) == SP_TRANSPORT_USB &&
            sp_get_port_usb_vid_pid(list[i], &vid, &pid) == SP_OK) {
            p->usb = true;
            p->vid = vid;
            p->pid = pid;
            copy(p->serial, sizeof p->serial, sp_get_port_usb_serial(list[i]));
            copy(p->manufacturer, sizeof p->manufacturer, sp_get_port_usb_manufacturer(list[i]));
            copy(p->product, sizeof p->product, sp_get_port_usb_product(list[i]));
        }
    }
    sp_free_port_list(list);
    qsort(ports, count, sizeof *ports, by_path);
    *out = ports;
    *n = count;
    return 0;
}
