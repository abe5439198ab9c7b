#include "list_layout.h"

#include <inttypes.h>

#include "list.h"

void mr_list_print_openmv(const mr_image *img, uint64_t base, FILE *out)
{
    static const unsigned sizes[] = {128, 64, 32, 16, 8, 4};
    for (size_t i = 0; i < img->count; i++) {
        const mr_entry *e = &img->entries[i];
        if (e->depth != 0 || e->type != MR_ENTRY_FILE)
            continue;
        uint64_t off = e->data_kind == MR_DATA_NONE ? e->record_offset : e->data_offset;
        uint32_t addr = (uint32_t)((base + off) & 0xFFFFFFFu);
        unsigned a = 0;
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0] && !a; k++)
            if (addr % sizes[k] == 0)
                a = sizes[k];
        if (a)
            fprintf(out, "addr: 0x%08" PRIX32 "  size: %-8zu  alignment: %-4u  name: ", addr, e->size, a);
        else
            fprintf(out, "addr: 0x%08" PRIX32 "  size: %-8zu  alignment: NOT aligned name: ", addr, e->size);
        mr_print_name(out, e->name);
        fputc('\n', out);
    }
}

size_t mr_check_align(const mr_image *img, uint64_t base, const mr_align_rules *rules, FILE *out)
{
    size_t checked = 0, bad = 0;
    for (size_t i = 0; i < img->count; i++) {
        const mr_entry *e = &img->entries[i];
        if (e->type != MR_ENTRY_FILE)
            continue;
        const mr_align_rule *rule;
        uint64_t need = mr_align_rules_lookup(rules, e->path, &rule);
        if (need <= 1)
            continue;
        checked++;
        uint64_t off = e->data_kind == MR_DATA_NONE ? e->record_offset : e->data_offset;
        uint64_t addr = base + off;
        uint64_t have = mr_alignment(addr);
        bool ok = addr % need == 0;
        bad += !ok;
        fprintf(out, "%-10s  need %-5" PRIu64 "  has %-10" PRIu64 "  0x%08" PRIx64 "  ", ok ? "ok" : "MISALIGNED",
                need, have, addr);
        mr_print_name(out, e->path);
        fprintf(out, "  (%s)\n", rule->origin);
    }
    fprintf(out, "%zu file%s checked against %zu rule%s: %zu misaligned\n", checked, checked == 1 ? "" : "s",
            rules->n, rules->n == 1 ? "" : "s", bad);
    return bad;
}
