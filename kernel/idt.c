/* idt.c - the interrupt descriptor table: vector -> stub in trap_entry.asm. */
#include "kernel/gdt.h"
#include "kernel/interrupts.h"

struct idt_gate {
    u16 offset_low;
    u16 selector;
    u8 ist;   /* 0: stay on the current stack (or rsp0 from user mode) */
    u8 flags; /* present | DPL | type (0xE: interrupt gate, IF cleared on entry) */
    u16 offset_mid;
    u32 offset_high;
    u32 reserved;
} PACKED;

static struct idt_gate idt[256];
extern const u64 trap_stubs[256];

static void set_gate(int vector, u64 handler, int dpl, int ist)
{
    idt[vector] = (struct idt_gate){
        .offset_low = (u16)handler,
        .selector = GDT_KERNEL_CODE,
        .ist = (u8)ist,
        .flags = (u8)(0x80 | (dpl << 5) | 0xE),
        .offset_mid = (u16)(handler >> 16),
        .offset_high = (u32)(handler >> 32),
    };
}

void idt_init(void)
{
    for (int v = 0; v < 256; v++)
        set_gate(v, trap_stubs[v], 0, 0);
    /* `int3` and `into` may be used from user mode (debuggers, SIGTRAP). */
    set_gate(VEC_BREAKPOINT, trap_stubs[VEC_BREAKPOINT], 3, 0);
    set_gate(VEC_OVERFLOW, trap_stubs[VEC_OVERFLOW], 3, 0);
    /* A double fault often means a blown stack: give it a fresh one. */
    set_gate(VEC_DOUBLE_FAULT, trap_stubs[VEC_DOUBLE_FAULT], 0, IST_DOUBLE_FAULT);

    idt_load();
}

void idt_load(void)
{
    struct {
        u16 limit;
        u64 base;
    } PACKED pointer = {sizeof idt - 1, (u64)idt};
    __asm__ volatile("lidt %0" ::"m"(pointer));
}
