/*
 * interrupts.h - the trap frame and how interrupts reach C.
 *
 * Every way into the kernel (exception, hardware interrupt, system call)
 * leaves the same structure on the kernel stack: the user's registers.  It is
 * what the process returns to, what fork copies, what signal delivery edits
 * and what ptrace shows.  The general registers and orig_rax (the first 16
 * fields) are in the order of Linux's `struct pt_regs`; then come vector and
 * error_code, which pt_regs does not have, and the CPU's frame.  So
 * PTRACE_GETREGS copies field by field into Linux's user_regs_struct
 * (proc/ptrace.c), which also adds fs_base and the segment registers.
 *
 *     high  +------------+
 *           | ss         |  pushed by the CPU (always, in 64-bit mode)
 *           | rsp        |
 *           | rflags     |
 *           | cs         |
 *           | rip        |
 *           | error_code |  pushed by the CPU for some exceptions, else by the stub
 *           | vector     |  pushed by the stub (kernel/trap_entry.asm)
 *           | orig_rax   |  system call number; -1 for interrupts
 *           | rdi ... r15|  pushed by trap_common / syscall_entry
 *     low   +------------+  <- struct trap_frame *
 */
#ifndef KERNEL_INTERRUPTS_H
#define KERNEL_INTERRUPTS_H

#include "kernel/types.h"

struct trap_frame {
    u64 r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    u64 rax, rcx, rdx, rsi, rdi;
    u64 orig_rax;                 /* 0x78: the system call number (rax at entry), or -1 */
    u64 vector;                   /* 0x80 */
    u64 error_code;               /* 0x88 */
    u64 rip, cs, rflags, rsp, ss; /* 0x90..0xb0: the CPU's interrupt frame */
};

/* The layout is the push order in kernel/trap_frame.inc; the assembly reads
 * these fields by the offsets in kernel/asm_constants.inc (TRAP_FRAME_*). */
STATIC_ASSERT_OFFSET(struct trap_frame, r15, 0x00);
STATIC_ASSERT_OFFSET(struct trap_frame, rbp, 0x20);
STATIC_ASSERT_OFFSET(struct trap_frame, r11, 0x30);
STATIC_ASSERT_OFFSET(struct trap_frame, rcx, 0x58);
STATIC_ASSERT_OFFSET(struct trap_frame, orig_rax, 0x78);
STATIC_ASSERT_OFFSET(struct trap_frame, vector, 0x80);
STATIC_ASSERT_OFFSET(struct trap_frame, error_code, 0x88);
STATIC_ASSERT_OFFSET(struct trap_frame, rip, 0x90);
STATIC_ASSERT_OFFSET(struct trap_frame, cs, 0x98);
STATIC_ASSERT_OFFSET(struct trap_frame, rflags, 0xa0);
STATIC_ASSERT_OFFSET(struct trap_frame, rsp, 0xa8);
STATIC_ASSERT_OFFSET(struct trap_frame, ss, 0xb0);
_Static_assert(sizeof(struct trap_frame) == 0xb8, "struct trap_frame: the CPU frame ends it");

/* Exception vectors (Intel SDM vol. 3, 6.3.1). */
enum {
    VEC_DIVIDE_ERROR = 0,
    VEC_DEBUG = 1,
    VEC_NMI = 2,
    VEC_BREAKPOINT = 3,
    VEC_OVERFLOW = 4,
    VEC_BOUND = 5,
    VEC_INVALID_OPCODE = 6,
    VEC_DEVICE_NOT_AVAILABLE = 7,
    VEC_DOUBLE_FAULT = 8,
    VEC_INVALID_TSS = 10,
    VEC_SEGMENT_NOT_PRESENT = 11,
    VEC_STACK_FAULT = 12,
    VEC_GENERAL_PROTECTION = 13,
    VEC_PAGE_FAULT = 14,
    VEC_X87_FPU = 16,
    VEC_ALIGNMENT_CHECK = 17,
    VEC_MACHINE_CHECK = 18,
    VEC_SIMD = 19,
};

#define IRQ_BASE 32 /* the PIC's 16 lines are remapped to vectors 32..47 */
#define IRQ_TIMER 0
#define IRQ_KEYBOARD 1
#define IRQ_COM1 4
#define NR_IRQS 16
/* The local APIC's own interrupts (kernel/arch/apic.h), above every device line. */
#define VEC_LAPIC_TIMER 0xF0    /* each CPU's local APIC timer: HZ a second */
#define VEC_IPI_RESCHEDULE 0xF1 /* the "ping" IPI (kernel/arch/smp.h) */
#define VEC_IPI_CALL 0xF2       /* "run this function" (smp_call_on) */
#define VEC_IPI_PROFILE 0xF3    /* "take a profiler sample" (kernel/prof.c) */
#define VEC_SPURIOUS 0xFF       /* the local APIC's spurious vector: no EOI */
#define VEC_SYSCALL 0x100       /* not a real vector: marks a frame made by `syscall` */

static inline bool trap_from_user(const struct trap_frame *frame) { return (frame->cs & 3) == 3; }

/* Build the IDT and load it on the boot CPU. */
void idt_init(void);
/* Load the (shared) IDT on the CPU running this: each AP at bring-up. */
void idt_load(void);
/* Called from kernel/trap_entry.asm for every exception and interrupt. */
void trap_dispatch(struct trap_frame *frame);
/* Route a hardware interrupt line to a handler (runs with interrupts off).  A
 * line may have a few handlers (shared PCI lines): all run, each checks its device. */
void irq_register(int irq, void (*handler)(struct trap_frame *frame));
const char *trap_name(u64 vector);
/*
 * If `address` (what the kernel touched) or the interrupted rsp lies in the
 * guard below a kernel stack, panic with "kernel stack overflow in PID N";
 * otherwise return.  For the double-fault and kernel page-fault paths.
 */
void trap_check_stack_overflow(const struct trap_frame *frame, u64 address);

/*
 * Everything that must happen on every return to user mode, after a system
 * call or an interrupt: switch away if the time slice is over, deliver
 * pending signals.  Returns with interrupts off
 * (kernel/trap.c).
 */
void exit_to_user(struct trap_frame *frame);
/* Leave the kernel through this frame (kernel/trap_entry.asm). Never returns. */
NORETURN void trap_return(struct trap_frame *frame);

void pic_init(void);
void pic_end_of_interrupt(int irq);
void pic_unmask(int irq);

#endif
