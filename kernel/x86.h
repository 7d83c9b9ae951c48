/* x86.h - thin wrappers around single x86-64 instructions. */
#ifndef KERNEL_X86_H
#define KERNEL_X86_H

#include "kernel/types.h"

static inline void outb(u16 port, u8 value)
{
    __asm__ volatile("outb %0, %1" ::"a"(value), "Nd"(port));
}
static inline void outw(u16 port, u16 value)
{
    __asm__ volatile("outw %0, %1" ::"a"(value), "Nd"(port));
}
static inline void outl(u16 port, u32 value)
{
    __asm__ volatile("outl %0, %1" ::"a"(value), "Nd"(port));
}
static inline u8 inb(u16 port)
{
    u8 value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}
static inline u32 inl(u16 port)
{
    u32 value;
    __asm__ volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}
/* A write to an unused port: a ~1 microsecond delay for slow devices (PIC). */
static inline void io_wait(void) { outb(0x80, 0); }

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }
/* Enable interrupts and halt in one step, so a wakeup cannot slip in between. */
static inline void sti_hlt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }

#define RFLAGS_IF (1ul << 9)  /* interrupt enable */
#define RFLAGS_TF (1ul << 8)  /* single step */
#define RFLAGS_DF (1ul << 10) /* string direction */
#define RFLAGS_RF (1ul << 16) /* resume: no debug fault on the next instruction */
#define RFLAGS_AC (1ul << 18) /* alignment check / SMAP override */

static inline u64 read_rflags(void)
{
    u64 flags;
    __asm__ volatile("pushfq; popq %0" : "=r"(flags));
    return flags;
}
static inline bool interrupts_enabled(void) { return read_rflags() & RFLAGS_IF; }

/* Disable interrupts and return whether they were on; pair with irq_restore(). */
static inline bool irq_save(void)
{
    bool was_enabled = interrupts_enabled();
    cli();
    return was_enabled;
}
static inline void irq_restore(bool was_enabled)
{
    if (was_enabled)
        sti();
}

static inline u64 read_cr0(void)
{
    u64 v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}
static inline u64 read_cr2(void)
{
    u64 v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}
static inline u64 read_cr3(void)
{
    u64 v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}
static inline u64 read_cr4(void)
{
    u64 v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}
static inline void write_cr3(u64 v) { __asm__ volatile("mov %0, %%cr3" ::"r"(v) : "memory"); }
static inline void write_cr4(u64 v) { __asm__ volatile("mov %0, %%cr4" ::"r"(v) : "memory"); }
static inline u64 read_rbp(void)
{
    u64 v;
    __asm__ volatile("mov %%rbp, %0" : "=r"(v));
    return v;
}
static inline u64 read_rsp(void)
{
    u64 v;
    __asm__ volatile("mov %%rsp, %0" : "=r"(v));
    return v;
}

static inline void invlpg(u64 address)
{
    __asm__ volatile("invlpg (%0)" ::"r"(address) : "memory");
}

#define MSR_EFER 0xC0000080
#define MSR_STAR 0xC0000081
#define MSR_LSTAR 0xC0000082
#define MSR_FMASK 0xC0000084
#define MSR_FS_BASE 0xC0000100
#define MSR_GS_BASE 0xC0000101
#define MSR_KERNEL_GS_BASE 0xC0000102
#define EFER_SCE (1u << 0) /* syscall/sysret enable */
#define EFER_LME (1u << 8) /* long mode enable */
#define EFER_NXE (1u << 11)

static inline u64 rdmsr(u32 msr)
{
    u32 lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((u64)hi << 32) | lo;
}
static inline void wrmsr(u32 msr, u64 value)
{
    __asm__ volatile("wrmsr" ::"c"(msr), "a"((u32)value), "d"((u32)(value >> 32)));
}

static inline u64 rdtsc(void)
{
    u32 lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((u64)hi << 32) | lo;
}

static inline void cpuid(u32 leaf, u32 subleaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(subleaf));
}

#endif
