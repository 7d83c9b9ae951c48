/* cpu.c - per-CPU data through GS and the CPU's protection features (see cpu.h). */
#include "kernel/cpu.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "mm/pagetable.h"

struct cpu cpus[MAX_CPUS];
int cpu_count = 1;
struct cpu_protections cpu_protections;
u8 cpu_smap_enabled;

/* CPUID leaf 7 (structured extended features), subleaf 0. */
#define CPUID7_EBX_SMEP (1u << 7)
#define CPUID7_EBX_SMAP (1u << 20)
#define CPUID7_ECX_UMIP (1u << 2)

/* Turn on what this CPU has; the boot CPU's choice is what every CPU must match. */
static u64 protection_bits(void)
{
    u32 max_leaf, b, c, d;
    cpuid(0, 0, &max_leaf, &b, &c, &d);
    u32 features_b = 0, features_c = 0;
    if (max_leaf >= 7) {
        u32 a;
        cpuid(7, 0, &a, &features_b, &features_c, &d);
    }
    u64 bits = 0;
    if (features_b & CPUID7_EBX_SMEP)
        bits |= CR4_SMEP;
    if (features_b & CPUID7_EBX_SMAP)
        bits |= CR4_SMAP;
    if (features_c & CPUID7_ECX_UMIP)
        bits |= CR4_UMIP;
    return bits;
}

static void enable_protections(u64 bits)
{
    /* The kernel runs with AC clear (SMAP enforced); the copy routines open it. */
    __asm__ volatile("pushfq; andq %0, (%%rsp); popfq" ::"i"(~RFLAGS_AC) : "memory", "cc");
    write_cr4(read_cr4() | bits);
}

/* Vendor, family/model/stepping and the brand string, for /proc/cpuinfo. */
static void identify(struct cpu *cpu)
{
    u32 a, b, c, d;
    cpuid(0, 0, &a, &b, &c, &d);
    cpu->cpuid_level = a;
    memcpy(cpu->vendor + 0, &b, 4);
    memcpy(cpu->vendor + 4, &d, 4);
    memcpy(cpu->vendor + 8, &c, 4);
    cpu->vendor[12] = '\0';
    if (cpu->cpuid_level >= 7)
        cpuid(7, 0, &a, &cpu->leaf7_ebx, &cpu->leaf7_ecx, &d);
    cpuid(1, 0, &a, &b, &cpu->features_ecx, &cpu->features_edx);
    cpu->stepping = a & 0xF;
    cpu->model = (a >> 4) & 0xF;
    cpu->family = (a >> 8) & 0xF;
    if (cpu->family == 0xF)
        cpu->family += (a >> 20) & 0xFF;
    if (cpu->family == 0x6 || cpu->family >= 0xF)
        cpu->model += ((a >> 16) & 0xF) << 4;
    strlcpy(cpu->model_name, "unknown", sizeof cpu->model_name);
    cpuid(0x80000000, 0, &a, &b, &c, &d);
    if (a >= 0x80000001)
        cpuid(0x80000001, 0, &a, &b, &cpu->ext_features_ecx, &cpu->ext_features_edx);
    cpuid(0x80000000, 0, &a, &b, &c, &d);
    if (a >= 0x80000004) {
        u32 *brand = (u32 *)cpu->model_name;
        for (u32 leaf = 0; leaf < 3; leaf++)
            cpuid(0x80000002 + leaf, 0, &brand[leaf * 4], &brand[leaf * 4 + 1],
                  &brand[leaf * 4 + 2], &brand[leaf * 4 + 3]);
        cpu->model_name[48] = '\0';
    }
}

bool cpu_gs_ready;

/* GS base -> this CPU's struct cpu; the user's GS base (0) waits in KERNEL_GS_BASE. */
static void set_gs(struct cpu *cpu)
{
    cpu->self = cpu;
    wrmsr(MSR_GS_BASE, (u64)cpu);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
    cpu_gs_ready = true;
}

void cpu_init(void)
{
    struct cpu *cpu = &cpus[0];
    set_gs(cpu);
    cpu->present = true;
    cpu->online = true;
    identify(cpu);
    u64 bits = protection_bits();
    enable_protections(bits);

    u64 cr4 = read_cr4();
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

void cpu_init_ap(struct cpu *cpu)
{
    set_gs(cpu);
    identify(cpu);
    /* The same protections as the boot CPU: code checks cpu_protections, not each CPU. */
    u64 want = (cpu_protections.smep ? CR4_SMEP : 0) | (cpu_protections.smap ? CR4_SMAP : 0) |
               (cpu_protections.umip ? CR4_UMIP : 0);
    enable_protections(want & protection_bits());
}
