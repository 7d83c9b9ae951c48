/*
 * procfs_system.c - parsing the system-wide files of /proc: meminfo,
 * uptime, loadavg and stat.  Pure string functions, like procfs_pid.c.
 */
#include "user/lib/procfs.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A meminfo line's value in KiB, or 0 if the kernel does not provide it. */
static unsigned long long meminfo_optional(const char *text, const char *key)
{
    unsigned long long kib;

    return procfs_key_number(text, key, 10, &kib) == 0 ? kib : 0;
}

int procfs_parse_meminfo(const char *text, struct meminfo *info)
{
    memset(info, 0, sizeof *info);
    if (procfs_key_number(text, "MemTotal", 10, &info->total) < 0 ||
        procfs_key_number(text, "MemFree", 10, &info->free) < 0)
        return -EINVAL;
    info->buffers = meminfo_optional(text, "Buffers");
    info->cached = meminfo_optional(text, "Cached");
    info->shared = meminfo_optional(text, "Shmem");
    info->reclaimable = meminfo_optional(text, "SReclaimable");
    info->swap_total = meminfo_optional(text, "SwapTotal");
    info->swap_free = meminfo_optional(text, "SwapFree");
    /* Kernels before Linux 3.14 have no MemAvailable: estimate it as free(1) did. */
    if (procfs_key_number(text, "MemAvailable", 10, &info->available) < 0)
        info->available = info->free + info->buffers + info->cached;
    return 0;
}

/* Reads a non-negative decimal fraction ("1271.67") at *cursor and advances. */
static int next_fraction(const char **cursor, double *value)
{
    char *end;

    while (**cursor == ' ')
        (*cursor)++;
    if (!isdigit((unsigned char)**cursor))
        return -EINVAL;
    *value = strtod(*cursor, &end);
    *cursor = end;
    return 0;
}

int procfs_parse_uptime(const char *text, double *uptime_seconds)
{
    const char *cursor = text;

    return next_fraction(&cursor, uptime_seconds);
}

int procfs_parse_loadavg(const char *text, struct loadavg *load)
{
    const char *cursor = text;
    char *end;

    memset(load, 0, sizeof *load);
    if (next_fraction(&cursor, &load->one) < 0 || next_fraction(&cursor, &load->five) < 0 ||
        next_fraction(&cursor, &load->fifteen) < 0 || *cursor++ != ' ')
        return -EINVAL;
    /* "running/total last_pid" */
    if (!isdigit((unsigned char)*cursor))
        return -EINVAL;
    load->running = (int)strtol(cursor, &end, 10);
    if (*end != '/' || !isdigit((unsigned char)end[1]))
        return -EINVAL;
    load->total = (int)strtol(end + 1, &end, 10);
    if (*end != ' ' || !isdigit((unsigned char)end[1]))
        return -EINVAL;
    load->last_pid = (int)strtol(end + 1, &end, 10);
    return 0;
}

/*
 * /proc/stat lines are "name value..." (no colon).  Finds the line whose
 * first word is `name` and reads the number after it.  0 or -ENOENT/-EINVAL.
 */
static int stat_counter(const char *text, const char *name, unsigned long long *value)
{
    size_t name_length = strlen(name);
    char *end;

    for (const char *line = text; line; line = procfs_next_line(line)) {
        if (strncmp(line, name, name_length) != 0 || line[name_length] != ' ')
            continue;
        const char *number = line + name_length;
        while (*number == ' ')
            number++;
        if (!isdigit((unsigned char)*number))
            return -EINVAL;
        *value = strtoull(number, &end, 10);
        return 0;
    }
    return -ENOENT;
}

/* Reads "cpu  u n s i ..." and "cpuN u n s i ..." lines, in order. */
static void parse_cpu_lines(const char *text, struct system_stat *stat)
{
    for (const char *line = text; *line;) {
        struct cpu_times t;
        int cpu, used = 0;
        if (strncmp(line, "cpu ", 4) == 0) {
            if (sscanf(line + 3, "%llu %llu %llu %llu", &t.user, &t.nice, &t.system, &t.idle) == 4)
                stat->all = t;
        } else if (sscanf(line, "cpu%d%n", &cpu, &used) == 1 && used > 3 && cpu == stat->cpus &&
                   cpu < PROCFS_MAX_CPUS &&
                   sscanf(line + used, "%llu %llu %llu %llu", &t.user, &t.nice, &t.system,
                          &t.idle) == 4) {
            stat->cpu[stat->cpus++] = t;
        }
        const char *newline = strchr(line, '\n');
        if (!newline)
            break;
        line = newline + 1;
    }
}

int procfs_parse_system_stat(const char *text, struct system_stat *stat)
{
    unsigned long long running, blocked = 0, boot_time = 0;

    memset(stat, 0, sizeof *stat);
    if (stat_counter(text, "ctxt", &stat->context_switches) < 0 ||
        stat_counter(text, "processes", &stat->forks) < 0 ||
        stat_counter(text, "procs_running", &running) < 0)
        return -EINVAL;
    stat_counter(text, "procs_blocked", &blocked); /* optional: stays 0 */
    stat_counter(text, "btime", &boot_time);       /* optional: stays 0 */
    stat->procs_running = (int)running;
    stat->procs_blocked = (int)blocked;
    stat->boot_time = (long long)boot_time;
    parse_cpu_lines(text, stat);
    return 0;
}
