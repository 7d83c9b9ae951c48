/* cpu.c - per-CPU data through GS and the CPU's protection features (see cpu.h). */
#include "kernel/cpu.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "mm/pagetable.h"

struct cpu_local cpu_local;
struct cpu_protections cpu_protections;
u8 cpu_smap_enabled;

/* CPUID leaf 7 (structured extended features), subleaf 0. */
#define CPUID7_EBX_SMEP (1u << 7)
#define CPUID7_EBX_SMAP (1u << 20)
#define CPUID7_ECX_UMIP (1u << 2)

static void enable_protections(void)
{
    u32 max_leaf, b, c, d;
    cpuid(0, 0, &max_leaf, &b, &c, &d);
    u32 features_b = 0, features_c = 0;
    if (max_leaf >= 7) {
        u32 a;
        cpuid(7, 0, &a, &features_b, &features_c, &d);
    }
    u64 cr4 = read_cr4();
    if (features_b & CPUID7_EBX_SMEP)
        cr4 |= CR4_SMEP;
    if (features_b & CPUID7_EBX_SMAP)
        cr4 |= CR4_SMAP;
    if (features_c & CPUID7_ECX_UMIP)
        cr4 |= CR4_UMIP;
    /* The kernel runs with AC clear (SMAP enforced); the copy routines open it. */
    __asm__ volatile("pushfq; andq %0, (%%rsp); popfq" ::"i"(~RFLAGS_AC) : "memory", "cc");
    write_cr4(cr4);

    cpu_protections.nx = pte_nx != 0;
    cpu_protections.smep = cr4 & CR4_SMEP;
    cpu_protections.smap = cr4 & CR4_SMAP;
    cpu_protections.umip = cr4 & CR4_UMIP;
    cpu_smap_enabled = cpu_protections.smap;

    const struct cpu_protections *on = &cpu_protections;
    pr_info("CPU: protections:%s%s%s%s%s\n", on->nx ? " NX" : "", on->smep ? " SMEP" : "",
            on->smap ? " SMAP" : "", on->umip ? " UMIP" : "",
            on->nx && on->smep && on->smap && on->umip ? ""
                                                       : " (the others are missing on this CPU)");
}

void cpu_init(void)
{
    /* In the kernel GS points at cpu_local; `swapgs` on the way to user mode
     * parks that in KERNEL_GS_BASE and restores the user's (zero). */
    wrmsr(MSR_GS_BASE, (u64)&cpu_local);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
    enable_protections();
}
