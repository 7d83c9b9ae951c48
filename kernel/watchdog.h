/*
 * watchdog.h - the soft-lockup detector: a process that has stayed in the
 * kernel for WATCHDOG_SECONDS without giving up the CPU is reported.
 */
#ifndef KERNEL_WATCHDOG_H
#define KERNEL_WATCHDOG_H

#include "kernel/interrupts.h"

/* Called by the timer interrupt on every tick, interrupts off.  `frame` is
 * what the tick interrupted.  Prints a report (once per stall) naming the
 * process, the system call it is in and where the kernel is. */
void watchdog_tick(const struct trap_frame *frame);

#endif
