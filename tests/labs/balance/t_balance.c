/*
 * t_balance.c - the multi-core lab's checks in sprout (docs/labs/balance.md),
 * booted with two CPUs and smp=on (tests/labs/balance/run.sh).
 *
 * Where a process is, seen from user space: field 39 of /proc/PID/stat, the
 * CPU it runs on or last ran on.  Each check starts CPU hogs, lets the
 * balancer settle for SETTLE_MS, then samples every hog's CPU SAMPLES times,
 * SAMPLE_MS apart; it passes if at least GOOD_SAMPLES samples show the
 * wanted spread (generous: a sample may catch a moment of imbalance).
 *   balance.four_hogs_two_per_cpu   4 hogs forked at once: 2 on each CPU
 *   balance.idle_cpu_pulls_work     2 hogs that start on CPU 0 (their parent
 *                                   is pinned there) and may then use both:
 *                                   one moves to the idle CPU 1
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SETTLE_MS 500
#define SAMPLES 10
#define SAMPLE_MS 100
#define GOOD_SAMPLES 7
#define MAX_HOGS 4

static void report(const char *name, int ok, const char *why)
{
    if (ok)
        printf("PASS %s\n", name);
    else
        printf("FAIL %s: %s\n", name, why);
    fflush(stdout);
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* Field 39 of /proc/PID/stat, or -1. */
static int processor_of(pid_t pid)
{
    char path[64], text[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = 0;
    char *p = strrchr(text, ')'); /* after the name, which may hold spaces */
    if (!p)
        return -1;
    int field = 2;
    for (char *s = strtok(p + 1, " "); s; s = strtok(NULL, " "))
        if (++field == 39)
            return atoi(s);
    return -1;
}

static pid_t hog(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        for (volatile unsigned long i = 0;; i++)
            ;
    }
    return pid;
}

static void stop(pid_t *pids, int n)
{
    for (int i = 0; i < n; i++)
        if (pids[i] > 0)
            kill(pids[i], SIGKILL);
    for (int i = 0; i < n; i++)
        if (pids[i] > 0)
            waitpid(pids[i], NULL, 0);
}

/*
 * Sample the hogs' CPUs; a sample is good if CPU 0 has `want0` of them and
 * CPU 1 the rest.  Returns the good samples; `seen` gets the last sample.
 */
static int good_samples(const pid_t *pids, int n, int want0, char *seen, size_t size)
{
    int good = 0;
    sleep_ms(SETTLE_MS);
    for (int s = 0; s < SAMPLES; s++) {
        int on[2] = {0, 0}, other = 0, len = 0;
        for (int i = 0; i < n; i++) {
            int cpu = processor_of(pids[i]);
            if (cpu == 0 || cpu == 1)
                on[cpu]++;
            else
                other++;
            len += snprintf(seen + len, size - (size_t)len, "%s%d", i ? " " : "", cpu);
        }
        good += on[0] == want0 && on[1] == n - want0 && !other;
        sleep_ms(SAMPLE_MS);
    }
    return good;
}

static void four_hogs_two_per_cpu(void)
{
    pid_t pids[MAX_HOGS];
    char seen[64], why[256];
    for (int i = 0; i < 4; i++)
        pids[i] = hog();
    int good = good_samples(pids, 4, 2, seen, sizeof seen);
    stop(pids, 4);
    snprintf(why, sizeof why,
             "2 hogs on each CPU in %d of %d samples, wanted %d (the CPUs of the last: %s)", good,
             SAMPLES, GOOD_SAMPLES, seen);
    report("balance.four_hogs_two_per_cpu", good >= GOOD_SAMPLES, why);
}

static void idle_cpu_pulls_work(void)
{
    pid_t pids[2];
    char seen[64], why[256];
    cpu_set_t one, both;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    CPU_ZERO(&both);
    CPU_SET(0, &both);
    CPU_SET(1, &both);
    if (sched_setaffinity(0, sizeof one, &one) != 0) {
        report("balance.idle_cpu_pulls_work", 0, "sched_setaffinity to CPU 0 failed");
        return;
    }
    for (int i = 0; i < 2; i++)
        pids[i] = hog(); /* on CPU 0: they inherit the mask */
    for (int i = 0; i < 2; i++)
        sched_setaffinity(pids[i], sizeof both, &both);
    int good = good_samples(pids, 2, 1, seen, sizeof seen);
    stop(pids, 2);
    sched_setaffinity(0, sizeof both, &both);
    snprintf(why, sizeof why,
             "one hog on each CPU in %d of %d samples, wanted %d (the CPUs of the last: %s)", good,
             SAMPLES, GOOD_SAMPLES, seen);
    report("balance.idle_cpu_pulls_work", good >= GOOD_SAMPLES, why);
}

int main(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0 || CPU_COUNT(&set) < 2) {
        printf("t_balance: processes run on one CPU only: boot with two CPUs and smp=on\n");
        report("balance.four_hogs_two_per_cpu", 0, "one CPU");
        report("balance.idle_cpu_pulls_work", 0, "one CPU");
        return 1;
    }
    four_hogs_two_per_cpu();
    idle_cpu_pulls_work();
    return 0;
}
