/*
 * t_sigjob.c - signals between processes: kill() to a process group,
 * stop and continue seen by wait4 and SIGCHLD (SA_NOCLDSTOP, SIGCONT
 * handlers, SIGCHLD ignored), and what exec and fork keep.
 *
 * The same binary runs on Linux (to prove the expectations) and in sprout.
 * `t_sigjob --exec-probe` is the program the exec case runs: it reports
 * what it inherited through its exit status.
 */
#include "tests/user/sigtest.h"

#define EXEC_PROBE_ARG "--exec-probe"

static const char *self_path; /* argv[0], for the exec case */

/* --- process groups ------------------------------------------------------ */

static void kill_zero_reaches_own_process_group(void)
{
    /* A group of our own first: kill(0) must not reach the test runner. */
    CHECK_EQ(setpgid(0, 0), 0);
    CHECK_EQ(getpgrp(), getpid());
    install(SIGUSR1, record, 0);
    change_mask(SIG_BLOCK, SIGUSR1);
    pid_t kids[2];
    for (int i = 0; i < 2; i++) {
        kids[i] = fork_or_fail();
        if (kids[i] == 0) {
            sigset_t open;
            alarm(20); /* if SIGUSR1 never comes, SIGALRM ends the wait */
            sigemptyset(&open);
            sigsuspend(&open);
            _exit(handler_calls == 1 ? 10 : 11);
        }
    }
    CHECK_EQ(kill(0, SIGUSR1), 0);
    change_mask(SIG_UNBLOCK, SIGUSR1);
    CHECK_EQ(handler_calls, 1); /* we are in the group too */
    for (int i = 0; i < 2; i++) {
        int status = wait_status(kids[i]);
        CHECK(WIFEXITED(status));
        CHECK_EQ(WEXITSTATUS(status), 10);
    }
}

static void kill_negative_pgid_reaches_whole_group(void)
{
    pid_t group[3], leader = 0, parent = getpid();
    for (int i = 0; i < 3; i++) {
        group[i] = fork_or_fail();
        if (group[i] == 0) {
            setpgid(0, leader); /* the first makes the group; both sides do it (no race) */
            idle_until_orphaned(parent);
        }
        if (i == 0)
            leader = group[0];
        CHECK_EQ(setpgid(group[i], leader), 0);
    }
    pid_t outsider = fork_pausing_child(); /* in our group, not theirs */
    CHECK_EQ(getpgid(group[2]), leader);
    CHECK_EQ(kill(-leader, SIGTERM), 0);
    for (int i = 0; i < 3; i++) {
        int status = wait_status(group[i]);
        CHECK(WIFSIGNALED(status));
        CHECK_EQ(WTERMSIG(status), SIGTERM);
    }
    int status;
    CHECK_EQ(waitpid(outsider, &status, WNOHANG), 0); /* still alive */
    CHECK_EQ(kill(-leader, 0), -1);                   /* the group is gone */
    CHECK_EQ(errno, ESRCH);
    CHECK_EQ(kill(outsider, SIGKILL), 0);
    status = wait_status(outsider);
    CHECK_EQ(WTERMSIG(status), SIGKILL);
}

static void kill_minus_one_probe_and_missing_pid(void)
{
    CHECK_EQ(kill(-1, 0), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0)
        _exit(0);
    CHECK_EQ(wait_status(pid), 0);
    CHECK_ERRNO(kill(pid, 0), ESRCH); /* reaped: no such process */
    CHECK_ERRNO(kill(pid, SIGTERM), ESRCH);
}

/* --- stop, continue, SIGCHLD -------------------------------------------- */

static void wait_reports_stop_and_continue(void)
{
    pid_t pid = fork_pausing_child();
    CHECK_EQ(kill(pid, SIGSTOP), 0);
    int status = wait_options(pid, WUNTRACED);
    CHECK(WIFSTOPPED(status));
    CHECK_EQ(WSTOPSIG(status), SIGSTOP);
    CHECK_EQ(waitpid(pid, &status, WNOHANG | WUNTRACED), 0); /* reported once */
    CHECK_EQ(kill(pid, SIGCONT), 0);
    status = wait_options(pid, WCONTINUED);
    CHECK(WIFCONTINUED(status));
    CHECK_EQ(waitpid(pid, &status, WNOHANG | WCONTINUED), 0);
    CHECK_EQ(kill(pid, SIGKILL), 0);
    status = wait_status(pid);
    CHECK(WIFSIGNALED(status));
    CHECK_EQ(WTERMSIG(status), SIGKILL);
}

static volatile sig_atomic_t chld_status;

static void record_chld(int sig, siginfo_t *si, void *context)
{
    record_info(sig, si, context);
    chld_status = si->si_status;
}

/* Wait (with SIGCHLD open) for the next SIGCHLD and check what it says. */
static void expect_sigchld(pid_t child, int code, int status)
{
    sigset_t open;
    sigemptyset(&open);
    int before = handler_calls;
    while (handler_calls == before)
        sigsuspend(&open);
    CHECK_EQ(info_signo, SIGCHLD);
    CHECK_EQ(info_pid, child);
    CHECK_EQ(info_code, code);
    CHECK_EQ(chld_status, status);
}

static void sigchld_reports_stop_continue_and_exit(void)
{
    install_info(SIGCHLD, record_chld, 0);
    change_mask(SIG_BLOCK, SIGCHLD);
    int gate[2];
    CHECK_EQ(pipe(gate), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        char c;
        close(gate[1]);
        raise(SIGSTOP);
        while (read(gate[0], &c, 1) < 0 && errno == EINTR)
            ;
        _exit(5);
    }
    close(gate[0]);
    int status = wait_options(pid, WUNTRACED);
    CHECK(WIFSTOPPED(status));
    expect_sigchld(pid, CLD_STOPPED, SIGSTOP);
    CHECK_EQ(kill(pid, SIGCONT), 0);
    expect_sigchld(pid, CLD_CONTINUED, SIGCONT);
    close(gate[1]); /* now it may exit */
    expect_sigchld(pid, CLD_EXITED, 5);
    status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 5);
}

static int sigcont_pipe = -1;

static void report_sigcont(int sig)
{
    char c = 'c';
    if (write(sigcont_pipe, &c, 1) != 1)
        _exit(3);
}

static void sigcont_continues_and_runs_its_handler(void)
{
    int p[2];
    pid_t parent = getpid();
    CHECK_EQ(pipe(p), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        close(p[0]);
        sigcont_pipe = p[1];
        install(SIGCONT, report_sigcont, 0);
        say_ready(p[1]);
        idle_until_orphaned(parent);
    }
    close(p[1]);
    await_ready(p[0]);
    CHECK_EQ(kill(pid, SIGSTOP), 0);
    CHECK(WIFSTOPPED(wait_options(pid, WUNTRACED)));
    CHECK_EQ(kill(pid, SIGCONT), 0);
    await_ready(p[0]); /* the handler's byte: it runs, so it was continued */
    CHECK(WIFCONTINUED(wait_options(pid, WCONTINUED)));
    CHECK_EQ(kill(pid, SIGKILL), 0);
    CHECK_EQ(WTERMSIG(wait_status(pid)), SIGKILL);
}

static void sigcont_discards_pending_stop_signals(void)
{
    int ready[2], gate[2];
    CHECK_EQ(pipe(ready), 0);
    CHECK_EQ(pipe(gate), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        char c;
        close(gate[1]);
        change_mask(SIG_BLOCK, SIGTSTP);
        say_ready(ready[1]);
        while (read(gate[0], &c, 1) < 0 && errno == EINTR)
            ;
        _exit(is_pending(SIGTSTP) == 0 ? 0 : 1);
    }
    close(ready[1]);
    close(gate[0]);
    await_ready(ready[0]);
    CHECK_EQ(kill(pid, SIGTSTP), 0); /* blocked: pending */
    CHECK_EQ(kill(pid, SIGCONT), 0); /* throws the pending stop away */
    close(gate[1]);
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
}

static void sa_nocldstop_leaves_out_stop_notices(void)
{
    install_info(SIGCHLD, record_chld, SA_NOCLDSTOP);
    pid_t pid = fork_pausing_child();
    CHECK_EQ(kill(pid, SIGSTOP), 0);
    CHECK(WIFSTOPPED(wait_options(pid, WUNTRACED)));
    CHECK_EQ(kill(pid, SIGCONT), 0);
    CHECK(WIFCONTINUED(wait_options(pid, WCONTINUED)));
    sleep_ms(100); /* time for a (wrong) notice to arrive */
    CHECK_EQ(handler_calls, 0);
    CHECK_EQ(kill(pid, SIGKILL), 0);
    CHECK_EQ(WTERMSIG(wait_status(pid)), SIGKILL);
    CHECK_EQ(handler_calls, 1); /* a death is still reported */
    CHECK_EQ(info_code, CLD_KILLED);
    CHECK_EQ(chld_status, SIGKILL);
}

static void stop_on_alarm(int sig) {}

static void sigchld_ignored_children_are_not_left_to_wait_for(void)
{
    install(SIGCHLD, SIG_IGN, 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        sleep_ms(100);
        _exit(0);
    }
    /* POSIX: with SIGCHLD ignored, wait blocks until the children are gone, then ECHILD. */
    install(SIGALRM, stop_on_alarm, 0);
    alarm(10);
    errno = 0;
    pid_t got = waitpid(-1, NULL, 0);
    int err = errno;
    alarm(UTEST_TIMEOUT_SECONDS);
    if (got == -1 && err == EINTR)
        utest_fail(__FILE__, __LINE__, "waitpid(-1) still blocked 10 s after its child exited");
    CHECK_EQ(got, -1);
    CHECK_EQ(err, ECHILD);
    CHECK_ERRNO(kill(pid, 0), ESRCH); /* no zombie left behind */
}

/* --- exec and fork ------------------------------------------------------- */

/* What the probe reports (exit status bits, all set when everything is right). */
enum {
    PROBE_CAUGHT_IS_DEFAULT = 1, /* SIGUSR1 had a handler: now SIG_DFL */
    PROBE_IGNORED_STAYS = 2,     /* SIGUSR2 was SIG_IGN: still */
    PROBE_MASK_KEPT = 4,         /* SIGTERM was blocked: still */
    PROBE_PENDING_KEPT = 8,      /* SIGINT was blocked and pending: still */
    PROBE_UNBLOCKED_STAYS = 16,  /* SIGUSR1 was not blocked: still not */
    PROBE_ALARM_KEPT = 32,       /* an alarm was set: it still runs */
    PROBE_ALL = 63,
};

static int exec_probe(void)
{
    struct sigaction usr1, usr2;
    int seen = 0;
    if (sigaction(SIGUSR1, NULL, &usr1) == 0 && usr1.sa_handler == SIG_DFL)
        seen |= PROBE_CAUGHT_IS_DEFAULT;
    if (sigaction(SIGUSR2, NULL, &usr2) == 0 && usr2.sa_handler == SIG_IGN)
        seen |= PROBE_IGNORED_STAYS;
    if (is_blocked(SIGTERM) == 1)
        seen |= PROBE_MASK_KEPT;
    if (is_pending(SIGINT) == 1)
        seen |= PROBE_PENDING_KEPT;
    if (is_blocked(SIGUSR1) == 0)
        seen |= PROBE_UNBLOCKED_STAYS;
    struct itimerval timer;
    if (getitimer(ITIMER_REAL, &timer) == 0 && timer.it_value.tv_sec > 10)
        seen |= PROBE_ALARM_KEPT;
    alarm(0);
    return seen;
}

static void exec_resets_handlers_keeps_ignored_mask_and_pending(void)
{
    CHECK(self_path != NULL);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        install(SIGUSR1, record, 0);
        install(SIGUSR2, SIG_IGN, 0);
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGINT);
        sigprocmask(SIG_BLOCK, &set, NULL);
        kill(getpid(), SIGINT);
        alarm(25);
        execl(self_path, self_path, EXEC_PROBE_ARG, (char *)NULL);
        _exit(99);
    }
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), PROBE_ALL);
}

static void fork_child_inherits_handlers_and_mask_but_nothing_pending(void)
{
    install(SIGUSR1, record, 0);
    install(SIGHUP, SIG_IGN, 0);
    change_mask(SIG_BLOCK, SIGUSR2);
    CHECK_EQ(kill(getpid(), SIGUSR2), 0);
    CHECK_EQ(is_pending(SIGUSR2), 1);
    alarm(20);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        struct sigaction usr1, hup;
        struct itimerval timer;
        int wrong = 0;
        if (sigaction(SIGUSR1, NULL, &usr1) != 0 || usr1.sa_handler != record)
            wrong |= 1;
        if (sigaction(SIGHUP, NULL, &hup) != 0 || hup.sa_handler != SIG_IGN)
            wrong |= 2;
        if (is_blocked(SIGUSR2) != 1 || is_blocked(SIGUSR1) != 0)
            wrong |= 4;
        if (is_pending(SIGUSR2) != 0)
            wrong |= 8;
        if (getitimer(ITIMER_REAL, &timer) != 0 || timer.it_value.tv_sec != 0 ||
            timer.it_value.tv_usec != 0)
            wrong |= 16;         /* alarms are not inherited */
        kill(getpid(), SIGUSR1); /* and the inherited handler really runs */
        if (handler_calls != 1)
            wrong |= 32;
        _exit(wrong);
    }
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
    CHECK_EQ(is_pending(SIGUSR2), 1); /* the parent still has it */
}

static const struct utest_case cases[] = {
    UTEST(kill_zero_reaches_own_process_group),
    UTEST(kill_negative_pgid_reaches_whole_group),
    UTEST(kill_minus_one_probe_and_missing_pid),
    UTEST(wait_reports_stop_and_continue),
    UTEST(sigchld_reports_stop_continue_and_exit),
    UTEST(sigcont_continues_and_runs_its_handler),
    UTEST(sigcont_discards_pending_stop_signals),
    UTEST(sa_nocldstop_leaves_out_stop_notices),
    UTEST(sigchld_ignored_children_are_not_left_to_wait_for),
    UTEST(exec_resets_handlers_keeps_ignored_mask_and_pending),
    UTEST(fork_child_inherits_handlers_and_mask_but_nothing_pending),
};

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], EXEC_PROBE_ARG) == 0)
        return exec_probe();
    self_path = strchr(argv[0], '/') ? argv[0] : "/proc/self/exe";
    reset_signal_state();
    return utest_main("sigjob", cases, sizeof cases / sizeof cases[0], argc, argv);
}
