/*
 * t_sigargs.c - the edges of the signal calls: bad signal numbers, sizes
 * and pointers (errno, never a crash), sigaltstack, raise and tgkill, and
 * the default action of each kind of signal (terminate, core, ignore, stop).
 *
 * The same binary runs on Linux (to prove the expectations) and in sprout.
 */
#include "tests/user/sigtest.h"

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
    reset_signal_state();
    return utest_main("sigargs", cases, sizeof cases / sizeof cases[0], argc, argv);
}
