/*
 * spin.c - a CPU hog: an endless loop that never waits for anything.
 *
 *   spin [-v] [SECONDS]
 *
 * A process that never blocks is always ready to run. The scheduler can still
 * preempt it when its time slice ends (so the shell stays usable), but it
 * takes every slice it is offered: top shows it near 100% CPU. In a server
 * with one event loop this is CPU starvation: nothing else in that process
 * gets a turn. Stop it with ^C (SIGINT); in the background (`spin &`, or
 * after ^Z) with `kill PID` from the same shell.
 * With SECONDS it stops by itself and exits 0; -v prints progress.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHECK_CLOCK_EVERY (1UL << 22) /* iterations between clock reads: keep it cheap */
#define VERBOSE_EVERY (1UL << 27)     /* iterations between -v progress lines */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    int verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
    double seconds = argc > 1 + verbose ? atof(argv[1 + verbose]) : 0;
    volatile unsigned long counter = 0; /* volatile: the loop must really run */
    double start = now_seconds();
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("spin: pid %d is spinning; stop it with ^C (or kill %d if it is in the background)\n",
           getpid(), getpid());
    for (;;) {
        counter++;
        if (verbose && counter % VERBOSE_EVERY == 0)
            printf("spin: %lu iterations, %.1f s\n", counter, now_seconds() - start);
        if (seconds > 0 && counter % CHECK_CLOCK_EVERY == 0 && now_seconds() - start >= seconds)
            break;
    }
    printf("spin: stopped after %.1f s and %lu iterations\n", now_seconds() - start, counter);
    return 0;
}
