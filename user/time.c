/*
 * time.c - run a program and report how long it took.
 *
 *   time PROGRAM [ARG...]
 *
 *   real  wall-clock time from fork() to the child's exit
 *   user  CPU time the child spent running its own code
 *   sys   CPU time the kernel spent working for it (system calls, faults)
 *
 * user and sys come from the rusage that wait4() returns with the child's
 * status.  real > user + sys means the child waited (for input, a disk,
 * a sleep, or its turn on the CPU).  The report goes to standard error,
 * so it does not mix with the program's output; our exit status is the
 * child's (128 + N if signal N killed it, as in the shell).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds_between(const struct timespec *start, const struct timespec *end)
{
    return (double)(end->tv_sec - start->tv_sec) + (double)(end->tv_nsec - start->tv_nsec) / 1e9;
}

static void report(const char *label, double seconds)
{
    int minutes = (int)(seconds / 60);

    fprintf(stderr, "%s\t%dm%.3fs\n", label, minutes, seconds - minutes * 60.0);
}

int main(int argc, char **argv)
{
    struct timespec start, end;
    struct rusage usage;
    int status;
    pid_t child;

    if (argc < 2) {
        fprintf(stderr, "usage: time PROGRAM [ARG...]\n");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &start);
    child = fork();
    if (child < 0) {
        fprintf(stderr, "time: fork: %s\n", strerror(errno));
        return 1;
    }
    if (child == 0) {
        execvp(argv[1], argv + 1);
        fprintf(stderr, "time: cannot run %s: %s\n", argv[1], strerror(errno));
        _exit(errno == ENOENT ? 127 : 126);
    }
    while (wait4(child, &status, 0, &usage) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "time: wait4: %s\n", strerror(errno));
            return 1;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);

    fprintf(stderr, "\n");
    report("real", seconds_between(&start, &end));
    report("user", (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6);
    report("sys", (double)usage.ru_stime.tv_sec + (double)usage.ru_stime.tv_usec / 1e6);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
