/* power.c - how sprout stops. */
#include "kernel/power.h"
#include "kernel/arch/acpi.h"
#include "kernel/x86.h"

#define ISA_DEBUG_EXIT_PORT 0xF4

static NORETURN void halt_forever(void)
{
    for (;;) {
        cli();
        hlt();
    }
}

void qemu_exit(u32 code)
{
    outl(ISA_DEBUG_EXIT_PORT, code);
    halt_forever();
}

void power_off(void)
{
    cli();
    /* ACPI PM1a control: SLP_EN with sleep type 0, which QEMU's firmware
     * tables define as S5 (soft off).  0x604 on QEMU's i440fx/PIIX4 machine,
     * 0xB004 on Bochs and old QEMU. */
    if (acpi_rsdp_found) {
        outw(0x604, 0x2000);
        outw(0xB004, 0x2000);
    } else {
        /* No ACPI (QEMU -machine acpi=off): no soft-off either.  Leave
         * through isa-debug-exit instead: QEMU exits with status 1. */
        outl(ISA_DEBUG_EXIT_PORT, 0);
    }
    halt_forever();
}
