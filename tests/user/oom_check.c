/*
 * oom_check.c - the OOM killer: a process that leaks memory until RAM runs
 * out is killed with SIGKILL, the biggest one goes while a smaller bystander
 * and the parent live on, its memory comes back (MemFree in /proc/meminfo
 * returns to within 1 MiB of before), and the parent can then use 16 MiB.
 *
 * Meant for a small machine: tests/qemu/test_oom.sh boots sprout with 64 MiB
 * and runs /bin/oom_check.  Its name does not start with "t_", so utest-all
 * (the normal 256 MiB boot) does not run it.  On Linux it runs nothing: using
 * up the host's memory to provoke its OOM killer is no test, it is an outage.
 * Each child it leaks in is announced as "oom_check: leaking child N", so the
 * script can match the kernel's "Out of memory: Killed process N" line.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/wait.h>
#include "tests/user/utest.h"

#define MIB (1024L * 1024)
#define LEAK_GUARD_MIB 4096 /* a leaker stops here: more than the test machine has */
#define BYSTANDER_MIB 4
#define AFTERWARDS_MIB 16
#define MEMFREE_SLACK_KIB 1024

/* --- helpers ---------------------------------------------------------- */

/* On Linux, say why nothing ran; true if the case should stop. */
static int skipped_on_linux(void)
{
    if (is_sprout())
        return 0;
    printf("note: %s: provoking the OOM killer is only done in sprout; skipped on Linux\n",
           utest_case_name);
    return 1;
}

/* MemFree from /proc/meminfo, in KiB (a static buffer: reading it allocates nothing). */
static long memfree_kib(void)
{
    static char buf[4096];
    int fd = open("/proc/meminfo", O_RDONLY);
    CHECK(fd >= 0);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    CHECK(n > 0);
    buf[n] = '\0';
    char *line = strstr(buf, "MemFree:");
    CHECK(line != NULL);
    return atol(line + strlen("MemFree:"));
}

/* Touch every page of [block, block+bytes) with a value derived from `seed`. */
static void fill(char *block, size_t bytes, int seed)
{
    for (size_t i = 0; i < bytes; i += 4096)
        ((volatile char *)block)[i] = (char)(seed + i / 4096);
}

static int intact(const char *block, size_t bytes, int seed)
{
    for (size_t i = 0; i < bytes; i += 4096)
        if (((const volatile char *)block)[i] != (char)(seed + i / 4096))
            return 0;
    return 1;
}

/*
 * A child that mallocs and touches 1 MiB at a time and never frees. It exits
 * 2 if malloc says no (the kernel refused address space: no OOM kill) and 3
 * if it reached the guard; the OOM killer should end it long before.
 */
static pid_t fork_leaker(void)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        for (long held = 0; held < LEAK_GUARD_MIB; held++) {
            char *block = malloc(MIB);
            if (!block)
                _exit(2);
            fill(block, MIB, (int)held);
        }
        _exit(3);
    }
    printf("oom_check: leaking child %d\n", pid);
    return pid;
}

static void expect_oom_killed(int status)
{
    if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
        utest_fail(__FILE__, __LINE__, "malloc failed in the leaker: no OOM kill happened");
    if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
        utest_fail(__FILE__, __LINE__, "the leaker held %d MiB and was never killed",
                   LEAK_GUARD_MIB);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
        utest_fail(__FILE__, __LINE__, "expected the leaker killed by SIGKILL, got wait status %#x",
                   status);
}

/* --- cases ------------------------------------------------------------- */

static void leaking_child_is_oom_killed_and_parent_survives(void)
{
    if (skipped_on_linux())
        return;
    char *mine = malloc(MIB); /* the parent holds some memory of its own through it all */
    CHECK(mine != NULL);
    fill(mine, MIB, 7);
    expect_oom_killed(wait_status(fork_leaker()));
    CHECK(intact(mine, MIB, 7));
    free(mine);
}

static void parent_can_use_16_mib_after_oom_kill(void)
{
    if (skipped_on_linux())
        return;
    expect_oom_killed(wait_status(fork_leaker()));
    size_t bytes = AFTERWARDS_MIB * MIB;
    char *block = malloc(bytes);
    CHECK(block != NULL);
    fill(block, bytes, 3);
    CHECK(intact(block, bytes, 3));
    free(block);
}

static void memfree_comes_back_after_oom_kill(void)
{
    if (skipped_on_linux())
        return;
    long before = memfree_kib();
    expect_oom_killed(wait_status(fork_leaker()));
    long after = memfree_kib();
    printf("oom_check: MemFree %ld KiB before, %ld KiB after\n", before, after);
    if (labs(after - before) > MEMFREE_SLACK_KIB)
        utest_fail(__FILE__, __LINE__,
                   "MemFree was %ld KiB before the leak, %ld KiB after "
                   "reaping the leaker (more than %d KiB apart)",
                   before, after, MEMFREE_SLACK_KIB);
}

static void smaller_bystander_survives_oom_kill(void)
{
    if (skipped_on_linux())
        return;
    int ready[2], gate[2];
    CHECK_EQ(pipe(ready), 0);
    CHECK_EQ(pipe(gate), 0);
    pid_t bystander = fork_or_fail();
    if (bystander == 0) {
        char c = 'r', *block = malloc(BYSTANDER_MIB * MIB);
        close(ready[0]);
        close(gate[1]);
        if (!block)
            _exit(2);
        fill(block, BYSTANDER_MIB * MIB, 5);
        if (write(ready[1], &c, 1) != 1)
            _exit(3);
        while (read(gate[0], &c, 1) < 0 && errno == EINTR)
            ;
        _exit(intact(block, BYSTANDER_MIB * MIB, 5) ? 0 : 4);
    }
    close(ready[1]);
    close(gate[0]);
    char c;
    CHECK_EQ(read(ready[0], &c, 1), 1); /* it holds its memory now */
    expect_oom_killed(wait_status(fork_leaker()));
    int status;
    CHECK_EQ(waitpid(bystander, &status, WNOHANG), 0); /* alive */
    close(gate[1]);                                    /* let it check its memory and exit */
    status = wait_status(bystander);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
}

/* The seed's demo: /bin/leak, 1 MiB per step, no limit. */
static void leak_demo_is_oom_killed(void)
{
    if (skipped_on_linux())
        return;
    CHECK_EQ(access("/bin/leak", X_OK), 0);
    int null = open("/dev/null", O_WRONLY);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        if (null >= 0)
            dup2(null, STDOUT_FILENO);
        execl("/bin/leak", "leak", "1", (char *)NULL);
        _exit(127);
    }
    if (null >= 0)
        close(null);
    printf("oom_check: leaking child %d\n", pid);
    int status = wait_status(pid);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
        utest_fail(__FILE__, __LINE__, "expected /bin/leak killed by SIGKILL, got wait status %#x",
                   status);
}

static const struct utest_case cases[] = {
    UTEST(leaking_child_is_oom_killed_and_parent_survives),
    UTEST(parent_can_use_16_mib_after_oom_kill),
    UTEST(memfree_comes_back_after_oom_kill),
    UTEST(smaller_bystander_survives_oom_kill),
    UTEST(leak_demo_is_oom_killed),
};
UTEST_MAIN("oom", cases)
