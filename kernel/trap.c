/*
 * trap.c - every exception and interrupt arrives here from trap_entry.asm.
 *
 *   hardware interrupt  -> the driver's handler (timer, serial, keyboard)
 *   page fault          -> mm/fault.c
 *   other exception     -> in user mode: a signal to the process;
 *                          in the kernel: a bug, so panic with a report
 */
#include "kernel/arch/apic.h"
#include "kernel/bkl.h"
#include "kernel/arch/smp.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/exit_to_user.h"
#include "kernel/interrupts.h"
#include "kernel/ksyms.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/prof.h"
#include "kernel/x86.h"
#include "mm/fault.h"
#include "mm/kstack.h"
#include "mm/layout.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "proc/thread.h"
#include "sched/sched.h"

/* PCI devices share lines (QEMU puts the disk and the network card on IRQ 11):
 * every handler of a line runs, and each asks its own device. */
#define IRQ_HANDLERS_PER_LINE 4
static void (*irq_handlers[NR_IRQS][IRQ_HANDLERS_PER_LINE])(struct trap_frame *frame);

static const char *const exception_names[32] = {
    [VEC_DIVIDE_ERROR] = "divide error",
    [VEC_DEBUG] = "debug",
    [VEC_NMI] = "non-maskable interrupt",
    [VEC_BREAKPOINT] = "breakpoint",
    [VEC_OVERFLOW] = "overflow",
    [VEC_BOUND] = "bound range exceeded",
    [VEC_INVALID_OPCODE] = "invalid opcode",
    [VEC_DEVICE_NOT_AVAILABLE] = "device not available",
    [VEC_DOUBLE_FAULT] = "double fault",
    [VEC_INVALID_TSS] = "invalid TSS",
    [VEC_SEGMENT_NOT_PRESENT] = "segment not present",
    [VEC_STACK_FAULT] = "stack-segment fault",
    [VEC_GENERAL_PROTECTION] = "general protection fault",
    [VEC_PAGE_FAULT] = "page fault",
    [VEC_X87_FPU] = "x87 floating-point error",
    [VEC_ALIGNMENT_CHECK] = "alignment check",
    [VEC_MACHINE_CHECK] = "machine check",
    [VEC_SIMD] = "SIMD floating-point error",
};

const char *trap_name(u64 vector)
{
    if (vector < 32)
        return exception_names[vector] ? exception_names[vector] : "reserved exception";
    if (vector >= IRQ_BASE && vector < IRQ_BASE + NR_IRQS)
        return "hardware interrupt";
    if (vector == VEC_LAPIC_TIMER)
        return "local APIC timer";
    if (vector == VEC_IPI_RESCHEDULE)
        return "reschedule IPI";
    if (vector == VEC_IPI_PROFILE)
        return "profiler sample IPI";
    if (vector == VEC_IPI_CALL)
        return "call-function IPI";
    if (vector == VEC_SPURIOUS)
        return "spurious APIC interrupt";
    return vector == VEC_SYSCALL ? "system call" : "unexpected interrupt";
}

void irq_register(int irq, void (*handler)(struct trap_frame *frame))
{
    for (int i = 0; i < IRQ_HANDLERS_PER_LINE; i++) {
        if (irq_handlers[irq][i] == handler)
            break;
        if (!irq_handlers[irq][i]) {
            irq_handlers[irq][i] = handler;
            break;
        }
        if (i == IRQ_HANDLERS_PER_LINE - 1)
            panic("irq_register: more than %d handlers on IRQ %d", IRQ_HANDLERS_PER_LINE, irq);
    }
    if (apic_enabled)
        apic_unmask_irq(irq);
    else
        pic_unmask(irq);
}

static void handle_irq(struct trap_frame *frame)
{
    int irq = (int)(frame->vector - IRQ_BASE);
    this_cpu()->irqs[irq]++;
    if (apic_enabled) {
        /* Handlers first, then the EOI: a level-triggered line (PCI) is
         * quiet by then, so the I/O APIC does not send it again at once. */
        for (int i = 0; i < IRQ_HANDLERS_PER_LINE && irq_handlers[irq][i]; i++)
            irq_handlers[irq][i](frame);
        apic_eoi();
        return;
    }
    /* The PIC reports a "spurious" IRQ 7/15 when a line drops too early:
     * nothing to handle, and for IRQ 7 nothing to acknowledge. */
    if (irq == 7 || irq == 15) {
        outb(irq == 7 ? 0x20 : 0xA0, 0x0B); /* read the in-service register */
        if (!(inb(irq == 7 ? 0x20 : 0xA0) & 0x80)) {
            if (irq == 15)
                pic_end_of_interrupt(2);
            return;
        }
    }
    pic_end_of_interrupt(irq);
    for (int i = 0; i < IRQ_HANDLERS_PER_LINE && irq_handlers[irq][i]; i++)
        irq_handlers[irq][i](frame);
}

void trap_check_stack_overflow(const struct trap_frame *frame, u64 address)
{
    void *stack = kstack_of_guard(address);
    if (!stack)
        stack = kstack_of_guard(frame->rsp);
    if (!stack)
        return;
    const struct proc *owner = proc_find_by_kstack(stack);
    char where[128];
    ksym_format(frame->rip, where, sizeof where);
    panic_with_frame(
        frame,
        "kernel stack overflow in PID %d (%s): %s at %#lx, in the guard below its stack %p, RIP %s",
        owner ? owner->pid : -1, owner ? owner->name : "unknown", trap_name(frame->vector), address,
        stack, where);
}

/* An exception the kernel itself caused: a bug.  Report and stop. */
static NORETURN void kernel_exception(struct trap_frame *frame)
{
    /* A double fault is usually a page fault the CPU could not deliver
     * because the stack is gone: running off a kernel stack into its guard.
     * We are on the double-fault stack (IST 1); CR2 says what was touched. */
    if (frame->vector == VEC_DOUBLE_FAULT)
        trap_check_stack_overflow(frame, read_cr2());
    char where[128];
    ksym_format(frame->rip, where, sizeof where);
    panic_with_frame(frame, "%s (vector %lu) in kernel mode at %s", trap_name(frame->vector),
                     frame->vector, where);
}

/* An exception in user mode: the process gets the matching signal. */
static void user_exception(struct trap_frame *frame)
{
    int sig, code = SI_KERNEL;
    u64 address = frame->rip;
    switch (frame->vector) {
    case VEC_DIVIDE_ERROR:
        sig = SIGFPE, code = FPE_INTDIV;
        break;
    case VEC_DEBUG:
    case VEC_BREAKPOINT:
        sig = SIGTRAP, code = TRAP_BRKPT;
        break;
    case VEC_INVALID_OPCODE:
        sig = SIGILL, code = ILL_ILLOPN;
        break;
    case VEC_X87_FPU:
    case VEC_SIMD:
    case VEC_DEVICE_NOT_AVAILABLE:
        sig = SIGFPE;
        break;
    case VEC_SEGMENT_NOT_PRESENT:
    case VEC_STACK_FAULT:
    case VEC_ALIGNMENT_CHECK:
        sig = SIGBUS, code = BUS_ADRERR;
        break;
    default: /* general protection, overflow, bound... */
        sig = SIGSEGV;
        address = 0;
        break;
    }
    if (frame->vector != VEC_BREAKPOINT && frame->vector != VEC_DEBUG)
        pr_info("traps: %s[%d] %s ip:%lx sp:%lx error:%lx\n", current->name, current->pid,
                trap_name(frame->vector), frame->rip, frame->rsp, frame->error_code);
    signal_force_fault(sig, code, address);
}

void trap_dispatch(struct trap_frame *frame)
{
    /* First, before anything reads GS: panic()'s STOP arrives as an NMI. */
    if (frame->vector == VEC_NMI)
        smp_handle_nmi(frame);
    /* trap_entry.asm cleared AC whatever the interrupted code had: SMAP holds. */
    ASSERT(!cpu_smap_enabled || !(read_rflags() & RFLAGS_AC));
    u64 vector = frame->vector;
    /* With several CPUs scheduling, the kernel is entered under the big lock
     * (kernel/bkl.h), except for the call-function IPI, which must run while
     * another CPU holds it, the profiler's sample (it samples where this CPU
     * was, not where it would be once the lock is free), the spurious
     * vector, and a reschedule IPI that did not come from user mode: it woke
     * the idle loop, which takes the lock itself to schedule (taking it here
     * too was a second wait for the lock on every wake-up across CPUs, each
     * a host thread handing it over under QEMU), or it came while this CPU
     * held the lock already.  From user mode it takes the lock: its way out,
     * exit_to_user, is where the process gets preempted. */
    bool unlocked = vector == VEC_IPI_CALL || vector == VEC_IPI_PROFILE || vector == VEC_SPURIOUS ||
                    (vector == VEC_IPI_RESCHEDULE && !trap_from_user(frame));
    bool took = unlocked ? false : bkl_lock();
    if (vector >= IRQ_BASE && vector < IRQ_BASE + NR_IRQS)
        handle_irq(frame);
    else if (vector == VEC_LAPIC_TIMER)
        smp_timer_interrupt(frame);
    else if (vector == VEC_IPI_RESCHEDULE)
        smp_ping_interrupt();
    else if (vector == VEC_IPI_CALL)
        smp_call_interrupt();
    else if (vector == VEC_IPI_PROFILE)
        prof_ipi_interrupt(frame);
    else if (vector == VEC_SPURIOUS)
        ; /* the local APIC withdrew an interrupt: nothing to do, no EOI */
    else if (vector == VEC_PAGE_FAULT)
        page_fault_handler(frame);
    else if (trap_from_user(frame) && vector != VEC_DOUBLE_FAULT && vector != VEC_MACHINE_CHECK)
        user_exception(frame);
    else
        kernel_exception(frame);

    /* Back to user mode: the place where preemption and signals happen. */
    if (trap_from_user(frame) && !(unlocked && smp_scheduling))
        exit_to_user(frame); /* gives the big lock back */
    else if (took && !sched_idle_has_work())
        bkl_unlock();
    /* (else the idle loop, interrupted, finds the lock its own and switches
     * to the process just woken here: given back and taken again, it was a
     * second wait on every wake-up, behind whatever the other CPU did.) */
}

/*
 * The last line of defence before iretq/sysret: a rip outside user space (a
 * handler's address, a tracer's SETREGS) would make iretq fault in ring 0 on
 * a real CPU.  The process gets SIGSEGV instead, as on Linux: a handler for
 * it sees the bad rip in its context; without one the process dies.  The
 * caller loops until rip is good, so it never returns there.
 */
static bool fault_if_rip_bad(struct trap_frame *frame)
{
    if (is_user_address(frame->rip))
        return false;
    signal_force_fault(SIGSEGV, SI_KERNEL, 0);
    return true;
}

void exit_to_user(struct trap_frame *frame)
{
    struct proc *p = current;
    cli();
    if (exit_to_user_nothing_to_do(p, frame) &&
        !(frame->vector == VEC_SYSCALL && exit_to_user_restart(frame->rax))) {
        bkl_release_to_user();
        return;
    }
    sti();
    for (;;) {
        if (p->need_resched) {
            cli();
            schedule();
            sti();
        }
        signal_deliver(frame); /* may not return: the process dies */
        cli();
        if (!p->need_resched && !signal_pending(p) && !fault_if_rip_bad(frame)) {
            bkl_release_to_user();
            return;
        }
        sti();
    }
}
