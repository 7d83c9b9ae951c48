/*
 * thrash.c - context switching is overhead: pass a token around a ring of processes.
 *
 *   thrash [N] [MILLISECONDS]
 *
 * N processes form a ring of pipes. Each one sleeps in read() until the token
 * arrives, then writes it to the next. Only the holder can run, so every
 * hand-off is a context switch: the kernel saves one process's registers,
 * switches to another's page table and restores its registers. Nothing useful
 * happens between hand-offs, so their rate is the pure cost of switching; and
 * the more processes share a CPU, the longer each waits for its next turn.
 * Without N it runs N = 2, 4, 8, 16, each for MILLISECONDS (default 1000).
 *
 * With several CPUs, the last column shows how busy each CPU was during
 * the run (from the cpuN lines of /proc/stat): a ring has one token, so at
 * most one member runs at a time, and the switching is spread over the CPUs
 * instead of the work.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROCESSES 256
#define MAX_CPUS 16
#define TOKEN 'T'
#define STOP 'S'

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The system-wide context switch count, or -1 if there is no /proc/stat. */
static long long read_ctxt(void)
{
    char buf[8192];
    int fd = open("/proc/stat", O_RDONLY);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    char *line = strstr(buf, "\nctxt ");
    return line ? atoll(line + 6) : -1;
}

/* Ticks each CPU was busy (user + nice + system) and in all, from the
 * cpuN lines of /proc/stat.  Returns the number of CPUs read (0: none). */
static int read_cpu_ticks(long long busy[MAX_CPUS], long long total[MAX_CPUS])
{
    char buf[8192];
    int fd = open("/proc/stat", O_RDONLY), cpus = 0;
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    for (char *line = strstr(buf, "\ncpu0 "); line && cpus < MAX_CPUS;
         line = strstr(line + 1, "\ncpu")) {
        int cpu;
        long long user, nice, system, idle;
        if (sscanf(line + 1, "cpu%d %lld %lld %lld %lld", &cpu, &user, &nice, &system, &idle) !=
                5 ||
            cpu != cpus)
            break;
        busy[cpus] = user + nice + system;
        total[cpus] = busy[cpus] + idle;
        cpus++;
    }
    return cpus;
}

/* A ring member: pass every byte on; leave after passing STOP, or if the ring broke. */
static void member(int in, int out)
{
    char c;
    while (read(in, &c, 1) == 1 && write(out, &c, 1) == 1 && c != STOP)
        ;
    _exit(0);
}

/*
 * Builds the ring: parent -> child n-1 -> ... -> child 1 -> parent. Pipe k
 * carries the token into child k (pipe 0 into the parent); the parent keeps
 * only the ends it needs, so each process holds two descriptors.
 * On success *parent_in / *parent_out are the parent's ends; returns 0.
 */
static int build_ring(int n, int *parent_in, int *parent_out)
{
    int first[2], next_write, pipe_k[2];
    if (pipe(first) < 0)
        return -1;
    *parent_in = first[0];
    next_write = first[1]; /* where the child made next will write */
    for (int k = 1; k < n; k++) {
        if (pipe(pipe_k) < 0)
            return -1;
        pid_t pid = fork();
        if (pid < 0)
            return -1;
        if (pid == 0) {
            close(*parent_in);
            close(pipe_k[1]);
            member(pipe_k[0], next_write);
        }
        close(pipe_k[0]);
        close(next_write);
        next_write = pipe_k[1];
    }
    *parent_out = next_write;
    return 0;
}

/* Runs one ring of n processes for the given time and prints one table row. */
static int run_ring(int n, double seconds)
{
    int in, out;
    char c = TOKEN;
    long laps = 0;
    if (build_ring(n, &in, &out) < 0) {
        perror("thrash: building the ring");
        return -1;
    }
    long long ctxt_before = read_ctxt();
    long long busy_before[MAX_CPUS], total_before[MAX_CPUS], busy[MAX_CPUS], total[MAX_CPUS];
    int cpus = read_cpu_ticks(busy_before, total_before);
    double start = now_seconds(), elapsed = 0;
    write(out, &c, 1);
    /* Until STOP has been all the way round, so every member has left. */
    while (read(in, &c, 1) == 1 && c != STOP) {
        laps++;
        elapsed = now_seconds() - start;
        c = elapsed >= seconds ? STOP : TOKEN;
        if (write(out, &c, 1) != 1)
            break;
    }
    long long ctxt_after = read_ctxt();
    if (read_cpu_ticks(busy, total) != cpus)
        cpus = 0;
    close(in);
    close(out);
    while (wait(NULL) > 0)
        ;
    if (laps == 0 || elapsed <= 0) {
        fprintf(stderr, "thrash: the ring broke before the first lap\n");
        return -1;
    }
    double handoffs = (double)laps * n;
    printf("%5d %14.0f %12.2f %14.1f", n, handoffs / elapsed, elapsed * 1e6 / handoffs,
           elapsed * 1e6 / laps);
    if (ctxt_before >= 0 && ctxt_after >= 0)
        printf(" %16.0f", (ctxt_after - ctxt_before) / elapsed);
    for (int i = 0; cpus > 1 && i < cpus; i++) {
        long long ticks = total[i] - total_before[i];
        printf(" %s%3.0f%%", i == 0 ? " " : "",
               ticks > 0 ? 100.0 * (double)(busy[i] - busy_before[i]) / (double)ticks : 0.0);
    }
    printf("\n");
    return 0;
}

int main(int argc, char **argv)
{
    static const int default_sizes[] = {2, 4, 8, 16};
    int one_size = argc > 1 ? atoi(argv[1]) : 0;
    double seconds = (argc > 2 ? atof(argv[2]) : 1000) / 1000;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1 && (one_size < 2 || one_size > MAX_PROCESSES || seconds <= 0)) {
        fprintf(stderr, "usage: thrash [N (2..%d)] [MILLISECONDS]\n", MAX_PROCESSES);
        return 2;
    }
    printf("thrash: a token goes round a ring of N processes connected by pipes.\n");
    printf("Every hand-off is a context switch and does no useful work: this is overhead.\n");
    printf("A lap is how long each process waits between turns: it grows with N.\n");
    long long busy[MAX_CPUS], total[MAX_CPUS];
    int cpus = read_cpu_ticks(busy, total);
    printf("%5s %14s %12s %14s%s", "N", "hand-offs/s", "us/hand-off", "us/lap (wait)",
           read_ctxt() >= 0 ? "  ctxt/s (system)" : "  (no /proc/stat)");
    for (int i = 0; cpus > 1 && i < cpus; i++)
        printf(" %s cpu%d", i == 0 ? " " : "", i);
    printf("%s\n", cpus > 1 ? "  (busy)" : "");
    for (size_t i = 0; i < (one_size ? 1 : sizeof default_sizes / sizeof default_sizes[0]); i++)
        if (run_ring(one_size ? one_size : default_sizes[i], seconds) < 0)
            return 1;
    printf("With real work between hand-offs the same switches still cost this much;\n"
           "thousands of busy processes on a few cores spend their time switching, not working.\n");
    return 0;
}
