/*
 * orphan.c - a child whose parent exits first.
 *
 *   orphan [SECONDS]
 *
 * Every process has a parent, the one that will wait() for it. If the parent
 * exits first, the child is an orphan and the kernel gives it a new parent:
 * init, PID 1, whose job includes waiting for such children so they do not
 * stay zombies forever. Here the parent exits at once; the child sleeps
 * SECONDS (default 1), then prints its parent PID again. (On Linux a
 * "subreaper" such as systemd --user may adopt it instead of PID 1.)
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 1;
    int ready[2]; /* the child says "I have printed my parent" through this pipe */
    char c = '!';
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("orphan: parent %d forks a child and exits without waiting for it.\n", getpid());
    if (pipe(ready) < 0) {
        perror("orphan: pipe");
        return 1;
    }
    pid_t child = fork();
    if (child < 0) {
        perror("orphan: fork");
        return 1;
    }
    if (child > 0) {
        read(ready[0], &c, 1); /* so the child's first line shows the real parent */
        printf("parent %d: exiting now; child %d is on its own\n", getpid(), child);
        return 0;
    }
    printf("child %d: my parent is %d\n", getpid(), getppid());
    write(ready[1], &c, 1);
    struct timespec nap = {(time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9)};
    nanosleep(&nap, NULL);
    printf("child %d: my parent is now %d (expected 1: init adopted me)\n", getpid(), getppid());
    return 0;
}
