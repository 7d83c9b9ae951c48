/*
 * leak.c - a memory leak: allocate, touch, never free, until the kernel says no.
 *
 *   leak [MIB_PER_STEP] [MAX_MIB]
 *
 * malloc only reserves address space; RAM is spent when a page is first
 * touched (a page fault gives it a frame). So each step writes one byte to
 * every page, making the memory really resident. With nothing freed, the
 * process grows until either the kernel refuses more address space (malloc
 * returns NULL: we report it and exit 1) or physical memory runs out and the
 * OOM killer ends the process with SIGKILL (shell status 137).
 * MAX_MIB (default: no limit) stops the demo early with exit 0.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long step_mib = argc > 1 ? atol(argv[1]) : 1;
    long max_mib = argc > 2 ? atol(argv[2]) : 0;
    long page = sysconf(_SC_PAGESIZE), held_mib = 0;
    setvbuf(stdout, NULL, _IOLBF, 0); /* lines must be out before a SIGKILL */
    if (step_mib < 1 || max_mib < 0) {
        fprintf(stderr, "usage: leak [MIB_PER_STEP] [MAX_MIB]\n");
        return 2;
    }
    printf("leak: pid %d allocates %ld MiB per step, touches every page, frees nothing.\n",
           getpid(), step_mib);
    printf("Touched pages are real RAM. Watch it grow (top, ps) until the kernel refuses\n");
    printf("more memory or the OOM killer kills this process to save the system.\n");
    for (;;) {
        size_t bytes = (size_t)step_mib << 20;
        char *block = malloc(bytes);
        if (!block) {
            printf("malloc failed after %ld MiB: the kernel would not give more memory.\n"
                   "A real server would now fail requests; this one gives up (exit 1).\n",
                   held_mib);
            return 1;
        }
        for (size_t i = 0; i < bytes; i += page)
            ((volatile char *)block)[i] = 1; /* first touch: a fault makes it resident */
        held_mib += step_mib;
        printf("holding %ld MiB\n", held_mib);
        if (max_mib && held_mib >= max_mib) {
            printf("reached %ld MiB; exiting without free(): exit returns it all.\n", max_mib);
            return 0;
        }
    }
}
