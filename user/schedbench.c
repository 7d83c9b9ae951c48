/*
 * schedbench.c - run a mix of processes and measure how the scheduler treated them.
 *
 *   schedbench [-t] [WORKLOAD]   mix (default), fair, nice, tickets, starve, short
 *   schedbench -l                list the workloads
 *
 * -t traces the run: the scheduling trace is cleared and turned on before
 * the first job starts, and printed after the results (a "--- schedtrace"
 * line, then /proc/schedtrace) for tools/sched-timeline and the lab checks.
 *
 * Each job is a child process of one kind:
 *   cpu     burns a fixed amount of CPU time, then exits (a batch job)
 *   hog     burns CPU until a wall-clock deadline (to measure CPU shares)
 *   io      alternates a short burst of CPU with a sleep (an I/O-bound job)
 *   inter   sleeps, wakes, does a tiny bit of work (an interactive job);
 *           its *latency* is how much later than asked it woke up
 * Just before exiting, each job reads what the kernel measured about it
 * (/proc/self/sched: CPU time, time spent waiting in the run queue, time to
 * first run...) and sends it to us through a pipe.  We print one line
 * per job and a summary:
 *   throughput   jobs finished per second
 *   turnaround   from start to finish (average and worst)
 *   response     from start to first run (average and worst)
 *   fairness     Jain's index of the CPU shares of the hogs: 1.0 = all equal
 *                (shares are divided by tickets when the workload sets them)
 * tools/sched-compare runs the same workload under every policy.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum kind { CPU, HOG, IO, INTER };
static const char *const kind_names[] = {"cpu", "hog", "io", "inter"};

struct job {
    enum kind kind;
    int nice, tickets; /* tickets 0: leave the default */
    int start_ms;      /* delay before the job starts */
    int work_ms;       /* cpu: CPU time; hog: wall time; io/inter: CPU per burst */
    int rounds;        /* io/inter: bursts */
    int sleep_ms;      /* io/inter: sleep between bursts */
};

struct workload {
    const char *name, *about;
    struct job jobs[12];
};

static const struct workload workloads[] = {
    {"mix",
     "2 long batch jobs, 2 I/O-bound, 1 interactive, 3 short jobs arriving later",
     {{CPU, 0, 0, 0, 400, 0, 0},
      {CPU, 0, 0, 0, 400, 0, 0},
      {IO, 0, 0, 0, 2, 10, 20},
      {IO, 0, 0, 0, 2, 10, 20},
      {INTER, 0, 0, 0, 1, 15, 30},
      {CPU, 0, 0, 100, 50, 0, 0},
      {CPU, 0, 0, 200, 50, 0, 0},
      {CPU, 0, 0, 300, 50, 0, 0}}},
    {"fair",
     "three equal CPU hogs for 2 s: do they share equally?",
     {{HOG, 0, 0, 0, 2000, 0, 0}, {HOG, 0, 0, 0, 2000, 0, 0}, {HOG, 0, 0, 0, 2000, 0, 0}}},
    {"nice",
     "CPU hogs at nice 0 and nice 5 for 2 s: does nice change the shares?",
     {{HOG, 0, 0, 0, 2000, 0, 0}, {HOG, 5, 0, 0, 2000, 0, 0}}},
    {"tickets",
     "CPU hogs holding 100, 200 and 300 tickets for 3 s",
     {{HOG, 0, 100, 0, 3000, 0, 0}, {HOG, 0, 200, 0, 3000, 0, 0}, {HOG, 0, 300, 0, 3000, 0, 0}}},
    {"starve",
     "a nice -20 hog for 4 s and a nice 19 job needing 50 ms: does it starve?",
     {{HOG, -20, 0, 0, 4000, 0, 0}, {CPU, 19, 0, 50, 50, 0, 0}}},
    {"short",
     "one long job and many short ones: who waits?",
     {{CPU, 0, 0, 0, 600, 0, 0},
      {CPU, 0, 0, 50, 30, 0, 0},
      {CPU, 0, 0, 100, 30, 0, 0},
      {CPU, 0, 0, 150, 30, 0, 0},
      {CPU, 0, 0, 200, 30, 0, 0},
      {CPU, 0, 0, 250, 30, 0, 0}}},
};
#define NWORKLOADS (sizeof workloads / sizeof workloads[0])

/* What a job reports back (times in ticks of 1/hz s, latency in ms). */
struct report {
    int index, pid, hz;
    long run, wait, response, turnaround, scheduled, voluntary, involuntary, runtime_us;
    double latency_avg, latency_max;
};

static double now_ms(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* Burn CPU until this process has used `ms` more of it. */
static void burn_cpu(int ms)
{
    double until = now_ms(CLOCK_PROCESS_CPUTIME_ID) + ms;
    volatile unsigned long spin = 0;
    while (now_ms(CLOCK_PROCESS_CPUTIME_ID) < until)
        for (int i = 0; i < 20000; i++)
            spin++;
}

static long field(const char *text, const char *name)
{
    const char *at = strstr(text, name);
    return at ? strtol(at + strlen(name), NULL, 10) : -1;
}

/* Fill the report from the kernel's measurements of this process. */
static void measure_self(struct report *r)
{
    char text[2048] = "";
    int fd = open("/proc/self/sched", O_RDONLY);
    if (fd >= 0) {
        ssize_t n = read(fd, text, sizeof text - 1);
        text[n > 0 ? n : 0] = '\0';
        close(fd);
    }
    r->pid = getpid();
    r->hz = (int)field(text, "hz: ");
    r->run = field(text, "run_ticks: ");
    r->runtime_us = field(text, "runtime_us: ");
    r->wait = field(text, "wait_ticks: ");
    r->response = field(text, "response_ticks: ");
    r->turnaround = field(text, "turnaround_ticks: ");
    r->scheduled = field(text, "times_scheduled: ");
    r->voluntary = field(text, "voluntary_switches: ");
    r->involuntary = field(text, "involuntary_switches: ");
}

static void set_tickets(int tickets)
{
    char text[32];
    int fd = open("/proc/self/sched", O_WRONLY);
    int len = snprintf(text, sizeof text, "tickets %d\n", tickets);
    if (fd < 0 || write(fd, text, (size_t)len) != len)
        fprintf(stderr, "schedbench: cannot set tickets: %s\n", strerror(errno));
    if (fd >= 0)
        close(fd);
}

static void run_job(const struct job *j, int index, int report_fd, double deadline_base)
{
    struct report r = {.index = index};
    if (j->nice && setpriority(PRIO_PROCESS, 0, j->nice) < 0)
        fprintf(stderr, "schedbench: setpriority(%d): %s\n", j->nice, strerror(errno));
    if (j->tickets)
        set_tickets(j->tickets);
    double worst = 0, total = 0;
    switch (j->kind) {
    case CPU:
        burn_cpu(j->work_ms);
        break;
    case HOG: {
        volatile unsigned long spin = 0;
        while (now_ms(CLOCK_MONOTONIC) < deadline_base + j->start_ms + j->work_ms)
            for (int i = 0; i < 20000; i++)
                spin++;
        break;
    }
    case IO:
    case INTER:
        for (int k = 0; k < j->rounds; k++) {
            double before = now_ms(CLOCK_MONOTONIC);
            sleep_ms(j->sleep_ms);
            double late = now_ms(CLOCK_MONOTONIC) - before - j->sleep_ms;
            total += late;
            worst = late > worst ? late : worst;
            burn_cpu(j->work_ms);
        }
        break;
    }
    r.latency_avg = j->rounds ? total / j->rounds : 0;
    r.latency_max = worst;
    measure_self(&r);
    if (write(report_fd, &r, sizeof r) != sizeof r)
        _exit(2);
    _exit(0);
}

/* Write a command ("clear", "on", "off") to /proc/schedtrace; 0 or -1. */
static int trace_control(const char *command)
{
    int fd = open("/proc/schedtrace", O_WRONLY);
    ssize_t n = fd >= 0 ? write(fd, command, strlen(command)) : -1;
    if (fd >= 0)
        close(fd);
    if (n < 0)
        fprintf(stderr, "schedbench: /proc/schedtrace %s: %s\n", command, strerror(errno));
    return n < 0 ? -1 : 0;
}

static void trace_print(void)
{
    char buffer[4096];
    ssize_t n;
    int fd = open("/proc/schedtrace", O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "schedbench: /proc/schedtrace: %s\n", strerror(errno));
        return;
    }
    fflush(stdout);
    printf("--- schedtrace\n");
    fflush(stdout);
    while ((n = read(fd, buffer, sizeof buffer)) > 0)
        if (write(1, buffer, (size_t)n) != n)
            break;
    close(fd);
}

static const struct workload *find(const char *name)
{
    for (size_t i = 0; i < NWORKLOADS; i++)
        if (strcmp(workloads[i].name, name) == 0)
            return &workloads[i];
    return NULL;
}

static int job_count(const struct workload *w)
{
    int n = 0;
    while (n < 12 && (w->jobs[n].work_ms || w->jobs[n].rounds))
        n++;
    return n;
}

static void print_results(const struct workload *w, struct report *reports, int n, double wall_ms)
{
    int hz = reports[0].hz > 0 ? reports[0].hz : 100;
    double tick_ms = 1000.0 / hz, sum_t = 0, worst_t = 0, sum_r = 0, worst_r = 0;
    double share_sum = 0, share_sq = 0;
    int hogs = 0;
    printf("%-4s %-5s %5s %7s %7s %8s %8s %9s %11s %6s %6s %9s\n", "job", "kind", "nice", "tickets",
           "pid", "run_ms", "wait_ms", "resp_ms", "turnaround", "vcsw", "ivcsw", "late_ms");
    for (int i = 0; i < n; i++) {
        const struct job *j = &w->jobs[reports[i].index];
        const struct report *r = &reports[i];
        double turnaround = r->turnaround * tick_ms, response = r->response * tick_ms;
        printf("%-4d %-5s %5d %7d %7d %8.0f %8.0f %9.0f %11.0f %6ld %6ld %9.1f\n", r->index,
               kind_names[j->kind], j->nice, j->tickets, r->pid, r->runtime_us / 1000.0,
               r->wait * tick_ms, response, turnaround, r->voluntary, r->involuntary,
               r->latency_max);
        sum_t += turnaround;
        sum_r += response;
        worst_t = turnaround > worst_t ? turnaround : worst_t;
        worst_r = response > worst_r ? response : worst_r;
        if (j->kind == HOG && r->turnaround > 0) {
            double share = r->runtime_us / 1000.0 / turnaround / (j->tickets ? j->tickets : 1);
            share_sum += share;
            share_sq += share * share;
            hogs++;
        }
    }
    double fairness = hogs && share_sq > 0 ? share_sum * share_sum / (hogs * share_sq) : 1.0;
    printf("summary: workload=%s jobs=%d wall_ms=%.0f throughput=%.2f avg_turnaround_ms=%.0f "
           "worst_turnaround_ms=%.0f avg_response_ms=%.1f worst_response_ms=%.1f fairness=%.3f\n",
           w->name, n, wall_ms, n / (wall_ms / 1000.0), sum_t / n, worst_t, sum_r / n, worst_r,
           fairness);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1 && strcmp(argv[1], "-l") == 0) {
        for (size_t i = 0; i < NWORKLOADS; i++)
            printf("%-8s %s\n", workloads[i].name, workloads[i].about);
        return 0;
    }
    bool trace = argc > 1 && strcmp(argv[1], "-t") == 0;
    if (trace) {
        argv++;
        argc--;
    }
    const struct workload *w = find(argc > 1 ? argv[1] : "mix");
    if (!w) {
        fprintf(stderr, "schedbench: unknown workload '%s' (schedbench -l lists them)\n", argv[1]);
        return 2;
    }
    int n = job_count(w), fds[2];
    if (pipe(fds) < 0) {
        perror("schedbench: pipe");
        return 1;
    }
    char policy[128] = "?";
    FILE *f = fopen("/proc/sched", "r");
    if (f && fgets(policy, sizeof policy, f))
        policy[strcspn(policy, "\n")] = '\0';
    if (f)
        fclose(f);
    printf("schedbench: %s -- %s\n%s\n", w->name, w->about, policy);

    if (trace && (trace_control("clear") < 0 || trace_control("on") < 0))
        return 1;
    double start = now_ms(CLOCK_MONOTONIC);
    /* Start jobs in order of their start times, each after its delay. */
    for (int i = 0; i < n; i++) {
        int delay = w->jobs[i].start_ms - (int)(now_ms(CLOCK_MONOTONIC) - start);
        if (delay > 0)
            sleep_ms(delay);
        pid_t pid = fork();
        if (pid < 0) {
            perror("schedbench: fork");
            return 1;
        }
        if (pid == 0) {
            close(fds[0]);
            run_job(&w->jobs[i], i, fds[1], start);
        }
    }
    close(fds[1]);
    struct report reports[12];
    int got = 0;
    while (got < n && read(fds[0], &reports[got], sizeof reports[0]) == sizeof reports[0])
        got++;
    while (wait(NULL) > 0)
        ;
    double wall = now_ms(CLOCK_MONOTONIC) - start;
    if (got != n) {
        fprintf(stderr, "schedbench: only %d of %d jobs reported\n", got, n);
        return 1;
    }
    print_results(w, reports, n, wall);
    if (trace) {
        trace_control("off");
        trace_print();
    }
    return 0;
}
