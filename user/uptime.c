/*
 * uptime.c - how long since boot, and how busy the system has been.
 *
 *    12:34:56 up 3 min,  load average: 0.00, 0.01, 0.05
 *
 * From /proc/uptime (seconds since boot) and /proc/loadavg: the number of
 * processes running or waiting to run, averaged over 1, 5 and 15 minutes.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "user/lib/format.h"
#include "user/lib/procfs.h"

int main(int argc, char **argv)
{
    char text[PROCFS_LINE_SIZE], clock[16], up[64];
    double seconds;
    struct loadavg load;
    time_t now = time(NULL);
    struct tm local;
    ssize_t n;

    if (argc > 1) {
        fprintf(stderr, "usage: uptime\n");
        return 2;
    }
    n = procfs_read("/proc/uptime", text, sizeof text);
    if (n < 0 || procfs_parse_uptime(text, &seconds) < 0) {
        fprintf(stderr, "uptime: /proc/uptime: %s\n",
                n < 0 ? strerror((int)-n) : "unexpected format");
        return 1;
    }
    n = procfs_read("/proc/loadavg", text, sizeof text);
    if (n < 0 || procfs_parse_loadavg(text, &load) < 0) {
        fprintf(stderr, "uptime: /proc/loadavg: %s\n",
                n < 0 ? strerror((int)-n) : "unexpected format");
        return 1;
    }
    localtime_r(&now, &local);
    strftime(clock, sizeof clock, "%H:%M:%S", &local);
    format_uptime((unsigned long long)seconds, up, sizeof up);
    printf(" %s up %s,  load average: %.2f, %.2f, %.2f\n", clock, up, load.one, load.five,
           load.fifteen);
    return 0;
}
