/*
 * t_signal.c - signals as a program sees them: handlers and siginfo, the
 * mask and pending set, EINTR versus SA_RESTART, sigsuspend, pause, alarm
 * and ITIMER_REAL, the two signals nobody can catch or block, delivery to a
 * process that never makes a system call, SIGSEGV with the faulting address,
 * FPU state across handlers, nesting (SA_NODEFER, sa_mask), SA_RESETHAND,
 * queued real-time signals, kill() to a process group, stop/continue seen by
 * wait4 and SIGCHLD (SA_NOCLDSTOP, SIGCONT handlers), what exec and fork
 * keep, bad arguments, sigaltstack, raise/tgkill, and the default actions.
 *
 * The same binary runs on Linux (to prove the expectations) and in sprout.
 * `t_signal --exec-probe` is the program the exec case runs: it reports
 * what it inherited through its exit status.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "tests/user/utest.h"

#define EXEC_PROBE_ARG "--exec-probe"
#define KERNEL_ADDRESS 0xffffffff80000000UL /* the top 2 GiB: the kernel's, not ours */
#define KERNEL_SIGSET_SIZE 8                /* the kernel's sigset_t: 64 bits */

static const char *self_path; /* argv[0], for the exec case */

/* --- helpers ---------------------------------------------------------- */

static int is_sprout(void)
{
    struct utsname u;
    return uname(&u) == 0 && strcmp(u.sysname, "sprout") == 0;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep the whole time even if handlers interrupt the sleep. */
static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* Wait for pid with options (retrying EINTR) and return its status; the wait must succeed. */
static int wait_options(pid_t pid, int options)
{
    int status = -1;
    pid_t got;
    while ((got = waitpid(pid, &status, options)) < 0 && errno == EINTR)
        ;
    CHECK_EQ(got, pid);
    return status;
}

static int wait_status(pid_t pid) { return wait_options(pid, 0); }

static pid_t fork_or_fail(void)
{
    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0);
    return pid;
}

/* The child says "I am ready" by writing one byte; the parent waits for it. */
static void say_ready(int fd)
{
    char c = 'r';
    if (write(fd, &c, 1) != 1)
        _exit(120);
}

static void await_ready(int fd)
{
    char c;
    ssize_t n;
    while ((n = read(fd, &c, 1)) < 0 && errno == EINTR)
        ;
    CHECK_EQ(n, 1);
}

/* In a child: sleep until killed, or leave once the parent is gone (so a failed
 * case leaves nothing behind). */
static _Noreturn void idle_until_orphaned(pid_t parent)
{
    while (getppid() == parent)
        sleep_ms(100);
    _exit(0);
}

/* A child that waits until it is killed, once it has said it is ready. */
static pid_t fork_pausing_child(void)
{
    int ready[2];
    pid_t parent = getpid();
    CHECK_EQ(pipe(ready), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        close(ready[0]);
        say_ready(ready[1]);
        idle_until_orphaned(parent);
    }
    close(ready[1]);
    await_ready(ready[0]);
    close(ready[0]);
    return pid;
}

static void install(int sig, void (*handler)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    CHECK_EQ(sigaction(sig, &sa, NULL), 0);
}

static void install_info(int sig, void (*handler)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = flags | SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    CHECK_EQ(sigaction(sig, &sa, NULL), 0);
}

static void change_mask(int how, int sig)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    CHECK_EQ(sigprocmask(how, &set, NULL), 0);
}

static int is_blocked(int sig)
{
    sigset_t now;
    if (sigprocmask(SIG_BLOCK, NULL, &now) != 0)
        return -1;
    return sigismember(&now, sig);
}

static int is_pending(int sig)
{
    sigset_t now;
    if (sigpending(&now) != 0)
        return -1;
    return sigismember(&now, sig);
}

/*
 * Cases that replace the framework's alarm (ITIMER_REAL) with their own lose
 * its time limit, so they start a watchdog: a child that kills the case with
 * SIGKILL if it is still running after `seconds`.  stop_watchdog() ends it
 * and gives the case back the framework's 30 s alarm.
 */
static pid_t watchdog_pid;

static void start_watchdog(int seconds)
{
    pid_t parent = getpid();
    watchdog_pid = fork_or_fail();
    if (watchdog_pid == 0) {
        sleep_ms(seconds * 1000L);
        printf("watchdog: case %s still running after %d s: killing it\n", utest_case_name,
               seconds);
        fflush(stdout);
        kill(parent, SIGKILL);
        _exit(0);
    }
}

static void stop_watchdog(void)
{
    kill(watchdog_pid, SIGKILL);
    wait_status(watchdog_pid);
    alarm(UTEST_TIMEOUT_SECONDS);
}

/* What handlers saw. */
static volatile sig_atomic_t handler_calls, last_signal;
static volatile sig_atomic_t info_signo, info_code, info_pid, info_uid;
static void *volatile info_addr;

static void record(int sig)
{
    handler_calls++;
    last_signal = sig;
}

static void record_info(int sig, siginfo_t *si, void *context)
{
    handler_calls++;
    last_signal = sig;
    info_signo = si->si_signo;
    info_code = si->si_code;
    info_pid = si->si_pid;
    info_uid = (sig_atomic_t)si->si_uid;
}

static void exit_7(int sig) { _exit(7); }

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
    CHECK(left_seconds > 0.5);  /* it slept about 0.1 s of the 2 */
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
                     "pxor %%xmm14, %%xmm14\n\tpxor %%xmm15, %%xmm15"
                     ::: "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
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
    CHECK_EQ(kill(-leader, 0), -1);                     /* the group is gone */
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

static void stop_on_alarm(int sig) { }

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
    PROBE_CAUGHT_IS_DEFAULT = 1,  /* SIGUSR1 had a handler: now SIG_DFL */
    PROBE_IGNORED_STAYS = 2,      /* SIGUSR2 was SIG_IGN: still */
    PROBE_MASK_KEPT = 4,          /* SIGTERM was blocked: still */
    PROBE_PENDING_KEPT = 8,       /* SIGINT was blocked and pending: still */
    PROBE_UNBLOCKED_STAYS = 16,   /* SIGUSR1 was not blocked: still not */
    PROBE_ALARM_KEPT = 32,        /* an alarm was set: it still runs */
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
            wrong |= 16; /* alarms are not inherited */
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

/* --- bad arguments ------------------------------------------------------- */

/* The kernel's struct sigaction on x86-64, for raw rt_sigaction calls (libc checks first). */
struct kernel_sigaction {
    void *handler;
    unsigned long flags;
    void *restorer;
    unsigned long mask;
};

static long raw_sigaction(int sig, const void *act, void *old, size_t size)
{
    return syscall(SYS_rt_sigaction, sig, act, old, size);
}

static void rt_sigaction_rejects_bad_signal_numbers(void)
{
    struct kernel_sigaction ignore = {SIG_IGN, 0, NULL, 0}, dfl = {SIG_DFL, 0, NULL, 0};
    CHECK_ERRNO(raw_sigaction(0, &ignore, NULL, KERNEL_SIGSET_SIZE), EINVAL);
    CHECK_ERRNO(raw_sigaction(-1, &ignore, NULL, KERNEL_SIGSET_SIZE), EINVAL);
    CHECK_ERRNO(raw_sigaction(65, &ignore, NULL, KERNEL_SIGSET_SIZE), EINVAL);
    CHECK_ERRNO(raw_sigaction(0, NULL, NULL, KERNEL_SIGSET_SIZE), EINVAL);
    CHECK_EQ(raw_sigaction(64, &ignore, NULL, KERNEL_SIGSET_SIZE), 0); /* the last one is fine */
    CHECK_EQ(raw_sigaction(64, &dfl, NULL, KERNEL_SIGSET_SIZE), 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    CHECK_ERRNO(sigaction(65, &sa, NULL), EINVAL); /* through libc too */
}

static void kill_rejects_bad_signal_numbers(void)
{
    CHECK_ERRNO(kill(getpid(), 65), EINVAL);
    CHECK_ERRNO(kill(getpid(), -1), EINVAL);
    CHECK_ERRNO(syscall(SYS_tgkill, getpid(), getpid(), 65), EINVAL);
}

static void rt_sigaction_bad_pointers_give_efault(void)
{
    CHECK_ERRNO(raw_sigaction(SIGUSR1, (void *)1, NULL, KERNEL_SIGSET_SIZE), EFAULT);
    CHECK_ERRNO(raw_sigaction(SIGUSR1, (void *)KERNEL_ADDRESS, NULL, KERNEL_SIGSET_SIZE), EFAULT);
    CHECK_ERRNO(raw_sigaction(SIGUSR1, NULL, (void *)1, KERNEL_SIGSET_SIZE), EFAULT);
    CHECK_ERRNO(raw_sigaction(SIGUSR1, NULL, (void *)KERNEL_ADDRESS, KERNEL_SIGSET_SIZE), EFAULT);
    struct sigaction now;
    CHECK_EQ(sigaction(SIGUSR1, NULL, &now), 0); /* nothing changed */
    CHECK(now.sa_handler == SIG_DFL);
}

static void signal_calls_check_sigsetsize_how_and_pointers(void)
{
    unsigned long set = 1UL << (SIGUSR1 - 1), old = 0;
    CHECK_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4), EINVAL);
    CHECK_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 16), EINVAL);
    CHECK_EQ(is_blocked(SIGUSR1), 0); /* nothing changed */
    CHECK_ERRNO(syscall(SYS_rt_sigprocmask, 3, &set, NULL, KERNEL_SIGSET_SIZE), EINVAL);
    CHECK_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void *)1, NULL, KERNEL_SIGSET_SIZE),
                EFAULT);
    CHECK_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, (void *)1, KERNEL_SIGSET_SIZE),
                EFAULT);
    CHECK_EQ(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, &old, KERNEL_SIGSET_SIZE), 0);
    CHECK_EQ(is_blocked(SIGUSR1), 1);
    struct kernel_sigaction ignore = {SIG_IGN, 0, NULL, 0};
    CHECK_ERRNO(raw_sigaction(SIGUSR2, &ignore, NULL, 4), EINVAL);
    CHECK_ERRNO(syscall(SYS_rt_sigsuspend, &set, 4), EINVAL);
    CHECK_ERRNO(syscall(SYS_rt_sigpending, (void *)1, KERNEL_SIGSET_SIZE), EFAULT);
}

/* --- sigaltstack ---------------------------------------------------------- */

#define ALT_STACK_SIZE (64 * 1024)
static char alt_stack[ALT_STACK_SIZE] __attribute__((aligned(16)));
static volatile uintptr_t handler_local_address;
static volatile sig_atomic_t handler_saw_onstack;

static void note_stack(int sig)
{
    volatile char local = 0;
    stack_t now;
    handler_calls++;
    handler_local_address = (uintptr_t)&local;
    handler_saw_onstack = sigaltstack(NULL, &now) == 0 && (now.ss_flags & SS_ONSTACK);
}

static void sa_onstack_handler_runs_on_alternate_stack(void)
{
    stack_t ss = {.ss_sp = alt_stack, .ss_flags = 0, .ss_size = ALT_STACK_SIZE}, old;
    CHECK_EQ(sigaltstack(&ss, NULL), 0);
    install(SIGUSR1, note_stack, SA_ONSTACK);
    install(SIGUSR2, note_stack, 0);
    CHECK_EQ(kill(getpid(), SIGUSR1), 0);
    CHECK_EQ(handler_calls, 1);
    CHECK(handler_local_address >= (uintptr_t)alt_stack);
    CHECK(handler_local_address < (uintptr_t)alt_stack + ALT_STACK_SIZE);
    CHECK_EQ(handler_saw_onstack, 1);
    /* Without SA_ONSTACK the handler stays on the normal stack. */
    CHECK_EQ(kill(getpid(), SIGUSR2), 0);
    CHECK_EQ(handler_calls, 2);
    CHECK(handler_local_address < (uintptr_t)alt_stack ||
          handler_local_address >= (uintptr_t)alt_stack + ALT_STACK_SIZE);
    CHECK_EQ(handler_saw_onstack, 0);
    CHECK_EQ(sigaltstack(NULL, &old), 0);
    CHECK(old.ss_sp == alt_stack);
    CHECK_EQ(old.ss_size, ALT_STACK_SIZE);
    CHECK_EQ(old.ss_flags, 0);
}

static void sigaltstack_checks_size_and_flags(void)
{
    /* Raw calls: musl checks the size itself before asking the kernel. */
    stack_t small = {.ss_sp = alt_stack, .ss_flags = 0, .ss_size = 1000};
    CHECK_ERRNO(syscall(SYS_sigaltstack, &small, NULL), ENOMEM);
    stack_t bad_flags = {.ss_sp = alt_stack, .ss_flags = 0x10, .ss_size = ALT_STACK_SIZE};
    CHECK_ERRNO(syscall(SYS_sigaltstack, &bad_flags, NULL), EINVAL);
    CHECK_ERRNO(syscall(SYS_sigaltstack, (void *)1, NULL), EFAULT);
    stack_t old;
    CHECK_EQ(syscall(SYS_sigaltstack, NULL, &old), 0);
    CHECK_EQ(old.ss_flags, SS_DISABLE); /* none was set up */
}

/* --- raise, tgkill ---------------------------------------------------------- */

static void raise_and_tgkill_deliver_with_si_tkill(void)
{
    install_info(SIGUSR1, record_info, 0);
    CHECK_EQ(raise(SIGUSR1), 0);
    CHECK_EQ(handler_calls, 1);
    CHECK_EQ(info_signo, SIGUSR1);
    CHECK_EQ(info_code, SI_TKILL);
    CHECK_EQ(info_pid, getpid());
    CHECK_EQ(syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), SIGUSR1), 0);
    CHECK_EQ(handler_calls, 2);
    CHECK_EQ(info_code, SI_TKILL);
    CHECK_EQ(syscall(SYS_tgkill, getpid(), getpid(), 0), 0); /* probe only */
    CHECK_EQ(handler_calls, 2);

    pid_t pid = fork_or_fail();
    if (pid == 0)
        _exit(0);
    CHECK_EQ(wait_status(pid), 0);
    CHECK_ERRNO(syscall(SYS_tgkill, pid, pid, SIGUSR1), ESRCH);
}

/* --- default actions -------------------------------------------------------- */

static int status_after_signal(int sig)
{
    pid_t pid = fork_pausing_child();
    CHECK_EQ(kill(pid, sig), 0);
    return wait_status(pid);
}

static void sigterm_default_terminates_without_core(void)
{
    int status = status_after_signal(SIGTERM);
    CHECK(WIFSIGNALED(status));
    CHECK_EQ(WTERMSIG(status), SIGTERM);
    CHECK_EQ(WCOREDUMP(status), 0);
}

/* Linux sets the core flag only if it wrote a core: let the child write one into a scratch dir. */
static void sigquit_default_terminates_with_core_flag(void)
{
    char dir[] = "/tmp/t_signal_core.XXXXXX";
    int linux_host = !is_sprout();
    if (linux_host)
        CHECK(mkdtemp(dir) != NULL);
    int ready[2];
    pid_t parent = getpid();
    CHECK_EQ(pipe(ready), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        struct rlimit unlimited = {RLIM_INFINITY, RLIM_INFINITY};
        if (linux_host && (chdir(dir) != 0 || setrlimit(RLIMIT_CORE, &unlimited) != 0))
            _exit(2);
        say_ready(ready[1]);
        idle_until_orphaned(parent);
    }
    close(ready[1]);
    await_ready(ready[0]);
    CHECK_EQ(kill(pid, SIGQUIT), 0);
    int status = wait_status(pid);
    if (linux_host) {
        DIR *d = opendir(dir);
        struct dirent *e;
        while (d && (e = readdir(d)))
            if (e->d_name[0] != '.') {
                char path[512];
                snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
                unlink(path);
            }
        if (d)
            closedir(d);
        rmdir(dir);
    }
    CHECK(WIFSIGNALED(status));
    CHECK_EQ(WTERMSIG(status), SIGQUIT);
    CHECK_EQ(status & 0x80, 0x80);
}

static void sigchld_default_is_ignored(void)
{
    CHECK_EQ(kill(getpid(), SIGCHLD), 0); /* we survive it */
    CHECK_EQ(is_pending(SIGCHLD), 0);
    pid_t pid = fork_pausing_child();
    CHECK_EQ(kill(pid, SIGCHLD), 0);
    sleep_ms(50);
    int status;
    CHECK_EQ(waitpid(pid, &status, WNOHANG), 0); /* still there */
    CHECK_EQ(kill(pid, SIGKILL), 0);
    status = wait_status(pid);
    CHECK_EQ(WTERMSIG(status), SIGKILL);
}

static void sigtstp_default_stops(void)
{
    int ready[2];
    pid_t parent = getpid();
    CHECK_EQ(pipe(ready), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        /* Its own group, whose parent (us) is in another group of the same session:
         * not an orphaned group, where SIGTSTP would be discarded. */
        setpgid(0, 0);
        say_ready(ready[1]);
        idle_until_orphaned(parent);
    }
    close(ready[1]);
    await_ready(ready[0]);
    CHECK_EQ(kill(pid, SIGTSTP), 0);
    int status = wait_options(pid, WUNTRACED);
    CHECK(WIFSTOPPED(status));
    CHECK_EQ(WSTOPSIG(status), SIGTSTP);
    CHECK_EQ(kill(pid, SIGCONT), 0);
    status = wait_options(pid, WCONTINUED);
    CHECK(WIFCONTINUED(status));
    CHECK_EQ(kill(pid, SIGKILL), 0);
    status = wait_status(pid);
    CHECK_EQ(WTERMSIG(status), SIGKILL);
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
    UTEST(rt_sigaction_rejects_bad_signal_numbers),
    UTEST(kill_rejects_bad_signal_numbers),
    UTEST(rt_sigaction_bad_pointers_give_efault),
    UTEST(signal_calls_check_sigsetsize_how_and_pointers),
    UTEST(sa_onstack_handler_runs_on_alternate_stack),
    UTEST(sigaltstack_checks_size_and_flags),
    UTEST(raise_and_tgkill_deliver_with_si_tkill),
    UTEST(sigterm_default_terminates_without_core),
    UTEST(sigquit_default_terminates_with_core_flag),
    UTEST(sigchld_default_is_ignored),
    UTEST(sigtstp_default_stops),
};

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], EXEC_PROBE_ARG) == 0)
        return exec_probe();
    /* What the cases expect of SIGINT, SIGQUIT... must not depend on who started us
     * (a shell without job control starts background programs with SIGINT ignored). */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int sig = 1; sig < 32; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            signal(sig, SIG_DFL);
    self_path = strchr(argv[0], '/') ? argv[0] : "/proc/self/exe";
    return utest_main("signal", cases, sizeof cases / sizeof cases[0], argc, argv);
}
