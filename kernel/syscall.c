/* syscall.c - from the trap frame to sys_<name>() and back (see syscall.h). */
#include "kernel/syscall.h"
#include "kernel/bkl.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/exit_to_user.h"
#include "kernel/gdt.h"
#include "kernel/printk.h"
#include "kernel/syscalls.h"
#include "kernel/x86.h"
#include "proc/proc.h"
#include "proc/ptrace.h"
#include "proc/signal.h"

#include "syscall_names.h" /* generated from kernel/syscalls.tbl */
#include "syscall_table.h" /* generated: syscall_table[number] = handler */

extern char syscall_entry[];

void syscall_init(void)
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    /* STAR: kernel CS in bits 32-47 (SS = CS+8); for sysret, bits 48-63 hold
     * a base from which the CPU makes user SS = base+8, user CS = base+16. */
    wrmsr(MSR_STAR, ((u64)(GDT_USER_DATA - 8) << 48) | ((u64)GDT_KERNEL_CODE << 32));
    wrmsr(MSR_LSTAR, (u64)syscall_entry);
    /* Flags cleared on entry: IF (we enable interrupts once on the kernel
     * stack), TF, DF (the C ABI wants it clear), AC, NT, IOPL. */
    wrmsr(MSR_FMASK, 0x47700);
}

const char *syscall_name(u64 number)
{
    return number < SYSCALL_NAMES_COUNT && syscall_names[number] ? syscall_names[number] : "?";
}

static long unknown_syscall(u64 number)
{
    struct proc *p = current;
    u64 slot = number < 64 * ARRAY_SIZE(p->enosys_logged) ? number : 0;
    if (!(p->enosys_logged[slot / 64] & (1ull << (slot % 64)))) {
        p->enosys_logged[slot / 64] |= 1ull << (slot % 64);
        pr_warn("sprout: %s[%d] called %s (system call %lu), which sprout lacks: ENOSYS\n", p->name,
                p->pid, syscall_name(number), number);
    }
    return -ENOSYS;
}

/* Run the call in frame->orig_rax; its result goes to frame->rax.  Number
 * -1 is no call at all (or one the tracer cancelled): rax gets `no_call`. */
static ALWAYS_INLINE void run_syscall(struct trap_frame *frame, u64 no_call)
{
    u64 number = frame->orig_rax;
    syscall_fn handler = number < NR_SYSCALLS ? syscall_table[number] : NULL;
    if (handler)
        frame->rax =
            (u64)handler(frame->rdi, frame->rsi, frame->rdx, frame->r10, frame->r8, frame->r9);
    else if (number == (u64)-1)
        frame->rax = no_call;
    else
        frame->rax = (u64)unknown_syscall(number);
}

/* A traced process's call: the tracer may look (strace) before and after.
 * At the first stop rax holds -ENOSYS, as on Linux; the tracer may change
 * it and cancel the call (number -1), and then it is the result. */
static void syscall_traced(struct trap_frame *frame)
{
    frame->rax = (u64)-ENOSYS;
    ptrace_syscall_entry(frame);
    run_syscall(frame, frame->rax);
    ptrace_syscall_exit(frame);
}

void syscall_dispatch(struct trap_frame *frame)
{
    bkl_lock(); /* exit_to_user gives it back */
    if (current->signals.traced)
        syscall_traced(frame);
    else
        run_syscall(frame, (u64)-ENOSYS);
    exit_to_user_fast(frame);
}
