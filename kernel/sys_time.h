/* sys_time.h - clocks and sleeping. */
#ifndef KERNEL_SYS_TIME_H
#define KERNEL_SYS_TIME_H

#include "kernel/types.h"

/* Clock IDs (Linux's numbers), for clock_gettime and timer_create. */
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_REALTIME_ALARM 8
#define CLOCK_BOOTTIME_ALARM 9
#define CLOCK_TAI 11

/* clock_nanosleep's and timer_settime's flag: the time is a point, not a duration. */
#define TIMER_ABSTIME 1

long sys_clock_gettime(int clock, void *ts);
long sys_clock_getres(int clock, void *ts);
long sys_gettimeofday(void *tv, void *tz);
long sys_time(i64 *t);
long sys_nanosleep(const void *req, void *rem);
long sys_clock_nanosleep(int clock, int flags, const void *req, void *rem);

/* The time on `clock` in ns (as clock_gettime gives it), or -EINVAL. */
i64 clock_read_ns(int clock);

/*
 * Reads a struct timespec (a duration or a point in time) from user space
 * into nanoseconds.  -EFAULT for a bad pointer, -EINVAL for a negative value
 * or tv_nsec >= 10^9.  Absurdly long times are clamped to about 146 years.
 */
long timespec_from_user(const void *user, i64 *ns);

#endif
