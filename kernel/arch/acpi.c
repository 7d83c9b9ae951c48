/*
 * acpi.c - from the RSDP to the MADT (see acpi.h for the chain of tables).
 *
 * Only what SMP needs is read: the MADT.  The tables live in memory the
 * firmware reserved, which may lie above the RAM the direct map covers, so
 * each is mapped (pagetable_map_physical) before it is read, and every length
 * is checked against what was mapped before it is trusted.
 */
#include "kernel/arch/acpi.h"
#include "kernel/cmdline.h"
#include "kernel/lib/string.h"
#include "kernel/multiboot.h"
#include "kernel/printk.h"
#include "mm/layout.h"
#include "mm/pagetable.h"

#define SDT_HEADER_SIZE 36
#define MADT_ENTRIES_OFFSET 44 /* the header, the local APIC address, flags */
#define MADT_FLAG_PCAT_COMPAT 1
#define MAX_TABLE_SIZE (1u << 20)

struct rsdp {
    char signature[8]; /* "RSD PTR " */
    u8 checksum;       /* of the first 20 bytes */
    char oem_id[6];
    u8 revision; /* 0: ACPI 1.0 (20 bytes, RSDT only); 2: 2.0+ (36 bytes, XSDT) */
    u32 rsdt_address;
    u32 length;
    u64 xsdt_address;
    u8 extended_checksum; /* of all 36 bytes */
    u8 reserved[3];
} PACKED;

struct sdt_header {
    char signature[4];
    u32 length; /* the whole table, header included */
    u8 revision;
    u8 checksum;
    char oem_id[6];
    char oem_table_id[8];
    u32 oem_revision;
    u32 creator_id;
    u32 creator_revision;
} PACKED;
_Static_assert(sizeof(struct sdt_header) == SDT_HEADER_SIZE, "ACPI table header is 36 bytes");

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

static u32 read32(const u8 *p)
{
    u32 v;
    memcpy(&v, p, 4);
    return v;
}

static u64 read64(const u8 *p)
{
    u64 v;
    memcpy(&v, p, 8);
    return v;
}

int madt_parse(const void *table, size_t length, struct madt_info *out, const char **error)
{
    const u8 *base = table;
    memset(out, 0, sizeof *out);
    if (length < MADT_ENTRIES_OFFSET)
        return fail(error, "MADT shorter than its header");
    if (memcmp(base, "APIC", 4) != 0)
        return fail(error, "not a MADT (signature is not APIC)");
    if (read32(base + 4) != length)
        return fail(error, "MADT length does not match its header");
    if (!acpi_checksum_ok(base, length))
        return fail(error, "MADT checksum is wrong");
    out->lapic_address = read32(base + 36);
    out->has_8259 = read32(base + 40) & MADT_FLAG_PCAT_COMPAT;

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
            if (!(read32(e + 4) & 1))
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
                out->ioapic_address = read32(e + 4);
                out->ioapic_gsi_base = read32(e + 8);
            }
            break;
        case 2: /* interrupt source override: bus, source IRQ, GSI, flags */
            if (entry_length < 10)
                return fail(error, "interrupt source override entry too short");
            if (out->override_count < MADT_MAX_OVERRIDES && e[3] < 16) {
                struct madt_override *o = &out->overrides[out->override_count++];
                o->irq = e[3];
                o->gsi = read32(e + 4);
                o->flags = (u16)(e[8] | e[9] << 8);
            }
            break;
        case 5: /* local APIC address override: reserved, 64-bit address */
            if (entry_length < 12)
                return fail(error, "local APIC address override entry too short");
            out->lapic_address = read64(e + 4);
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

/* A table's header, mapped; then the whole table, if its length is sane and it sums to zero. */
static const struct sdt_header *map_table(u64 phys)
{
    const struct sdt_header *header = pagetable_map_physical(phys, SDT_HEADER_SIZE, false);
    if (header->length < SDT_HEADER_SIZE || header->length > MAX_TABLE_SIZE)
        return NULL;
    pagetable_map_physical(phys, header->length, false);
    return acpi_checksum_ok(header, header->length) ? header : NULL;
}

/* The RSDP in [start, end) of low memory, on a 16-byte boundary, or NULL. */
static const struct rsdp *scan_for_rsdp(u64 start, u64 end)
{
    for (u64 phys = ALIGN_UP(start, 16); phys + 20 <= end; phys += 16) {
        const struct rsdp *r = phys_to_virt(phys);
        if (memcmp(r->signature, "RSD PTR ", 8) == 0 && acpi_checksum_ok(r, 20))
            return r;
    }
    return NULL;
}

static const struct rsdp *find_rsdp(const struct boot_info *boot)
{
    if (boot->rsdp_length >= 20) {
        const struct rsdp *copy = (const struct rsdp *)boot->rsdp;
        if (acpi_checksum_ok(copy, 20))
            return copy;
    }
    /* The first KiB of the Extended BIOS Data Area (its segment is at 0x40E), then the BIOS ROM. */
    u64 ebda = (u64) * (const u16 *)phys_to_virt(0x40E) << 4;
    const struct rsdp *r = NULL;
    if (ebda >= 0x80000 && ebda < 0xA0000)
        r = scan_for_rsdp(ebda, ebda + 1024);
    return r ? r : scan_for_rsdp(0xE0000, 0x100000);
}

bool acpi_rsdp_found;

bool acpi_find_madt(const struct boot_info *boot, struct madt_info *out)
{
    const struct rsdp *rsdp = find_rsdp(boot);
    acpi_rsdp_found = rsdp != NULL;
    const char *setting = boot_option("acpi");
    if (setting && strcmp(setting, "off") == 0) {
        pr_info("ACPI: off (acpi=off): one CPU, the legacy PIC\n");
        return false;
    }
    if (!rsdp) {
        pr_info("ACPI: no RSDP found: one CPU, the legacy PIC\n");
        return false;
    }
    /* ACPI 2.0+ has the XSDT (64-bit entries); 1.0 only the RSDT (32-bit). */
    bool xsdt = rsdp->revision >= 2 && rsdp->xsdt_address && acpi_checksum_ok(rsdp, 36);
    u64 root_phys = xsdt ? rsdp->xsdt_address : rsdp->rsdt_address;
    const struct sdt_header *root = map_table(root_phys);
    pr_info("ACPI: RSDP rev %u (%s), %s at %#lx\n", rsdp->revision,
            boot->rsdp_length ? "from GRUB" : "found in the BIOS area", xsdt ? "XSDT" : "RSDT",
            root_phys);
    if (!root) {
        pr_warn("ACPI: the root table is damaged: one CPU, the legacy PIC\n");
        return false;
    }
    size_t entry_size = xsdt ? 8 : 4;
    size_t entries = (root->length - SDT_HEADER_SIZE) / entry_size;
    const u8 *list = (const u8 *)root + SDT_HEADER_SIZE;
    for (size_t i = 0; i < entries; i++) {
        u64 phys = xsdt ? read64(list + i * 8) : read32(list + i * 4);
        const struct sdt_header *table = map_table(phys);
        if (!table || memcmp(table->signature, "APIC", 4) != 0)
            continue;
        const char *error;
        if (madt_parse(table, table->length, out, &error) < 0) {
            pr_warn("ACPI: MADT at %#lx ignored: %s\n", phys, error);
            return false;
        }
        pr_info("ACPI: MADT at %#lx: %d CPU%s, local APICs at %#lx, I/O APIC %u at %#lx (GSI "
                "%u), %d interrupt override%s\n",
                phys, out->cpu_count, out->cpu_count == 1 ? "" : "s", out->lapic_address,
                out->ioapic_id, out->ioapic_address, out->ioapic_gsi_base, out->override_count,
                out->override_count == 1 ? "" : "s");
        for (int o = 0; o < out->override_count; o++) {
            const struct madt_override *ov = &out->overrides[o];
            pr_info("ACPI: override IRQ %u -> GSI %u (%s, %s)\n", ov->irq, ov->gsi,
                    (ov->flags & MADT_TRIGGER_MASK) == MADT_TRIGGER_LEVEL ? "level" : "edge",
                    (ov->flags & MADT_POLARITY_MASK) == MADT_POLARITY_LOW ? "active low"
                                                                          : "active high");
        }
        if (out->cpus_ignored)
            pr_warn("ACPI: %d more CPUs than MAX_CPUS (%d) left off\n", out->cpus_ignored,
                    MAX_CPUS);
        return true;
    }
    pr_info("ACPI: no MADT: one CPU, the legacy PIC\n");
    return false;
}
