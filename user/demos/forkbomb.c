/*
 * forkbomb.c - a guarded fork bomb: fork until the kernel refuses.
 *
 *   forkbomb [LIMIT]
 *
 * A process that forks without bound fills the process table and starves
 * everyone else. The defence is a per-user limit on processes, RLIMIT_NPROC
 * (`ulimit -u`): when a user already owns that many, fork fails with EAGAIN.
 * This demo lowers its own limit to LIMIT (default 20), forks children that
 * just sleep until fork fails, then kills and reaps them all and exits 0.
 * It never forks more than a fixed number, even if no limit stops it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define HARD_CAP 1000 /* never more children than this, whatever the limit says */

/* A child: sleep until killed, or until the parent is gone (then leave too). */
static void child_wait(pid_t parent)
{
    for (int i = 0; i < 60 && getppid() == parent; i++)
        sleep(1);
    _exit(0);
}

static void kill_and_reap(const pid_t *children, int count)
{
    for (int i = 0; i < count; i++)
        kill(children[i], SIGKILL);
    for (int i = 0; i < count; i++)
        waitpid(children[i], NULL, 0);
    printf("killed and reaped %d children; the process table is back to normal.\n", count);
}

int main(int argc, char **argv)
{
    static pid_t children[HARD_CAP];
    long limit = argc > 1 ? atol(argv[1]) : 20;
    int count = 0, cap;
    struct rlimit rl;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (limit < 1 || limit > HARD_CAP / 2) {
        fprintf(stderr, "usage: forkbomb [LIMIT (1..%d)]\n", HARD_CAP / 2);
        return 2;
    }
    cap = 2 * limit + 10;
    if (getrlimit(RLIMIT_NPROC, &rl) == 0) {
        rl.rlim_cur = limit;
        if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < rl.rlim_cur)
            rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NPROC, &rl) < 0)
            printf("forkbomb: setrlimit failed: %s\n", strerror(errno));
    }
    printf("forkbomb: pid %d sets RLIMIT_NPROC to %lu, then forks until fork fails.\n", getpid(),
           (unsigned long)rl.rlim_cur);
    printf("The limit counts every process this user owns (the shell, this program...),\n"
           "so fewer than %ld children fit. Without it, this would fill the process table.\n",
           limit);
    for (; count < cap; count++) {
        pid_t pid = fork();
        if (pid == 0)
            child_wait(getppid());
        if (pid < 0) {
            if (errno == EAGAIN)
                printf("fork failed: EAGAIN after %d processes\n", count);
            else
                printf("fork failed: %s after %d processes\n", strerror(errno), count);
            kill_and_reap(children, count);
            return 0;
        }
        children[count] = pid;
        if ((count + 1) % 5 == 0)
            printf("%d children so far\n", count + 1);
    }
    printf("forked %d children and fork never failed: RLIMIT_NPROC is not enforced for\n"
           "this user (on Linux, root ignores it). Stopping at the guard.\n",
           count);
    kill_and_reap(children, count);
    return 1;
}
