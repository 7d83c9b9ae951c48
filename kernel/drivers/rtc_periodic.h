/*
 * rtc_periodic.h - the CMOS clock's periodic interrupt (IRQ 8), a second timer.
 *
 * The scheduler's tick comes from another timer; this one is free for tools
 * that want interrupts at their own rate while they run (the profiler,
 * kernel/prof.c).  The chip can only divide its 32768 Hz crystal by powers
 * of two, so the rates are 2, 4, 8 ... 8192 Hz.
 */
#ifndef KERNEL_DRIVERS_RTC_PERIODIC_H
#define KERNEL_DRIVERS_RTC_PERIODIC_H

#include "kernel/interrupts.h"
#include "kernel/types.h"

#define RTC_PERIODIC_MIN_HZ 2
#define RTC_PERIODIC_MAX_HZ 8192

/* The largest rate the chip can make that is not above `hz` (which must be
 * between the two limits). */
unsigned rtc_periodic_round(unsigned hz);

/*
 * Call `tick` from IRQ 8 about `hz` times a second (rounded down with
 * rtc_periodic_round), interrupts off, with the interrupted registers,
 * until rtc_periodic_stop().  One user at a time: -EBUSY if already on.
 * Process context; does not sleep.
 */
int rtc_periodic_start(unsigned hz, void (*tick)(struct trap_frame *frame));
/* Turn the interrupt off; once it returns `tick` is not called again. */
void rtc_periodic_stop(void);

#endif
