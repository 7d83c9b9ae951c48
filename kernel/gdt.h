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
#define GDT_ENTRIES 7      /* null, 4 segments, the TSS's 16-byte descriptor */

struct tss {
    u32 reserved0;
    u64 rsp[3]; /* rsp[0]: stack for entering ring 0 from ring 3 */
    u64 reserved1;
    u64 ist[7]; /* interrupt stack table: ist[0] is "IST 1" */
    u64 reserved2;
    u16 reserved3;
    u16 iomap_base; /* beyond the TSS limit: no I/O permission bitmap */
} PACKED;
/* The CPU reads the TSS by these offsets (Intel SDM vol. 3, "Task Management in 64-bit Mode"). */
STATIC_ASSERT_OFFSET(struct tss, rsp, 4);
STATIC_ASSERT_OFFSET(struct tss, ist, 36);
STATIC_ASSERT_OFFSET(struct tss, iomap_base, 102);
_Static_assert(sizeof(struct tss) == 104, "struct tss: the 64-bit TSS is 104 bytes");

struct cpu;
/* Load the boot CPU's GDT and TSS (cpus[0]); the first thing kmain does. */
void gdt_init(void);
/* Load `cpu`'s own GDT and TSS on the CPU running this: every CPU needs its
 * own TSS (its own rsp0 and double-fault stack), so each has its own GDT. */
void gdt_init_cpu(struct cpu *cpu);
/* Set the stack this CPU loads when entering the kernel from user mode. */
void tss_set_kernel_stack(u64 rsp0);
u64 tss_get_kernel_stack(void);

#endif
