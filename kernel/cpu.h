/*
 * cpu.h - per-CPU data, reached through the GS segment base, and the CPU's
 * protection features.
 *
 * `syscall` does not switch stacks: the entry code (kernel/syscall_entry.asm)
 * finds the kernel stack of the running process here, at %gs:0, after
 * `swapgs` has exchanged the user's GS base for this structure's address.
 *
 * Protections (each turned on only if CPUID reports it, so sprout still
 * boots on an older CPU):
 *   NX    pages without execute permission (user data and stacks, kernel data)
 *   SMEP  the kernel may not execute user pages      (CR4 bit 20)
 *   SMAP  the kernel may not read or write user pages, except between
 *         `stac` and `clac` in the user-copy routine  (CR4 bit 21)
 *   UMIP  user mode may not run sgdt/sidt/sldt/smsw/str (CR4 bit 11)
 */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include "kernel/types.h"

struct cpu_local {
    u64 syscall_kernel_rsp; /* %gs:0  top of the running process's kernel stack */
    u64 syscall_user_rsp;   /* %gs:8  scratch: the user's rsp during entry */
};
/* kernel/syscall_entry.asm uses these offsets (CPU_LOCAL_* in kernel/asm_constants.inc). */
STATIC_ASSERT_OFFSET(struct cpu_local, syscall_kernel_rsp, 0);
STATIC_ASSERT_OFFSET(struct cpu_local, syscall_user_rsp, 8);

extern struct cpu_local cpu_local;

#define CR4_UMIP (1ul << 11)
#define CR4_SMEP (1ul << 20)
#define CR4_SMAP (1ul << 21)

/* Which protections are on (set once by cpu_init, read by the fault handler and tests). */
struct cpu_protections {
    bool nx, smep, smap, umip;
};
extern struct cpu_protections cpu_protections;

/*
 * 1 when SMAP is on.  The assembly routines that must clear or set RFLAGS.AC
 * (kernel/smap.inc) test this byte first: `stac`/`clac` are invalid
 * instructions on a CPU without SMAP.
 */
extern u8 cpu_smap_enabled;

/* Point GS at cpu_local (MSR_GS_BASE; the user's GS base, 0, waits in
 * MSR_KERNEL_GS_BASE for the first swapgs) and turn on SMEP, SMAP and UMIP
 * where the CPU has them.  The `syscall` MSRs (STAR, LSTAR, FMASK) are
 * programmed by syscall_init() in kernel/syscall.c. */
void cpu_init(void);

#endif
