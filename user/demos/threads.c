/*
 * threads.c - processes versus threads, side by side on one machine.
 *
 *   threads [N]          create N processes (fork + exit + wait), then N
 *                        threads (pthread_create + join), with the times
 *   threads -s SECONDS   start three threads that sleep, so another command
 *                        can look at them: `threads -s 10 & ps -L`
 *
 * A process gets its own copy of the memory (copy-on-write page tables), its
 * own descriptor table and handlers; a thread shares all of those with its
 * process and only gets a stack, registers and a TID.  The demo shows it:
 * a global changed by a child process is not seen by its parent, one
 * changed by a thread is.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int shared = 100; /* a global: one copy per process, shared by its threads */

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void *set_shared(void *arg)
{
    shared = (int)(long)arg;
    return NULL;
}

static void *sleeper(void *arg)
{
    printf("threads: thread TID %ld of PID %d sleeps %ld s\n", syscall(SYS_gettid), getpid(),
           (long)arg);
    sleep((unsigned)(long)arg);
    return NULL;
}

static int sleep_with_threads(long seconds)
{
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, sleeper, (void *)seconds);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc == 3 && strcmp(argv[1], "-s") == 0)
        return sleep_with_threads(atol(argv[2]));
    long n = argc > 1 ? atol(argv[1]) : 200;
    if (n <= 0) {
        fprintf(stderr, "usage: threads [N] | threads -s SECONDS\n");
        return 2;
    }

    /* Memory: a child process writes its own copy; a thread writes ours. */
    pid_t pid = fork();
    if (pid == 0) {
        shared = 1;
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("after a child process set shared = 1: we see %d (its own copy)\n", shared);
    pthread_t t;
    pthread_create(&t, NULL, set_shared, (void *)2L);
    pthread_join(t, NULL);
    printf("after a thread set shared = 2:        we see %d (the same memory)\n", shared);

    /* Creation cost. */
    double start = now_us();
    for (long i = 0; i < n; i++) {
        if ((pid = fork()) == 0)
            _exit(0);
        if (pid < 0 || waitpid(pid, NULL, 0) != pid) {
            perror("threads: fork");
            return 1;
        }
    }
    double processes = (now_us() - start) / (double)n;
    start = now_us();
    for (long i = 0; i < n; i++) {
        if (pthread_create(&t, NULL, set_shared, (void *)i) != 0 || pthread_join(t, NULL) != 0) {
            fprintf(stderr, "threads: pthread_create failed\n");
            return 1;
        }
    }
    double threads = (now_us() - start) / (double)n;
    printf("%ld processes (fork + exit + wait):      %8.1f us each\n", n, processes);
    printf("%ld threads (pthread_create + join):     %8.1f us each\n", n, threads);
    printf("a thread is %.1fx cheaper to create than a process\n",
           threads > 0 ? processes / threads : 0.0);
    return 0;
}
