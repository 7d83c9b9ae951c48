/*
 * gdt.h - segments and the TSS.
 *
 * In 64-bit mode segments barely matter, but the CPU still needs:
 *   - code/data descriptors for ring 0 and ring 3 (the privilege levels);
 *   - a TSS, whose rsp0 is the stack the CPU switches to when an interrupt
 *     arrives in user mode, and whose IST slots give the double-fault handler
 *     a known-good stack.
 * The order of the user descriptors is fixed by `sysret` (see kernel/syscall.c).
 */
#ifndef KERNEL_GDT_H
#define KERNEL_GDT_H

#include "kernel/types.h"

#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_USER_DATA (0x18 | 3) /* selector with requested privilege level 3 */
#define GDT_USER_CODE (0x20 | 3)
#define GDT_TSS 0x28

#define IST_DOUBLE_FAULT 1 /* interrupt stack table slot used by #DF */

void gdt_init(void);
/* Set the stack the CPU loads when entering the kernel from user mode. */
void tss_set_kernel_stack(u64 rsp0);
u64 tss_get_kernel_stack(void);

#endif
