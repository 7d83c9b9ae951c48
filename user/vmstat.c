/*
 * vmstat.c - memory, swap and fault activity, one line per interval.
 *
 *   vmstat                 one line: averages since boot
 *   vmstat DELAY [COUNT]   then a line every DELAY seconds (COUNT lines in
 *                          all, or until interrupted): rates over that interval
 *
 *   procs    r  runnable processes, b  blocked on I/O  (/proc/stat)
 *   memory   swpd  swap in use, free, buff, cache      (KiB, /proc/meminfo)
 *   swap     si  KiB/s read back from swap, so  KiB/s written to swap
 *   system   cs  context switches per second
 *   faults   flt page faults per second, maj  of which read the disk
 *
 * Watch si/so climb when the working set outgrows RAM (docs/swap.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "user/lib/procfs.h"

struct sample {
    struct meminfo mem;
    struct system_stat stat;
    unsigned long long pswpin, pswpout, pgfault, pgmajfault;
    double uptime;
};

/* "name value" lines of /proc/vmstat. */
static unsigned long long vmstat_value(const char *text, const char *name)
{
    size_t length = strlen(name);
    for (const char *line = text; line && *line; line = procfs_next_line(line))
        if (strncmp(line, name, length) == 0 && line[length] == ' ')
            return strtoull(line + length + 1, NULL, 10);
    return 0;
}

static int take_sample(struct sample *s)
{
    char text[4096];
    if (procfs_read("/proc/meminfo", text, sizeof text) < 0 ||
        procfs_parse_meminfo(text, &s->mem) < 0)
        return -1;
    if (procfs_read("/proc/stat", text, sizeof text) < 0 ||
        procfs_parse_system_stat(text, &s->stat) < 0)
        return -1;
    if (procfs_read("/proc/uptime", text, sizeof text) < 0 ||
        procfs_parse_uptime(text, &s->uptime) < 0)
        return -1;
    if (procfs_read("/proc/vmstat", text, sizeof text) < 0)
        return -1;
    s->pswpin = vmstat_value(text, "pswpin");
    s->pswpout = vmstat_value(text, "pswpout");
    s->pgfault = vmstat_value(text, "pgfault");
    s->pgmajfault = vmstat_value(text, "pgmajfault");
    return 0;
}

/* Per second between `old` (or boot, if NULL) and `now`. */
static unsigned long long rate(unsigned long long now, unsigned long long old, double seconds)
{
    return seconds > 0 ? (unsigned long long)((double)(now - old) / seconds + 0.5) : 0;
}

static void print_line(const struct sample *now, const struct sample *old)
{
    static const struct sample boot; /* all zero: "since boot" */
    if (!old)
        old = &boot;
    double seconds = now->uptime - old->uptime;
    printf(
        "%2d %2d %6llu %6llu %6llu %6llu %4llu %4llu %5llu %7llu %4llu\n", now->stat.procs_running,
        now->stat.procs_blocked, now->mem.swap_total - now->mem.swap_free, now->mem.free,
        now->mem.buffers, now->mem.cached, rate(now->pswpin, old->pswpin, seconds) * 4,
        rate(now->pswpout, old->pswpout, seconds) * 4,
        rate(now->stat.context_switches, old->stat.context_switches, seconds),
        rate(now->pgfault, old->pgfault, seconds), rate(now->pgmajfault, old->pgmajfault, seconds));
    fflush(stdout);
}

int main(int argc, char **argv)
{
    long delay = argc > 1 ? atol(argv[1]) : 0, count = argc > 2 ? atol(argv[2]) : -1;
    if (argc > 3 || (argc > 1 && delay <= 0) || (argc > 2 && count <= 0)) {
        fprintf(stderr, "usage: vmstat [DELAY [COUNT]]\n");
        return 2;
    }
    struct sample old, now;
    if (take_sample(&old) < 0) {
        perror("vmstat: /proc");
        return 1;
    }
    printf("procs -----------memory---------- ---swap-- -system- --faults--\n");
    printf(" r  b   swpd   free   buff  cache   si   so    cs     flt  maj\n");
    print_line(&old, NULL);
    for (long n = 1; delay > 0 && (count < 0 || n < count); n++) {
        sleep((unsigned)delay);
        if (take_sample(&now) < 0)
            return 1;
        print_line(&now, &old);
        old = now;
    }
    return 0;
}
