/*
 * acpi.h - what the firmware's ACPI tables say about the processors and
 * interrupt controllers.
 *
 * How a kernel learns how many CPUs there are: the firmware (SeaBIOS in
 * QEMU) leaves tables in memory, found through a chain of pointers:
 *
 *   RSDP "RSD PTR "  (GRUB hands us a copy; otherwise we look for it in the
 *     |               BIOS areas below 1 MiB, on 16-byte boundaries)
 *     v
 *   RSDT / XSDT      a list of 32-bit (RSDT) or 64-bit (XSDT) table addresses
 *     |
 *     v
 *   MADT "APIC"      Multiple APIC Description Table: one entry per thing
 *                    (type, length, body):
 *                      0  a processor's local APIC: its APIC ID, enabled?
 *                      1  an I/O APIC: its address and first interrupt (GSI)
 *                      2  an interrupt source override: ISA IRQ n arrives on
 *                         GSI m, with this polarity and trigger mode (QEMU:
 *                         the PIT's IRQ 0 is on GSI 2; PCI lines are level)
 *                      5  a 64-bit address for the local APICs
 *
 * Every table starts with the same 36-byte header and sums to zero mod 256;
 * a table that does not is ignored.  No MADT (QEMU -machine acpi=off, or
 * acpi=off on sprout's command line) means one CPU and the legacy 8259 PIC.
 */
#ifndef KERNEL_ARCH_ACPI_H
#define KERNEL_ARCH_ACPI_H

#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "kernel/types.h"

/* ACPI tables are packed little-endian: fields need not be aligned. */
static inline u32 acpi_read32(const u8 *p)
{
    u32 v;
    memcpy(&v, p, 4);
    return v;
}

static inline u64 acpi_read64(const u8 *p)
{
    u64 v;
    memcpy(&v, p, 8);
    return v;
}

#define MADT_MAX_OVERRIDES 16

/* MPS INTI flags of an override (ACPI spec, table "MPS INTI Flags"). */
#define MADT_POLARITY_MASK 0x3
#define MADT_POLARITY_LOW 0x3
#define MADT_TRIGGER_MASK 0xC
#define MADT_TRIGGER_LEVEL 0xC

struct madt_override {
    u8 irq;    /* the ISA IRQ (0-15) */
    u32 gsi;   /* the global system interrupt it arrives on */
    u16 flags; /* MADT_POLARITY_*, MADT_TRIGGER_* (0: the bus's default) */
};

struct madt_info {
    u64 lapic_address;      /* physical address of every CPU's local APIC registers */
    bool has_8259;          /* PCAT_COMPAT: legacy PICs present (mask them) */
    int cpu_count;          /* usable CPUs listed (at most MAX_CPUS kept) */
    int cpus_ignored;       /* usable CPUs beyond MAX_CPUS */
    u32 apic_ids[MAX_CPUS]; /* in the MADT's order */
    int ioapic_count;       /* I/O APICs listed; the first is used */
    u64 ioapic_address;     /* the first I/O APIC's registers */
    u32 ioapic_gsi_base;    /* the first GSI its pin 0 receives */
    u8 ioapic_id;
    int override_count;
    struct madt_override overrides[MADT_MAX_OVERRIDES];
};

struct boot_info;

/*
 * Parse a MADT of `length` bytes (header included) into *out.  Returns 0, or
 * -1 with *error saying what was wrong.  Plain C on a buffer: tests/unit
 * feeds it good and broken tables.
 */
int madt_parse(const void *table, size_t length, struct madt_info *out, const char **error);

/* Did the firmware provide ACPI tables (an RSDP)?  power_off() needs them. */
extern bool acpi_rsdp_found;

/* Is this a table with a good checksum?  (Every byte sums to zero.) */
bool acpi_checksum_ok(const void *table, size_t length);

/*
 * Find the RSDP (GRUB's copy in `boot`, else the BIOS areas), the RSDT or
 * XSDT, and the MADT; parse it into *out.  false when there is none (or the
 * command line says acpi=off): the caller keeps one CPU and the PIC.
 */
bool acpi_find_madt(const struct boot_info *boot, struct madt_info *out);

#endif
