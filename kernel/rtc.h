/* rtc.h - the battery-backed CMOS real-time clock. */
#ifndef KERNEL_RTC_H
#define KERNEL_RTC_H

#include "kernel/types.h"

/* Seconds since 1970-01-01 00:00 UTC, read from the CMOS clock. */
u64 rtc_read_unix_seconds(void);
/* Days since 1970-01-01 of a Gregorian date (pure arithmetic; tested on the host). */
i64 days_from_civil(i64 year, unsigned month, unsigned day);

#endif
