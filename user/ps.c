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
 *   ps -o LIST  the columns named in LIST (commas or spaces; -o may repeat):
 *               pid ppid user uid stat psr ni vsz rss time %cpu comm args,
 *               e.g. `ps -o pid,psr,comm` for the CPU each process is on
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
    STYLE_FAULTS,
    STYLE_USER /* -o: the columns in user_format */
};

/* The columns ps -o knows; each has Linux's name and heading. */
enum ps_column {
    COL_PID,
    COL_PPID,
    COL_USER,
    COL_UID,
    COL_STAT,
    COL_PSR,
    COL_NI,
    COL_VSZ,
    COL_RSS,
    COL_TIME,
    COL_PCPU,
    COL_COMM,
    COL_ARGS
};

static const struct {
    const char *name, *alias; /* alias: another name Linux accepts, or NULL */
    const char *heading;      /* printed right-aligned in `width` (left for text) */
    int width;
} columns[] = {
    [COL_PID] = {"pid", NULL, "PID", 5},        [COL_PPID] = {"ppid", NULL, "PPID", 5},
    [COL_USER] = {"user", NULL, "USER", -8},    [COL_UID] = {"uid", NULL, "UID", 5},
    [COL_STAT] = {"stat", "s", "STAT", -4},     [COL_PSR] = {"psr", "cpuid", "PSR", 3},
    [COL_NI] = {"ni", "nice", "NI", 3},         [COL_VSZ] = {"vsz", NULL, "VSZ", 7},
    [COL_RSS] = {"rss", NULL, "RSS", 6},        [COL_TIME] = {"time", NULL, "TIME", 8},
    [COL_PCPU] = {"%cpu", "pcpu", "%CPU", 4},   [COL_COMM] = {"comm", "ucomm", "COMMAND", -15},
    [COL_ARGS] = {"args", "cmd", "COMMAND", 0},
};

#define PS_MAX_COLUMNS 16
static struct {
    int count;
    enum ps_column column[PS_MAX_COLUMNS];
} user_format;

/* Adds the columns of a -o list ("pid,psr,comm" or "pid psr"); -1 for an unknown name. */
static int parse_format(const char *list)
{
    char copy[256];
    if (strlen(list) >= sizeof copy)
        return -1;
    strcpy(copy, list);
    char *save = NULL;
    for (char *name = strtok_r(copy, ", ", &save); name; name = strtok_r(NULL, ", ", &save)) {
        size_t i = 0;
        while (i < sizeof columns / sizeof columns[0] && strcmp(name, columns[i].name) != 0 &&
               !(columns[i].alias && strcmp(name, columns[i].alias) == 0))
            i++;
        if (i == sizeof columns / sizeof columns[0] || user_format.count == PS_MAX_COLUMNS)
            return -1;
        user_format.column[user_format.count++] = (enum ps_column)i;
    }
    return user_format.count > 0 ? 0 : -1;
}

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

    user_format.count = 0;
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
        size_t letters = arg[0] == '-' ? strspn(arg + 1, "eAfFLT") : 0;
        if (arg[0] == '-' && arg[1 + letters] == 'o') { /* -o LIST, -oLIST, -eo LIST */
            const char *list =
                arg[2 + letters] ? arg + 2 + letters : (i + 1 < argc ? argv[++i] : NULL);
            if (!list || parse_format(list) < 0)
                return -1;
            style = STYLE_USER;
            continue;
        }
        if (arg[0] != '-' || arg[1] == '\0' || letters != strlen(arg + 1))
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
    return user_format.count > 0 ? STYLE_USER : style;
}

/* Appends one padded cell (text columns, width < 0, are left-aligned and
 * not padded at the end of the row); returns the row's new length. */
static size_t append_cell(char *row, size_t size, size_t used, int width, bool last,
                          const char *text)
{
    int n = snprintf(row + used, size - used, "%s%*s", used ? " " : "",
                     last && width < 0 ? 0 : width, text);
    if (n < 0)
        return used;
    return used + (size_t)n < size ? used + (size_t)n : size - 1;
}

/* The heading of a -o listing. */
static void user_heading(char *row, size_t size)
{
    size_t used = 0;
    row[0] = '\0';
    for (int i = 0; i < user_format.count; i++) {
        enum ps_column column = user_format.column[i];
        used = append_cell(row, size, used, columns[column].width, i == user_format.count - 1,
                           columns[column].heading);
    }
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

/* One column of a -o row, appended to row (`used` bytes so far); returns the new length. */
static size_t user_column(char *row, size_t size, size_t used, int index, const struct process *p,
                          const struct ps_system *sys, const char *user)
{
    enum ps_column column = user_format.column[index];
    char text[2048];
    unsigned long long seconds = (p->stat.utime + p->stat.stime) / (unsigned long long)sys->hz;
    switch (column) {
    case COL_PID:
        snprintf(text, sizeof text, "%d", p->stat.pid);
        break;
    case COL_PPID:
        snprintf(text, sizeof text, "%d", p->stat.ppid);
        break;
    case COL_USER:
        snprintf(text, sizeof text, "%s", user);
        break;
    case COL_UID:
        snprintf(text, sizeof text, "%d", (int)p->uid);
        break;
    case COL_STAT:
        snprintf(text, sizeof text, "%c", p->stat.state);
        break;
    case COL_PSR:
        snprintf(text, sizeof text, "%d", p->stat.processor);
        break;
    case COL_NI:
        snprintf(text, sizeof text, "%ld", p->stat.nice);
        break;
    case COL_VSZ:
        snprintf(text, sizeof text, "%llu", p->stat.vsize / 1024);
        break;
    case COL_RSS:
        snprintf(text, sizeof text, "%llu", (unsigned long long)p->stat.rss * sys->page_kib);
        break;
    case COL_TIME:
        format_clock_duration(seconds, text, sizeof text);
        break;
    case COL_PCPU:
        snprintf(text, sizeof text, "%.1f", cpu_percent(p, sys));
        break;
    case COL_COMM:
        snprintf(text, sizeof text, "%s", p->stat.comm);
        break;
    case COL_ARGS:
        proctable_command(p, true, text, sizeof text);
        break;
    }
    return append_cell(row, size, used, columns[column].width, index == user_format.count - 1,
                       text);
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
    case STYLE_USER: {
        size_t used = 0;
        row[0] = '\0';
        for (int i = 0; i < user_format.count; i++)
            used = user_column(row, sizeof row, used, i, p, sys, user);
        break;
    }
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
        fprintf(stderr, "usage: ps [-e] [-f] [-L] [-T] [-o LIST] | ps aux | ps v\n");
        return 2;
    }
    /* Processes first, uptime second: a lifetime then covers all the CPU time read. */
    err = proctable_read(&table);
    if (err < 0) {
        fprintf(stderr, "ps: cannot read /proc: %s\n", strerror(-err));
        return 1;
    }
    read_system(&sys);
    char heading[512];
    if (style == STYLE_USER)
        user_heading(heading, sizeof heading);
    print_row(style == STYLE_USER ? heading : headers[style], &sys);
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
