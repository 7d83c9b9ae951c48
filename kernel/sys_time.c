/*
 * sys_time.c - what time is it, and "wake me up later".
 *
 * CLOCK_MONOTONIC counts from boot and never jumps; CLOCK_REALTIME is the
 * wall clock (the CMOS clock read at boot, plus uptime).  Sleeps block the
 * process on a timer: it uses no CPU until the timer interrupt wakes it.
 */
#include "kernel/sys_time.h"
#include "kernel/errno.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "proc/proc.h"
#include "proc/thread.h"
#include "sched/sched.h"
#include "sched/wait.h"

struct timespec {
    i64 sec, nsec;
};

/*
 * Another process's CPU-time clock (clock_getcpuclockid, and the ids glibc
 * and musl build by hand): Linux encodes the PID in a negative id,
 *
 *     id = (~pid << 3) | per_thread (4) | kind (0 PROF, 1 VIRT, 2 SCHED)
 *
 * PID 0 is the caller.  PROF is user + system time, VIRT user time (both
 * counted in ticks), SCHED the measured run time.  With one thread per
 * process, a thread id is its process's id.
 */
static i64 cpu_clock_now(int clock)
{
    int pid = ~(clock >> 3), kind = clock & 3;
    if (kind == 3)
        return -EINVAL;
    struct proc *p = pid == 0 ? current : proc_find_vnr(pid);
    if (!p || p->state == PROC_ZOMBIE)
        return -EINVAL;
    u64 utime, stime;
    thread_group_cputime(p, &utime, &stime); /* a process clock: all its threads */
    switch (kind) {
    case 0:
        return (i64)((utime + stime) * NS_PER_TICK);
    case 1:
        return (i64)(utime * NS_PER_TICK);
    default:
        return (i64)thread_group_runtime_ns(p);
    }
}

/* ns on `clock`, or -EINVAL for clocks sprout does not have. */
static i64 clock_now(int clock)
{
    if (clock < 0)
        return cpu_clock_now(clock);
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
        return (i64)realtime_ns();
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        return (i64)uptime_ns();
    case CLOCK_PROCESS_CPUTIME_ID: /* every thread's, the exited ones' too */
        return (i64)thread_group_runtime_ns(current);
    case CLOCK_THREAD_CPUTIME_ID: /* what it ran before, plus the current stretch */
        return (i64)(current->cpu_ns + uptime_ns() - current->running_since_ns);
    default:
        return -EINVAL;
    }
}

i64 clock_read_ns(int clock) { return clock_now(clock); }

static long put_timespec(void *user, i64 ns)
{
    struct timespec ts = {ns / (i64)NS_PER_SEC, ns % (i64)NS_PER_SEC};
    return copy_to_user(user, &ts, sizeof ts) < 0 ? -EFAULT : 0;
}

long sys_clock_gettime(int clock, void *ts)
{
    i64 now = clock_now(clock);
    return now < 0 ? now : put_timespec(ts, now);
}

long sys_clock_getres(int clock, void *ts)
{
    if (clock_now(clock) < 0)
        return -EINVAL;
    i64 resolution =
        clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE ? (i64)NS_PER_TICK : 1;
    return ts ? put_timespec(ts, resolution) : 0;
}

long sys_gettimeofday(void *tv, void *tz)
{
    if (tv) {
        u64 ns = realtime_ns();
        i64 v[2] = {(i64)(ns / NS_PER_SEC), (i64)(ns % NS_PER_SEC / 1000)};
        if (copy_to_user(tv, v, sizeof v) < 0)
            return -EFAULT;
    }
    if (tz) {
        i32 zone[2] = {0, 0}; /* UTC, no daylight saving */
        if (copy_to_user(tz, zone, sizeof zone) < 0)
            return -EFAULT;
    }
    return 0;
}

long sys_time(i64 *t)
{
    i64 now = (i64)(realtime_ns() / NS_PER_SEC);
    if (t && copy_to_user(t, &now, sizeof now) < 0)
        return -EFAULT;
    return now;
}

long timespec_from_user(const void *user, i64 *ns)
{
    struct timespec ts;
    if (copy_from_user(&ts, user, sizeof ts) < 0)
        return -EFAULT;
    if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= (i64)NS_PER_SEC)
        return -EINVAL;
    *ns = ts.sec > (i64)(1ull << 33) ? (i64)(1ull << 62) : ts.sec * (i64)NS_PER_SEC + ts.nsec;
    return 0;
}

/* Sleep until uptime reaches `until_ns` (monotonic); -EINTR if a signal came first. */
static long sleep_until_ns(u64 until_ns, void *rem, u64 now)
{
    if (until_ns <= now)
        return 0;
    long error = sleep_until(deadline_after_ns(until_ns - now), "nanosleep");
    if (error == -EINTR) {
        u64 later = uptime_ns();
        if (rem && put_timespec(rem, (i64)(until_ns > later ? until_ns - later : 0)) < 0)
            return -EFAULT;
        return -EINTR; /* nanosleep is never restarted automatically: rem says what is left */
    }
    return 0;
}

long sys_nanosleep(const void *req, void *rem)
{
    i64 ns;
    long error = timespec_from_user(req, &ns);
    if (error)
        return error;
    u64 now = uptime_ns();
    return sleep_until_ns(now + (u64)ns, rem, now);
}

long sys_clock_nanosleep(int clock, int flags, const void *req, void *rem)
{
    i64 ns, now = clock_now(clock);
    /* Sleeping on a CPU-time clock is not supported (Linux refuses only the thread's). */
    if (now < 0 || clock < 0 || clock == CLOCK_PROCESS_CPUTIME_ID ||
        clock == CLOCK_THREAD_CPUTIME_ID)
        return -EINVAL;
    long error = timespec_from_user(req, &ns);
    if (error)
        return error;
    u64 mono = uptime_ns();
    if (flags & TIMER_ABSTIME) /* convert the absolute time to our monotonic scale */
        return sleep_until_ns(mono + (ns > now ? (u64)(ns - now) : 0), NULL, mono);
    return sleep_until_ns(mono + (u64)ns, rem, mono);
}
