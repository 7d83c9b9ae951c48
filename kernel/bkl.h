/*
 * bkl.h - the big kernel lock: with several CPUs running processes, one CPU
 * at a time runs kernel code (docs/smp.md, "Stage 2").
 *
 * The lock belongs to a CPU, not to a process.  A CPU takes it when it enters
 * the kernel (a system call, an interrupt or exception, the idle loop finding
 * work) and gives it back when it returns to user mode or goes idle.  A
 * context switch happens with the lock held, so the process switched to
 * carries on holding it.  Everything the kernel did under "interrupts off"
 * on one CPU stays correct: no other CPU is in the kernel meanwhile.
 *
 * Exceptions, which never take it: the NMI (panic's STOP), the call-function
 * IPI (it runs small per-CPU functions such as a TLB flush), spurious
 * interrupts.  A CPU spinning for the lock runs call-function requests while
 * it waits, so the holder may wait for it (TLB shootdown) without deadlock.
 * It is a ticket lock: CPUs get it in the order they asked for it.
 *
 * Off (every function a no-op) unless smp=on and more than one CPU.
 */
#ifndef KERNEL_BKL_H
#define KERNEL_BKL_H

#include "kernel/types.h"

/* True when more than one CPU runs processes (smp=on and the APs came up). */
extern volatile bool smp_scheduling;

/* The CPU holding the lock, or -1. */
int bkl_holder(void);
/* bkl_lock's work when several CPUs schedule (kernel/bkl.c). */
bool bkl_lock_smp(void);
/* Take the lock unless this CPU holds it already; true if this call took it.
 * Inline: every system call and interrupt starts here, and with one CPU
 * scheduling (the default) it is one test. */
static ALWAYS_INLINE bool bkl_lock(void) { return smp_scheduling && bkl_lock_smp(); }
/* Take the lock if it is free; true if this CPU holds it now. */
bool bkl_trylock(void);
/* A long system call's preemption point: if another CPU waits for the
 * lock, let it have it for a while, then take it back. */
void bkl_let_others_in(void);
/* Give the lock back (this CPU must hold it). */
void bkl_unlock(void);
/* Give it back if this CPU holds it: the last step before user mode. */
void bkl_release_to_user_smp(void);
static ALWAYS_INLINE void bkl_release_to_user(void)
{
    if (smp_scheduling)
        bkl_release_to_user_smp();
}
/* Turn scheduling on every CPU on, with the calling CPU (the boot CPU) holding the lock. */
void bkl_start(void);

#endif
