/*
 * apic.h - the local APIC (one per CPU) and the I/O APIC (one per machine),
 * which replace the two 8259 PICs when ACPI describes them.
 *
 *   device ---IRQ line---> I/O APIC ---message---> local APIC of CPU n ---> CPU n
 *   (serial, keyboard,     redirection table:       timer, IPIs from other
 *    disk, network card)   pin -> vector, CPU,      CPUs, end-of-interrupt
 *                          edge/level, polarity
 *
 * The local APIC's registers are memory (4 KiB at 0xFEE00000 on every CPU:
 * each CPU sees its own).  Each CPU's local APIC has a timer, which sprout
 * runs at HZ ticks a second after measuring its speed against the PIT, and
 * an interrupt command register (ICR) to send inter-processor interrupts.
 *
 * Vectors: device IRQ n keeps vector IRQ_BASE + n as with the PIC (so
 * drivers and irq_register do not change); the local APIC's own
 * interrupts sit at the top, above every device (kernel/interrupts.h).
 */
#ifndef KERNEL_ARCH_APIC_H
#define KERNEL_ARCH_APIC_H

#include "kernel/types.h"

struct madt_info;
struct trap_frame;

/* True once apic_init has masked the PIC: IRQs come through the I/O APIC. */
extern bool apic_enabled;

/*
 * On the boot CPU, interrupts off: map the local and I/O APIC, mask the
 * 8259s, enable this CPU's local APIC, mask every I/O APIC pin, and measure
 * the local APIC timer and the TSC against the PIT.  Device lines are
 * unmasked later, one by one, by irq_register() (apic_unmask_irq).
 */
void apic_init(const struct madt_info *madt);
/* Enable the local APIC of the CPU running this (an AP, during bring-up). */
void apic_init_this_cpu(void);
/* Start this CPU's local APIC timer: HZ interrupts a second on VEC_LAPIC_TIMER. */
void apic_timer_start(void);

/* Route ISA IRQ `irq` (0-15) to vector IRQ_BASE + irq on the boot CPU,
 * honouring the MADT's overrides, and unmask it. */
void apic_unmask_irq(int irq);
/* Tell this CPU's local APIC the interrupt being handled is done. */
void apic_eoi(void);
/* This CPU's local APIC ID (read from the APIC, not from GS: safe anywhere). */
u32 apic_this_id(void);

/* Send an IPI with `vector` (fixed delivery) to the CPU with `apic_id`. */
void apic_send_ipi(u32 apic_id, u8 vector);
/* Send a non-maskable interrupt to `apic_id` (reaches a CPU with interrupts off). */
void apic_send_nmi(u32 apic_id);
/* INIT, then two STARTUPs at `page` (the trampoline's physical address / 4096). */
void apic_start_cpu(u32 apic_id, u32 page);

/* Busy-wait `us` microseconds (TSC, measured by apic_init). */
void apic_udelay(u64 us);
/* TSC ticks a microsecond (0 before apic_init) and local APIC timer counts a tick. */
u64 apic_tsc_per_us(void);

#endif
