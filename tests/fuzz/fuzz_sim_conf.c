/* libFuzzer: the simulated board's descriptor parser. Any input either fails with a
 * message or yields a board that passes the checks and survives a format/parse round
 * trip unchanged. The same bytes go through the counters parser too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "sim_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mr_sim_conf a, b;
    mr_err err;
    mr_sim_counters c[MR_SIM_MAX_PARTS];
    if (size <= 8192 && mr_sim_counters_parse((const char *)data, size, MR_SIM_MAX_PARTS, c, &err) &&
        !err.msg[0])
        abort();
    err.msg[0] = '\0';
    if (mr_sim_conf_parse((const char *)data, size, &a, &err)) {
        if (!err.msg[0])
            abort(); /* a failure always says why */
        return 0;
    }
    if (mr_sim_conf_check(&a, &err))
        abort();
    char *text = mr_sim_conf_format(&a);
    if (!text)
        return 0;
    if (mr_sim_conf_parse(text, strlen(text), &b, &err))
        abort();
    if (a.nparts != b.nparts || a.no_sha256 != b.no_sha256 || memcmp(&a.faults, &b.faults, sizeof a.faults))
        abort();
    for (unsigned i = 0; i < a.nparts; i++)
        if (a.part[i].size != b.part[i].size || a.part[i].erase_unit != b.part[i].erase_unit ||
            a.part[i].write_min != b.part[i].write_min || a.part[i].base != b.part[i].base ||
            a.part[i].writable != b.part[i].writable || a.part[i].style != b.part[i].style)
            abort();
    free(text);
    return 0;
}
