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
        u64 phys = xsdt ? acpi_read64(list + i * 8) : acpi_read32(list + i * 4);
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
