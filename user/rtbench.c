/*
 * rtbench.c - periodic real-time tasks: who meets their deadlines?
 *
 *   rtbench [-t] [-d MS] [-H HOGS] [NAME:WORK:RUNTIME:DEADLINE:PERIOD ...]
 *
 * Each task is a child process that makes itself SCHED_DEADLINE with
 * sched_setattr(RUNTIME, DEADLINE, PERIOD) (milliseconds) and then, every
 * PERIOD, burns WORK ms of CPU and sleeps (clock_nanosleep) until its next
 * period.  A job that ends later than DEADLINE after its period began is a
 * miss.  HOGS normal processes burn CPU beside them the whole time (default
 * 2), so a policy that does not favour the deadline tasks shows.  Without
 * tasks, the default set is
 *
 *   a:20:40:50:100    due 50 ms after each period of 100: misses unless it goes first
 *   b:20:40:200:200   easy: 20 ms in 200
 *   c:50:10:100:100   overruns: wants 50 ms but reserved 10 -- the budget must hold it
 *                     to 10% of the CPU, so that a and b still meet every deadline
 *
 * Output, one line per task, then hogs and a summary:
 *
 *   task NAME PID jobs JOBS misses MISSES kernel_jobs N kernel_misses N cpu_ms MS
 *   hog PID cpu_ms MS
 *   policy edf
 *   summary: misses a=0 b=0 c=9
 *
 * jobs and misses are counted here, by the clock; kernel_jobs and
 * kernel_misses are the kernel's own count (/proc/PID/sched dl_jobs,
 * dl_misses).  -t traces the run (the scheduling trace is printed after the
 * results, after a "--- schedtrace" line, for tools/sched-timeline: deadline
 * tasks' deadlines and misses are markers on their lanes).  -d sets how long
 * the tasks run (default 1000 ms).  Run as root: SCHED_DEADLINE needs
 * CAP_SYS_NICE, as on Linux.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SCHED_DEADLINE 6
#define MAX_TASKS 8

struct sched_attr { /* Linux's, VER0 (48 bytes) */
    uint32_t size, sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime, sched_deadline, sched_period;
};

struct task {
    char name[16];
    long work, runtime, deadline, period; /* ms */
};

static const char *const default_set[] = {"a:20:40:50:100", "b:20:40:200:200", "c:50:10:100:100"};

static long long now_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_until(long long when_ns)
{
    struct timespec ts = {when_ns / 1000000000LL, when_ns % 1000000000LL};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
}

/* Burn CPU until this thread has used `ms` more of it, or the clock reads `end`
 * (so a task that overruns stops with the others); true if the work is done. */
static int burn(long ms, long long end)
{
    long long until = now_ns(CLOCK_THREAD_CPUTIME_ID) + ms * 1000000LL;
    volatile unsigned long spin = 0;
    while (now_ns(CLOCK_THREAD_CPUTIME_ID) < until) {
        if (now_ns(CLOCK_MONOTONIC) >= end)
            return 0;
        for (int i = 0; i < 2000; i++)
            spin++;
    }
    return 1;
}

static int parse(const char *text, struct task *t)
{
    char name[16];
    if (sscanf(text, "%15[^:]:%ld:%ld:%ld:%ld", name, &t->work, &t->runtime, &t->deadline,
               &t->period) != 5 ||
        t->work < 0 || t->runtime <= 0 || t->deadline <= 0 || t->period <= 0)
        return -1;
    strcpy(t->name, name);
    return 0;
}

/* The kernel's count: a "name: value" line of /proc/self/sched, or -1. */
static long sched_field(const char *name)
{
    char text[2048];
    int fd = open("/proc/self/sched", O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, text, sizeof text - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n <= 0)
        return -1;
    text[n] = '\0';
    char key[40];
    snprintf(key, sizeof key, "\n%s: ", name);
    const char *at = strstr(text, key);
    return at ? atol(at + strlen(key)) : -1;
}

/* One periodic task, in a child: report one "task ..." line on `out`. */
static void run_task(const struct task *t, long long start, long long end, int out)
{
    sleep_until(start);
    struct sched_attr attr = {
        .size = sizeof attr,
        .sched_policy = SCHED_DEADLINE,
        .sched_runtime = t->runtime * 1000000ULL,
        .sched_deadline = t->deadline * 1000000ULL,
        .sched_period = t->period * 1000000ULL,
    };
    if (syscall(SYS_sched_setattr, 0, &attr, 0) < 0) {
        dprintf(out, "task %s %d error sched_setattr: %s\n", t->name, getpid(), strerror(errno));
        exit(1);
    }
    long long first = now_ns(CLOCK_MONOTONIC), period = t->period * 1000000LL;
    long jobs = 0, misses = 0;
    for (long long release = first; release + period <= end; release += period) {
        sleep_until(release);
        jobs++;
        if (!burn(t->work, end)) {
            misses++; /* unfinished at the end: it was due before, or is now */
            break;
        }
        if (now_ns(CLOCK_MONOTONIC) > release + t->deadline * 1000000LL)
            misses++;
    }
    /* The kernel's count, then back to a normal task at once: what follows
     * (reporting, exiting) is no job, and must not count as a late one. */
    long kernel_jobs = sched_field("dl_jobs"), kernel_misses = sched_field("dl_misses");
    struct sched_attr normal = {.size = sizeof normal};
    syscall(SYS_sched_setattr, 0, &normal, 0);
    dprintf(out, "task %s %d jobs %ld misses %ld kernel_jobs %ld kernel_misses %ld cpu_ms %lld\n",
            t->name, getpid(), jobs, misses, kernel_jobs, kernel_misses,
            now_ns(CLOCK_THREAD_CPUTIME_ID) / 1000000);
    exit(0);
}

static void trace_control(const char *command)
{
    int fd = open("/proc/schedtrace", O_WRONLY);
    if (fd < 0 || write(fd, command, strlen(command)) < 0)
        fprintf(stderr, "rtbench: /proc/schedtrace %s: %s\n", command, strerror(errno));
    if (fd >= 0)
        close(fd);
}

static void trace_print(void)
{
    char buffer[4096];
    ssize_t n;
    int fd = open("/proc/schedtrace", O_RDONLY);
    if (fd < 0)
        return;
    printf("--- schedtrace\n");
    fflush(stdout);
    while ((n = read(fd, buffer, sizeof buffer)) > 0)
        if (write(1, buffer, (size_t)n) != n)
            break;
    close(fd);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: rtbench [-t] [-d MS] [-H HOGS] [NAME:WORK:RUNTIME:DEADLINE:PERIOD ...]\n"
            "  (milliseconds; default set: %s %s %s)\n",
            default_set[0], default_set[1], default_set[2]);
    exit(2);
}

int main(int argc, char **argv)
{
    struct task tasks[MAX_TASKS];
    int nr_tasks = 0, hogs = 2, trace = 0, opt;
    long duration = 1000;
    while ((opt = getopt(argc, argv, "td:H:")) != -1) {
        if (opt == 't')
            trace = 1;
        else if (opt == 'd')
            duration = atol(optarg);
        else if (opt == 'H')
            hogs = atoi(optarg);
        else
            usage();
    }
    if (duration <= 0 || hogs < 0 || hogs > MAX_TASKS || argc - optind > MAX_TASKS)
        usage();
    for (int i = optind; i < argc; i++)
        if (parse(argv[i], &tasks[nr_tasks++]) < 0)
            usage();
    if (nr_tasks == 0)
        for (int i = 0; i < 3; i++)
            parse(default_set[i], &tasks[nr_tasks++]);

    int pipefd[2];
    if (pipe(pipefd) < 0) {
        perror("rtbench: pipe");
        return 1;
    }
    if (trace) {
        trace_control("clear");
        trace_control("on");
    }
    fflush(stdout);
    long long start = now_ns(CLOCK_MONOTONIC) + 50000000LL, end = start + duration * 1000000LL;
    pid_t hog_pids[MAX_TASKS];
    for (int i = 0; i < hogs; i++) {
        if ((hog_pids[i] = fork()) == 0) {
            close(pipefd[0]);
            burn(1000000, end);
            dprintf(pipefd[1], "hog %d cpu_ms %lld\n", getpid(),
                    now_ns(CLOCK_THREAD_CPUTIME_ID) / 1000000);
            exit(0);
        }
    }
    for (int i = 0; i < nr_tasks; i++)
        if (fork() == 0) {
            close(pipefd[0]);
            run_task(&tasks[i], start, end, pipefd[1]);
        }
    close(pipefd[1]);
    char line[256];
    FILE *in = fdopen(pipefd[0], "r");
    long misses[MAX_TASKS] = {0};
    while (in && fgets(line, sizeof line, in)) {
        fputs(line, stdout);
        char name[16];
        long jobs, missed;
        if (sscanf(line, "task %15s %*d jobs %ld misses %ld", name, &jobs, &missed) == 3)
            for (int i = 0; i < nr_tasks; i++)
                if (strcmp(tasks[i].name, name) == 0)
                    misses[i] = missed;
    }
    while (wait(NULL) > 0)
        ;
    if (trace)
        trace_control("off");
    char policy[32] = "?";
    FILE *f = fopen("/proc/sched", "r");
    if (f) {
        if (fscanf(f, "policy %31[^:]", policy) != 1)
            strcpy(policy, "?");
        fclose(f);
    }
    printf("policy %s\nsummary: misses", policy);
    for (int i = 0; i < nr_tasks; i++)
        printf(" %s=%ld", tasks[i].name, misses[i]);
    printf("\n");
    if (trace)
        trace_print();
    return 0;
}
