/*
 * t_init.c - init (PID 1) cannot be killed or stopped from user space, as on
 * Linux: a signal sent to it that it has no handler for is dropped, and the
 * sender is told it was sent (0), by kill, tkill and tgkill alike.  So
 * `kill -9 1` exits 0 and the system carries on.
 *
 * Only on sprout: on Linux, the same calls as root would reach the host's
 * (or the container's) init, and as a user they fail with EPERM.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "tests/user/utest.h"

/* init's state letter from /proc/1/stat ('S' sleeping, 'T' stopped, ...), or '?'. */
static char init_state(void)
{
    char text[512];
    int fd = open("/proc/1/stat", O_RDONLY);
    if (fd < 0)
        return '?';
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0)
        return '?';
    text[n] = '\0';
    char *end_of_name = strrchr(text, ')');
    return end_of_name && end_of_name[1] == ' ' ? end_of_name[2] : '?';
}

static void expect_init_unharmed(void)
{
    sleep_ms(50); /* time for the signal to act, if it were delivered */
    CHECK_EQ(kill(1, 0), 0);
    char state = init_state();
    if (state != 'S' && state != 'R')
        utest_fail(__FILE__, __LINE__, "init's state is '%c', want S or R", state);
}

static void kill_sigkill_to_init_is_dropped(void)
{
    if (!is_sprout())
        return;
    CHECK_EQ(kill(1, SIGKILL), 0);
    expect_init_unharmed();
}

static void kill_sigstop_to_init_is_dropped(void)
{
    if (!is_sprout())
        return;
    CHECK_EQ(kill(1, SIGSTOP), 0);
    expect_init_unharmed();
    CHECK_EQ(kill(1, SIGSEGV), 0); /* a signal whose default would kill it */
    expect_init_unharmed();
}

static void tkill_and_tgkill_to_init_are_dropped(void)
{
    if (!is_sprout())
        return;
    CHECK_EQ(syscall(SYS_tkill, 1, SIGKILL), 0);
    expect_init_unharmed();
    CHECK_EQ(syscall(SYS_tgkill, 1, 1, SIGKILL), 0);
    expect_init_unharmed();
    CHECK_EQ(syscall(SYS_tgkill, 1, 1, SIGSTOP), 0);
    expect_init_unharmed();
}

/* /bin/kill agrees with the kernel: `kill -9 1` succeeds, as on Linux. */
static void kill_command_on_init_exits_zero(void)
{
    if (!is_sprout())
        return;
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        execl("/bin/kill", "kill", "-9", "1", (char *)NULL);
        _exit(99);
    }
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
    expect_init_unharmed();
}

/* A signal the kernel refuses is reported: no such process, exit status 1. */
static void kill_command_reports_failure(void)
{
    int out[2];
    CHECK_EQ(pipe(out), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        dup2(out[1], 2);
        execl("/bin/kill", "kill", "-9", "999999", (char *)NULL);
        _exit(99);
    }
    close(out[1]);
    char text[256] = "";
    ssize_t n = 0, got;
    while (n < (ssize_t)sizeof text - 1 && (got = read(out[0], text + n, sizeof text - 1 - n)) > 0)
        n += got; /* util-linux writes its message in pieces */
    close(out[0]);
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 1);
    CHECK(n > 0);
    if (n > 0 && !strstr(text, "No such process"))
        utest_fail(__FILE__, __LINE__, "kill's message is \"%s\", want one saying No such process",
                   text);
}

/* Other processes are not protected: the same signal kills them. */
static void sigkill_still_kills_other_processes(void)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        for (;;)
            pause();
    }
    CHECK_EQ(kill(pid, SIGKILL), 0);
    int status = wait_status(pid);
    CHECK(WIFSIGNALED(status));
    CHECK_EQ(WTERMSIG(status), SIGKILL);
}

static const struct utest_case cases[] = {
    UTEST(kill_sigkill_to_init_is_dropped),      UTEST(kill_sigstop_to_init_is_dropped),
    UTEST(tkill_and_tgkill_to_init_are_dropped), UTEST(kill_command_on_init_exits_zero),
    UTEST(kill_command_reports_failure),         UTEST(sigkill_still_kills_other_processes),
};
UTEST_MAIN("init", cases)
