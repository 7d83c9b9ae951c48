/*
 * format.h - turning numbers into the text the classic tools print:
 * CPU times ("1:05", "00:01:05"), uptimes ("21 min", "2 days,  3:04")
 * and human-readable sizes ("1.5K").  Every function writes into `out`
 * (always NUL-terminated, truncated to `size`).
 */
#ifndef USER_LIB_FORMAT_H
#define USER_LIB_FORMAT_H

#include <stddef.h>

/* ps's TIME column: minutes:seconds, "0:00", "1:05", "125:00". */
void format_minutes_seconds(unsigned long long seconds, char *out, size_t size);

/* ps -ef's TIME column: "00:01:05", and "2-03:04:05" past a day. */
void format_clock_duration(unsigned long long seconds, char *out, size_t size);

/* top's TIME+ column from clock ticks (hz per second): "0:01.38". */
void format_ticks_time(unsigned long long ticks, long hz, char *out, size_t size);

/* What uptime prints after "up ": "21 min", " 1:05", "2 days,  3:04", "1 day, 5 min". */
void format_uptime(unsigned long long seconds, char *out, size_t size);

/* ls -h / free -h sizes from bytes: "512", "1.5K", "12K", "3.2M", "24G". */
void format_human_size(unsigned long long bytes, char *out, size_t size);

#endif
