/*
 * timer.h - the clock: HZ ticks per second from the PIT (IRQ 0).
 *
 * Every tick: jiffies++, the scheduler is told (it may preempt the running
 * process), sleepers whose time has come are woken.
 */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include "kernel/list.h"
#include "kernel/param.h"
#include "kernel/types.h"

#define NS_PER_SEC 1000000000ull
#define NS_PER_TICK (NS_PER_SEC / HZ)

extern volatile u64 jiffies; /* timer ticks since boot */

/* Start the clock: the PIT on IRQ 0, or, with the APICs (kernel/arch/apic.h),
 * the boot CPU's local APIC timer. */
void timer_init(void);
/* One clock tick (interrupts off): from IRQ 0, or from CPU 0's local APIC timer. */
struct trap_frame;
void timer_tick(struct trap_frame *frame);
/* Nanoseconds since boot, monotonic, finer than a tick when the TSC allows. */
u64 uptime_ns(void);
/* The time-stamp counter's rate in kHz, measured against the first ticks (0 before). */
u64 timer_tsc_khz(void);
/* Nanoseconds since 1970 (the CMOS clock read at boot plus uptime). */
u64 realtime_ns(void);
/* Milliseconds to ticks, rounded up (a sleep never ends early). */
u64 ms_to_ticks(u64 ms);
u64 ns_to_ticks(u64 ns);
/* The first tick at which at least `ns` nanoseconds will have passed from now:
 * what a timeout waits for, so that it never ends early. */
u64 deadline_after_ns(u64 ns);

/*
 * Timer events: call fn(timer) from the timer interrupt once jiffies reaches
 * `expires`.  Used for sleeps with a deadline, alarm() and setitimer().
 * The callback runs with interrupts off and must not sleep.
 */
struct timer {
    u64 expires;
    void (*fn)(struct timer *timer);
    void *data;
    struct list_node node; /* in the pending list, sorted by expires */
};

void timer_init_event(struct timer *timer, void (*fn)(struct timer *timer), void *data);
/* Arm (or re-arm) the timer for jiffies == expires. */
void timer_add(struct timer *timer, u64 expires);
/* Disarm; harmless if it already fired or was never armed. */
void timer_cancel(struct timer *timer);
bool timer_pending(const struct timer *timer);

#endif
