/*
 * sleep.c - wait for a number of seconds (fractions allowed: sleep 0.5).
 *
 * nanosleep() blocks the process in the kernel until the time is up; a
 * signal handler can cut it short, and then it tells us the time left, so
 * we go back to sleep for the rest.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    char *end;
    double seconds;

    if (argc != 2) {
        fprintf(stderr, "usage: sleep SECONDS\n");
        return 2;
    }
    seconds = strtod(argv[1], &end);
    if (end == argv[1] || *end != '\0' || !(seconds >= 0) || seconds > 1e9) {
        fprintf(stderr, "sleep: invalid time interval '%s'\n", argv[1]);
        return 2;
    }
    struct timespec left = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
    while (nanosleep(&left, &left) < 0) {
        if (errno != EINTR) {
            perror("sleep");
            return 1;
        }
    }
    return 0;
}
