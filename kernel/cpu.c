/* cpu.c - per-CPU data through GS (see cpu.h). */
#include "kernel/cpu.h"
#include "kernel/x86.h"

struct cpu_local cpu_local;

void cpu_init(void)
{
    /* In the kernel GS points at cpu_local; `swapgs` on the way to user mode
     * parks that in KERNEL_GS_BASE and restores the user's (zero). */
    wrmsr(MSR_GS_BASE, (u64)&cpu_local);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
}
