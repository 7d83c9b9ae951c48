/*
 * t_signal.c - signals as a program sees them: handlers and siginfo, the
 * mask and pending set, EINTR versus SA_RESTART, sigsuspend, pause, alarm
 * and ITIMER_REAL, the two signals nobody can catch or block, delivery to a
 * process that never makes a system call, SIGSEGV with the faulting address,
 * FPU state across handlers, nesting (SA_NODEFER, sa_mask), SA_RESETHAND and
 * queued real-time signals.  t_sigjob.c and t_sigargs.c have the rest.
 *
 * The same binary runs on Linux (to prove the expectations) and in sprout.
 */
#include "tests/user/sigtest.h"

/* --- handlers, siginfo, mask and pending ------------------------------- */

static void handler_runs_with_its_signal_number_before_kill_returns(void)
{
    install(SIGUSR1, record, 0);
    install(SIGUSR2, record, 0);
    CHECK_EQ(kill(getpid(), SIGUSR1), 0);
    CHECK_EQ(handler_calls, 1); /* already ran: delivered on the way out of kill */
    CHECK_EQ(last_signal, SIGUSR1);
    CHECK_EQ(kill(getpid(), SIGUSR2), 0);
    CHECK_EQ(handler_calls, 2);
    CHECK_EQ(last_signal, SIGUSR2);
}

static void siginfo_from_kill_names_sender(void)
{
    install_info(SIGUSR1, record_info, 0);
    CHECK_EQ(kill(getpid(), SIGUSR1), 0);
    CHECK_EQ(handler_calls, 1);
    CHECK_EQ(info_signo, SIGUSR1);
    CHECK_EQ(info_code, SI_USER);
    CHECK_EQ(info_pid, getpid());
    CHECK_EQ(info_uid, getuid());

    /* From another process: si_pid is the sender's. */
    change_mask(SIG_BLOCK, SIGUSR1);
    pid_t pid = fork_or_fail();
    if (pid == 0)
        _exit(kill(getppid(), SIGUSR1) == 0 ? 0 : 1);
    CHECK_EQ(wait_status(pid), 0);
    CHECK_EQ(is_pending(SIGUSR1), 1);
    change_mask(SIG_UNBLOCK, SIGUSR1);
    CHECK_EQ(handler_calls, 2);
    CHECK_EQ(info_signo, SIGUSR1);
    CHECK_EQ(info_code, SI_USER);
    CHECK_EQ(info_pid, pid);
}

static void blocked_signal_is_pending_not_delivered(void)
{
    install(SIGUSR1, record, 0);
    change_mask(SIG_BLOCK, SIGUSR1);
    CHECK_EQ(is_pending(SIGUSR1), 0);
    CHECK_EQ(kill(getpid(), SIGUSR1), 0);
    CHECK_EQ(handler_calls, 0);
    CHECK_EQ(is_pending(SIGUSR1), 1);
    CHECK_EQ(is_pending(SIGUSR2), 0);
    CHECK_EQ(is_blocked(SIGUSR1), 1);
}

static void unblocking_delivers_pending_signal_once(void)
{
    install(SIGUSR1, record, 0);
    change_mask(SIG_BLOCK, SIGUSR1);
    CHECK_EQ(kill(getpid(), SIGUSR1), 0);
    CHECK_EQ(kill(getpid(), SIGUSR1), 0); /* a standard signal does not queue twice */
    CHECK_EQ(handler_calls, 0);
    change_mask(SIG_UNBLOCK, SIGUSR1);
    CHECK_EQ(handler_calls, 1); /* ran on the way out of sigprocmask */
    CHECK_EQ(last_signal, SIGUSR1);
    CHECK_EQ(is_pending(SIGUSR1), 0);
}

static volatile sig_atomic_t saw_own_blocked, saw_sa_mask_blocked, saw_other_blocked;

static void record_mask(int sig)
{
    handler_calls++;
    saw_own_blocked = is_blocked(sig);
    saw_sa_mask_blocked = is_blocked(SIGUSR2);
    saw_other_blocked = is_blocked(SIGTERM);
}

static void handler_mask_adds_signal_and_sa_mask_then_restores(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = record_mask;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
    CHECK_EQ(kill(getpid(), SIGUSR1), 0);
    CHECK_EQ(handler_calls, 1);
    CHECK_EQ(saw_own_blocked, 1);
    CHECK_EQ(saw_sa_mask_blocked, 1);
    CHECK_EQ(saw_other_blocked, 0);
    CHECK_EQ(is_blocked(SIGUSR1), 0); /* the mask from before the handler is back */
    CHECK_EQ(is_blocked(SIGUSR2), 0);
}

static void ignoring_discards_pending_signal(void)
{
    install(SIGUSR1, record, 0);
    change_mask(SIG_BLOCK, SIGUSR1);
    CHECK_EQ(kill(getpid(), SIGUSR1), 0);
    CHECK_EQ(is_pending(SIGUSR1), 1);
    install(SIGUSR1, SIG_IGN, 0);
    CHECK_EQ(is_pending(SIGUSR1), 0);
    install(SIGUSR1, record, 0);
    change_mask(SIG_UNBLOCK, SIGUSR1);
    CHECK_EQ(handler_calls, 0);
}

static void block_usr2_inside(int sig)
{
    handler_calls++;
    change_mask(SIG_BLOCK, SIGUSR2); /* undone by sigreturn: the saved mask comes back */
}

static void handler_mask_changes_are_undone_on_return(void)
{
    install(SIGUSR1, block_usr2_inside, 0);
    CHECK_EQ(kill(getpid(), SIGUSR1), 0);
    CHECK_EQ(handler_calls, 1);
    CHECK_EQ(is_blocked(SIGUSR2), 0);
    CHECK_EQ(is_blocked(SIGUSR1), 0);
}

static void realtime_signals_queue_every_instance(void)
{
    sigset_t pending;
    install_info(SIGRTMIN, record_info, 0);
    change_mask(SIG_BLOCK, SIGRTMIN);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(kill(getpid(), SIGRTMIN), 0);
    CHECK_EQ(sigpending(&pending), 0);
    CHECK_EQ(sigismember(&pending, SIGRTMIN), 1);
    change_mask(SIG_UNBLOCK, SIGRTMIN);
    CHECK_EQ(handler_calls, 3); /* unlike SIGUSR1, each one is delivered */
    CHECK_EQ(info_signo, SIGRTMIN);
    CHECK_EQ(info_code, SI_USER);
}

/* --- EINTR, SA_RESTART, sigsuspend, pause, alarm, itimer ---------------- */

static void arm_real_timer_ms(long first_ms, long interval_ms)
{
    struct itimerval it = {{interval_ms / 1000, (interval_ms % 1000) * 1000},
                           {first_ms / 1000, (first_ms % 1000) * 1000}};
    CHECK_EQ(setitimer(ITIMER_REAL, &it, NULL), 0);
}

static void read_interrupted_without_sa_restart_fails_eintr(void)
{
    int p[2];
    char c;
    CHECK_EQ(pipe(p), 0); /* empty, with a writer (us): read blocks */
    install(SIGALRM, record, 0);
    start_watchdog(10);
    arm_real_timer_ms(100, 0);
    CHECK_ERRNO(read(p[0], &c, 1), EINTR);
    CHECK_EQ(handler_calls, 1);
    CHECK_EQ(last_signal, SIGALRM);
    stop_watchdog();
}

static void read_with_sa_restart_continues_and_gets_data(void)
{
    int p[2];
    char buf[16];
    CHECK_EQ(pipe(p), 0);
    install(SIGALRM, record, SA_RESTART);
    start_watchdog(10);
    pid_t writer = fork_or_fail();
    if (writer == 0) {
        close(p[0]);
        sleep_ms(1000); /* long after the alarm below */
        _exit(write(p[1], "data", 4) == 4 ? 0 : 1);
    }
    close(p[1]);
    arm_real_timer_ms(100, 0);
    ssize_t n = read(p[0], buf, sizeof buf);
    CHECK_EQ(n, 4);
    CHECK(memcmp(buf, "data", 4) == 0);
    CHECK_EQ(handler_calls, 1); /* the alarm did come during the read */
    CHECK_EQ(wait_status(writer), 0);
    stop_watchdog();
}

static void handler_cuts_nanosleep_short_with_time_left(void)
{
    install(SIGALRM, record, SA_RESTART); /* nanosleep is never restarted, even so */
    start_watchdog(10);
    arm_real_timer_ms(100, 0);
    struct timespec want = {2, 0}, left = {0, 0};
    CHECK_ERRNO(nanosleep(&want, &left), EINTR);
    CHECK_EQ(handler_calls, 1);
    double left_seconds = (double)left.tv_sec + (double)left.tv_nsec / 1e9;
    CHECK(left_seconds > 0.5); /* it slept about 0.1 s of the 2 */
    CHECK(left_seconds <= 2.0);
    stop_watchdog();
}

static volatile sig_atomic_t saw_usr2_blocked_in_handler;

static void record_usr2_blocked(int sig)
{
    handler_calls++;
    saw_usr2_blocked_in_handler = is_blocked(SIGUSR2);
}

static void sigsuspend_waits_with_its_mask_then_restores(void)
{
    install(SIGUSR1, record_usr2_blocked, 0);
    change_mask(SIG_BLOCK, SIGUSR1);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        sleep_ms(100);
        _exit(kill(getppid(), SIGUSR1) == 0 ? 0 : 1);
    }
    sigset_t during;
    sigemptyset(&during);
    sigaddset(&during, SIGUSR2); /* SIGUSR1 open, SIGUSR2 blocked while suspended */
    CHECK_ERRNO(sigsuspend(&during), EINTR);
    CHECK_EQ(handler_calls, 1);
    CHECK_EQ(saw_usr2_blocked_in_handler, 1);
    CHECK_EQ(is_blocked(SIGUSR1), 1); /* the old mask is back */
    CHECK_EQ(is_blocked(SIGUSR2), 0);
    CHECK_EQ(wait_status(pid), 0);
}

static void alarm_wakes_pause_with_eintr(void)
{
    install(SIGALRM, record, 0);
    start_watchdog(10);
    double start = now_seconds();
    alarm(1);
    CHECK_ERRNO(pause(), EINTR);
    double waited = now_seconds() - start;
    CHECK_EQ(handler_calls, 1);
    CHECK_EQ(last_signal, SIGALRM);
    CHECK(waited > 0.5); /* alarm(1) is not "now" */
    stop_watchdog();
}

static void alarm_zero_cancels_and_returns_seconds_left(void)
{
    install(SIGALRM, record, 0);
    start_watchdog(10);
    alarm(5);
    CHECK_EQ(alarm(0), 5);
    CHECK_EQ(alarm(0), 0); /* nothing left to cancel */
    CHECK_EQ(alarm(1), 0);
    CHECK_EQ(alarm(0), 1);
    struct itimerval now;
    CHECK_EQ(getitimer(ITIMER_REAL, &now), 0);
    CHECK_EQ(now.it_value.tv_sec, 0);
    CHECK_EQ(now.it_value.tv_usec, 0);
    sleep_ms(1500); /* past when the cancelled alarm would have rung */
    CHECK_EQ(handler_calls, 0);
    stop_watchdog();
}

static void itimer_real_fires_repeatedly(void)
{
    install(SIGALRM, record, 0);
    start_watchdog(10);
    arm_real_timer_ms(100, 100);
    struct itimerval now;
    CHECK_EQ(getitimer(ITIMER_REAL, &now), 0);
    CHECK_EQ(now.it_interval.tv_sec, 0);
    CHECK_EQ(now.it_interval.tv_usec, 100000);
    CHECK_EQ(now.it_value.tv_sec, 0);
    CHECK(now.it_value.tv_usec > 0 && now.it_value.tv_usec <= 100000);
    sleep_ms(550);
    struct itimerval off = {{0, 0}, {0, 0}}, old;
    CHECK_EQ(setitimer(ITIMER_REAL, &off, &old), 0);
    int fired = handler_calls;
    CHECK(fired >= 3);  /* about 5 in 0.55 s */
    CHECK(fired <= 20); /* but not a storm */
    CHECK_EQ(old.it_interval.tv_usec, 100000);
    sleep_ms(300);
    CHECK_EQ(handler_calls, fired); /* disarmed: no more */
    stop_watchdog();
}

/* --- SIGKILL and SIGSTOP ------------------------------------------------ */

static void sigkill_and_sigstop_refuse_handlers(void)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = record;
    sigemptyset(&sa.sa_mask);
    CHECK_ERRNO(sigaction(SIGKILL, &sa, NULL), EINVAL);
    CHECK_ERRNO(sigaction(SIGSTOP, &sa, NULL), EINVAL);
    sa.sa_handler = SIG_IGN;
    CHECK_ERRNO(sigaction(SIGKILL, &sa, NULL), EINVAL);
    CHECK_ERRNO(sigaction(SIGSTOP, &sa, NULL), EINVAL);
    CHECK_EQ(sigaction(SIGKILL, NULL, &old), 0); /* asking is fine */
    CHECK(old.sa_handler == SIG_DFL);
}

static void sigprocmask_silently_ignores_sigkill_and_sigstop(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGKILL);
    sigaddset(&set, SIGSTOP);
    sigaddset(&set, SIGUSR1);
    CHECK_EQ(sigprocmask(SIG_BLOCK, &set, NULL), 0);
    CHECK_EQ(is_blocked(SIGKILL), 0);
    CHECK_EQ(is_blocked(SIGSTOP), 0);
    CHECK_EQ(is_blocked(SIGUSR1), 1);
}

static pid_t fork_child_blocking_everything(void)
{
    int ready[2];
    pid_t parent = getpid();
    CHECK_EQ(pipe(ready), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        sigset_t all;
        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, NULL);
        say_ready(ready[1]);
        idle_until_orphaned(parent);
    }
    close(ready[1]);
    await_ready(ready[0]);
    close(ready[0]);
    return pid;
}

static void blocked_sigkill_still_kills(void)
{
    pid_t pid = fork_child_blocking_everything();
    CHECK_EQ(kill(pid, SIGKILL), 0);
    int status = wait_status(pid);
    CHECK(WIFSIGNALED(status));
    CHECK_EQ(WTERMSIG(status), SIGKILL);
}

static void blocked_sigstop_still_stops(void)
{
    pid_t pid = fork_child_blocking_everything();
    CHECK_EQ(kill(pid, SIGSTOP), 0);
    int status = wait_options(pid, WUNTRACED);
    CHECK(WIFSTOPPED(status));
    CHECK_EQ(WSTOPSIG(status), SIGSTOP);
    CHECK_EQ(kill(pid, SIGKILL), 0);
    status = wait_status(pid);
    CHECK(WIFSIGNALED(status));
    CHECK_EQ(WTERMSIG(status), SIGKILL);
}

/* --- delivery without system calls, and faults -------------------------- */

static void tight_loop_process_receives_signal(void)
{
    int ready[2];
    CHECK_EQ(pipe(ready), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        volatile unsigned long spins = 0;
        install(SIGUSR1, exit_7, 0);
        alarm(20); /* if SIGUSR1 never arrives, SIGALRM ends it (and the parent sees that) */
        say_ready(ready[1]);
        for (;;) /* no system call ever again: only an interrupt can deliver */
            spins++;
    }
    close(ready[1]);
    await_ready(ready[0]);
    sleep_ms(50); /* let it get into the loop */
    CHECK_EQ(kill(pid, SIGUSR1), 0);
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 7);
}

static sigjmp_buf fault_jump;
static volatile char *volatile fault_target;

static void jump_out_of_fault(int sig, siginfo_t *si, void *context)
{
    handler_calls++;
    info_signo = si->si_signo;
    info_code = si->si_code;
    info_addr = si->si_addr;
    siglongjmp(fault_jump, 1);
}

/* Touch fault_target (write or read); a SIGSEGV handler must see exactly that address. */
static void expect_segv_at_target(int write_access, int expected_code)
{
    install_info(SIGSEGV, jump_out_of_fault, 0);
    for (int round = 1; round <= 2; round++) { /* twice: the handler works again after a jump */
        if (sigsetjmp(fault_jump, 1) == 0) {
            if (write_access)
                *fault_target = 1;
            else
                (void)*fault_target;
            utest_fail(__FILE__, __LINE__, "touching %p did not fault", (void *)fault_target);
        }
        CHECK_EQ(handler_calls, round);
        CHECK_EQ(info_signo, SIGSEGV);
        CHECK_EQ((uintptr_t)info_addr, (uintptr_t)fault_target);
        CHECK_EQ(info_code, expected_code);
        CHECK_EQ(is_blocked(SIGSEGV), 0); /* siglongjmp put the mask back */
    }
}

static void sigsegv_handler_sees_null_page_address(void)
{
    fault_target = (volatile char *)16;
    expect_segv_at_target(1, SEGV_MAPERR);
}

static void sigsegv_handler_sees_prot_none_address(void)
{
    char *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(page != MAP_FAILED);
    fault_target = page + 100;
    expect_segv_at_target(0, SEGV_ACCERR);
}

static void sigsegv_handler_sees_read_only_write_address(void)
{
    char *page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(page != MAP_FAILED);
    CHECK_EQ(page[200], 0); /* reading is allowed */
    fault_target = page + 200;
    expect_segv_at_target(1, SEGV_ACCERR);
}

static void sigsegv_handler_sees_kernel_address(void)
{
    fault_target = (volatile char *)KERNEL_ADDRESS;
    expect_segv_at_target(0, SEGV_MAPERR);
}

static void exit_42(int sig) { _exit(42); }

static void sigsegv_handler_can_exit(void)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        install(SIGSEGV, exit_42, 0);
        *(volatile int *)0 = 1;
        _exit(1);
    }
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 42);
}

static void ignored_or_blocked_sigsegv_from_a_fault_still_kills(void)
{
    for (int blocked = 0; blocked <= 1; blocked++) {
        pid_t pid = fork_or_fail();
        if (pid == 0) {
            if (blocked)
                change_mask(SIG_BLOCK, SIGSEGV);
            else
                install(SIGSEGV, SIG_IGN, 0);
            *(volatile int *)0 = 1; /* retrying the instruction would fault forever */
            _exit(1);
        }
        int status = wait_status(pid);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSEGV)
            utest_fail(__FILE__, __LINE__, "SIGSEGV %s: expected death by SIGSEGV, got status %#x",
                       blocked ? "blocked" : "ignored", status);
    }
}

/* Floating-point work in the interrupted code must survive handlers that use the FPU. */
static void clobber_vector_registers(int sig)
{
    handler_calls++;
    __asm__ volatile("pxor %%xmm0, %%xmm0\n\tpxor %%xmm1, %%xmm1\n\tpxor %%xmm2, %%xmm2\n\t"
                     "pxor %%xmm3, %%xmm3\n\tpxor %%xmm4, %%xmm4\n\tpxor %%xmm5, %%xmm5\n\t"
                     "pxor %%xmm6, %%xmm6\n\tpxor %%xmm7, %%xmm7\n\tpxor %%xmm8, %%xmm8\n\t"
                     "pxor %%xmm9, %%xmm9\n\tpxor %%xmm10, %%xmm10\n\tpxor %%xmm11, %%xmm11\n\t"
                     "pxor %%xmm12, %%xmm12\n\tpxor %%xmm13, %%xmm13\n\t"
                     "pxor %%xmm14, %%xmm14\n\tpxor %%xmm15, %%xmm15" ::
                         : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
                           "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
}

static void handler_does_not_disturb_interrupted_floating_point(void)
{
    install(SIGALRM, clobber_vector_registers, SA_RESTART);
    start_watchdog(20);
    arm_real_timer_ms(10, 10);
    double whole = 0, half = 0, start = now_seconds();
    long steps = 0;
    while (handler_calls < 20 && now_seconds() - start < 10) {
        for (int i = 0; i < 1000000; i++) { /* the sums live in xmm registers here */
            whole += 1.0;
            half += 0.5;
            steps++;
        }
    }
    arm_real_timer_ms(0, 0);
    CHECK(handler_calls >= 20); /* the handlers really ran in the middle of the loop */
    CHECK(whole == (double)steps);
    CHECK(half == 0.5 * (double)steps);
    stop_watchdog();
}

/* --- nesting and SA_RESETHAND ------------------------------------------- */

static volatile sig_atomic_t in_usr1, usr2_calls, usr2_saw_in_usr1, usr2_calls_seen_inside;
static volatile sig_atomic_t depth, max_depth, pending_seen_inside, calls_seen_inside;

static void usr2_notes_nesting(int sig)
{
    usr2_calls++;
    usr2_saw_in_usr1 = in_usr1;
}

static void usr1_sends_usr2(int sig)
{
    in_usr1 = 1;
    kill(getpid(), SIGUSR2);
    usr2_calls_seen_inside = usr2_calls;
    in_usr1 = 0;
}

static void other_signal_nests_inside_handler(void)
{
    install(SIGUSR2, usr2_notes_nesting, 0);
    install(SIGUSR1, usr1_sends_usr2, 0);
    CHECK_EQ(kill(getpid(), SIGUSR1), 0);
    CHECK_EQ(usr2_calls, 1);
    CHECK_EQ(usr2_calls_seen_inside, 1); /* ran before kill() in the SIGUSR1 handler returned */
    CHECK_EQ(usr2_saw_in_usr1, 1);
}

static void sa_mask_defers_listed_signal_until_handler_returns(void)
{
    install(SIGUSR2, usr2_notes_nesting, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = usr1_sends_usr2;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
    CHECK_EQ(kill(getpid(), SIGUSR1), 0);
    CHECK_EQ(usr2_calls_seen_inside, 0); /* blocked inside */
    CHECK_EQ(usr2_calls, 1);             /* delivered when the handler returned */
    CHECK_EQ(usr2_saw_in_usr1, 0);
}

static void resend_self_once(int sig)
{
    handler_calls++;
    depth++;
    if (depth > max_depth)
        max_depth = depth;
    if (handler_calls == 1) {
        kill(getpid(), sig);
        calls_seen_inside = handler_calls;
        pending_seen_inside = is_pending(sig);
    }
    depth--;
}

static void same_signal_nests_with_sa_nodefer(void)
{
    install(SIGUSR1, resend_self_once, SA_NODEFER);
    CHECK_EQ(kill(getpid(), SIGUSR1), 0);
    CHECK_EQ(handler_calls, 2);
    CHECK_EQ(max_depth, 2);
    CHECK_EQ(calls_seen_inside, 2);
    CHECK_EQ(pending_seen_inside, 0);
}

static void same_signal_waits_without_sa_nodefer(void)
{
    install(SIGUSR1, resend_self_once, 0);
    CHECK_EQ(kill(getpid(), SIGUSR1), 0);
    CHECK_EQ(handler_calls, 2); /* the second one ran after the first returned */
    CHECK_EQ(max_depth, 1);
    CHECK_EQ(calls_seen_inside, 1);
    CHECK_EQ(pending_seen_inside, 1);
}

static void sa_resethand_restores_default_after_one_delivery(void)
{
    install(SIGUSR1, record, SA_RESETHAND);
    CHECK_EQ(kill(getpid(), SIGUSR1), 0);
    CHECK_EQ(handler_calls, 1);
    struct sigaction now;
    CHECK_EQ(sigaction(SIGUSR1, NULL, &now), 0);
    CHECK(now.sa_handler == SIG_DFL);

    /* The second SIGUSR1 gets the default action: it kills. */
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        handler_calls = 0;
        install(SIGUSR1, record, SA_RESETHAND);
        kill(getpid(), SIGUSR1);
        if (handler_calls != 1)
            _exit(2);
        kill(getpid(), SIGUSR1);
        _exit(3);
    }
    int status = wait_status(pid);
    CHECK(WIFSIGNALED(status));
    CHECK_EQ(WTERMSIG(status), SIGUSR1);
}

static const struct utest_case cases[] = {
    UTEST(handler_runs_with_its_signal_number_before_kill_returns),
    UTEST(siginfo_from_kill_names_sender),
    UTEST(blocked_signal_is_pending_not_delivered),
    UTEST(unblocking_delivers_pending_signal_once),
    UTEST(handler_mask_adds_signal_and_sa_mask_then_restores),
    UTEST(ignoring_discards_pending_signal),
    UTEST(handler_mask_changes_are_undone_on_return),
    UTEST(realtime_signals_queue_every_instance),
    UTEST(read_interrupted_without_sa_restart_fails_eintr),
    UTEST(read_with_sa_restart_continues_and_gets_data),
    UTEST(handler_cuts_nanosleep_short_with_time_left),
    UTEST(sigsuspend_waits_with_its_mask_then_restores),
    UTEST(alarm_wakes_pause_with_eintr),
    UTEST(alarm_zero_cancels_and_returns_seconds_left),
    UTEST(itimer_real_fires_repeatedly),
    UTEST(sigkill_and_sigstop_refuse_handlers),
    UTEST(sigprocmask_silently_ignores_sigkill_and_sigstop),
    UTEST(blocked_sigkill_still_kills),
    UTEST(blocked_sigstop_still_stops),
    UTEST(tight_loop_process_receives_signal),
    UTEST(sigsegv_handler_sees_null_page_address),
    UTEST(sigsegv_handler_sees_prot_none_address),
    UTEST(sigsegv_handler_sees_read_only_write_address),
    UTEST(sigsegv_handler_sees_kernel_address),
    UTEST(sigsegv_handler_can_exit),
    UTEST(ignored_or_blocked_sigsegv_from_a_fault_still_kills),
    UTEST(handler_does_not_disturb_interrupted_floating_point),
    UTEST(other_signal_nests_inside_handler),
    UTEST(sa_mask_defers_listed_signal_until_handler_returns),
    UTEST(same_signal_nests_with_sa_nodefer),
    UTEST(same_signal_waits_without_sa_nodefer),
    UTEST(sa_resethand_restores_default_after_one_delivery),
};

int main(int argc, char **argv)
{
    reset_signal_state();
    return utest_main("signal", cases, sizeof cases / sizeof cases[0], argc, argv);
}
