/*
 * test_user_top.c - top's arithmetic on canned snapshots: %CPU from the
 * difference of two snapshots, the sort order, the task counts.
 */
#include "tests/unit/unit.h"

#include "user/top.c"

#define HZ 100

/* A process with what top computes from: PID, state, start time and CPU ticks. */
#define PROC(pid_, state_, start_, utime_, stime_)                                                 \
    {                                                                                              \
        .stat = {                                                                                  \
            .pid = pid_,                                                                           \
            .state = state_,                                                                       \
            .starttime = start_,                                                                   \
            .utime = utime_,                                                                       \
            .stime = stime_,                                                                       \
            .comm = "p"                                                                            \
        }                                                                                          \
    }

/* Rounds a percentage to a whole number, to compare without floating-point noise. */
static long rounded(double percent) { return (long)(percent + 0.5); }

static void cpu_over_the_interval(void)
{
    struct process old_procs[] = {PROC(1, 'S', 0, 100, 50), PROC(5, 'R', 500, 10, 0),
                                  PROC(9, 'S', 800, 40, 0)};
    struct process new_procs[] = {
        PROC(1, 'S', 0, 100, 60),   /* 10 more ticks in 2 s: 5% */
        PROC(5, 'R', 500, 150, 50), /* 190 more ticks in 2 s: 95% */
        PROC(9, 'S', 1100, 30, 0),  /* PID 9 was reused: a new process, all 30 ticks count */
        PROC(12, 'R', 1150, 20, 0), /* born during the interval: 20 ticks, 10% */
    };
    struct history before = {.valid = true, .table = {old_procs, 3}, .uptime = 10.0};

    CHECK_EQ(rounded(cpu_percent(&new_procs[0], &before, 12.0, HZ)), 5);
    CHECK_EQ(rounded(cpu_percent(&new_procs[1], &before, 12.0, HZ)), 95);
    CHECK_EQ(rounded(cpu_percent(&new_procs[2], &before, 12.0, HZ)), 15);
    CHECK_EQ(rounded(cpu_percent(&new_procs[3], &before, 12.0, HZ)), 10);
    /* No time passed: 0, not a division by zero. */
    CHECK_EQ(rounded(cpu_percent(&new_procs[0], &before, 10.0, HZ)), 0);
}

static void first_screen_uses_lifetime_average(void)
{
    struct process p = PROC(3, 'R', 1000, 300, 100); /* started at 10 s, 4 s of CPU */
    struct history none = {.valid = false};

    CHECK_EQ(rounded(cpu_percent(&p, &none, 30.0, HZ)), 20);
    CHECK_EQ(rounded(cpu_percent(&p, &none, 10.0, HZ)), 0); /* just started */
}

static void rows_sorted_busiest_first(void)
{
    struct process procs[] = {PROC(1, 'S', 0, 0, 0), PROC(2, 'R', 0, 50, 0), PROC(3, 'S', 0, 0, 0),
                              PROC(4, 'R', 0, 90, 0)};
    struct proc_table table = {procs, 4};
    struct history none = {.valid = false};
    struct row rows[4];

    make_rows(&table, &none, 1.0, HZ, 2, rows); /* 140% in all: two CPUs */
    CHECK_EQ(rows[0].p->stat.pid, 4);
    CHECK_EQ(rounded(rows[0].cpu_percent), 90);
    CHECK_EQ(rows[1].p->stat.pid, 2);
    CHECK_EQ(rows[2].p->stat.pid, 1); /* equal %CPU: by PID */
    CHECK_EQ(rows[3].p->stat.pid, 3);
}

/* Ticks counted whole over a short interval can add up to more than the
 * CPUs can give (here 150% on one CPU): every row is scaled by the same
 * factor, so the total is 100% and the proportions stay. */
static void total_cpu_never_exceeds_100_per_cpu(void)
{
    struct process old_procs[] = {PROC(1, 'R', 0, 0, 0), PROC(2, 'R', 0, 0, 0),
                                  PROC(3, 'S', 0, 0, 0)};
    struct process new_procs[] = {PROC(1, 'R', 0, 40, 0), PROC(2, 'R', 0, 10, 0),
                                  PROC(3, 'S', 0, 10, 0)};
    struct proc_table table = {new_procs, 3};
    struct history before = {.valid = true, .table = {old_procs, 3}, .uptime = 1.0};
    struct row rows[3];

    make_rows(&table, &before, 1.4, HZ, 1, rows); /* 60 ticks in 0.4 s: 150% */
    CHECK_EQ(rows[0].p->stat.pid, 1);
    CHECK_EQ(rounded(rows[0].cpu_percent * 10), 667); /* 100 * 40/60 */
    CHECK_EQ(rounded(rows[1].cpu_percent * 10), 167);
    CHECK_EQ(rounded(rows[2].cpu_percent * 10), 167);
    CHECK_EQ(rounded(rows[0].cpu_percent + rows[1].cpu_percent + rows[2].cpu_percent), 100);

    /* Two CPUs can give 200%: 150% stands as measured. */
    make_rows(&table, &before, 1.4, HZ, 2, rows);
    CHECK_EQ(rounded(rows[0].cpu_percent), 100);
    CHECK_EQ(rounded(rows[1].cpu_percent), 25);
    /* No CPU count known (0): taken as one. */
    make_rows(&table, &before, 1.4, HZ, 0, rows);
    CHECK_EQ(rounded(rows[0].cpu_percent + rows[1].cpu_percent + rows[2].cpu_percent), 100);
    /* Under the limit nothing changes. */
    make_rows(&table, &before, 2.0, HZ, 1, rows); /* 60 ticks in 1 s: 60% */
    CHECK_EQ(rounded(rows[0].cpu_percent), 40);
}

static void task_counts_by_state(void)
{
    struct process procs[] = {PROC(1, 'S', 0, 0, 0), PROC(2, 'R', 0, 0, 0), PROC(3, 'Z', 0, 0, 0),
                              PROC(4, 'T', 0, 0, 0), PROC(5, 'D', 0, 0, 0), PROC(6, 'I', 0, 0, 0),
                              PROC(7, 'R', 0, 0, 0)};
    struct proc_table table = {procs, 7};
    struct task_counts counts;

    count_tasks(&table, &counts);
    CHECK_EQ(counts.total, 7);
    CHECK_EQ(counts.running, 2);
    CHECK_EQ(counts.sleeping, 3);
    CHECK_EQ(counts.stopped, 1);
    CHECK_EQ(counts.zombie, 1);
}

static void context_switch_rate(void)
{
    struct header h = {.uptime = 12.0, .stat = {.context_switches = 5000}};
    struct history before = {.valid = true, .uptime = 10.0, .context_switches = 3000};
    struct history none = {.valid = false};

    CHECK_EQ(rounded(switches_per_second(&h, &before)), 1000);
    CHECK_EQ(rounded(switches_per_second(&h, &none)), 417); /* 5000 / 12 s since boot */
}

/* A CPU line's percentages come from the difference of two cpu lines. */
static void cpu_line_over_the_interval(void)
{
    struct cpu_times before = {.user = 100, .nice = 0, .system = 20, .idle = 880};
    struct cpu_times busy = {.user = 197, .nice = 0, .system = 23, .idle = 880};
    struct cpu_times idle = {.user = 100, .nice = 10, .system = 20, .idle = 970};

    struct cpu_percent c = cpu_split(&busy, &before); /* 97 user, 3 system ticks */
    CHECK_EQ(rounded(c.user), 97);
    CHECK_EQ(rounded(c.system), 3);
    CHECK_EQ(rounded(c.idle), 0);
    c = cpu_split(&idle, &before);
    CHECK_EQ(rounded(c.nice), 10);
    CHECK_EQ(rounded(c.idle), 90);
    c = cpu_split(&before, &before); /* no tick in between */
    CHECK_EQ(rounded(c.idle), 100);
    c = cpu_split(&before, &busy); /* counters went back (a new boot): not negative */
    CHECK_EQ(rounded(c.user), 0);
}

static void options(void)
{
    char *good[] = {"top", "-b", "-n", "3", "-d", "0.5", NULL};
    char *bad_count[] = {"top", "-n", "0", NULL};
    char *bad_delay[] = {"top", "-d", "x", NULL};
    struct options o;

    optind = 1;
    CHECK_EQ(parse_options(6, good, &o), 0);
    CHECK(o.batch);
    CHECK_EQ(o.iterations, 3);
    CHECK_EQ(rounded(o.delay_seconds * 10), 5);
    CHECK(!o.sched_view);
    char *sched[] = {"top", "-s", NULL};
    optind = 1;
    CHECK_EQ(parse_options(2, sched, &o), 0);
    CHECK(o.sched_view);
    CHECK(!o.threads);
    char *threads[] = {"top", "-H", NULL};
    optind = 1;
    CHECK_EQ(parse_options(2, threads, &o), 0);
    CHECK(o.threads);
    CHECK(!o.cpus_together);
    char *together[] = {"top", "-1", NULL};
    optind = 1;
    CHECK_EQ(parse_options(2, together, &o), 0);
    CHECK(o.cpus_together);
    optind = 1;
    opterr = 0;
    CHECK_EQ(parse_options(3, bad_count, &o), -1);
    optind = 1;
    CHECK_EQ(parse_options(3, bad_delay, &o), -1);
}

static const struct unit_case cases[] = {
    UNIT(cpu_over_the_interval),      UNIT(first_screen_uses_lifetime_average),
    UNIT(rows_sorted_busiest_first),  UNIT(total_cpu_never_exceeds_100_per_cpu),
    UNIT(task_counts_by_state),       UNIT(context_switch_rate),
    UNIT(cpu_line_over_the_interval), UNIT(options),
};
UNIT_MAIN("user.top", cases)
