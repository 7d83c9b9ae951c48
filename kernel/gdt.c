/* gdt.c - the global descriptor table and the task-state segment. */
#include "kernel/gdt.h"
#include "kernel/lib/string.h"

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

static struct tss tss;
static u8 double_fault_stack[8192] __attribute__((aligned(16)));

/*
 * Access byte: present(0x80) | DPL<<5 | code/data(0x10) | type.
 * Flags nibble: 0xA = granularity + long mode (code), 0xC = granularity + 32-bit (data).
 */
#define SEGMENT(access, flags)                                                                     \
    (0xFFFFull | ((u64)(access) << 40) | ((u64)(flags) << 52) | (0xFull << 48))

static u64 gdt[7] = {
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

void gdt_init(void)
{
    memset(&tss, 0, sizeof tss);
    tss.ist[IST_DOUBLE_FAULT - 1] = (u64)(double_fault_stack + sizeof double_fault_stack);
    tss.iomap_base = sizeof tss;

    u64 base = (u64)&tss;
    u64 limit = sizeof tss - 1;
    gdt[5] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) |
             (0x89ull << 40) /* present, 64-bit TSS */
             | (((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
    gdt[6] = base >> 32;

    struct descriptor_pointer pointer = {sizeof gdt - 1, (u64)gdt};
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

void tss_set_kernel_stack(u64 rsp0) { tss.rsp[0] = rsp0; }
u64 tss_get_kernel_stack(void) { return tss.rsp[0]; }
