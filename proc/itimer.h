/* itimer.h - alarm() and the interval timers: ITIMER_REAL (SIGALRM after a
 * while), ITIMER_VIRTUAL (SIGVTALRM after user CPU time) and ITIMER_PROF
 * (SIGPROF after user and system CPU time). */
#ifndef PROC_ITIMER_H
#define PROC_ITIMER_H

#include "kernel/types.h"

struct proc;

/* Prepare p's timer (at process creation). */
void itimer_init(struct proc *p);
/* Disarm p's timer (exit). */
void itimer_cancel(struct proc *p);

/* The timer interrupt charged a tick to p (in user mode or not): count
 * down its CPU-time timers.  Interrupts off. */
void itimer_cpu_tick(struct proc *p, bool user_mode);

long sys_alarm(unsigned seconds);
long sys_setitimer(int which, const void *new_value, void *old_value);
long sys_getitimer(int which, void *value);

#endif
