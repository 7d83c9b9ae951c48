/*
 * top.c - a live view of the busiest processes, refreshed every second.
 *
 *   top [-b] [-s] [-H] [-1] [-n ITERATIONS] [-d SECONDS]
 *
 * -H shows threads instead of processes: one row each, its TID in the PID column.
 *
 * The header has a line per CPU ("%Cpu0  :  97.0 us,  3.0 sy,  0.0 ni,
 * 0.0 id", from the cpuN lines of /proc/stat over the interval), so one
 * busy core next to idle ones shows.  The '1' key (or -1) switches to one
 * line for all CPUs together ("%Cpu(s)"), and back, as in procps top.
 *
 * Each refresh reads every process (user/lib/proctable.h) and compares its
 * CPU time (utime + stime from /proc/PID/stat) with the previous snapshot:
 * ticks used during the interval / ticks in the interval = %CPU.  Even the
 * first screen shows an interval: top takes a snapshot, waits a moment
 * (FIRST_INTERVAL) and draws the difference, as procps top does.  (Averages
 * since each process started would add up to more than 100%: a process
 * that has just started, top itself, shows a high average over its short
 * life next to a hog's average over a long one.)  Time is counted in whole
 * ticks, so the sum over a short interval can still come out a tick or two
 * above what the CPUs can give; cap_total_cpu() scales that back.
 *
 * Interactive mode turns off line buffering and echo on the terminal so
 * 'q' quits at once, and draws on the terminal's alternate screen
 * (\033[?1049h ... \033[?1049l, as less and vim do), so that quitting puts
 * back what was on the screen before.  It fills the window: rows and columns
 * from TIOCGWINSZ, read again on SIGWINCH (a new size).  It redraws with
 * three ANSI escapes only: \033[H (cursor home), \033[2J (clear screen),
 * \033[K (clear to end of line), which sprout's VGA console understands
 * (it ignores the alternate-screen ones).  -b (batch) prints plain snapshots
 * one after another, for logs and tests.
 *
 * Two views of the same processes: memory and CPU time (the default), and
 * the scheduler's view (-s, or the 's' key): nice, tickets, MLFQ level, how
 * often each process was picked, how long it ran and how long it waited
 * ready in the run queue, its response time and its voluntary/involuntary
 * switches, all from /proc/PID/sched.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "user/lib/format.h"
#include "user/lib/procfs.h"
#include "user/lib/proctable.h"
#include "user/lib/term.h"
#include "user/lib/users.h"

#define FIRST_INTERVAL 0.5 /* seconds between the first snapshot and the first screen, at most */
#define MIN(a, b) ((a) < (b) ? (a) : (b))

struct options {
    bool batch;
    long iterations;      /* 0: until 'q' */
    double delay_seconds; /* between refreshes */
    bool sched_view;      /* -s: the scheduler's columns */
    bool threads;         /* -H: a row per thread */
    bool cpus_together;   /* -1: one %Cpu(s) line instead of one per CPU */
};

/* The system-wide numbers of the header, read fresh for every screen. */
struct header {
    double uptime;
    struct loadavg load;
    struct system_stat stat;
    struct meminfo mem;
    char sched[128]; /* first line of /proc/sched (sprout's scheduler), or "" */
};

/* One process row: the process and its share of a CPU in this interval. */
struct row {
    const struct process *p;
    double cpu_percent;
    bool has_sched; /* sched holds /proc/PID/sched (scheduler view only) */
    struct proc_sched sched;
};

struct task_counts {
    int total, running, sleeping, stopped, zombie;
};

/* Where the previous screen left off, to compute rates over the interval. */
struct history {
    bool valid;
    struct proc_table table;
    double uptime;
    unsigned long long context_switches;
    struct system_stat stat; /* the CPUs' tick counters */
};

/* Where a CPU's ticks went in the interval, in percent. */
struct cpu_percent {
    double user, system, nice, idle;
};

/* ---------------------------------------------------------------------- */
/* Computing: pure functions of two snapshots (tests/unit/test_user_top.c). */

static void count_tasks(const struct proc_table *table, struct task_counts *counts)
{
    memset(counts, 0, sizeof *counts);
    for (int i = 0; i < table->count; i++) {
        counts->total++;
        switch (table->procs[i].stat.state) {
        case 'R':
            counts->running++;
            break;
        case 'T':
        case 't':
            counts->stopped++;
            break;
        case 'Z':
            counts->zombie++;
            break;
        default: /* S, D, I: waiting for something */
            counts->sleeping++;
        }
    }
}

/*
 * %CPU of p over the last `interval` seconds.  A process missing from the
 * previous snapshot (or a new process that reuses an old PID: different
 * start time) was born during the interval, so all its ticks count.
 * Without a previous snapshot at all: the average since it started.
 */
static double cpu_percent(const struct process *p, const struct history *before, double uptime,
                          long hz)
{
    unsigned long long ticks = p->stat.utime + p->stat.stime;
    double interval;

    if (before->valid) {
        const struct process *old = proctable_find(&before->table, p->stat.pid);
        if (old && old->stat.starttime == p->stat.starttime)
            ticks -= old->stat.utime + old->stat.stime;
        interval = uptime - before->uptime;
    } else {
        interval = uptime - (double)p->stat.starttime / (double)hz;
    }
    if (interval <= 0)
        return 0.0;
    return 100.0 * (double)ticks / (double)hz / interval;
}

/* Busiest first; equal ones by PID, so the order does not flicker. */
static int compare_rows(const void *a, const void *b)
{
    const struct row *x = a, *y = b;

    if (x->cpu_percent != y->cpu_percent)
        return x->cpu_percent < y->cpu_percent ? 1 : -1;
    return (x->p->stat.pid > y->p->stat.pid) - (x->p->stat.pid < y->p->stat.pid);
}

/*
 * All processes together cannot use more than `cpus` CPUs.  Counting in
 * whole ticks (and reading the processes a moment before the clock) can
 * make the sum come out a little higher; if it does, scale every row down
 * by the same factor, so the order and the proportions stay.
 */
static void cap_total_cpu(struct row *rows, int count, int cpus)
{
    double total = 0, limit = 100.0 * (cpus > 0 ? cpus : 1);

    for (int i = 0; i < count; i++)
        total += rows[i].cpu_percent;
    if (total <= limit)
        return;
    for (int i = 0; i < count; i++)
        rows[i].cpu_percent *= limit / total;
}

/* Fills rows[] (table->count entries) sorted by %CPU, at most 100% per CPU in all. */
static void make_rows(const struct proc_table *table, const struct history *before, double uptime,
                      long hz, int cpus, struct row *rows)
{
    for (int i = 0; i < table->count; i++) {
        rows[i].p = &table->procs[i];
        rows[i].cpu_percent = cpu_percent(&table->procs[i], before, uptime, hz);
        rows[i].has_sched = false;
    }
    cap_total_cpu(rows, table->count, cpus);
    qsort(rows, (size_t)table->count, sizeof *rows, compare_rows);
}

/* Context switches per second over the interval (or since boot, the first time). */
static double switches_per_second(const struct header *h, const struct history *before)
{
    if (before->valid && h->uptime > before->uptime)
        return (double)(h->stat.context_switches - before->context_switches) /
               (h->uptime - before->uptime);
    return h->uptime > 0 ? (double)h->stat.context_switches / h->uptime : 0.0;
}

/* A CPU's (or all CPUs') time over the interval, from two cpu lines of /proc/stat. */
static struct cpu_percent cpu_split(const struct cpu_times *now, const struct cpu_times *before)
{
    struct cpu_times d = {now->user - before->user, now->nice - before->nice,
                          now->system - before->system, now->idle - before->idle};
    double total = (double)(d.user + d.nice + d.system + d.idle);
    if (now->user < before->user || now->nice < before->nice || now->system < before->system ||
        now->idle < before->idle || total == 0)
        return (struct cpu_percent){0, 0, 0, 100.0}; /* nothing counted: call it idle */
    return (struct cpu_percent){100.0 * (double)d.user / total, 100.0 * (double)d.system / total,
                                100.0 * (double)d.nice / total, 100.0 * (double)d.idle / total};
}

/* Returns 0, or -1 for a usage error. */
static int parse_options(int argc, char **argv, struct options *o)
{
    int option;
    char *end;

    o->batch = false;
    o->iterations = 0;
    o->delay_seconds = 1.0;
    o->sched_view = false;
    o->threads = false;
    o->cpus_together = false;
    while ((option = getopt(argc, argv, "bsH1n:d:")) != -1) {
        switch (option) {
        case 'b':
            o->batch = true;
            break;
        case 's':
            o->sched_view = true;
            break;
        case 'H':
            o->threads = true;
            break;
        case '1':
            o->cpus_together = true;
            break;
        case 'n':
            o->iterations = strtol(optarg, &end, 10);
            if (*end || o->iterations < 1)
                return -1;
            break;
        case 'd':
            o->delay_seconds = strtod(optarg, &end);
            if (*end || !(o->delay_seconds >= 0.01) || o->delay_seconds > 86400)
                return -1;
            break;
        default:
            return -1;
        }
    }
    return optind == argc ? 0 : -1;
}

/*
 * Everything below reads /proc and drives the terminal.  The unit tests
 * (which #include this file with HOST_TEST defined) stop here.
 */
#ifndef HOST_TEST

/* Set by the SIGINT/SIGTERM handler and the 'q' key; main() then restores the terminal. */
static volatile sig_atomic_t quit_requested;
/* Set by the SIGWINCH handler: the window has a new size. */
static volatile sig_atomic_t resized;

#define ALTERNATE_SCREEN "\033[?1049h" /* save the screen, switch to a blank one */
#define NORMAL_SCREEN "\033[?1049l"    /* back to the saved screen */

/* ---------------------------------------------------------------------- */
/* Reading the system-wide files. */

static void read_header(struct header *h)
{
    char text[PROCFS_BIG_TEXT_SIZE];

    memset(h, 0, sizeof *h);
    if (procfs_read("/proc/uptime", text, sizeof text) >= 0)
        procfs_parse_uptime(text, &h->uptime);
    if (procfs_read("/proc/loadavg", text, sizeof text) >= 0)
        procfs_parse_loadavg(text, &h->load);
    if (procfs_read("/proc/stat", text, sizeof text) >= 0)
        procfs_parse_system_stat(text, &h->stat);
    if (procfs_read("/proc/meminfo", text, sizeof text) >= 0)
        procfs_parse_meminfo(text, &h->mem);
    /* Only sprout has /proc/sched; its first line names the scheduling policy. */
    if (procfs_read("/proc/sched", text, sizeof text) > 0)
        snprintf(h->sched, sizeof h->sched, "%.*s", (int)strcspn(text, "\n"), text);
}

/* ---------------------------------------------------------------------- */
/* Drawing: lines are cut to the screen and, interactively, end in \033[K. */

struct screen {
    bool interactive;
    int rows, columns;  /* interactive only */
    int lines;          /* written so far in this frame */
    bool sched_view;    /* the scheduler's columns instead of memory and time */
    int cpus;           /* what %CPU adds up to at most: 100 per CPU */
    bool cpus_together; /* one %Cpu(s) line, not one per CPU (the '1' key) */
};

static void __attribute__((format(printf, 2, 3)))
screen_line(struct screen *s, const char *format, ...)
{
    char line[1024];
    va_list args;

    if (s->interactive && s->lines >= s->rows)
        return;
    va_start(args, format);
    vsnprintf(line, sizeof line, format, args);
    va_end(args);
    /* Interactively the newline comes before each line but the first, so
     * the last row is used without a newline that would scroll the screen. */
    if (s->interactive)
        printf("%s%.*s\033[K", s->lines > 0 ? "\n" : "", s->columns, line);
    else
        printf("%s\n", line);
    s->lines++;
}

static void cpu_line(struct screen *s, const char *label, const struct cpu_times *now,
                     const struct cpu_times *before)
{
    static const struct cpu_times since_boot;
    struct cpu_percent c = cpu_split(now, before ? before : &since_boot);
    screen_line(s, "%-7s: %5.1f us, %5.1f sy, %5.1f ni, %5.1f id", label, c.user, c.system, c.nice,
                c.idle);
}

/* A line per CPU, or one for all of them; over the interval, or since boot. */
static void draw_cpus(struct screen *s, const struct system_stat *now, const struct history *before)
{
    const struct system_stat *old = before->valid ? &before->stat : NULL;
    if (s->cpus_together || now->cpus <= 1) {
        cpu_line(s, "%Cpu(s)", &now->all, old ? &old->all : NULL);
        return;
    }
    for (int i = 0; i < now->cpus; i++) {
        char label[16];
        snprintf(label, sizeof label, "%%Cpu%d", i);
        cpu_line(s, label, &now->cpu[i], old && i < old->cpus ? &old->cpu[i] : NULL);
    }
}

static void draw_header(struct screen *s, const struct header *h, const struct history *before,
                        const struct task_counts *tasks)
{
    char clock[16], up[64];
    time_t now = time(NULL);
    struct tm local;

    localtime_r(&now, &local);
    strftime(clock, sizeof clock, "%H:%M:%S", &local);
    format_uptime((unsigned long long)h->uptime, up, sizeof up);
    screen_line(s, "top - %s up %s,  load average: %.2f, %.2f, %.2f", clock, up, h->load.one,
                h->load.five, h->load.fifteen);
    screen_line(s, "Tasks: %3d total, %3d running, %3d sleeping, %3d stopped, %3d zombie",
                tasks->total, tasks->running, tasks->sleeping, tasks->stopped, tasks->zombie);
    screen_line(s, "Switches: %.0f/s context switches, %llu since boot, %llu forks since boot",
                switches_per_second(h, before), h->stat.context_switches, h->stat.forks);
    if (h->sched[0])
        screen_line(s, "Sched: %s", h->sched);
    draw_cpus(s, &h->stat, before);
    screen_line(s, "KiB Mem: %8llu total, %8llu free, %8llu used, %8llu buff/cache", h->mem.total,
                h->mem.free, h->mem.total - h->mem.available,
                h->mem.buffers + h->mem.cached + h->mem.reclaimable);
    screen_line(s, "%s", "");
}

static void draw_processes(struct screen *s, const struct row *rows, int count, long hz)
{
    unsigned long long page_kib = (unsigned long long)sysconf(_SC_PAGESIZE) / 1024;
    char cpu_time[32];

    screen_line(s, "  PID USER     S  %%CPU     RSS      VSZ     VCSW    NVCSW     TIME+ COMMAND");
    for (int i = 0; i < count; i++) {
        const struct process *p = rows[i].p;
        char user[32];
        users_user_name(p->uid, user, sizeof user);
        format_ticks_time(p->stat.utime + p->stat.stime, hz, cpu_time, sizeof cpu_time);
        screen_line(s, "%5d %-8.8s %c %5.1f %7llu %8llu %8llu %8llu %9s %s", p->stat.pid, user,
                    p->stat.state, rows[i].cpu_percent, (unsigned long long)p->stat.rss * page_kib,
                    p->stat.vsize / 1024, p->voluntary_switches, p->involuntary_switches, cpu_time,
                    p->stat.comm);
    }
}

/* Ticks as seconds with two decimals ("12.34"). */
static void format_seconds(unsigned long long ticks, long hz, char *out, size_t size)
{
    unsigned long long hundredths = ticks * 100 / (unsigned long long)hz;
    snprintf(out, size, "%llu.%02llu", hundredths / 100, hundredths % 100);
}

/* The scheduler's view: one line per process from /proc/PID/sched. */
static void draw_sched(struct screen *s, const struct row *rows, int count)
{
    char run[24], wait[24], response[24];

    screen_line(s,
                "  PID S  %%CPU  NI  TKTS LVL PICKED   RUN_s  WAIT_s RESP_ms  VCSW NVCSW COMMAND");
    for (int i = 0; i < count; i++) {
        const struct process *p = rows[i].p;
        const struct proc_sched *q = &rows[i].sched;
        if (!rows[i].has_sched) {
            screen_line(s, "%5d %c %5.1f  (no /proc/%d/sched) %s", p->stat.pid, p->stat.state,
                        rows[i].cpu_percent, p->stat.pid, p->stat.comm);
            continue;
        }
        format_seconds(q->run_ticks, q->hz, run, sizeof run);
        format_seconds(q->wait_ticks, q->hz, wait, sizeof wait);
        if (q->response_ticks < 0)
            snprintf(response, sizeof response, "-");
        else
            snprintf(response, sizeof response, "%lld", q->response_ticks * 1000 / q->hz);
        screen_line(s, "%5d %c %5.1f %3ld %5llu %3ld %6llu %7s %7s %7s %5llu %5llu %s", p->stat.pid,
                    p->stat.state, rows[i].cpu_percent, q->nice, q->tickets, q->level,
                    q->times_scheduled, run, wait, response, q->voluntary, q->involuntary,
                    p->stat.comm);
    }
}

/* Scheduler view: reads each process's /proc/PID/sched (a process may have exited). */
static void read_sched(struct row *rows, int count)
{
    char text[PROCFS_TEXT_SIZE];

    for (int i = 0; i < count; i++)
        rows[i].has_sched = procfs_read_pid(rows[i].p->stat.pid, "sched", text, sizeof text) > 0 &&
                            procfs_parse_pid_sched(text, &rows[i].sched) == 0;
}

static bool show_threads; /* top -H */

/* Reads the processes, then the header: the interval then covers every tick read. */
static int take_snapshot(struct proc_table *table, struct header *h)
{
    int err = show_threads ? proctable_read_threads(table) : proctable_read(table);
    if (err < 0)
        return err;
    read_header(h);
    return 0;
}

/* Keeps a snapshot (taking over `table`) to compare the next one with. */
static void remember(struct history *history, struct proc_table *table, const struct header *h)
{
    if (history->valid)
        proctable_free(&history->table);
    history->table = *table;
    history->uptime = h->uptime;
    history->context_switches = h->stat.context_switches;
    history->stat = h->stat;
    history->valid = true;
}

/* Reads a new snapshot, draws it, and keeps it in *history for next time. */
static int refresh(struct screen *s, struct history *history, long hz)
{
    struct header h;
    struct proc_table table;
    struct task_counts tasks;
    struct row *rows;
    int err;

    err = take_snapshot(&table, &h);
    if (err < 0)
        return err;
    rows = malloc(((size_t)table.count + 1) * sizeof *rows);
    if (!rows) {
        proctable_free(&table);
        return -ENOMEM;
    }
    make_rows(&table, history, h.uptime, hz, s->cpus, rows);
    count_tasks(&table, &tasks);

    s->lines = 0;
    if (s->interactive)
        printf("\033[H");
    draw_header(s, &h, history, &tasks);
    if (s->sched_view) {
        read_sched(rows, table.count);
        draw_sched(s, rows, table.count);
    } else {
        draw_processes(s, rows, table.count, hz);
    }
    /* Blank out what is left of the previous, perhaps longer, frame. */
    while (s->interactive && s->lines < s->rows)
        screen_line(s, "%s", "");
    fflush(stdout);

    free(rows);
    remember(history, &table, &h);
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Waiting: for the delay, or until a key or a signal says to stop. */

static void on_signal(int signal_number) { quit_requested = 1; }
static void on_resize(int signal_number) { resized = 1; }

/* After SIGWINCH: the new size, and a clean screen to draw it on. */
static void follow_resize(struct screen *screen)
{
    resized = 0;
    term_size(STDOUT_FILENO, &screen->rows, &screen->columns);
    printf("\033[2J");
}

/*
 * Sleeps up to `seconds`.  With the keyboard on, returns early on a key:
 * 'q' quits, 's' switches between the default and the scheduler view, '1'
 * between a line per CPU and one for all.
 */
static void wait_for_key(double seconds, bool keyboard, struct screen *screen)
{
    if (!keyboard) {
        struct timespec delay = {(time_t)seconds,
                                 (long)((seconds - (double)(time_t)seconds) * 1e9)};
        nanosleep(&delay, NULL); /* a signal cuts it short: fine */
        return;
    }
    struct pollfd input = {.fd = STDIN_FILENO, .events = POLLIN};
    if (poll(&input, 1, (int)(seconds * 1000)) > 0) {
        char key = 0;
        if (read(STDIN_FILENO, &key, 1) != 1)
            return;
        if (key == 'q' || key == 'Q')
            quit_requested = 1;
        else if (key == 's')
            screen->sched_view = !screen->sched_view;
        else if (key == '1')
            screen->cpus_together = !screen->cpus_together;
    }
}

int main(int argc, char **argv)
{
    struct options options;
    struct screen screen = {.rows = 24, .columns = 80};
    struct history history = {.valid = false};
    struct sigaction quit = {.sa_handler = on_signal}; /* no SA_RESTART: poll() returns */
    struct sigaction resize = {.sa_handler = on_resize};
    long hz = sysconf(_SC_CLK_TCK);
    bool keyboard = false;
    struct header first_header;
    struct proc_table first_table;

    if (parse_options(argc, argv, &options) < 0) {
        fprintf(stderr, "usage: top [-b] [-s] [-H] [-1] [-n ITERATIONS] [-d SECONDS]\n");
        return 2;
    }
    screen.interactive = !options.batch;
    screen.sched_view = options.sched_view;
    screen.cpus_together = options.cpus_together;
    show_threads = options.threads;
    screen.cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (screen.interactive) {
        term_size(STDOUT_FILENO, &screen.rows, &screen.columns);
        sigaction(SIGINT, &quit, NULL);
        sigaction(SIGTERM, &quit, NULL);
        sigaction(SIGHUP, &quit, NULL);
        sigaction(SIGWINCH, &resize, NULL);
        keyboard = term_enter_raw(STDIN_FILENO) == 0;
        /* One write per frame: the whole screen changes at once, without flicker. */
        setvbuf(stdout, NULL, _IOFBF, 64 * 1024);
        printf(ALTERNATE_SCREEN "\033[2J");
        fflush(stdout);
    }
    /* The first screen, too, shows an interval (see the top of the file). */
    if (take_snapshot(&first_table, &first_header) == 0) {
        remember(&history, &first_table, &first_header);
        wait_for_key(MIN(FIRST_INTERVAL, options.delay_seconds), keyboard, &screen);
    }
    for (long i = 0; !quit_requested && (options.iterations == 0 || i < options.iterations); i++) {
        if (i > 0) {
            wait_for_key(options.delay_seconds, keyboard, &screen);
            if (quit_requested)
                break;
            if (options.batch)
                printf("\n");
        }
        if (resized)
            follow_resize(&screen);
        int err = refresh(&screen, &history, hz);
        if (err < 0) {
            term_restore();
            if (screen.interactive)
                printf(NORMAL_SCREEN);
            fflush(stdout);
            fprintf(stderr, "top: cannot read /proc: %s\n", strerror(-err));
            return 1;
        }
    }
    term_restore();
    if (screen.interactive)
        printf(NORMAL_SCREEN);
    if (history.valid)
        proctable_free(&history.table);
    return 0;
}
#endif
