/* cpuinfo.c - /proc/cpuinfo and /proc/interrupts (see cpuinfo.h). */
#include "kernel/arch/cpuinfo.h"
#include "kernel/arch/apic.h"
#include "kernel/cpu.h"
#include "kernel/interrupts.h"
#include "kernel/lib/format.h"
#include "kernel/lib/textbuf.h"
#include "kernel/timer.h"

enum { EDX1, ECX1, EXT_EDX, EXT_ECX, L7_EBX, L7_ECX };

/* A few well-known CPUID feature bits, in the order Linux prints them. */
static const struct {
    u8 reg, bit;
    const char *name;
} flag_names[] = {
    {EDX1, 0, "fpu"},        {EDX1, 3, "pse"},         {EDX1, 4, "tsc"},
    {EDX1, 5, "msr"},        {EDX1, 6, "pae"},         {EDX1, 8, "cx8"},
    {EDX1, 9, "apic"},       {EDX1, 11, "sep"},        {EDX1, 13, "pge"},
    {EDX1, 15, "cmov"},      {EDX1, 16, "pat"},        {EDX1, 19, "clflush"},
    {EDX1, 23, "mmx"},       {EDX1, 24, "fxsr"},       {EDX1, 25, "sse"},
    {EDX1, 26, "sse2"},      {EXT_EDX, 11, "syscall"}, {EXT_EDX, 20, "nx"},
    {EXT_EDX, 27, "rdtscp"}, {EXT_EDX, 29, "lm"},      {ECX1, 0, "pni"},
    {ECX1, 9, "ssse3"},      {ECX1, 13, "cx16"},       {ECX1, 19, "sse4_1"},
    {ECX1, 20, "sse4_2"},    {ECX1, 21, "x2apic"},     {ECX1, 23, "popcnt"},
    {ECX1, 26, "xsave"},     {ECX1, 31, "hypervisor"}, {EXT_ECX, 0, "lahf_lm"},
    {L7_EBX, 7, "smep"},     {L7_EBX, 20, "smap"},     {L7_ECX, 2, "umip"},
};

static u32 feature_word(const struct cpu *cpu, int reg)
{
    switch (reg) {
    case EDX1:
        return cpu->features_edx;
    case ECX1:
        return cpu->features_ecx;
    case EXT_EDX:
        return cpu->ext_features_edx;
    case EXT_ECX:
        return cpu->ext_features_ecx;
    case L7_EBX:
        return cpu->leaf7_ebx;
    default:
        return cpu->leaf7_ecx;
    }
}

void cpuinfo_show(struct textbuf *out)
{
    u64 khz = timer_tsc_khz();
    for (int i = 0; i < cpu_count; i++) {
        const struct cpu *cpu = &cpus[i];
        if (!cpu->online)
            continue;
        textbuf_printf(out, "processor\t: %d\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n",
                       i, cpu->vendor, cpu->family, cpu->model);
        textbuf_printf(out, "model name\t: %s\nstepping\t: %u\ncpu MHz\t\t: %lu.%03lu\n",
                       cpu->model_name, cpu->stepping, khz / 1000, khz % 1000);
        /* One package, one core per CPU, as QEMU's -smp N presents them. */
        textbuf_printf(out, "physical id\t: 0\nsiblings\t: %d\ncore id\t\t: %d\ncpu cores\t: %d\n",
                       cpu_count, i, cpu_count);
        textbuf_printf(out, "apicid\t\t: %u\ninitial apicid\t: %u\n", cpu->apic_id, cpu->apic_id);
        textbuf_printf(out, "fpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: %u\nwp\t\t: yes\n",
                       cpu->cpuid_level);
        textbuf_printf(out, "flags\t\t:");
        for (size_t f = 0; f < ARRAY_SIZE(flag_names); f++)
            if (feature_word(cpu, flag_names[f].reg) & (1u << flag_names[f].bit))
                textbuf_printf(out, " %s", flag_names[f].name);
        textbuf_printf(out, "\nbogomips\t: %lu.%02lu\nclflush size\t: 64\ncache_alignment\t: 64\n",
                       2 * khz / 1000, (2 * khz / 10) % 100);
        textbuf_printf(out, "address sizes\t: 40 bits physical, 48 bits virtual\npower "
                            "management:\n\n");
    }
}

static void counts_row(struct textbuf *out, const char *label, const volatile u64 *first,
                       size_t stride, const char *what)
{
    textbuf_printf(out, "%4s:", label);
    for (int i = 0; i < cpu_count; i++)
        if (cpus[i].online)
            textbuf_printf(out, " %10lu",
                           *(const volatile u64 *)((const char *)first + i * stride));
    textbuf_printf(out, "   %s\n", what);
}

void interrupts_show(struct textbuf *out)
{
    textbuf_printf(out, "     "); /* the header: CPU0 CPU1 ... over the columns */
    for (int i = 0; i < cpu_count; i++) {
        char name[16];
        snprintf(name, sizeof name, "CPU%d", i);
        if (cpus[i].online)
            textbuf_printf(out, " %10s", name);
    }
    textbuf_printf(out, "\n");
    for (int irq = 0; irq < NR_IRQS; irq++) {
        bool any = false;
        for (int i = 0; i < cpu_count; i++)
            any |= cpus[i].irqs[irq] != 0;
        if (!any)
            continue;
        char label[8];
        snprintf(label, sizeof label, "%d", irq);
        counts_row(out, label, &cpus[0].irqs[irq], sizeof(struct cpu),
                   apic_enabled ? "IO-APIC" : "XT-PIC");
    }
    if (apic_enabled) {
        counts_row(out, "LOC", &cpus[0].ticks, sizeof(struct cpu), "Local timer interrupts");
        counts_row(out, "RES", &cpus[0].ipis_received, sizeof(struct cpu),
                   "Rescheduling interrupts");
    }
}
