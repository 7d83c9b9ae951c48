/*
 * timer.h - the clock: HZ ticks per second from the PIT (IRQ 0).
 *
 * Every tick: jiffies++, the scheduler is told (it may preempt the running
 * process), sleepers whose time has come are woken.
 */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include "kernel/param.h"
#include "kernel/types.h"

#define NS_PER_SEC 1000000000ull
#define NS_PER_TICK (NS_PER_SEC / HZ)

extern volatile u64 jiffies; /* timer ticks since boot */

void timer_init(void);
/* Nanoseconds since boot, monotonic, finer than a tick when the TSC allows. */
u64 uptime_ns(void);
/* Nanoseconds since 1970 (the CMOS clock read at boot plus uptime). */
u64 realtime_ns(void);
/* Milliseconds to ticks, rounded up (a sleep never ends early). */
u64 ms_to_ticks(u64 ms);
u64 ns_to_ticks(u64 ns);

#endif
