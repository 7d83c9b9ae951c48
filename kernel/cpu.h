/*
 * cpu.h - per-CPU data, reached through the GS segment base.
 *
 * `syscall` does not switch stacks: the entry code (kernel/syscall_entry.asm)
 * finds the kernel stack of the running process here, at %gs:0, after
 * `swapgs` has exchanged the user's GS base for this structure's address.
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

/* Point GS at cpu_local (MSR_GS_BASE); the user's GS base, 0, waits in
 * MSR_KERNEL_GS_BASE for the first swapgs.  The `syscall` MSRs (STAR, LSTAR,
 * FMASK) are programmed by syscall_init() in kernel/syscall.c. */
void cpu_init(void);

#endif
