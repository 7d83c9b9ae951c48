/*
 * t_wait.c - waiting for children: wait4/waitpid for one child or any,
 * WNOHANG, ECHILD, the status encoding of exits and signals, the rusage a
 * reaped child hands back, zombies that last until reaped, and orphans that
 * init (PID 1) adopts.
 */
#include <fcntl.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "tests/user/utest.h"

/* --- helpers ---------------------------------------------------------- */

/* A child that blocks until `gate` is closed by the parent, then exits with code. */
static pid_t fork_gated_child(int gate[2], int code)
{
    CHECK_EQ(pipe(gate), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        char c;
        close(gate[1]);
        while (read(gate[0], &c, 1) < 0 && errno == EINTR)
            ;
        _exit(code);
    }
    close(gate[0]);
    return pid;
}

/* Fork a child that exits with `code` at once. */
static pid_t fork_exiting(int code)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        _exit(code);
    return pid;
}

/* Fork a child that runs fn (which is expected to kill it); return its status. */
static int status_of_child(void (*fn)(void))
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        fn();
        _exit(77);
    }
    return wait_status(pid);
}

/* --- which child ------------------------------------------------------ */

static void waitpid_for_specific_child(void)
{
    pid_t pid = fork_exiting(5);
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 5);
}

/* Asking for B returns B even when A has already exited; A is still there after. */
static void waitpid_for_one_child_leaves_the_other(void)
{
    pid_t a = fork_exiting(1);
    sleep_ms(100); /* let A become a zombie first */
    int gate[2];
    pid_t b = fork_gated_child(gate, 2);
    close(gate[1]);
    int status;
    CHECK_EQ(waitpid(b, &status, 0), b);
    CHECK_EQ(WEXITSTATUS(status), 2);
    CHECK_EQ(waitpid(a, &status, 0), a);
    CHECK_EQ(WEXITSTATUS(status), 1);
}

static void wait_for_any_child(void)
{
    pid_t pid = fork_exiting(9);
    int status;
    CHECK_EQ(wait(&status), pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 9);
}

static void wait4_returns_child_pid_and_status(void)
{
    pid_t pid = fork_exiting(4);
    int status;
    struct rusage usage;
    CHECK_EQ(wait4(pid, &status, 0, &usage), pid);
    CHECK_EQ(status, 4 << 8);
}

static void waitpid_zero_waits_for_child_in_same_group(void)
{
    pid_t pid = fork_exiting(6);
    int status;
    CHECK_EQ(waitpid(0, &status, 0), pid);
    CHECK_EQ(WEXITSTATUS(status), 6);
}

static void waitpid_minus_pgid_waits_for_child_in_that_group(void)
{
    pid_t pid = fork_exiting(8);
    int status;
    CHECK_EQ(waitpid(-getpgrp(), &status, 0), pid);
    CHECK_EQ(WEXITSTATUS(status), 8);
}

#define SEVERAL 6

static void wait_any_reaps_all_children(void)
{
    pid_t pids[SEVERAL];
    int reaped[SEVERAL] = {0};
    for (int i = 0; i < SEVERAL; i++)
        pids[i] = fork_exiting(10 + i);
    for (int n = 0; n < SEVERAL; n++) {
        int status;
        pid_t got = waitpid(-1, &status, 0);
        CHECK(got > 0);
        int i = 0;
        while (i < SEVERAL && pids[i] != got)
            i++;
        if (i == SEVERAL)
            utest_fail(__FILE__, __LINE__, "waitpid(-1) returned %d, not one of the children",
                       (int)got);
        CHECK_EQ(reaped[i], 0); /* never the same child twice */
        reaped[i] = 1;
        CHECK(WIFEXITED(status));
        CHECK_EQ(WEXITSTATUS(status), 10 + i);
    }
    CHECK_ERRNO(waitpid(-1, NULL, 0), ECHILD);
}

/* --- WNOHANG and ECHILD ----------------------------------------------- */

static void wnohang_returns_zero_while_child_runs(void)
{
    int gate[2];
    pid_t pid = fork_gated_child(gate, 3);
    int status = -1;
    CHECK_EQ(waitpid(pid, &status, WNOHANG), 0);
    CHECK_EQ(waitpid(-1, &status, WNOHANG), 0);
    close(gate[1]);
    /* Once it exits, WNOHANG returns it (poll for up to 10 s). */
    pid_t got = 0;
    for (int i = 0; i < 1000 && got == 0; i++) {
        got = waitpid(pid, &status, WNOHANG);
        if (got == 0)
            sleep_ms(10);
    }
    CHECK_EQ(got, pid);
    CHECK_EQ(WEXITSTATUS(status), 3);
}

static void wait_without_children_gives_echild(void)
{
    CHECK_ERRNO(wait(NULL), ECHILD);
    CHECK_ERRNO(waitpid(-1, NULL, WNOHANG), ECHILD);
}

static void waitpid_for_non_child_gives_echild(void)
{
    CHECK_ERRNO(waitpid(getppid(), NULL, 0), ECHILD);
    CHECK_ERRNO(waitpid(1, NULL, WNOHANG), ECHILD);
    CHECK_ERRNO(waitpid(getpid(), NULL, 0), ECHILD);
}

static void waitpid_for_reaped_child_gives_echild(void)
{
    pid_t pid = fork_exiting(0);
    CHECK_EQ(wait_status(pid), 0);
    CHECK_ERRNO(waitpid(pid, NULL, 0), ECHILD);
}

/* A grandchild is not a child: waiting for it gives ECHILD. */
static void waitpid_for_grandchild_gives_echild(void)
{
    int up[2], down[2]; /* child -> parent: the grandchild's PID; parent -> child: done */
    CHECK_EQ(pipe(up), 0);
    CHECK_EQ(pipe(down), 0);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        pid_t grandchild = fork();
        if (grandchild == 0) {
            char c;
            close(down[1]);
            read(down[0], &c, 1);
            _exit(0);
        }
        close(down[1]);
        write(up[1], &grandchild, sizeof grandchild);
        char c;
        read(down[0], &c, 1); /* until the parent has tried */
        waitpid(grandchild, NULL, 0);
        _exit(0);
    }
    pid_t grandchild = -1;
    CHECK_EQ(read(up[0], &grandchild, sizeof grandchild), (long)sizeof grandchild);
    CHECK(grandchild > 0);
    CHECK_ERRNO(waitpid(grandchild, NULL, WNOHANG), ECHILD);
    CHECK_ERRNO(waitpid(grandchild, NULL, 0), ECHILD);
    close(down[1]);
    CHECK_EQ(wait_status(child), 0);
}

static void waitpid_with_unknown_option_gives_einval(void)
{
    pid_t pid = fork_exiting(0);
    CHECK_ERRNO(waitpid(pid, NULL, 0x100), EINVAL);
    CHECK_EQ(wait_status(pid), 0); /* the child is still there */
}

/* --- status encoding -------------------------------------------------- */

static const int exit_codes[] = {0, 1, 2, 42, 127, 128, 255};

static void exit_codes_are_reported_exactly(void)
{
    for (size_t i = 0; i < sizeof exit_codes / sizeof exit_codes[0]; i++) {
        int status = wait_status(fork_exiting(exit_codes[i]));
        CHECK(WIFEXITED(status));
        CHECK(!WIFSIGNALED(status));
        CHECK_EQ(WEXITSTATUS(status), exit_codes[i]);
        CHECK_EQ(status, exit_codes[i] << 8);
    }
}

/* Only the low 8 bits of the exit code reach the parent. */
static void exit_code_is_truncated_to_8_bits(void)
{
    int status = wait_status(fork_exiting(256 + 7));
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 7);
}

static void exit_from_library_exit_is_reported(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        exit(33); /* the library's exit, which flushes and calls exit_group */
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 33);
}

static void raise_sigkill(void) { raise(SIGKILL); }

static void killed_by_sigkill(void)
{
    int status = status_of_child(raise_sigkill);
    CHECK(WIFSIGNALED(status));
    CHECK(!WIFEXITED(status));
    CHECK_EQ(WTERMSIG(status), SIGKILL);
    CHECK_EQ(status & 0x80, 0); /* SIGKILL never dumps core */
}

static void write_to_null(void) { *(volatile int *)0 = 1; }

static void killed_by_sigsegv(void)
{
    int status = status_of_child(write_to_null);
    CHECK(WIFSIGNALED(status));
    CHECK(!WIFEXITED(status));
    CHECK_EQ(WTERMSIG(status), SIGSEGV);
}

/* SIGSEGV's default action is "core": with sprout's default RLIMIT_CORE
 * (unlimited) a core file is written and the status has the 0x80 bit.
 * (On Linux the default limit is usually 0, so there only the signal number
 * is checked; tests/user/t_core.c covers the limit.) */
static void sigsegv_status_has_core_dump_flag(void)
{
    int status = status_of_child(write_to_null);
    CHECK_EQ(WTERMSIG(status), SIGSEGV);
    if (is_sprout()) {
        CHECK(WCOREDUMP(status));
        CHECK_EQ(status, SIGSEGV | 0x80);
    }
}

static void killed_by_parent_with_sigterm(void)
{
    int gate[2];
    pid_t pid = fork_gated_child(gate, 0);
    CHECK_EQ(kill(pid, SIGTERM), 0);
    int status = wait_status(pid);
    close(gate[1]);
    CHECK(WIFSIGNALED(status));
    CHECK_EQ(WTERMSIG(status), SIGTERM);
    CHECK_EQ(status & 0x80, 0); /* SIGTERM's default action does not dump core */
}

/* --- rusage ----------------------------------------------------------- */

static void spin_300ms(void)
{
    volatile unsigned long counter = 0;
    double end = now_seconds() + 0.3;
    while (now_seconds() < end)
        for (int i = 0; i < 10000; i++)
            counter++;
}

static void wait4_reports_child_user_time(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        spin_300ms();
        _exit(0);
    }
    int status;
    struct rusage usage;
    memset(&usage, 0, sizeof usage);
    CHECK_EQ(wait4(pid, &status, 0, &usage), pid);
    CHECK_EQ(status, 0);
    long user_us = usage.ru_utime.tv_sec * 1000000L + usage.ru_utime.tv_usec;
    long sys_us = usage.ru_stime.tv_sec * 1000000L + usage.ru_stime.tv_usec;
    CHECK(user_us > 0);
    CHECK(usage.ru_utime.tv_usec >= 0 && usage.ru_utime.tv_usec < 1000000);
    CHECK(user_us + sys_us < 30 * 1000000L); /* sane: less than the whole time limit */
}

static void getrusage_children_counts_reaped_child(void)
{
    struct rusage before, after;
    CHECK_EQ(getrusage(RUSAGE_CHILDREN, &before), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        spin_300ms();
        _exit(0);
    }
    CHECK_EQ(wait_status(pid), 0);
    CHECK_EQ(getrusage(RUSAGE_CHILDREN, &after), 0);
    long before_us = before.ru_utime.tv_sec * 1000000L + before.ru_utime.tv_usec;
    long after_us = after.ru_utime.tv_sec * 1000000L + after.ru_utime.tv_usec;
    CHECK(after_us > before_us);
}

/* --- zombies and orphans ---------------------------------------------- */

/* After the child has exited it stays (kill(pid, 0) finds it) until waited for. */
static void zombie_exists_until_reaped(void)
{
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        _exit(12); /* closes fds[1]: the parent's read sees end of file */
    }
    close(fds[1]);
    char c;
    CHECK_EQ(read(fds[0], &c, 1), 0);
    sleep_ms(100); /* let it finish exiting */
    CHECK_EQ(kill(pid, 0), 0);
    sleep_ms(100);
    CHECK_EQ(kill(pid, 0), 0); /* still there: nobody has waited */
    int status = wait_status(pid);
    CHECK_EQ(WEXITSTATUS(status), 12);
    CHECK_ERRNO(kill(pid, 0), ESRCH);
}

/* A signal sent to a zombie does not change its reported exit status. */
static void signal_to_zombie_does_not_change_status(void)
{
    pid_t pid = fork_exiting(21);
    sleep_ms(200);
    CHECK_EQ(kill(pid, SIGKILL), 0);
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 21);
}

/* A grandchild whose parent exits is adopted by PID 1; it reports getppid() back. */
static void orphan_is_adopted_by_init(void)
{
    int fds[2], ready[2];
    CHECK_EQ(pipe(fds), 0);
    CHECK_EQ(pipe(ready), 0);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        pid_t grandchild = fork();
        if (grandchild == 0) {
            long first = getppid();
            write(ready[1], "r", 1); /* now the child may exit */
            long ppid = first;
            for (int i = 0; i < 1000 && (ppid = getppid()) == first; i++)
                sleep_ms(10); /* until the parent has gone (at most 10 s) */
            long report[2] = {first, ppid};
            write(fds[1], report, sizeof report);
            _exit(0);
        }
        char c;
        _exit(grandchild > 0 && read(ready[0], &c, 1) == 1 ? 0 : 1);
    }
    close(fds[1]);
    CHECK_EQ(wait_status(child), 0);
    long report[2] = {0, 0};
    CHECK_EQ(read(fds[0], report, sizeof report), (long)sizeof report);
    CHECK_EQ(report[0], child); /* before: its parent was the child */
    CHECK_EQ(report[1], 1);     /* after: init */
}

/* The parent gets SIGCHLD when a child exits. */
static volatile sig_atomic_t got_sigchld;
static void on_sigchld(int sig) { got_sigchld = sig; }

static void parent_gets_sigchld_when_child_exits(void)
{
    got_sigchld = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigchld;
    CHECK_EQ(sigaction(SIGCHLD, &sa, NULL), 0);
    pid_t pid = fork_exiting(0);
    for (int i = 0; i < 500 && !got_sigchld; i++)
        sleep_ms(10);
    CHECK_EQ(got_sigchld, SIGCHLD);
    CHECK_EQ(wait_status(pid), 0);
}

/* wait blocks until the child exits, rather than returning early. */
static void wait_blocks_until_child_exits(void)
{
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        sleep_ms(200);
        write(fds[1], "x", 1); /* the last thing before exiting */
        _exit(0);
    }
    close(fds[1]);
    CHECK_EQ(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
    CHECK_EQ(wait_status(pid), 0);
    char c;
    CHECK_EQ(read(fds[0], &c, 1), 1); /* already written when wait returned (else EAGAIN) */
}

static const struct utest_case cases[] = {
    UTEST(waitpid_for_specific_child),
    UTEST(waitpid_for_one_child_leaves_the_other),
    UTEST(wait_for_any_child),
    UTEST(wait4_returns_child_pid_and_status),
    UTEST(waitpid_zero_waits_for_child_in_same_group),
    UTEST(waitpid_minus_pgid_waits_for_child_in_that_group),
    UTEST(wait_any_reaps_all_children),
    UTEST(wnohang_returns_zero_while_child_runs),
    UTEST(wait_without_children_gives_echild),
    UTEST(waitpid_for_non_child_gives_echild),
    UTEST(waitpid_for_reaped_child_gives_echild),
    UTEST(waitpid_for_grandchild_gives_echild),
    UTEST(waitpid_with_unknown_option_gives_einval),
    UTEST(exit_codes_are_reported_exactly),
    UTEST(exit_code_is_truncated_to_8_bits),
    UTEST(exit_from_library_exit_is_reported),
    UTEST(killed_by_sigkill),
    UTEST(killed_by_sigsegv),
    UTEST(sigsegv_status_has_core_dump_flag),
    UTEST(killed_by_parent_with_sigterm),
    UTEST(wait4_reports_child_user_time),
    UTEST(getrusage_children_counts_reaped_child),
    UTEST(zombie_exists_until_reaped),
    UTEST(signal_to_zombie_does_not_change_status),
    UTEST(orphan_is_adopted_by_init),
    UTEST(parent_gets_sigchld_when_child_exits),
    UTEST(wait_blocks_until_child_exits),
};
UTEST_MAIN("wait", cases)
