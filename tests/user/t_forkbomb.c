/*
 * t_forkbomb.c - a fork bomb under the default policy and limits: fork
 * fails with EAGAIN at RLIMIT_NPROC, a 1 s sleep beside it ends within a few
 * seconds (it took 15 s when 1,474 processes could spin: under round-robin a
 * woken process waits for every ready one to have its turn, so the default
 * RLIMIT_NPROC keeps that queue short), and SIGKILL to the bomb's process
 * group clears it.  The limit is generous: LATE_LIMIT, or three turns of
 * the run queue (the processes at the limit x SLICE, shared by the CPUs) if
 * that is longer -- 7.7 s on one CPU.  Only a starved sleeper breaks it.
 *
 * Linux exempts root from RLIMIT_NPROC, so there the case is skipped.
 *
 * We, the sleeper, lock our pages in first (mlockall).  On a disk root
 * (tests/qemu/test_user_disk.sh) a program's pages arrive by page fault, and
 * a fault that reads the disk sleeps: its process wakes at the back of the
 * queue, behind every spinning bomb process (2.5 s at 255 of them).  The
 * code we first ran after the bomb started (the note's printf of a %f:
 * musl's float formatting) came in that way a page at a time: 25 s went by
 * before our kill, the bomb had left by itself, and kill(-leader) found
 * nobody (ESRCH).  The sleep measures the scheduler; the disk is measured
 * elsewhere.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include "tests/user/utest.h"

#define BOMB_SECONDS 25 /* every bomb process leaves by itself after this */
#define LATE_LIMIT 5.0  /* seconds a 1 s sleep may overrun, at least */
#define SLICE 0.010     /* round-robin's time slice: one turn of the queue is procs x SLICE */

static int procs_running(void)
{
    char buf[128] = "";
    int fd = open("/proc/loadavg", O_RDONLY);
    CHECK(fd >= 0);
    CHECK(read(fd, buf, sizeof buf - 1) > 0);
    close(fd);
    char *slash = strchr(buf, '/');
    CHECK(slash != NULL);
    return atoi(slash + 1);
}

/* Every process of the bomb: fork, fork, fork...; report the first EAGAIN. */
static void bomb(int report_fd, double deadline)
{
    int reported = 0;
    while (now_seconds() < deadline) {
        pid_t pid = fork();
        if (pid < 0 && errno == EAGAIN && !reported) {
            char c = 'A';
            if (write(report_fd, &c, 1) == 1)
                reported = 1;
        } else if (pid < 0 && errno != EAGAIN) {
            char c = 'X';
            write(report_fd, &c, 1);
            reported = 1;
        }
    }
    _exit(0);
}

static void bomb_gets_eagain_and_a_sleeper_keeps_time(void)
{
    if (!is_sprout()) {
        printf("note: Linux does not limit root's processes; skipped\n");
        return;
    }
    struct rlimit rl;
    CHECK_EQ(getrlimit(RLIMIT_NPROC, &rl), 0);
    int before = procs_running();
    CHECK_EQ(mlockall(MCL_CURRENT), 0); /* (not inherited: the bomb pages as it likes) */
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    double start = now_seconds();
    pid_t leader = fork_or_fail();
    if (leader == 0) {
        setpgid(0, 0);
        close(fds[0]);
        bomb(fds[1], start + BOMB_SECONDS);
    }
    setpgid(leader, leader);
    close(fds[1]);
    char c = 0;
    CHECK_EQ(read(fds[0], &c, 1), 1);
    CHECK_EQ(c, 'A');
    double full = now_seconds();
    int at_limit = procs_running();
    double t = now_seconds();
    sleep_ms(1000);
    double late = now_seconds() - t - 1.0;
    printf(
        "note: limit %ld, %d processes at EAGAIN (%.1f s to get there), a 1 s sleep took %.2f s\n",
        (long)rl.rlim_cur, at_limit, full - start, late + 1.0);
    CHECK(at_limit <= (long)rl.rlim_cur + 1); /* (the count may include one being reaped) */
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    double limit = 3 * at_limit * SLICE / (double)(cpus > 0 ? cpus : 1);
    if (limit < LATE_LIMIT)
        limit = LATE_LIMIT;
    if (late > limit)
        utest_fail(__FILE__, __LINE__, "a 1 s sleep took %.1f s beside %d processes", late + 1.0,
                   at_limit);
    double kill_at = now_seconds();
    if (kill_at > start + BOMB_SECONDS - 1)
        utest_fail(__FILE__, __LINE__, "%.1f s went by before the kill: the bomb may have left",
                   kill_at - start);
    CHECK_EQ(kill(-leader, SIGKILL), 0);
    wait_status(leader);
    while (procs_running() > before && now_seconds() < kill_at + 20) {
        kill(-leader, SIGKILL); /* (children forked while the first kill went round) */
        sleep_ms(50);
    }
    printf("note: bomb gone %.1f s after SIGKILL\n", now_seconds() - kill_at);
    CHECK_EQ(procs_running(), before);
}

static const struct utest_case cases[] = {
    UTEST(bomb_gets_eagain_and_a_sleeper_keeps_time),
};
UTEST_MAIN("forkbomb", cases)
