/*
 * zombie.c - a child that has died but has not been waited for.
 *
 *   zombie [SECONDS]
 *
 * When a process exits, the kernel frees its memory and files at once but
 * keeps a small record - its PID and exit status - until the parent collects
 * it with wait(). Until then the child is a zombie: state Z in ps, holding a
 * PID. A parent that never waits leaks PIDs, and the process table can fill.
 * Here the child exits at once; the parent waits SECONDS (default 10) before
 * calling waitpid, so you can see the zombie from another shell (or run this
 * with & and use ps).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Prints the state letter from /proc/PID/stat, if this system has one. */
static void show_state(pid_t pid)
{
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return;
    buf[n] = '\0';
    char *paren = strrchr(buf, ')'); /* "PID (name) STATE ...": the name may hold spaces */
    if (paren && paren[1] == ' ')
        printf("zombie: %s says state %c\n", path, paren[2]);
}

int main(int argc, char **argv)
{
    int seconds = argc > 1 ? atoi(argv[1]) : 10, status;
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("zombie: parent %d forks a child that exits at once (status 7) and does not wait.\n",
           getpid());
    printf("The dead child keeps its PID and exit status until the parent calls wait().\n");
    pid_t child = fork();
    if (child < 0) {
        perror("zombie: fork");
        return 1;
    }
    if (child == 0)
        _exit(7);
    nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL); /* let it die first */
    printf("child %d is a zombie now: run ps to see state Z (%d s)\n", child, seconds);
    show_state(child);
    for (int left = seconds; left > 0; left--)
        sleep(1);
    pid_t reaped = waitpid(child, &status, 0);
    if (reaped != child) {
        perror("zombie: waitpid");
        return 1;
    }
    printf("reaped child %d with waitpid: exit status %d. Its PID is free again.\n", reaped,
           WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}
