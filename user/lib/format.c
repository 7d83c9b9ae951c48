/*
 * format.c - numbers as the classic tools print them (see format.h).
 */
#include "user/lib/format.h"

#include <stdio.h>

void format_minutes_seconds(unsigned long long seconds, char *out, size_t size)
{
    snprintf(out, size, "%llu:%02llu", seconds / 60, seconds % 60);
}

void format_clock_duration(unsigned long long seconds, char *out, size_t size)
{
    unsigned long long days = seconds / 86400, rest = seconds % 86400;

    if (days > 0)
        snprintf(out, size, "%llu-%02llu:%02llu:%02llu", days, rest / 3600, rest / 60 % 60,
                 rest % 60);
    else
        snprintf(out, size, "%02llu:%02llu:%02llu", rest / 3600, rest / 60 % 60, rest % 60);
}

void format_ticks_time(unsigned long long ticks, long hz, char *out, size_t size)
{
    unsigned long long seconds = ticks / (unsigned long long)hz;
    unsigned long long hundredths = ticks % (unsigned long long)hz * 100 / (unsigned long long)hz;

    snprintf(out, size, "%llu:%02llu.%02llu", seconds / 60, seconds % 60, hundredths);
}

void format_uptime(unsigned long long seconds, char *out, size_t size)
{
    unsigned long long days = seconds / 86400;
    unsigned long long hours = seconds / 3600 % 24, minutes = seconds / 60 % 60;
    int used = 0;

    if (days > 0)
        used = snprintf(out, size, "%llu day%s, ", days, days == 1 ? "" : "s");
    if (used < 0 || (size_t)used >= size)
        return;
    if (hours > 0)
        snprintf(out + used, size - (size_t)used, "%2llu:%02llu", hours, minutes);
    else
        snprintf(out + used, size - (size_t)used, "%llu min", minutes);
}

void format_human_size(unsigned long long bytes, char *out, size_t size)
{
    static const char units[] = "KMGTPE";
    unsigned long long unit_bytes = 1024;
    int unit = 0;

    if (bytes < 1024) {
        snprintf(out, size, "%llu", bytes);
        return;
    }
    while (unit < 5 && bytes / unit_bytes >= 1024) {
        unit_bytes *= 1024;
        unit++;
    }
    /* Tenths of the unit, rounded: 1536 bytes -> 15 -> "1.5K", no floating point. */
    unsigned long long tenths = (bytes / (unit_bytes / 1024) * 10 + 512) / 1024;
    if (tenths < 100)
        snprintf(out, size, "%llu.%llu%c", tenths / 10, tenths % 10, units[unit]);
    else
        snprintf(out, size, "%llu%c", (tenths + 5) / 10, units[unit]);
}
