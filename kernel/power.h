/* power.h - leaving the machine: power off, or exit QEMU with a status. */
#ifndef KERNEL_POWER_H
#define KERNEL_POWER_H

#include "kernel/types.h"

/* Status codes written to QEMU's isa-debug-exit: QEMU exits with 2*code+1. */
#define QEMU_EXIT_PANIC 1 /* QEMU exit status 3 */

/* ACPI soft-off (QEMU exits with status 0); halts forever if that fails. */
NORETURN void power_off(void);
/* Write `code` to isa-debug-exit; if the device is absent, halt forever. */
NORETURN void qemu_exit(u32 code);

#endif
