/* t_smoke.c - the first things a process does: know itself, fork, exec, wait. */
#include <sys/wait.h>
#include "tests/user/utest.h"

static void getpid_is_positive_and_parent_differs(void)
{
    CHECK(getpid() > 1);
    CHECK(getppid() != getpid());
}

static void fork_and_wait_for_exit_code(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        _exit(42);
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 42);
}

static void exec_true_exits_zero(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/hello", "hello", (char *)NULL);
        _exit(99);
    }
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK_EQ(status, 0);
}

static const struct utest_case cases[] = {
    UTEST(getpid_is_positive_and_parent_differs),
    UTEST(fork_and_wait_for_exit_code),
    UTEST(exec_true_exits_zero),
};
UTEST_MAIN("smoke", cases)
