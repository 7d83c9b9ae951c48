/* ksyms.c - look up addresses in the table tools/gen-ksyms puts in .ksyms. */
#include "kernel/ksyms.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"

/* Defined by the generated build/ksyms.asm: count entries sorted by address. */
extern const u64 ksyms_count;
extern const u64 ksyms_addresses[];
extern const u32 ksyms_name_offsets[];
extern const char ksyms_names[];
extern char _text_end[];

const char *ksym_lookup(u64 address, u64 *offset, u64 *size)
{
    u64 n = ksyms_count;
    if (n == 0 || address < ksyms_addresses[0] || address >= (u64)_text_end)
        return NULL;
    /* Binary search for the last symbol at or below the address. */
    u64 lo = 0, hi = n;
    while (hi - lo > 1) {
        u64 mid = (lo + hi) / 2;
        if (ksyms_addresses[mid] <= address)
            lo = mid;
        else
            hi = mid;
    }
    u64 end = lo + 1 < n ? ksyms_addresses[lo + 1] : (u64)_text_end;
    if (offset)
        *offset = address - ksyms_addresses[lo];
    if (size)
        *size = end - ksyms_addresses[lo];
    return &ksyms_names[ksyms_name_offsets[lo]];
}

void ksym_format(u64 address, char *buf, size_t size)
{
    u64 offset, length;
    const char *name = ksym_lookup(address, &offset, &length);
    if (name)
        snprintf(buf, size, "%s+0x%lx/0x%lx", name, offset, length);
    else
        snprintf(buf, size, "0x%016lx", address);
}

bool ksym_at(u64 index, u64 *address, const char **name)
{
    if (index >= ksyms_count)
        return false;
    *address = ksyms_addresses[index];
    *name = &ksyms_names[ksyms_name_offsets[index]];
    return true;
}

u64 ksym_address(const char *name)
{
    for (u64 i = 0; i < ksyms_count; i++)
        if (strcmp(&ksyms_names[ksyms_name_offsets[i]], name) == 0)
            return ksyms_addresses[i];
    return 0;
}
