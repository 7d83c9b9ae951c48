/* gdt.c - the global descriptor table and the task-state segment, one of each per CPU. */
#include "kernel/gdt.h"
#include "kernel/cpu.h"
#include "kernel/lib/string.h"

/*
 * Access byte: present(0x80) | DPL<<5 | code/data(0x10) | type.
 * Flags nibble: 0xA = granularity + long mode (code), 0xC = granularity + 32-bit (data).
 */
#define SEGMENT(access, flags)                                                                     \
    (0xFFFFull | ((u64)(access) << 40) | ((u64)(flags) << 52) | (0xFull << 48))

static const u64 gdt_template[GDT_ENTRIES] = {
    0,
    SEGMENT(0x9A, 0xA), /* 0x08 kernel code: present, ring 0, execute/read */
    SEGMENT(0x92, 0xC), /* 0x10 kernel data: present, ring 0, read/write  */
    SEGMENT(0xF2, 0xC), /* 0x18 user data:   present, ring 3, read/write  */
    SEGMENT(0xFA, 0xA), /* 0x20 user code:   present, ring 3, execute/read */
    0,
    0, /* 0x28 TSS: a 16-byte system descriptor, filled in below */
};

struct descriptor_pointer {
    u16 limit;
    u64 base;
} PACKED;

void gdt_init_cpu(struct cpu *cpu)
{
    struct tss *tss = &cpu->tss;
    memset(tss, 0, sizeof *tss);
    tss->ist[IST_DOUBLE_FAULT - 1] =
        (u64)(cpu->double_fault_stack + sizeof cpu->double_fault_stack);
    tss->iomap_base = sizeof *tss;

    u64 *gdt = cpu->gdt;
    memcpy(gdt, gdt_template, sizeof gdt_template);
    u64 base = (u64)tss;
    u64 limit = sizeof *tss - 1;
    gdt[5] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) |
             (0x89ull << 40) /* present, 64-bit TSS (available) */
             | (((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
    gdt[6] = base >> 32;

    struct descriptor_pointer pointer = {sizeof cpu->gdt - 1, (u64)gdt};
    __asm__ volatile("lgdt %0\n\t"
                     /* reload CS with a far return, then the data segments */
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movw %w2, %%ax\n\t"
                     "movw %%ax, %%ds\n\t"
                     "movw %%ax, %%es\n\t"
                     "movw %%ax, %%ss\n\t"
                     "ltr %w3\n\t"
                     :
                     : "m"(pointer), "i"(GDT_KERNEL_CODE), "i"(GDT_KERNEL_DATA), "r"((u16)GDT_TSS)
                     : "rax", "memory");
}

void gdt_init(void) { gdt_init_cpu(&cpus[0]); }

void tss_set_kernel_stack(u64 rsp0) { this_cpu()->tss.rsp[0] = rsp0; }
u64 tss_get_kernel_stack(void) { return this_cpu()->tss.rsp[0]; }
