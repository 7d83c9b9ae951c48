/*
 * bomb.c - a real fork bomb, with a fuse: every process forks again and
 * again, spinning on EAGAIN once RLIMIT_NPROC stops it, until SECONDS have
 * passed; then each one leaves by itself, and the first to notice prints
 * "bomb: time is up".  The first process to get EAGAIN prints how many
 * processes there are, then creates /tmp/bomb.full.
 *
 *   bomb SECONDS          start the bomb (in the background: `bomb 60 &`)
 *   bomb --wait-full      wait until the bomb is full (at most 60 s), then exit
 *
 * For tests/qemu/test_forkbomb.sh, which types commands at the shell while
 * the bomb is full.  Not named t_*: utest-all does not run it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>

#define FULL_FLAG "/tmp/bomb.full"       /* created once the EAGAIN line is out */
#define REPORTER_FLAG "/tmp/bomb.eagain" /* the one process that reports it */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int processes(void)
{
    char buf[128] = "";
    int fd = open("/proc/loadavg", O_RDONLY);
    if (fd < 0 || read(fd, buf, sizeof buf - 1) <= 0)
        return -1;
    close(fd);
    char *slash = strchr(buf, '/');
    return slash ? atoi(slash + 1) : -1;
}

static int wait_full(void)
{
    for (int i = 0; i < 600; i++) {
        if (access(FULL_FLAG, F_OK) == 0) {
            printf("bomb: full, %d processes\n", processes());
            return 0;
        }
        struct timespec tenth = {0, 100 * 1000 * 1000};
        nanosleep(&tenth, NULL);
    }
    printf("bomb: never got full\n");
    return 1;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc == 2 && strcmp(argv[1], "--wait-full") == 0)
        return wait_full();
    int seconds = argc == 2 ? atoi(argv[1]) : 0;
    if (seconds <= 0 || seconds > 600) {
        fprintf(stderr, "usage: bomb SECONDS | bomb --wait-full\n");
        return 2;
    }
    unlink(FULL_FLAG);
    unlink(REPORTER_FLAG);
    double deadline = now_seconds() + seconds;
    while (now_seconds() < deadline) {
        pid_t pid = fork();
        if (pid < 0 && errno == EAGAIN && access(REPORTER_FLAG, F_OK) != 0) {
            int fd = open(REPORTER_FLAG, O_WRONLY | O_CREAT | O_EXCL, 0644);
            if (fd >= 0) {
                close(fd);
                /* The line first, then the flag that --wait-full waits for:
                 * whatever the shell prints after that comes after it on the
                 * console (this process may wait seconds for its next turn). */
                printf("bomb: fork failed with EAGAIN at %d processes\n", processes());
                fd = open(FULL_FLAG, O_WRONLY | O_CREAT | O_EXCL, 0644);
                if (fd >= 0)
                    close(fd);
            }
        } else if (pid < 0 && errno != EAGAIN) {
            printf("bomb: fork failed: %s\n", strerror(errno));
        }
    }
    if (access("/tmp/bomb.over", F_OK) != 0) {
        int fd = open("/tmp/bomb.over", O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd >= 0)
            printf("bomb: time is up\n");
    }
    return 0;
}
