/*
 * t_timer.c - POSIX per-process timers: timer_create, timer_settime,
 * timer_gettime, timer_getoverrun, timer_delete.  Signals, a chosen thread,
 * no notification, musl's SIGEV_THREAD (a callback in a new thread), CPU-time
 * clocks, absolute times, overruns, what fork and exec do to timers, the
 * per-process limit and the bad-argument cases; and that CLOCK_MONOTONIC
 * reads finer than a tick.  Runs on Linux too.
 */
#define _GNU_SOURCE
#include "tests/user/utest.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>

#define SIGEV_THREAD_ID 4 /* (musl's <signal.h> has it; Linux's value) */

/* The raw calls, for IDs musl's wrappers would not pass through. */
static long raw_settime(long id, int flags, const void *new_value, void *old_value)
{
    return syscall(SYS_timer_settime, id, flags, new_value, old_value);
}
static long raw_gettime(long id, void *value) { return syscall(SYS_timer_gettime, id, value); }

static timer_t make_timer(clockid_t clock, int notify, int signo, int value)
{
    struct sigevent ev = {0};
    ev.sigev_notify = notify;
    ev.sigev_signo = signo;
    ev.sigev_value.sival_int = value;
    timer_t t;
    CHECK_EQ(timer_create(clock, &ev, &t), 0);
    return t;
}

static void arm(timer_t t, long value_ms, long interval_ms, int flags)
{
    struct itimerspec spec = {{interval_ms / 1000, (interval_ms % 1000) * 1000000L},
                              {value_ms / 1000, (value_ms % 1000) * 1000000L}};
    CHECK_EQ(timer_settime(t, flags, &spec, NULL), 0);
}

static long ms_of(const struct timespec *ts) { return ts->tv_sec * 1000 + ts->tv_nsec / 1000000; }

static volatile sig_atomic_t got_signal, got_code, got_value, got_tid;

static void on_timer(int sig, siginfo_t *info, void *context)
{
    (void)context;
    got_code = info->si_code;
    got_value = info->si_value.sival_int;
    got_tid = (sig_atomic_t)syscall(SYS_gettid);
    /* Last: with two CPUs the main thread may be reading these while the
     * handler runs in another thread, and got_signal says they are there. */
    __atomic_store_n(&got_signal, sig, __ATOMIC_RELEASE);
}

static void catch_signal(int sig)
{
    struct sigaction sa = {0};
    sa.sa_sigaction = on_timer;
    sa.sa_flags = SA_SIGINFO;
    CHECK_EQ(sigaction(sig, &sa, NULL), 0);
}

/* Wait up to ms for got_signal to be set. */
static void wait_for_signal(long ms)
{
    for (long waited = 0; !got_signal && waited < ms; waited += 5)
        sleep_ms(5);
}

static void signal_timer_fires_once(void)
{
    catch_signal(SIGUSR1);
    timer_t t = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 42);
    double start = now_seconds();
    arm(t, 50, 0, 0);
    wait_for_signal(2000);
    CHECK_EQ(got_signal, SIGUSR1);
    CHECK_EQ(got_code, SI_TIMER);
    CHECK_EQ(got_value, 42);
    CHECK(now_seconds() - start >= 0.045); /* never early */
    struct itimerspec left;
    CHECK_EQ(timer_gettime(t, &left), 0);
    CHECK_EQ(left.it_value.tv_sec + left.it_value.tv_nsec, 0); /* one-shot: disarmed now */
    got_signal = 0;
    sleep_ms(100);
    CHECK_EQ(got_signal, 0);
    CHECK_EQ(timer_delete(t), 0);
}

static void gettime_counts_down_and_settime_returns_old(void)
{
    timer_t t = make_timer(CLOCK_REALTIME, SIGEV_SIGNAL, SIGUSR1, 0);
    struct itimerspec spec = {{1, 0}, {10, 0}}, now, old;
    CHECK_EQ(timer_gettime(t, &now), 0);
    CHECK_EQ(now.it_value.tv_sec + now.it_value.tv_nsec, 0); /* created disarmed */
    CHECK_EQ(timer_settime(t, 0, &spec, NULL), 0);
    sleep_ms(30);
    CHECK_EQ(timer_gettime(t, &now), 0);
    CHECK(ms_of(&now.it_value) < 10000 - 20 && ms_of(&now.it_value) > 9000);
    CHECK_EQ(ms_of(&now.it_interval), 1000);
    struct itimerspec off = {{0, 0}, {0, 0}};
    CHECK_EQ(timer_settime(t, 0, &off, &old), 0);
    CHECK(ms_of(&old.it_value) > 9000 && ms_of(&old.it_value) <= 10000);
    CHECK_EQ(ms_of(&old.it_interval), 1000);
    CHECK_EQ(timer_gettime(t, &now), 0);
    CHECK_EQ(now.it_value.tv_sec + now.it_value.tv_nsec, 0);
    CHECK_EQ(timer_delete(t), 0);
}

/* A 50 ms periodic timer whose signal stays blocked for 300 ms: one signal is
 * queued, the other expirations are counted as overruns. */
static void overruns_are_counted(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN);
    CHECK_EQ(sigprocmask(SIG_BLOCK, &set, NULL), 0);
    timer_t t = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGRTMIN, 7);
    double armed = now_seconds();
    arm(t, 50, 50, 0);
    sleep_ms(300);
    siginfo_t info;
    CHECK_EQ(sigwaitinfo(&set, &info), SIGRTMIN);
    long waited_ms = (long)((now_seconds() - armed) * 1000);
    CHECK_EQ(info.si_code, SI_TIMER);
    CHECK_EQ(info.si_value.sival_int, 7);
    CHECK(info.si_overrun >= 3 && info.si_overrun <= waited_ms / 50);
    CHECK_EQ(timer_getoverrun(t), info.si_overrun);
    struct itimerspec next;
    CHECK_EQ(timer_gettime(t, &next), 0);
    struct timespec none = {0, 0};
    if (next.it_value.tv_nsec > 20000000) /* (not when the next period is about to end) */
        CHECK_ERRNO(sigtimedwait(&set, &info, &none), EAGAIN); /* only one was queued */
    CHECK_EQ(sigwaitinfo(&set, &info), SIGRTMIN);              /* a later period brings another */
    CHECK(info.si_overrun <= 3);
    CHECK_EQ(timer_delete(t), 0);
}

/* While its signal is ignored the timer's signals are dropped; once it is
 * caught again they arrive (the timer does not wait for a "pending" one). */
static void ignored_signal_does_not_stall_the_timer(void)
{
    CHECK(signal(SIGUSR1, SIG_IGN) != SIG_ERR);
    timer_t t = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 3);
    arm(t, 20, 20, 0);
    sleep_ms(100);
    catch_signal(SIGUSR1);
    wait_for_signal(1000);
    CHECK_EQ(got_signal, SIGUSR1);
    CHECK_EQ(got_value, 3);
    CHECK_EQ(timer_delete(t), 0);
}

static void sigev_none_only_counts_down(void)
{
    catch_signal(SIGALRM);
    timer_t t = make_timer(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0);
    arm(t, 200, 0, 0);
    struct itimerspec now;
    CHECK_EQ(timer_gettime(t, &now), 0);
    CHECK(ms_of(&now.it_value) > 0 && ms_of(&now.it_value) <= 200);
    sleep_ms(300);
    CHECK_EQ(timer_gettime(t, &now), 0);
    CHECK_EQ(now.it_value.tv_sec + now.it_value.tv_nsec, 0);
    CHECK_EQ(got_signal, 0);
    /* A timer without a sigevent sends SIGALRM carrying its own ID. */
    timer_t plain;
    CHECK_EQ(timer_create(CLOCK_MONOTONIC, NULL, &plain), 0);
    arm(plain, 20, 0, 0);
    wait_for_signal(2000);
    CHECK_EQ(got_signal, SIGALRM);
    CHECK_EQ(got_value, (int)(intptr_t)plain);
}

static atomic_int thread_tid;
static volatile int thread_stop;

static void *wait_in_thread(void *arg)
{
    (void)arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    atomic_store(&thread_tid, (int)syscall(SYS_gettid));
    while (!thread_stop)
        sleep_ms(5);
    return NULL;
}

/* SIGEV_THREAD_ID: the signal goes to the named thread, not the process. */
static void thread_id_timer_signals_that_thread(void)
{
    catch_signal(SIGUSR2);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    CHECK_EQ(pthread_sigmask(SIG_BLOCK, &set, NULL), 0); /* the main thread blocks it */
    pthread_t thread;
    CHECK_EQ(pthread_create(&thread, NULL, wait_in_thread, NULL), 0);
    while (!atomic_load(&thread_tid))
        sleep_ms(1);
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGUSR2;
    ev.sigev_value.sival_int = 5;
    ev.sigev_notify_thread_id = atomic_load(&thread_tid);
    timer_t t;
    CHECK_EQ(timer_create(CLOCK_MONOTONIC, &ev, &t), 0);
    arm(t, 20, 0, 0);
    wait_for_signal(2000);
    CHECK_EQ(got_signal, SIGUSR2);
    CHECK_EQ(got_tid, atomic_load(&thread_tid));
    CHECK_EQ(got_value, 5);
    thread_stop = 1;
    CHECK_EQ(pthread_join(thread, NULL), 0);
    /* That thread is gone: a new timer cannot name it. */
    CHECK_ERRNO(timer_create(CLOCK_MONOTONIC, &ev, &t), EINVAL);
}

static atomic_int callbacks, callback_tid, callback_value;

static void on_expiry(union sigval value)
{
    atomic_store(&callback_tid, (int)syscall(SYS_gettid));
    atomic_store(&callback_value, value.sival_int);
    atomic_fetch_add(&callbacks, 1);
}

/* musl's SIGEV_THREAD: a helper thread runs the function at each expiry. */
static void sigev_thread_runs_a_callback(void)
{
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_notify_function = on_expiry;
    ev.sigev_value.sival_int = 99;
    timer_t t;
    CHECK_EQ(timer_create(CLOCK_MONOTONIC, &ev, &t), 0);
    arm(t, 20, 20, 0);
    for (int i = 0; i < 400 && atomic_load(&callbacks) < 3; i++)
        sleep_ms(5);
    CHECK(atomic_load(&callbacks) >= 3);
    CHECK_EQ(atomic_load(&callback_value), 99);
    CHECK(atomic_load(&callback_tid) != 0);
    CHECK(atomic_load(&callback_tid) != (int)syscall(SYS_gettid)); /* in another thread */
    CHECK_EQ(timer_delete(t), 0);
    sleep_ms(60);
    int after = atomic_load(&callbacks);
    sleep_ms(100);
    CHECK_EQ(atomic_load(&callbacks), after); /* deleted: no more calls */
}

static double cpu_seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A CPU-time timer expires after CPU time, not after wall time. */
static void cpu_time_timers(void)
{
    static const clockid_t clocks[] = {CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID};
    catch_signal(SIGUSR1);
    for (int i = 0; i < 2; i++) {
        got_signal = 0;
        timer_t t = make_timer(clocks[i], SIGEV_SIGNAL, SIGUSR1, i);
        sleep_ms(100); /* unarmed: nothing */
        double start = cpu_seconds(clocks[i]);
        arm(t, 50, 0, 0);
        sleep_ms(100); /* sleeping uses no CPU time: it does not expire */
        CHECK_EQ(got_signal, 0);
        double wall = now_seconds();
        while (!got_signal && now_seconds() - wall < 5)
            ;
        CHECK_EQ(got_signal, SIGUSR1);
        CHECK_EQ(got_value, i);
        CHECK(cpu_seconds(clocks[i]) - start >= 0.045);
        CHECK_EQ(timer_delete(t), 0);
    }
}

static void absolute_times(void)
{
    catch_signal(SIGUSR1);
    timer_t t = make_timer(CLOCK_REALTIME, SIGEV_SIGNAL, SIGUSR1, 1);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct itimerspec spec = {{0, 0}, {now.tv_sec, now.tv_nsec}};
    spec.it_value.tv_nsec += 50000000;
    if (spec.it_value.tv_nsec >= 1000000000) {
        spec.it_value.tv_sec++;
        spec.it_value.tv_nsec -= 1000000000;
    }
    double start = now_seconds();
    CHECK_EQ(timer_settime(t, TIMER_ABSTIME, &spec, NULL), 0);
    wait_for_signal(2000);
    CHECK_EQ(got_signal, SIGUSR1);
    CHECK(now_seconds() - start >= 0.04);
    /* A time in the past expires at once. */
    got_signal = 0;
    struct itimerspec past = {{0, 0}, {1, 0}};
    CHECK_EQ(timer_settime(t, TIMER_ABSTIME, &past, NULL), 0);
    wait_for_signal(500);
    CHECK_EQ(got_signal, SIGUSR1);
}

/* A forked child has none of its parent's timers; execve deletes them. */
static void fork_and_exec_drop_timers(void)
{
    timer_t t = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 0);
    arm(t, 10000, 0, 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        struct itimerspec now;
        _exit(raw_gettime((long)(intptr_t)t, &now) == -1 && errno == EINVAL ? 0 : 1);
    }
    CHECK_EQ(wait_status(pid), 0);
    pid = fork_or_fail();
    if (pid == 0) {
        timer_t mine = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 0);
        arm(mine, 10000, 0, 0);
        execl("/bin/sleep", "sleep", "10", (char *)NULL);
        _exit(127);
    }
    /* Once it runs sleep, /proc/PID/timers is empty. */
    char path[64], text[256];
    snprintf(path, sizeof path, "/proc/%d/comm", pid);
    for (int i = 0; i < 400; i++) {
        int fd = open(path, O_RDONLY);
        ssize_t n = fd >= 0 ? read(fd, text, sizeof text - 1) : -1;
        if (fd >= 0)
            close(fd);
        if (n == 6 && memcmp(text, "sleep\n", 6) == 0)
            break;
        sleep_ms(5);
    }
    snprintf(path, sizeof path, "/proc/%d/timers", pid);
    int fd = open(path, O_RDONLY);
    if (fd >= 0 || is_sprout()) { /* (a Linux without CONFIG_CHECKPOINT_RESTORE has no file) */
        CHECK(fd >= 0);
        CHECK_EQ(read(fd, text, sizeof text), 0);
        close(fd);
    }
    CHECK_EQ(kill(pid, SIGKILL), 0);
    CHECK(WIFSIGNALED(wait_status(pid)));
}

/* A process cannot fill the kernel with timers (sprout: POSIX_TIMER_MAX). */
static void timers_are_limited(void)
{
    if (!is_sprout())
        return; /* Linux's limit is RLIMIT_SIGPENDING, in the thousands */
    static timer_t made[100];
    int n = 0;
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_NONE;
    while (n < 100 && timer_create(CLOCK_MONOTONIC, &ev, &made[n]) == 0)
        n++;
    CHECK_EQ(n, 64);
    CHECK_EQ(errno, EAGAIN);
    CHECK_EQ(timer_delete(made[10]), 0);
    timer_t again;
    CHECK_EQ(timer_create(CLOCK_MONOTONIC, &ev, &again), 0);
    CHECK_EQ((intptr_t)again, 10); /* the lowest free ID is reused */
    for (int i = 0; i < n; i++)
        CHECK_EQ(timer_delete(i == 10 ? again : made[i]), 0);
}

static void bad_arguments(void)
{
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    timer_t t;
    int id;
    CHECK_ERRNO(syscall(SYS_timer_create, 99, &ev, &id), EINVAL);    /* unknown clock */
    CHECK_ERRNO(syscall(SYS_timer_create, 10, &ev, &id), EINVAL);    /* (no clock 10) */
    CHECK_ERRNO(syscall(SYS_timer_create, 4, &ev, &id), EOPNOTSUPP); /* MONOTONIC_RAW */
    CHECK_ERRNO(syscall(SYS_timer_create, 6, &ev, &id), EOPNOTSUPP); /* MONOTONIC_COARSE */
    CHECK_ERRNO(syscall(SYS_timer_create, CLOCK_MONOTONIC, (void *)16, &id), EFAULT);
    CHECK_ERRNO(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, (void *)16), EFAULT);
    ev.sigev_notify = 99;
    CHECK_ERRNO(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id), EINVAL);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = 0;
    CHECK_ERRNO(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id), EINVAL);
    ev.sigev_signo = 65;
    CHECK_ERRNO(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id), EINVAL);
    ev.sigev_notify = SIGEV_THREAD_ID; /* a thread of another process (init) */
    ev.sigev_signo = SIGUSR1;
    ev.sigev_notify_thread_id = 1;
    CHECK_ERRNO(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id), EINVAL);

    CHECK_EQ(timer_create(CLOCK_MONOTONIC, NULL, &t), 0);
    long good = (long)(intptr_t)t;
    struct itimerspec spec = {{0, 0}, {1, 0}}, out;
    CHECK_ERRNO(raw_settime(good + 1000, 0, &spec, NULL), EINVAL); /* no such timer */
    CHECK_ERRNO(raw_settime(-1, 0, &spec, NULL), EINVAL);
    CHECK_ERRNO(raw_settime(good, 0, NULL, NULL), EINVAL);
    CHECK_ERRNO(raw_settime(good, 0, (void *)16, NULL), EFAULT);
    struct itimerspec bad_nsec = {{0, 0}, {0, 1000000000L}}, negative = {{-1, 0}, {1, 0}};
    CHECK_ERRNO(raw_settime(good, 0, &bad_nsec, NULL), EINVAL);
    CHECK_ERRNO(raw_settime(good, 0, &negative, NULL), EINVAL);
    CHECK_ERRNO(raw_settime(good, 0, &spec, (void *)16), EFAULT);
    CHECK_ERRNO(raw_gettime(good + 1000, &out), EINVAL);
    CHECK_ERRNO(raw_gettime(good, (void *)16), EFAULT);
    CHECK_ERRNO(syscall(SYS_timer_getoverrun, good + 1000), EINVAL);
    CHECK_EQ(syscall(SYS_timer_getoverrun, good), 0);
    CHECK_ERRNO(syscall(SYS_timer_delete, good + 1000), EINVAL);
    CHECK_EQ(syscall(SYS_timer_delete, good), 0);
    CHECK_ERRNO(syscall(SYS_timer_delete, good), EINVAL); /* twice */
    CHECK_ERRNO(raw_gettime(good, &out), EINVAL);         /* gone */
}

/* /proc/PID/timers lists a process's timers, in Linux's format. */
static void proc_timers_file(void)
{
    char text[512], want[256];
    int fd = open("/proc/self/timers", O_RDONLY);
    if (fd < 0 && !is_sprout())
        return; /* a Linux without CONFIG_CHECKPOINT_RESTORE */
    CHECK(fd >= 0);
    CHECK_EQ(read(fd, text, sizeof text), 0); /* none yet */
    close(fd);
    timer_t t = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 42);
    fd = open("/proc/self/timers", O_RDONLY);
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    CHECK(n > 0);
    text[n] = '\0';
    snprintf(want, sizeof want,
             "ID: 0\nsignal: 10/000000000000002a\nnotify: signal/pid.%d\nClockID: 1\n", getpid());
    CHECK_STR(text, want);
    CHECK_EQ(timer_delete(t), 0);
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGUSR2;
    ev.sigev_notify_thread_id = getpid();
    CHECK_EQ(timer_create(CLOCK_PROCESS_CPUTIME_ID, &ev, &t), 0);
    fd = open("/proc/self/timers", O_RDONLY);
    n = read(fd, text, sizeof text - 1);
    close(fd);
    CHECK(n > 0);
    text[n] = '\0';
    /* (CPU clocks appear as Linux's internal IDs: the process's is -6) */
    snprintf(want, sizeof want, "notify: signal/tid.%d\nClockID: -6\n", getpid());
    CHECK(strstr(text, want) != NULL);
}

/* strace names the timer calls' clocks and flags, and futex operations. */
static void strace_decodes_timers(void)
{
    if (!is_sprout())
        return; /* sprout's strace */
    FILE *out = popen("/bin/strace -f /bin/t_timer absolute_times 2>&1", "r");
    CHECK(out != NULL);
    char line[512];
    int create = 0, settime = 0, futex_op = 0;
    while (fgets(line, sizeof line, out)) {
        create += strstr(line, "timer_create(CLOCK_REALTIME, 0x") != NULL;
        settime += strstr(line, "timer_settime(0, TIMER_ABSTIME, 0x") != NULL;
        futex_op += strstr(line, "futex(0x") != NULL && strstr(line, ", FUTEX_") != NULL;
    }
    pclose(out);
    CHECK_EQ(create, 1);
    CHECK_EQ(settime, 2);
    /* (futex calls come from sigev_thread's helper; absolute_times has none) */
    CHECK_EQ(futex_op, 0);
    /* musl's barrier between the caller and the helper thread spins a
     * little before it sleeps in FUTEX_WAIT: with the helper on another CPU
     * the spin may be enough.  On one CPU (the affinity is inherited) the
     * caller must sleep to let the helper run. */
    cpu_set_t saved, one;
    CHECK_EQ(sched_getaffinity(0, sizeof saved, &saved), 0);
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    CHECK_EQ(sched_setaffinity(0, sizeof one, &one), 0);
    out = popen("/bin/strace -f /bin/t_timer sigev_thread_runs_a_callback 2>&1", "r");
    CHECK(out != NULL);
    while (fgets(line, sizeof line, out))
        futex_op +=
            strstr(line, "futex(0x") != NULL && strstr(line, ", FUTEX_WAIT_PRIVATE") != NULL;
    pclose(out);
    CHECK_EQ(sched_setaffinity(0, sizeof saved, &saved), 0);
    CHECK(futex_op > 0);
}

/* CLOCK_MONOTONIC is finer than the 10 ms tick: readings a little apart are
 * not all whole ticks.  (tests/qemu/test_boot.sh checks the same of the boot
 * log's times, before the kernel has counted the TSC over ten ticks.) */
static void monotonic_clock_is_finer_than_a_tick(void)
{
    int between_ticks = 0;
    for (int i = 0; i < 20; i++) {
        struct timespec now;
        CHECK_EQ(clock_gettime(CLOCK_MONOTONIC, &now), 0);
        if (now.tv_nsec % 10000000 != 0)
            between_ticks++;
        for (volatile int spin = 0; spin < 20000; spin++)
            ;
    }
    CHECK(between_ticks > 0);
}

static const struct utest_case cases[] = {
    UTEST(signal_timer_fires_once),
    UTEST(gettime_counts_down_and_settime_returns_old),
    UTEST(overruns_are_counted),
    UTEST(ignored_signal_does_not_stall_the_timer),
    UTEST(sigev_none_only_counts_down),
    UTEST(thread_id_timer_signals_that_thread),
    UTEST(sigev_thread_runs_a_callback),
    UTEST(cpu_time_timers),
    UTEST(absolute_times),
    UTEST(fork_and_exec_drop_timers),
    UTEST(timers_are_limited),
    UTEST(bad_arguments),
    UTEST(proc_timers_file),
    UTEST(strace_decodes_timers),
    UTEST(monotonic_clock_is_finer_than_a_tick),
};
UTEST_MAIN("timer", cases)
