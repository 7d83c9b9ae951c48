/*
 * ps.c - list the processes, from /proc.
 *
 *   ps          PID PPID STAT VSZ RSS TIME COMMAND   (every process)
 *   ps -ef      UID PID PPID C STIME TTY TIME CMD     (full command lines)
 *   ps -eF      UID PID PPID C SZ RSS PSR STIME TTY TIME CMD: -f plus memory
 *               and PSR, the CPU the process runs or last ran on
 *   ps aux      USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND
 *   ps v        PID TTY STAT TIME MINFL MAJFL RSS COMMAND: page faults without
 *               and with a disk read (swap-in), as Linux's ps v (+ MINFL)
 *   ps -L       PID LWP PPID STAT VSZ RSS TIME COMMAND: one row per thread
 *               (LWP is its thread ID, from /proc/PID/task); -T names it SPID
 *
 * Everything comes from /proc/PID/stat (state, parent, times, memory),
 * /proc/PID/status (user id) and /proc/PID/cmdline; see user/lib/proctable.h.
 * %CPU is the CPU time a process used divided by the time since it started.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "user/lib/format.h"
#include "user/lib/procfs.h"
#include "user/lib/proctable.h"
#include "user/lib/term.h"
#include "user/lib/users.h"

enum ps_style {
    STYLE_DEFAULT,
    STYLE_FULL,
    STYLE_EXTRA_FULL,
    STYLE_BSD,
    STYLE_THREADS,
    STYLE_THREADS_SPID,
    STYLE_FAULTS
};

/* What every row needs to know about the system. */
struct ps_system {
    long hz;                      /* clock ticks per second (sysconf(_SC_CLK_TCK), 100) */
    unsigned long long page_kib;  /* KiB per page, to turn rss pages into KiB */
    double uptime;                /* seconds since boot */
    long long boot_time;          /* seconds since 1970 at boot */
    unsigned long long mem_total; /* KiB, for %MEM */
    int columns;                  /* cut rows to this width; 0 = never */
};

/* Percent of one CPU used over the process's lifetime. */
static double cpu_percent(const struct process *p, const struct ps_system *sys)
{
    double cpu_seconds = (double)(p->stat.utime + p->stat.stime) / (double)sys->hz;
    double alive = sys->uptime - (double)p->stat.starttime / (double)sys->hz;

    return alive > 0 ? 100.0 * cpu_seconds / alive : 0.0;
}

/* Parses the options; returns the style, or -1 for a usage error. */
static int parse_style(int argc, char **argv)
{
    int style = STYLE_DEFAULT;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "aux") == 0 || strcmp(arg, "-aux") == 0) {
            style = STYLE_BSD;
            continue;
        }
        if (strcmp(arg, "v") == 0) {
            style = STYLE_FAULTS;
            continue;
        }
        /* -e and -A ask for every process, which ps always shows; -f is the full format. */
        if (arg[0] != '-' || arg[1] == '\0' || strspn(arg + 1, "eAfFLT") != strlen(arg + 1))
            return -1;
        if (strchr(arg, 'f'))
            style = STYLE_FULL;
        if (strchr(arg, 'F'))
            style = STYLE_EXTRA_FULL;
        if (strchr(arg, 'L'))
            style = STYLE_THREADS;
        if (strchr(arg, 'T'))
            style = STYLE_THREADS_SPID;
    }
    return style;
}

/*
 * Everything below reads /proc and prints.  The unit tests (which
 * #include this file with HOST_TEST defined) stop here.
 */
#ifndef HOST_TEST

/* The start time as ps shows it: "14:05" today, "Jan02" this year, else "2024". */
static void start_time(const struct process *p, const struct ps_system *sys, char *out, size_t size)
{
    time_t now = time(NULL);
    time_t started =
        (time_t)(sys->boot_time + (long long)(p->stat.starttime / (unsigned long long)sys->hz));
    struct tm today, then;

    localtime_r(&now, &today);
    localtime_r(&started, &then);
    if (now - started < 24 * 3600 && today.tm_yday == then.tm_yday)
        strftime(out, size, "%H:%M", &then);
    else if (today.tm_year == then.tm_year)
        strftime(out, size, "%b%d", &then);
    else
        strftime(out, size, "%Y", &then);
}

static void print_row(const char *row, const struct ps_system *sys)
{
    if (sys->columns > 0)
        printf("%.*s\n", sys->columns, row);
    else
        printf("%s\n", row);
}

/* One row for p; `pid` is the process it belongs to (p may be one of its threads). */
static void print_process(const struct process *p, enum ps_style style, const struct ps_system *sys,
                          int pid)
{
    char row[4096], command[2048], cpu_time[32], started[16], tty[16], user[32];
    unsigned long long seconds = (p->stat.utime + p->stat.stime) / (unsigned long long)sys->hz;
    unsigned long long vsz = p->stat.vsize / 1024;
    unsigned long long rss = (unsigned long long)p->stat.rss * sys->page_kib;

    proctable_command(p, style != STYLE_DEFAULT, command, sizeof command);
    procfs_tty_name(p->stat.tty_nr, tty, sizeof tty);
    users_user_name(p->uid, user, sizeof user);
    start_time(p, sys, started, sizeof started);
    switch (style) {
    case STYLE_DEFAULT:
        format_minutes_seconds(seconds, cpu_time, sizeof cpu_time);
        snprintf(row, sizeof row, "%5d %5d %-4c %7llu %6llu %6s %s", p->stat.pid, p->stat.ppid,
                 p->stat.state, vsz, rss, cpu_time, command);
        break;
    case STYLE_FULL:
        format_clock_duration(seconds, cpu_time, sizeof cpu_time);
        snprintf(row, sizeof row, "%-8s %5d %5d %2d %5s %-8s %8s %s", user, p->stat.pid,
                 p->stat.ppid, (int)cpu_percent(p, sys), started, tty, cpu_time, command);
        break;
    case STYLE_EXTRA_FULL:
        format_clock_duration(seconds, cpu_time, sizeof cpu_time);
        snprintf(row, sizeof row, "%-8s %5d %5d %2d %5llu %5llu %3d %5s %-8s %8s %s", user,
                 p->stat.pid, p->stat.ppid, (int)cpu_percent(p, sys), p->stat.vsize / 4096, rss,
                 p->stat.processor, started, tty, cpu_time, command);
        break;
    case STYLE_THREADS:
    case STYLE_THREADS_SPID:
        format_minutes_seconds(seconds, cpu_time, sizeof cpu_time);
        snprintf(row, sizeof row, "%5d %5d %5d %-4c %7llu %6llu %6s %s", pid, p->stat.pid,
                 p->stat.ppid, p->stat.state, vsz, rss, cpu_time, command);
        break;
    case STYLE_FAULTS:
        format_minutes_seconds(seconds, cpu_time, sizeof cpu_time);
        snprintf(row, sizeof row, "%5d %-8s %-4c %6s %6llu %6llu %6llu %s", p->stat.pid, tty,
                 p->stat.state, cpu_time, p->stat.minflt, p->stat.majflt, rss, command);
        break;
    case STYLE_BSD:
        format_minutes_seconds(seconds, cpu_time, sizeof cpu_time);
        snprintf(row, sizeof row, "%-8s %5d %4.1f %4.1f %7llu %6llu %-8s %-4c %5s %6s %s", user,
                 p->stat.pid, cpu_percent(p, sys),
                 sys->mem_total ? 100.0 * (double)rss / (double)sys->mem_total : 0.0, vsz, rss, tty,
                 p->stat.state, started, cpu_time, command);
        break;
    }
    print_row(row, sys);
}

static const char *const headers[] = {
    [STYLE_DEFAULT] = "  PID  PPID STAT     VSZ    RSS   TIME COMMAND",
    [STYLE_FULL] = "UID        PID  PPID  C STIME TTY          TIME CMD",
    [STYLE_EXTRA_FULL] = "UID        PID  PPID  C    SZ   RSS PSR STIME TTY          TIME CMD",
    [STYLE_BSD] = "USER       PID %CPU %MEM     VSZ    RSS TTY      STAT START   TIME COMMAND",
    [STYLE_THREADS] = "  PID   LWP  PPID STAT     VSZ    RSS   TIME COMMAND",
    [STYLE_THREADS_SPID] = "  PID  SPID  PPID STAT     VSZ    RSS   TIME COMMAND",
    [STYLE_FAULTS] = "  PID TTY      STAT   TIME  MINFL  MAJFL    RSS COMMAND",
};

/* ps -L: a row for each thread of process p, from /proc/PID/task/TID. */
static void print_threads(const struct process *p, enum ps_style style, const struct ps_system *sys)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", p->stat.pid);
    DIR *dir = opendir(path);
    if (!dir) { /* (no task directory: a kernel without threads) */
        print_process(p, style, sys, p->stat.pid);
        return;
    }
    struct dirent *e;
    while ((e = readdir(dir))) {
        int tid = atoi(e->d_name);
        struct process thread;
        if (tid <= 0 || proctable_read_process(tid, &thread) < 0)
            continue; /* ".", "..", or a thread that just ended */
        print_process(&thread, style, sys, p->stat.pid);
        free(thread.cmdline);
    }
    closedir(dir);
}

/* Reads the system-wide numbers; missing files leave harmless defaults. */
static void read_system(struct ps_system *sys)
{
    char text[PROCFS_TEXT_SIZE];
    struct meminfo mem;

    memset(sys, 0, sizeof *sys);
    sys->hz = sysconf(_SC_CLK_TCK);
    if (sys->hz <= 0)
        sys->hz = 100;
    sys->page_kib = (unsigned long long)sysconf(_SC_PAGESIZE) / 1024;
    if (procfs_read("/proc/uptime", text, sizeof text) >= 0)
        procfs_parse_uptime(text, &sys->uptime);
    if (procfs_read("/proc/meminfo", text, sizeof text) >= 0 &&
        procfs_parse_meminfo(text, &mem) == 0)
        sys->mem_total = mem.total;
    if (procfs_boot_time(&sys->boot_time) < 0)
        sys->boot_time = 0;
    /* Cut lines at the screen's edge only on a terminal, like Linux ps. */
    if (isatty(STDOUT_FILENO) && term_size(STDOUT_FILENO, &(int){0}, &sys->columns) < 0)
        sys->columns = 0;
}

int main(int argc, char **argv)
{
    struct ps_system sys;
    struct proc_table table;
    int style = parse_style(argc, argv);
    int err;

    if (style < 0) {
        fprintf(stderr, "usage: ps [-e] [-f] [-L] [-T] | ps aux | ps v\n");
        return 2;
    }
    /* Processes first, uptime second: a lifetime then covers all the CPU time read. */
    err = proctable_read(&table);
    if (err < 0) {
        fprintf(stderr, "ps: cannot read /proc: %s\n", strerror(-err));
        return 1;
    }
    read_system(&sys);
    print_row(headers[style], &sys);
    for (int i = 0; i < table.count; i++) {
        if (style == STYLE_THREADS || style == STYLE_THREADS_SPID)
            print_threads(&table.procs[i], (enum ps_style)style, &sys);
        else
            print_process(&table.procs[i], (enum ps_style)style, &sys, table.procs[i].stat.pid);
    }
    proctable_free(&table);
    return 0;
}
#endif
