/*
 * cluster.c - one CPU-bound job done twice: by one process, then split
 * across N worker processes that get their share over a pipe and send the
 * answer back over another.  Prints both wall times and the speedup.
 *
 *   cluster [WORKERS [LIMIT]]   default: as many workers as `nproc`, primes below 300000
 *
 * The job counts the primes below LIMIT by trial division (trying every
 * divisor, not stopping at the first: a heavier job), in chunks of
 * 1000 numbers handed out round-robin, so every worker gets a similar mix.
 * With smp=on and two CPUs (docs/smp.md) the speedup is close to 2; on one
 * CPU it is about 1 (a little less: the pipes and switches cost).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 1000
#define MAX_WORKERS 16
/* Every chunk number and answer is queued in a pipe at once: 400 of 8 bytes fit. */
#define MAX_LIMIT (400 * CHUNK)

static long count_primes(long from, long to)
{
    long count = 0;
    for (long n = from < 2 ? 2 : from; n < to; n++) {
        long divisors = 0; /* every divisor up to sqrt(n), on purpose: more work */
        for (long d = 2; d * d <= n; d++)
            divisors += n % d == 0;
        count += divisors == 0;
    }
    return count;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A worker: read chunk numbers until the pipe closes, answer each with its count. */
static void worker(int in, int out)
{
    long chunk;
    while (read(in, &chunk, sizeof chunk) == sizeof chunk) {
        long count = count_primes(chunk * CHUNK, (chunk + 1) * CHUNK);
        if (write(out, &count, sizeof count) != sizeof count)
            _exit(1);
    }
    _exit(0);
}

int main(int argc, char **argv)
{
    cpu_set_t set;
    int cpus = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
    int workers = argc > 1 ? atoi(argv[1]) : cpus;
    long limit = argc > 2 ? atol(argv[2]) : 300000;
    if (workers < 1 || workers > MAX_WORKERS || limit < CHUNK || limit > MAX_LIMIT) {
        fprintf(stderr, "usage: cluster [WORKERS (1-%d) [LIMIT (%d-%d)]]\n", MAX_WORKERS, CHUNK,
                MAX_LIMIT);
        return 2;
    }
    long chunks = limit / CHUNK;

    double start = now();
    long alone = count_primes(0, chunks * CHUNK);
    double t1 = now() - start;
    printf("one process: %ld primes below %ld in %.2f s\n", alone, chunks * CHUNK, t1);

    start = now();
    int to[MAX_WORKERS][2], from[MAX_WORKERS][2];
    pid_t pid[MAX_WORKERS];
    for (int w = 0; w < workers; w++) {
        if (pipe(to[w]) < 0 || pipe(from[w]) < 0) {
            perror("cluster: pipe");
            return 1;
        }
        pid[w] = fork();
        if (pid[w] < 0) {
            perror("cluster: fork");
            return 1;
        }
        if (pid[w] == 0) {
            for (int v = 0; v <= w; v++) { /* keep only this worker's ends */
                close(to[v][1]);
                close(from[v][0]);
            }
            worker(to[w][0], from[w][1]);
        }
        close(to[w][0]);
        close(from[w][1]);
    }
    /* Hand out every chunk (a pipe holds them all: 8 bytes each), then collect. */
    for (long c = 0; c < chunks; c++)
        if (write(to[c % workers][1], &c, sizeof c) != sizeof c) {
            perror("cluster: write");
            return 1;
        }
    for (int w = 0; w < workers; w++)
        close(to[w][1]); /* no more work: each worker ends after its last answer */
    long together = 0;
    for (long c = 0; c < chunks; c++) {
        long count;
        if (read(from[c % workers][0], &count, sizeof count) != sizeof count) {
            fprintf(stderr, "cluster: a worker died\n");
            return 1;
        }
        together += count;
    }
    for (int w = 0; w < workers; w++)
        waitpid(pid[w], NULL, 0);
    double tn = now() - start;
    printf("%d workers:   %ld primes below %ld in %.2f s\n", workers, together, chunks * CHUNK, tn);
    printf("speedup: %.2fx on %d CPU%s\n", t1 / tn, cpus, cpus == 1 ? "" : "s");
    return together == alone ? 0 : 1;
}
