/*
 * t_sched.c - sharing the CPU and telling the time: two CPU hogs both make
 * progress, a sleeper stays responsive while hogs run, sched_yield and
 * nanosleep work, and the clocks (MONOTONIC, REALTIME, gettimeofday, time,
 * CPU-time) agree with each other and never run backwards.
 *
 * Timings are only checked as lower bounds that follow from the API (a
 * 100 ms sleep lasts at least 100 ms) and as generous sanity limits.
 */
#include <stdint.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include "tests/user/utest.h"

#define NSEC_PER_SEC 1000000000L

/* --- helpers ---------------------------------------------------------- */

static long long now_ns(clockid_t clock)
{
    struct timespec ts;
    CHECK_EQ(clock_gettime(clock, &ts), 0);
    return (long long)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* The case fails unless at least want_ms passed on CLOCK_MONOTONIC since start_ns
 * (and, as a sanity limit, less than 10 s more than that). */
#define CHECK_SLEPT_AT_LEAST(start_ns, want_ms) check_slept_at_least(start_ns, want_ms, __LINE__)
static void check_slept_at_least(long long start_ns, long want_ms, int line)
{
    long long elapsed = now_ns(CLOCK_MONOTONIC) - start_ns;
    if (elapsed < want_ms * 1000000LL)
        utest_fail(__FILE__, line, "expected at least %ld ms to pass, only %lld us did", want_ms,
                   elapsed / 1000);
    if (elapsed > (want_ms + 10000) * 1000000LL)
        utest_fail(__FILE__, line, "expected about %ld ms to pass, %lld ms did", want_ms,
                   elapsed / 1000000);
}

/* Count loop iterations until `seconds` of wall time have passed. */
static unsigned long spin_counting(double seconds)
{
    long long end = now_ns(CLOCK_MONOTONIC) + (long long)(seconds * NSEC_PER_SEC);
    unsigned long count = 0;
    while (now_ns(CLOCK_MONOTONIC) < end) {
        for (int i = 0; i < 1000; i++)
            __asm__ volatile(""); /* a loop the compiler cannot remove */
        count++;
    }
    return count;
}

/* A hog that waits for `gate` to close, spins for `seconds` and writes its count to out. */
static pid_t fork_hog(const int gate[2], int out_write, double seconds)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        char c;
        close(gate[1]);
        while (read(gate[0], &c, 1) < 0 && errno == EINTR)
            ;
        unsigned long count = spin_counting(seconds);
        write(out_write, &count, sizeof count);
        _exit(0);
    }
    return pid;
}

/* --- scheduling ------------------------------------------------------- */

static void two_cpu_hogs_both_progress(void)
{
    int gate[2], counts[2];
    CHECK_EQ(pipe(gate), 0);
    CHECK_EQ(pipe(counts), 0);
    pid_t a = fork_hog(gate, counts[1], 1.0);
    pid_t b = fork_hog(gate, counts[1], 1.0);
    close(gate[1]); /* start both at once */
    unsigned long count[2] = {0, 0};
    CHECK_EQ(read(counts[0], &count[0], sizeof count[0]), (long)sizeof count[0]);
    CHECK_EQ(read(counts[0], &count[1], sizeof count[1]), (long)sizeof count[1]);
    CHECK_EQ(wait_status(a), 0);
    CHECK_EQ(wait_status(b), 0);
    CHECK(count[0] > 0);
    CHECK(count[1] > 0);
    unsigned long low = count[0] < count[1] ? count[0] : count[1];
    unsigned long high = count[0] < count[1] ? count[1] : count[0];
    if (low * 10 < high)
        utest_fail(__FILE__, __LINE__, "one hog counted %lu, the other %lu: less than a tenth", low,
                   high);
}

/* Hogs that run until killed. */
static pid_t fork_endless_hog(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        spin_counting(25.0); /* (the case's time limit ends it anyway) */
        _exit(0);
    }
    return pid;
}

static void sleeper_stays_responsive_beside_two_hogs(void)
{
    pid_t hogs[2] = {fork_endless_hog(), fork_endless_hog()};
    sleep_ms(50); /* let them get going */
    long long start = now_ns(CLOCK_MONOTONIC);
    for (int i = 0; i < 10; i++)
        sleep_ms(50);
    long long elapsed = now_ns(CLOCK_MONOTONIC) - start;
    for (int i = 0; i < 2; i++) {
        kill(hogs[i], SIGKILL);
        wait_status(hogs[i]);
    }
    if (elapsed > 5LL * NSEC_PER_SEC)
        utest_fail(__FILE__, __LINE__,
                   "10 sleeps of 50 ms took %lld ms beside two hogs (limit 5000)",
                   elapsed / 1000000);
}

static void sched_yield_returns_zero(void)
{
    for (int i = 0; i < 100; i++)
        CHECK_EQ(sched_yield(), 0);
}

/* A process that only yields still lets a hog finish its work. */
static void yielding_process_does_not_block_a_hog(void)
{
    int gate[2], counts[2];
    CHECK_EQ(pipe(gate), 0);
    CHECK_EQ(pipe(counts), 0);
    pid_t hog = fork_hog(gate, counts[1], 0.3);
    close(gate[1]);
    long long start = now_ns(CLOCK_MONOTONIC);
    while (now_ns(CLOCK_MONOTONIC) - start < 5LL * NSEC_PER_SEC && waitpid(hog, NULL, WNOHANG) == 0)
        sched_yield();
    unsigned long count = 0;
    CHECK_EQ(read(counts[0], &count, sizeof count), (long)sizeof count);
    CHECK(count > 0);
    kill(hog, SIGKILL);
    waitpid(hog, NULL, 0);
}

/* --- sleeping --------------------------------------------------------- */

static void nanosleep_100ms_takes_at_least_100ms(void)
{
    struct timespec ts = {0, 100 * 1000 * 1000};
    long long start = now_ns(CLOCK_MONOTONIC);
    CHECK_EQ(nanosleep(&ts, NULL), 0);
    CHECK_SLEPT_AT_LEAST(start, 100);
}

static void nanosleep_1_5s_takes_at_least_1_5s(void)
{
    struct timespec ts = {1, 500 * 1000 * 1000};
    long long start = now_ns(CLOCK_MONOTONIC);
    CHECK_EQ(nanosleep(&ts, NULL), 0);
    CHECK_SLEPT_AT_LEAST(start, 1500);
}

static void nanosleep_zero_returns_at_once(void)
{
    struct timespec ts = {0, 0};
    long long start = now_ns(CLOCK_MONOTONIC);
    CHECK_EQ(nanosleep(&ts, NULL), 0);
    CHECK(now_ns(CLOCK_MONOTONIC) - start < 5LL * NSEC_PER_SEC);
}

static void clock_nanosleep_absolute_wakes_after_deadline(void)
{
    struct timespec deadline;
    CHECK_EQ(clock_gettime(CLOCK_MONOTONIC, &deadline), 0);
    deadline.tv_nsec += 150 * 1000 * 1000;
    if (deadline.tv_nsec >= NSEC_PER_SEC) {
        deadline.tv_sec++;
        deadline.tv_nsec -= NSEC_PER_SEC;
    }
    CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL), 0);
    long long target = (long long)deadline.tv_sec * NSEC_PER_SEC + deadline.tv_nsec;
    long long now = now_ns(CLOCK_MONOTONIC);
    if (now < target)
        utest_fail(__FILE__, __LINE__, "woke %lld us before the deadline", (target - now) / 1000);
}

static void clock_nanosleep_absolute_in_the_past_returns_at_once(void)
{
    struct timespec past = {0, 1};
    long long start = now_ns(CLOCK_MONOTONIC);
    CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL), 0);
    CHECK(now_ns(CLOCK_MONOTONIC) - start < 5LL * NSEC_PER_SEC);
}

static void clock_nanosleep_relative_100ms(void)
{
    struct timespec ts = {0, 100 * 1000 * 1000};
    long long start = now_ns(CLOCK_MONOTONIC);
    CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL), 0);
    CHECK_SLEPT_AT_LEAST(start, 100);
}

static void nanosleep_nsec_of_one_second_gives_einval(void)
{
    struct timespec ts = {0, NSEC_PER_SEC};
    CHECK_ERRNO(nanosleep(&ts, NULL), EINVAL);
}

static void nanosleep_negative_values_give_einval(void)
{
    struct timespec negative_nsec = {0, -1};
    CHECK_ERRNO(nanosleep(&negative_nsec, NULL), EINVAL);
    struct timespec negative_sec = {-1, 0};
    CHECK_ERRNO(nanosleep(&negative_sec, NULL), EINVAL);
}

static void nanosleep_bad_pointer_gives_efault(void)
{
    CHECK_ERRNO(syscall(SYS_nanosleep, (void *)16, NULL), EFAULT);
    CHECK_ERRNO(syscall(SYS_nanosleep, (void *)0xffff800000000000ul, NULL), EFAULT);
}

static void on_alarm(int sig) { (void)sig; }

/* A signal cuts a sleep short: EINTR, and the remaining time is reported. */
static void nanosleep_interrupted_reports_remaining_time(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART */
    CHECK_EQ(sigaction(SIGALRM, &sa, NULL), 0);
    struct itimerval timer = {{0, 0}, {0, 200 * 1000}};
    CHECK_EQ(setitimer(ITIMER_REAL, &timer, NULL), 0);
    struct timespec ts = {3, 0}, remaining = {-1, -1};
    CHECK_ERRNO(nanosleep(&ts, &remaining), EINTR);
    long long left = (long long)remaining.tv_sec * NSEC_PER_SEC + remaining.tv_nsec;
    CHECK(remaining.tv_nsec >= 0 && remaining.tv_nsec < NSEC_PER_SEC);
    CHECK(left > 0);
    CHECK(left < 3LL * NSEC_PER_SEC);
}

/* --- clocks ----------------------------------------------------------- */

static void monotonic_clock_never_goes_backwards(void)
{
    long long previous = now_ns(CLOCK_MONOTONIC);
    for (int i = 0; i < 10000; i++) {
        long long now = now_ns(CLOCK_MONOTONIC);
        if (now < previous)
            utest_fail(__FILE__, __LINE__, "read %d: CLOCK_MONOTONIC went from %lld to %lld ns", i,
                       previous, now);
        previous = now;
    }
}

/* Same through the raw system call (musl may use a vDSO on Linux). */
static void monotonic_syscall_never_goes_backwards(void)
{
    struct timespec ts;
    long long previous = 0;
    for (int i = 0; i < 2000; i++) {
        CHECK_EQ(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts), 0);
        CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < NSEC_PER_SEC);
        long long now = (long long)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
        CHECK(now >= previous);
        previous = now;
    }
}

static void monotonic_clock_advances_across_a_sleep(void)
{
    long long before = now_ns(CLOCK_MONOTONIC);
    sleep_ms(30);
    CHECK_SLEPT_AT_LEAST(before, 30);
}

static void realtime_is_after_2020(void)
{
    struct timespec ts;
    CHECK_EQ(clock_gettime(CLOCK_REALTIME, &ts), 0);
    CHECK(ts.tv_sec > 1577836800); /* 2020-01-01 00:00:00 UTC */
    CHECK(ts.tv_sec < 4102444800); /* and before 2100 */
    CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < NSEC_PER_SEC);
}

static void gettimeofday_agrees_with_realtime(void)
{
    struct timeval tv;
    CHECK_EQ(gettimeofday(&tv, NULL), 0);
    long long real = now_ns(CLOCK_REALTIME);
    long long tod = (long long)tv.tv_sec * NSEC_PER_SEC + (long long)tv.tv_usec * 1000;
    CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    CHECK(llabs(real - tod) < NSEC_PER_SEC);
}

static void time_syscall_agrees_with_realtime(void)
{
    long t = syscall(SYS_time, NULL);
    long long real = now_ns(CLOCK_REALTIME) / NSEC_PER_SEC;
    CHECK(llabs(real - t) <= 1);
    time_t stored = 0;
    CHECK_EQ(syscall(SYS_time, &stored), (long)stored);
    CHECK(llabs(real - stored) <= 1);
}

static void realtime_advances_with_monotonic(void)
{
    long long real_before = now_ns(CLOCK_REALTIME), mono_before = now_ns(CLOCK_MONOTONIC);
    sleep_ms(200);
    long long real_step = now_ns(CLOCK_REALTIME) - real_before;
    long long mono_step = now_ns(CLOCK_MONOTONIC) - mono_before;
    CHECK(real_step >= 150LL * 1000000);
    CHECK(llabs(real_step - mono_step) < 100LL * 1000000);
}

static void clock_getres_is_positive(void)
{
    struct timespec res;
    CHECK_EQ(clock_getres(CLOCK_MONOTONIC, &res), 0);
    CHECK(res.tv_sec == 0 && res.tv_nsec > 0);
    CHECK_EQ(clock_getres(CLOCK_REALTIME, &res), 0);
    CHECK(res.tv_sec == 0 && res.tv_nsec > 0);
}

/* CPU time counts while the process spins, and not while it sleeps. */
static void process_cpu_time_advances_while_spinning(void)
{
    long long before = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    spin_counting(0.3);
    long long spun = now_ns(CLOCK_PROCESS_CPUTIME_ID) - before;
    CHECK(spun > 0);
    before = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    sleep_ms(300);
    long long slept = now_ns(CLOCK_PROCESS_CPUTIME_ID) - before;
    CHECK(slept < 150LL * 1000000); /* sleeping 300 ms does not use 150 ms of CPU */
}

static void getrusage_self_user_time_grows(void)
{
    struct rusage before, after;
    CHECK_EQ(getrusage(RUSAGE_SELF, &before), 0);
    spin_counting(0.3);
    CHECK_EQ(getrusage(RUSAGE_SELF, &after), 0);
    long long b = before.ru_utime.tv_sec * 1000000LL + before.ru_utime.tv_usec;
    long long a = after.ru_utime.tv_sec * 1000000LL + after.ru_utime.tv_usec;
    CHECK(a > b);
}

/*
 * CPU time is never more than the time that passed.  The timer samples who
 * is running at each tick, so a process that runs 15 ms across two ticks
 * would be charged 20 ms; the kernel must report the measured run time.
 * Each child spins 15 ms and compares its own getrusage() with the clock
 * (plus what it had run before it first read the clock).
 */
static void cpu_time_never_exceeds_elapsed_time(void)
{
    for (int i = 0; i < 8; i++) {
        pid_t pid = fork();
        CHECK(pid >= 0);
        if (pid == 0) {
            long long start = now_ns(CLOCK_MONOTONIC);
            /* What it ran before `start` (with two CPUs, the wait for the big
             * kernel lock in that first clock_gettime can be milliseconds). */
            long long before_us = now_ns(CLOCK_PROCESS_CPUTIME_ID) / 1000;
            spin_counting(0.015);
            struct rusage r;
            if (getrusage(RUSAGE_SELF, &r) != 0)
                _exit(2);
            long long elapsed_us = (now_ns(CLOCK_MONOTONIC) - start) / 1000;
            long long cpu_us = (r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1000000LL +
                               r.ru_utime.tv_usec + r.ru_stime.tv_usec;
            if (cpu_us > before_us + elapsed_us + 1000) {
                dprintf(2, "cpu %lld us after %lld us of wall time (%lld us before)\n", cpu_us,
                        elapsed_us, before_us);
                _exit(1);
            }
            _exit(0);
        }
        int status = wait_status(pid);
        CHECK(WIFEXITED(status));
        CHECK_EQ(WEXITSTATUS(status), 0);
    }
}

static const struct utest_case cases[] = {
    UTEST(two_cpu_hogs_both_progress),
    UTEST(sleeper_stays_responsive_beside_two_hogs),
    UTEST(sched_yield_returns_zero),
    UTEST(yielding_process_does_not_block_a_hog),
    UTEST(nanosleep_100ms_takes_at_least_100ms),
    UTEST(nanosleep_1_5s_takes_at_least_1_5s),
    UTEST(nanosleep_zero_returns_at_once),
    UTEST(clock_nanosleep_absolute_wakes_after_deadline),
    UTEST(clock_nanosleep_absolute_in_the_past_returns_at_once),
    UTEST(clock_nanosleep_relative_100ms),
    UTEST(nanosleep_nsec_of_one_second_gives_einval),
    UTEST(nanosleep_negative_values_give_einval),
    UTEST(nanosleep_bad_pointer_gives_efault),
    UTEST(nanosleep_interrupted_reports_remaining_time),
    UTEST(monotonic_clock_never_goes_backwards),
    UTEST(monotonic_syscall_never_goes_backwards),
    UTEST(monotonic_clock_advances_across_a_sleep),
    UTEST(realtime_is_after_2020),
    UTEST(gettimeofday_agrees_with_realtime),
    UTEST(time_syscall_agrees_with_realtime),
    UTEST(realtime_advances_with_monotonic),
    UTEST(clock_getres_is_positive),
    UTEST(process_cpu_time_advances_while_spinning),
    UTEST(getrusage_self_user_time_grows),
    UTEST(cpu_time_never_exceeds_elapsed_time),
};
UTEST_MAIN("sched", cases)
