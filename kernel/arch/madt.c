/*
 * madt.c - reading the MADT, the ACPI table that lists the CPUs and the
 * interrupt controllers (see acpi.h).  Plain C on a buffer, no hardware:
 * tests/unit/test_acpi.c runs it on the host with hand-built tables.
 */
#include "kernel/arch/acpi.h"
#include "kernel/lib/string.h"

#define MADT_ENTRIES_OFFSET 44 /* the 36-byte header, the local APIC address, flags */
#define MADT_FLAG_PCAT_COMPAT 1

bool acpi_checksum_ok(const void *table, size_t length)
{
    const u8 *bytes = table;
    u8 sum = 0;
    for (size_t i = 0; i < length; i++)
        sum += bytes[i];
    return sum == 0;
}

static int fail(const char **error, const char *why)
{
    *error = why;
    return -1;
}

int madt_parse(const void *table, size_t length, struct madt_info *out, const char **error)
{
    const u8 *base = table;
    memset(out, 0, sizeof *out);
    if (length < MADT_ENTRIES_OFFSET)
        return fail(error, "MADT shorter than its header");
    if (memcmp(base, "APIC", 4) != 0)
        return fail(error, "not a MADT (signature is not APIC)");
    if (acpi_read32(base + 4) != length)
        return fail(error, "MADT length does not match its header");
    if (!acpi_checksum_ok(base, length))
        return fail(error, "MADT checksum is wrong");
    out->lapic_address = acpi_read32(base + 36);
    out->has_8259 = acpi_read32(base + 40) & MADT_FLAG_PCAT_COMPAT;

    for (size_t offset = MADT_ENTRIES_OFFSET; offset < length;) {
        if (length - offset < 2)
            return fail(error, "MADT entry header runs past the end");
        u8 type = base[offset], entry_length = base[offset + 1];
        if (entry_length < 2 || entry_length > length - offset)
            return fail(error, "MADT entry length is bad");
        const u8 *e = base + offset;
        switch (type) {
        case 0: /* processor local APIC: ACPI id, APIC id, flags */
            if (entry_length < 8)
                return fail(error, "local APIC entry too short");
            /* bit 0: enabled; bit 1: could be enabled later (hot-plug): not started */
            if (!(acpi_read32(e + 4) & 1))
                break;
            if (out->cpu_count == MAX_CPUS) {
                out->cpus_ignored++;
                break;
            }
            out->apic_ids[out->cpu_count++] = e[3];
            break;
        case 1: /* I/O APIC: id, reserved, address, GSI base */
            if (entry_length < 12)
                return fail(error, "I/O APIC entry too short");
            if (out->ioapic_count++ == 0) {
                out->ioapic_id = e[2];
                out->ioapic_address = acpi_read32(e + 4);
                out->ioapic_gsi_base = acpi_read32(e + 8);
            }
            break;
        case 2: /* interrupt source override: bus, source IRQ, GSI, flags */
            if (entry_length < 10)
                return fail(error, "interrupt source override entry too short");
            if (out->override_count < MADT_MAX_OVERRIDES && e[3] < 16) {
                struct madt_override *o = &out->overrides[out->override_count++];
                o->irq = e[3];
                o->gsi = acpi_read32(e + 4);
                o->flags = (u16)(e[8] | e[9] << 8);
            }
            break;
        case 5: /* local APIC address override: reserved, 64-bit address */
            if (entry_length < 12)
                return fail(error, "local APIC address override entry too short");
            out->lapic_address = acpi_read64(e + 4);
            break;
        default: /* NMI sources, x2APIC entries, ...: not needed */
            break;
        }
        offset += entry_length;
    }
    if (out->cpu_count == 0)
        return fail(error, "MADT lists no usable CPU");
    if (out->ioapic_count == 0)
        return fail(error, "MADT lists no I/O APIC");
    return 0;
}
