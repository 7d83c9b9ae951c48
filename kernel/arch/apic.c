/*
 * apic.c - local APIC and I/O APIC (see apic.h).
 *
 * Register numbers are from the Intel SDM vol. 3, chapter "Advanced
 * Programmable Interrupt Controller", and Intel's 82093AA I/O APIC datasheet.
 */
#include "kernel/arch/apic.h"
#include "kernel/arch/acpi.h"
#include "kernel/interrupts.h"
#include "kernel/param.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "mm/pagetable.h"

/* Local APIC registers (byte offsets). */
#define LAPIC_ID 0x020
#define LAPIC_TPR 0x080 /* task priority: 0 accepts every vector */
#define LAPIC_EOI 0x0B0
#define LAPIC_SVR 0x0F0 /* spurious vector; bit 8 enables the APIC */
#define LAPIC_ICR_LOW 0x300
#define LAPIC_ICR_HIGH 0x310 /* destination APIC ID in bits 24-31 */
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3E0

#define SVR_ENABLE (1u << 8)
#define LVT_MASKED (1u << 16)
#define LVT_TIMER_PERIODIC (1u << 17)
#define TIMER_DIVIDE_BY_16 0x3
#define ICR_FIXED (0u << 8)
#define ICR_NMI (4u << 8)
#define ICR_INIT (5u << 8)
#define ICR_STARTUP (6u << 8)
#define ICR_DELIVERY_PENDING (1u << 12)
#define ICR_ASSERT (1u << 14)

/* I/O APIC: an index register and a data window. */
#define IOAPIC_REGSEL 0x00
#define IOAPIC_WINDOW 0x10
#define IOAPIC_VERSION 0x01     /* bits 16-23: number of pins - 1 */
#define IOAPIC_REDIRECTION 0x10 /* pin n: 0x10 + 2n (low word), 0x11 + 2n (high) */
#define REDIRECT_ACTIVE_LOW (1u << 13)
#define REDIRECT_LEVEL (1u << 15)
#define REDIRECT_MASKED (1u << 16)

/* The PIT, for measuring: channel 2 counts down once; port 0x61 gates it and shows its output. */
#define PIT_HZ 1193182
#define PIT_CHANNEL2 0x42
#define PIT_COMMAND 0x43
#define PIT_GATE_PORT 0x61
#define PIT_GATE 0x01
#define PIT_SPEAKER 0x02
#define PIT_OUT2 0x20

bool apic_enabled;
static volatile u32 *lapic;
static volatile u32 *ioapic;
static int ioapic_pins;
static const struct madt_info *madt_copy;
static u32 boot_apic_id;
static u32 lapic_counts_per_tick;
static u64 tsc_per_us;

static u32 lapic_read(u32 reg) { return lapic[reg / 4]; }
static void lapic_write(u32 reg, u32 value) { lapic[reg / 4] = value; }

static u32 ioapic_read(u32 reg)
{
    ioapic[IOAPIC_REGSEL / 4] = reg;
    return ioapic[IOAPIC_WINDOW / 4];
}

static void ioapic_write(u32 reg, u32 value)
{
    ioapic[IOAPIC_REGSEL / 4] = reg;
    ioapic[IOAPIC_WINDOW / 4] = value;
}

u32 apic_this_id(void) { return lapic ? lapic_read(LAPIC_ID) >> 24 : 0; }
void apic_eoi(void) { lapic_write(LAPIC_EOI, 0); }
u64 apic_tsc_per_us(void) { return tsc_per_us; }

void apic_udelay(u64 us)
{
    u64 start = rdtsc();
    while (rdtsc() - start < us * tsc_per_us)
        __asm__ volatile("pause");
}

void apic_init_this_cpu(void)
{
    lapic_write(LAPIC_TPR, 0);
    lapic_write(LAPIC_LVT_LINT0, LVT_MASKED); /* the PIC's wire: masked, the I/O APIC replaces it */
    lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
}

/*
 * Count the local APIC timer (and the TSC) over one tick measured by PIT
 * channel 2 in one-shot mode: its output (port 0x61 bit 5) goes high when
 * the count reaches zero.  Both clocks are then known in PIT time.
 */
static void calibrate(void)
{
    u32 pit_count = PIT_HZ / HZ;
    outb(PIT_GATE_PORT, (inb(PIT_GATE_PORT) & ~PIT_SPEAKER) | PIT_GATE);
    outb(PIT_COMMAND, 0xB0); /* channel 2, low then high byte, mode 0 (count down once) */
    lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
    outb(PIT_CHANNEL2, (u8)pit_count);
    outb(PIT_CHANNEL2, (u8)(pit_count >> 8)); /* counting starts now */
    lapic_write(LAPIC_TIMER_INITIAL, 0xFFFFFFFF);
    u64 tsc_start = rdtsc();
    while (!(inb(PIT_GATE_PORT) & PIT_OUT2))
        __asm__ volatile("pause");
    u32 counted = 0xFFFFFFFF - lapic_read(LAPIC_TIMER_CURRENT);
    u64 tsc_counted = rdtsc() - tsc_start;
    lapic_write(LAPIC_TIMER_INITIAL, 0);
    lapic_counts_per_tick = counted ? counted : 1;
    tsc_per_us = tsc_counted * HZ / 1000000;
    if (tsc_per_us == 0)
        tsc_per_us = 1;
}

void apic_timer_start(void)
{
    lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
    lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | VEC_LAPIC_TIMER);
    lapic_write(LAPIC_TIMER_INITIAL, lapic_counts_per_tick);
}

static void ioapic_set_pin(int pin, u64 entry)
{
    ioapic_write(IOAPIC_REDIRECTION + 2 * pin + 1, (u32)(entry >> 32));
    ioapic_write(IOAPIC_REDIRECTION + 2 * pin, (u32)entry);
}

void apic_unmask_irq(int irq)
{
    /* ISA lines are edge-triggered and active high unless an override says otherwise. */
    u32 gsi = (u32)irq;
    u16 flags = 0;
    for (int i = 0; i < madt_copy->override_count; i++) {
        if (madt_copy->overrides[i].irq == irq) {
            gsi = madt_copy->overrides[i].gsi;
            flags = madt_copy->overrides[i].flags;
        }
    }
    int pin = (int)(gsi - madt_copy->ioapic_gsi_base);
    if (pin < 0 || pin >= ioapic_pins) {
        pr_warn("apic: IRQ %d (GSI %u) is not on the I/O APIC: left masked\n", irq, gsi);
        return;
    }
    u64 entry = (u64)(IRQ_BASE + irq) | ((u64)boot_apic_id << 56); /* fixed, physical */
    if ((flags & MADT_POLARITY_MASK) == MADT_POLARITY_LOW)
        entry |= REDIRECT_ACTIVE_LOW;
    if ((flags & MADT_TRIGGER_MASK) == MADT_TRIGGER_LEVEL)
        entry |= REDIRECT_LEVEL;
    ioapic_set_pin(pin, entry);
}

static void mask_8259s(void)
{
    pic_init(); /* moved off the exception vectors first, in case one still fires */
    outb(0x21, 0xFF);
    outb(0xA1, 0xFF);
}

void apic_init(const struct madt_info *madt)
{
    madt_copy = madt;
    lapic = pagetable_map_physical(madt->lapic_address, 4096, true);
    ioapic = pagetable_map_physical(madt->ioapic_address, 4096, true);
    ioapic_pins = (int)((ioapic_read(IOAPIC_VERSION) >> 16) & 0xFF) + 1;
    for (int pin = 0; pin < ioapic_pins; pin++)
        ioapic_set_pin(pin, REDIRECT_MASKED);
    mask_8259s();
    boot_apic_id = apic_this_id();
    apic_init_this_cpu();
    calibrate();
    apic_enabled = true;
    pr_info("apic: local APIC %u enabled, timer %u counts a tick; I/O APIC with %d pins; 8259 "
            "PIC masked; TSC %lu MHz\n",
            boot_apic_id, lapic_counts_per_tick, ioapic_pins, tsc_per_us);
}

static void wait_for_delivery(void)
{
    for (int spins = 0; spins < 1000000 && (lapic_read(LAPIC_ICR_LOW) & ICR_DELIVERY_PENDING);
         spins++)
        __asm__ volatile("pause");
}

static void send_icr(u32 apic_id, u32 command)
{
    bool irq = irq_save(); /* the two writes belong together */
    wait_for_delivery();
    lapic_write(LAPIC_ICR_HIGH, apic_id << 24);
    lapic_write(LAPIC_ICR_LOW, command);
    wait_for_delivery();
    irq_restore(irq);
}

void apic_send_ipi(u32 apic_id, u8 vector) { send_icr(apic_id, ICR_FIXED | ICR_ASSERT | vector); }
void apic_send_nmi(u32 apic_id) { send_icr(apic_id, ICR_NMI | ICR_ASSERT); }

void apic_start_cpu(u32 apic_id, u32 page)
{
    /* The universal start-up algorithm (Intel SDM vol. 3, "MP Initialization"):
     * INIT resets the CPU into a wait; each STARTUP makes it run in real mode
     * at page * 4096.  The second STARTUP is for CPUs that missed the first. */
    send_icr(apic_id, ICR_INIT | ICR_ASSERT);
    apic_udelay(10000);
    for (int i = 0; i < 2; i++) {
        send_icr(apic_id, ICR_STARTUP | ICR_ASSERT | page);
        apic_udelay(200);
    }
}
