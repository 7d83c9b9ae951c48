/*
 * swapdemo.c - what swapping does to a server's response time.
 *
 *   swapdemo [PERCENT...]     working sets as percentages of free RAM
 *                             (default: 50 80 120 160 200)
 *
 * A "server" keeps its data in a working set of pages and answers requests;
 * each request reads and updates REQUEST_PAGES random pages of the set.  For
 * each working-set size the demo serves BATCHES batches of BATCH requests
 * and prints each batch's mean and worst latency, with the pages the kernel
 * swapped in and out meanwhile (/proc/vmstat).
 *
 * While the set fits in RAM a request costs microseconds.  Once it is bigger,
 * a random page is on disk with probability 1 - RAM/set; touching it is a
 * major fault: the kernel writes some other page out to make room and reads
 * this one back (docs/swap.md).  The latency jumps by orders of magnitude --
 * the seed's "API response times spike from 50 ms to 5000 ms".
 *
 * Without a swap area the big sets cannot be allocated (or the OOM killer
 * ends the demo).  Try it with `make qemu MEM=64M` and `vmstat 1 &` running.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096
#define REQUEST_PAGES 8 /* pages one request touches */
#define BATCH 25        /* requests per printed line */
#define BATCHES 3       /* lines per working-set size */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A counter of /proc/vmstat ("name value" lines), or 0. */
static unsigned long vmstat(const char *name)
{
    char line[128];
    unsigned long value = 0;
    FILE *f = fopen("/proc/vmstat", "r");
    if (!f)
        return 0;
    size_t length = strlen(name);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, name, length) == 0 && line[length] == ' ')
            value = strtoul(line + length + 1, NULL, 10);
    fclose(f);
    return value;
}

static unsigned long meminfo_kib(const char *key)
{
    char line[128];
    unsigned long value = 0;
    FILE *f = fopen("/proc/meminfo", "r");
    if (!f)
        return 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, key, strlen(key)) == 0)
            value = strtoul(line + strlen(key), NULL, 10);
    fclose(f);
    return value;
}

static uint64_t next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

/* One request: read and update REQUEST_PAGES random pages of the set. */
static void serve(volatile uint8_t *set, size_t pages, uint64_t *random_state)
{
    for (int i = 0; i < REQUEST_PAGES; i++) {
        size_t page = next_random(random_state) % pages;
        set[page * PAGE + page % PAGE]++;
    }
}

static void run_size(int percent, unsigned long free_kib)
{
    size_t pages = (size_t)free_kib / 4 * (size_t)percent / 100;
    uint8_t *set =
        mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (set == MAP_FAILED) {
        printf("%4d%% of free RAM (%zu MiB): cannot allocate it (no swap?)\n", percent,
               pages / 256);
        return;
    }
    memset(set, 1, pages * PAGE); /* the server loads its data */
    uint64_t random_state = 88172645463325252ull + (uint64_t)percent;
    for (int b = 0; b < BATCHES; b++) {
        unsigned long in = vmstat("pswpin"), out = vmstat("pswpout");
        double total = 0, worst = 0;
        for (int r = 0; r < BATCH; r++) {
            double start = now_ms();
            serve(set, pages, &random_state);
            double took = now_ms() - start;
            total += took;
            if (took > worst)
                worst = took;
        }
        printf("%4d%% of free RAM (%3zu MiB): %d requests, mean %8.3f ms, max %8.3f ms, "
               "swapped in %4lu out %4lu pages\n",
               percent, pages / 256, BATCH, total / BATCH, worst, vmstat("pswpin") - in,
               vmstat("pswpout") - out);
        fflush(stdout);
    }
    munmap(set, pages * PAGE);
}

int main(int argc, char **argv)
{
    static const int default_sizes[] = {50, 80, 120, 160, 200};
    setvbuf(stdout, NULL, _IOLBF, 0);
    unsigned long free_kib = meminfo_kib("MemFree:");
    printf("swapdemo: %lu MiB free RAM, %lu MiB swap; each request touches %d random pages\n",
           free_kib / 1024, meminfo_kib("SwapTotal:") / 1024, REQUEST_PAGES);
    if (argc > 1) {
        for (int i = 1; i < argc; i++) {
            int percent = atoi(argv[i]);
            if (percent <= 0 || percent > 1000) {
                fprintf(stderr, "usage: swapdemo [PERCENT...] (1..1000)\n");
                return 2;
            }
            run_size(percent, free_kib);
        }
        return 0;
    }
    for (size_t i = 0; i < sizeof default_sizes / sizeof default_sizes[0]; i++)
        run_size(default_sizes[i], free_kib);
    return 0;
}
