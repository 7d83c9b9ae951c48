/*
 * watchdog.c - the soft-lockup detector.
 *
 * sprout's kernel is not preemptible: a process in a system call keeps the
 * CPU until it blocks or returns.  A kernel loop whose length a user chose
 * (a huge length, a far address) therefore freezes the whole machine, and
 * nothing in user space can say what happened.  The timer interrupt still
 * arrives, though, so it can notice: if every tick for WATCHDOG_SECONDS
 * interrupted the kernel, in the same process, with no context switch in
 * between, that process is stuck.  The report names it, the system call it
 * made (number and arguments, from its trap frame) and a backtrace of where
 * the kernel is -- exactly what is needed to write the regression test.
 * Like Linux's soft-lockup detector it only reports; the loop goes on.
 */
#include "kernel/watchdog.h"
#include "kernel/panic.h"
#include "kernel/param.h"
#include "kernel/printk.h"
#include "kernel/syscall.h"
#include "proc/proc.h"

static struct watchdog the_watchdog;

bool watchdog_observe(struct watchdog *w, const struct proc *p, bool from_user)
{
    u64 switches = p->nvcsw + p->nivcsw;
    if (from_user || p->pid == 0 || p != w->watched || switches != w->switches) {
        w->watched = p;
        w->switches = switches;
        w->kernel_ticks = 0;
        w->reported = false;
        return false;
    }
    if (++w->kernel_ticks < WATCHDOG_SECONDS * HZ || w->reported)
        return false;
    w->reported = true;
    return true;
}

void watchdog_tick(const struct trap_frame *frame)
{
    struct proc *p = current;
    if (!watchdog_observe(&the_watchdog, p, trap_from_user(frame)))
        return;
    const struct trap_frame *tf = p->tf;
    u64 nr = tf->orig_rax;
    pr_emerg("watchdog: PID %d (%s) has been in the kernel for %d s without giving up the CPU\n",
             p->pid, p->name, WATCHDOG_SECONDS);
    if (nr != (u64)-1)
        pr_emerg("watchdog: in %s(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n", syscall_name(nr), tf->rdi,
                 tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9);
    backtrace_print(frame->rbp, frame->rip);
}
