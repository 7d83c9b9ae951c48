/*
 * watchdog.h - the soft-lockup detector: a process that has stayed in the
 * kernel for WATCHDOG_SECONDS without giving up the CPU is reported.
 */
#ifndef KERNEL_WATCHDOG_H
#define KERNEL_WATCHDOG_H

#include "kernel/interrupts.h"

#define WATCHDOG_SECONDS 5

struct proc;

/* What the detector remembers between ticks. */
struct watchdog {
    const struct proc *watched; /* the process the recent ticks interrupted */
    u64 switches;               /* its context-switch count then */
    u64 kernel_ticks;           /* consecutive ticks in the kernel, no switch */
    bool reported;              /* this stall has been reported */
};

/* One tick's verdict: true exactly once per stall, on the tick that makes
 * p's stay in the kernel WATCHDOG_SECONDS long.  (The decision alone, so a
 * test can drive it with made-up ticks.) */
bool watchdog_observe(struct watchdog *w, const struct proc *p, bool from_user);

/* Called by the timer interrupt on every tick, interrupts off.  `frame` is
 * what the tick interrupted.  Prints a report (once per stall) naming the
 * process, the system call it is in and where the kernel is. */
void watchdog_tick(const struct trap_frame *frame);

#endif
