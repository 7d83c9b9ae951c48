/* itimer.h - alarm() and the ITIMER_REAL interval timer: SIGALRM after a while. */
#ifndef PROC_ITIMER_H
#define PROC_ITIMER_H

#include "kernel/types.h"

struct proc;

/* Prepare p's timer (at process creation). */
void itimer_init(struct proc *p);
/* Disarm p's timer (exit). */
void itimer_cancel(struct proc *p);

long sys_alarm(unsigned seconds);
long sys_setitimer(int which, const void *new_value, void *old_value);
long sys_getitimer(int which, void *value);

#endif
