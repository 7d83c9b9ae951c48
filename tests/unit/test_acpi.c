/* test_acpi.c - the MADT parser (kernel/arch/madt.c) on hand-built and broken tables. */
#include "kernel/arch/acpi.h"
#include "tests/unit/unit.h"

static unsigned char table[1024];
static size_t len;
static struct madt_info info;
static const char *error;

static void put32(size_t at, uint32_t v) { memcpy(table + at, &v, 4); }

/* A MADT header with the local APIC address and PCAT_COMPAT; entries follow. */
static void begin(void)
{
    memset(table, 0, sizeof table);
    memcpy(table, "APIC", 4);
    put32(36, 0xFEE00000);
    put32(40, 1);
    len = 44;
}

static void entry(uint8_t type, const uint8_t *body, uint8_t body_len)
{
    table[len] = type;
    table[len + 1] = (uint8_t)(2 + body_len);
    memcpy(table + len + 2, body, body_len);
    len += 2u + body_len;
}

static void cpu(uint8_t apic_id, uint32_t flags)
{
    uint8_t body[6] = {apic_id, apic_id};
    memcpy(body + 2, &flags, 4);
    entry(0, body, sizeof body);
}

static void ioapic(uint8_t id, uint32_t address, uint32_t gsi_base)
{
    uint8_t body[10] = {id, 0};
    memcpy(body + 2, &address, 4);
    memcpy(body + 6, &gsi_base, 4);
    entry(1, body, sizeof body);
}

static void override(uint8_t irq, uint32_t gsi, uint16_t flags)
{
    uint8_t body[8] = {0, irq};
    memcpy(body + 2, &gsi, 4);
    memcpy(body + 6, &flags, 2);
    entry(2, body, sizeof body);
}

/* Fix the length and the checksum (all bytes sum to 0). */
static size_t finish(void)
{
    put32(4, (uint32_t)len);
    table[9] = 0;
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += table[i];
    table[9] = (uint8_t)(0 - sum);
    return len;
}

/* QEMU's table for -smp 2: two CPUs, one I/O APIC, IRQ 0 on GSI 2, PCI lines level. */
static void qemu_two_cpus(void)
{
    begin();
    cpu(0, 1);
    cpu(1, 1);
    ioapic(0, 0xFEC00000, 0);
    override(0, 2, 0);
    override(11, 11, 0xD);
    CHECK_EQ(madt_parse(table, finish(), &info, &error), 0);
    CHECK_EQ(info.cpu_count, 2);
    CHECK_EQ(info.apic_ids[0], 0u);
    CHECK_EQ(info.apic_ids[1], 1u);
    CHECK_EQ(info.lapic_address, 0xFEE00000ull);
    CHECK(info.has_8259);
    CHECK_EQ(info.ioapic_count, 1);
    CHECK_EQ(info.ioapic_address, 0xFEC00000ull);
    CHECK_EQ(info.ioapic_gsi_base, 0u);
    CHECK_EQ(info.override_count, 2);
    CHECK_EQ(info.overrides[0].irq, 0);
    CHECK_EQ(info.overrides[0].gsi, 2u);
    CHECK_EQ(info.overrides[1].flags & MADT_TRIGGER_MASK, MADT_TRIGGER_LEVEL);
}

static void disabled_cpus_are_not_counted(void)
{
    begin();
    cpu(0, 1);
    cpu(1, 0); /* not enabled */
    cpu(2, 2); /* online-capable only (hot-plug): not started */
    ioapic(0, 0xFEC00000, 0);
    CHECK_EQ(madt_parse(table, finish(), &info, &error), 0);
    CHECK_EQ(info.cpu_count, 1);
}

static void more_cpus_than_max_are_counted_aside(void)
{
    begin();
    for (int i = 0; i < MAX_CPUS + 3; i++)
        cpu((uint8_t)i, 1);
    ioapic(0, 0xFEC00000, 0);
    CHECK_EQ(madt_parse(table, finish(), &info, &error), 0);
    CHECK_EQ(info.cpu_count, MAX_CPUS);
    CHECK_EQ(info.cpus_ignored, 3);
}

static void lapic_address_override_wins(void)
{
    begin();
    cpu(0, 1);
    ioapic(0, 0xFEC00000, 0);
    uint8_t body[10] = {0};
    uint64_t address = 0x1FEE00000ull;
    memcpy(body + 2, &address, 8);
    entry(5, body, sizeof body);
    CHECK_EQ(madt_parse(table, finish(), &info, &error), 0);
    CHECK_EQ(info.lapic_address, 0x1FEE00000ull);
}

/* Each broken table is rejected with a reason. */
static void broken_tables_are_rejected(void)
{
    begin();
    cpu(0, 1);
    ioapic(0, 0xFEC00000, 0);
    size_t n = finish();
    table[20] ^= 1; /* bad checksum */
    CHECK_EQ(madt_parse(table, n, &info, &error), -1);
    CHECK_STR(error, "MADT checksum is wrong");

    begin();
    cpu(0, 1);
    ioapic(0, 0xFEC00000, 0);
    n = finish();
    CHECK_EQ(madt_parse(table, n - 1, &info, &error), -1); /* length disagrees */
    CHECK_STR(error, "MADT length does not match its header");

    begin();
    cpu(0, 1);
    ioapic(0, 0xFEC00000, 0);
    table[45] = 0xFF; /* the first entry claims to run past the end */
    CHECK_EQ(madt_parse(table, finish(), &info, &error), -1);
    CHECK_STR(error, "MADT entry length is bad");

    begin();
    cpu(0, 1);
    table[45] = 0; /* zero-length entry: would loop forever if accepted */
    CHECK_EQ(madt_parse(table, finish(), &info, &error), -1);

    begin();
    ioapic(0, 0xFEC00000, 0);
    CHECK_EQ(madt_parse(table, finish(), &info, &error), -1);
    CHECK_STR(error, "MADT lists no usable CPU");

    begin();
    cpu(0, 1);
    CHECK_EQ(madt_parse(table, finish(), &info, &error), -1);
    CHECK_STR(error, "MADT lists no I/O APIC");

    CHECK_EQ(madt_parse(table, 10, &info, &error), -1);
    CHECK_STR(error, "MADT shorter than its header");
}

static void random_garbage_never_crashes(void)
{
    unsigned seed = 12345;
    for (int round = 0; round < 2000; round++) {
        begin();
        cpu(0, 1);
        ioapic(0, 0xFEC00000, 0);
        override(0, 2, 0);
        for (int k = 0; k < 4; k++) {
            seed = seed * 1103515245u + 12345u;
            table[44 + (seed >> 8) % (len - 44)] = (uint8_t)(seed >> 16);
        }
        size_t n = finish();
        error = NULL;
        if (madt_parse(table, n, &info, &error) == 0)
            CHECK(info.cpu_count >= 1 && info.cpu_count <= MAX_CPUS);
        else
            CHECK(error != NULL);
    }
}

static const struct unit_case cases[] = {
    UNIT(qemu_two_cpus),
    UNIT(disabled_cpus_are_not_counted),
    UNIT(more_cpus_than_max_are_counted_aside),
    UNIT(lapic_address_override_wins),
    UNIT(broken_tables_are_rejected),
    UNIT(random_garbage_never_crashes),
};
UNIT_MAIN("unit.acpi", cases)
