/*
 * posix_timer.c - timer_create and friends (see posix_timer.h).
 *
 * Each timer is a struct posix_timer on its process's list (group->timers).
 * Two kinds of clock drive them:
 *
 *   wall clocks (REALTIME, MONOTONIC, BOOTTIME, TAI): a kernel timer event
 *     (kernel/timer.h) fires in the timer interrupt at the expiry's tick;
 *     the expiry is kept in uptime nanoseconds, so a periodic timer does not
 *     drift by the rounding of each period to ticks.
 *   CPU clocks (PROCESS_CPUTIME_ID, THREAD_CPUTIME_ID): the expiry is a
 *     value of the clock itself (clock_gettime's, exact to the nanosecond),
 *     and the timer interrupt of a tick charged to the process (or to the
 *     one thread) fires the timer once the clock has reached it -- never
 *     early, even when a process that moved between CPUs is charged two
 *     ticks in less than two ticks' time.
 *
 * Expiry (timer_expire, interrupts off) sends the signal unless the previous
 * one is still pending; then it only counts an overrun.  Taking the signal
 * (posix_timer_signal_taken) hands the count to the siginfo and to
 * timer_getoverrun, and lets the next expiry queue a signal again.
 *
 * One CPU, interrupts as the lock: the list and every timer's fields change
 * only with interrupts off.
 */
#include "proc/posix_timer.h"
#include "kernel/errno.h"
#include "kernel/lib/textbuf.h"
#include "kernel/list.h"
#include "kernel/panic.h"
#include "kernel/param.h"
#include "kernel/sys_time.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/kheap.h"
#include "proc/proc.h"
#include "proc/thread.h"
#include "sched/sched.h"

/* sigev_notify values */
#define SIGEV_SIGNAL 0
#define SIGEV_NONE 1
#define SIGEV_THREAD 2
#define SIGEV_THREAD_ID 4

#define DELAYTIMER_MAX 0x7fffffff /* overrun counts stop here (INT_MAX) */

/* The head of Linux's struct sigevent (64 bytes in all). */
struct k_sigevent {
    u64 value; /* sigev_value: handed back in si_value */
    i32 signo;
    i32 notify;
    i32 thread_id; /* SIGEV_THREAD_ID: the thread to signal */
    i32 pad[11];
};
_Static_assert(sizeof(struct k_sigevent) == 64, "struct sigevent is 64 bytes on Linux");

struct k_timespec {
    i64 sec, nsec;
};
struct k_itimerspec {
    struct k_timespec interval, value;
};

struct posix_timer {
    struct list_node node; /* in group->timers */
    int id;                /* what timer_create returned */
    int clock;
    struct thread_group *group;
    /* the sigevent */
    int notify, signo, thread_id;
    u64 value;
    /* the schedule: interval 0 = one-shot; armed = will expire */
    bool armed;
    u64 interval_ns;
    u64 expires_ns;    /* wall clocks: the expiry, in uptime ns */
    struct timer tick; /* wall clocks: fires at the expiry's tick */
    u64 cpu_expires;   /* CPU clocks: the clock's value at expiry */
    int cpu_tid;       /* CLOCK_THREAD_CPUTIME_ID: whose time counts */
    /* overruns */
    bool signal_queued; /* our signal is pending and not yet taken */
    int overrun;        /* expirations since it was queued */
    int last_overrun;   /* handed out with the last signal (timer_getoverrun) */
};

static bool cpu_clock(int clock)
{
    return clock == CLOCK_PROCESS_CPUTIME_ID || clock == CLOCK_THREAD_CPUTIME_ID;
}

/* Is `clock` one timers can use?  0, or Linux's errno. */
static long clock_check(int clock)
{
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_MONOTONIC:
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
    case CLOCK_BOOTTIME:
    case CLOCK_TAI:
        return 0;
    case CLOCK_MONOTONIC_RAW: /* clocks that can be read but not armed */
    case CLOCK_REALTIME_COARSE:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_REALTIME_ALARM: /* (sprout has no wake-up alarm) */
    case CLOCK_BOOTTIME_ALARM:
        return -EOPNOTSUPP;
    default: /* unknown, and the CPU clocks of other processes */
        return -EINVAL;
    }
}

static struct posix_timer *timer_lookup(struct thread_group *group, int id)
{
    struct posix_timer *t;
    list_for_each_entry (t, &group->timers, node)
        if (t->id == id)
            return t;
    return NULL;
}

static void overrun_add(struct posix_timer *t, u64 count)
{
    u64 sum = (u64)t->overrun + count;
    t->overrun = sum > DELAYTIMER_MAX ? DELAYTIMER_MAX : (int)sum;
}

/* Is the signal t queued still pending anywhere in its process?  (It may
 * have been dropped: ignored when sent, or discarded since.) */
static bool timer_signal_pending(const struct posix_timer *t)
{
    u64 mask = SIGMASK(t->signo);
    if (t->group->shared_pending & mask)
        return true;
    struct proc *p;
    list_for_each_entry (p, &t->group->threads, thread_node)
        if (p->signals.pending & mask)
            return true;
    return false;
}

/* Who gets the signal: the thread named by SIGEV_THREAD_ID if it still
 * lives in the process, else the process (any thread that takes it). */
static void timer_notify(struct posix_timer *t)
{
    if (t->notify == SIGEV_NONE)
        return;
    if (t->signal_queued && timer_signal_pending(t)) {
        overrun_add(t, 1);
        return;
    }
    t->overrun = 0; /* (a signal that was dropped took no overruns with it) */
    struct pending_info info = {.code = SI_TIMER, .pid = t->id, .value = t->value};
    if (t->notify == SIGEV_THREAD_ID) {
        struct proc *target = proc_find(t->thread_id);
        if (!target || target->group != t->group || target->state == PROC_ZOMBIE)
            return; /* that thread is gone: nobody to tell */
        t->signal_queued = true;
        signal_send_thread(target, t->signo, &info);
    } else {
        t->signal_queued = true;
        signal_send(t->group->leader, t->signo, &info);
    }
}

/* The wall-clock timer's tick came: notify, and re-arm a periodic timer,
 * counting the periods that passed meanwhile as overruns. */
static void timer_expire(struct timer *tick)
{
    struct posix_timer *t = tick->data;
    if (!t->armed)
        return;
    timer_notify(t);
    if (!t->interval_ns) {
        t->armed = false;
        return;
    }
    u64 now = uptime_ns();
    u64 missed = now >= t->expires_ns ? (now - t->expires_ns) / t->interval_ns : 0;
    if (missed && t->notify != SIGEV_NONE)
        overrun_add(t, missed);
    t->expires_ns += (missed + 1) * t->interval_ns;
    timer_add(&t->tick, deadline_after_ns(t->expires_ns - now));
}

/* The exact value of t's CPU clock, read on the tick of p (a thread of its group). */
static u64 cpu_clock_of(const struct posix_timer *t, const struct proc *p)
{
    return t->clock == CLOCK_THREAD_CPUTIME_ID ? sched_runtime_ns(p) : thread_group_runtime_ns(p);
}

/* The value of t's CPU clock now, for a caller in t's process (a system call). */
static u64 cpu_clock_now(const struct posix_timer *t)
{
    const struct proc *owner =
        t->clock == CLOCK_THREAD_CPUTIME_ID ? proc_find(t->cpu_tid) : current;
    return owner ? cpu_clock_of(t, owner) : 0; /* the thread exited: its clock stopped */
}

void posix_timers_cpu_tick(struct proc *p)
{
    ASSERT(!interrupts_enabled());
    struct thread_group *group = p->group;
    if (!group || list_empty(&group->timers))
        return;
    struct posix_timer *t;
    list_for_each_entry (t, &group->timers, node) {
        if (!t->armed || !cpu_clock(t->clock))
            continue;
        if (t->clock == CLOCK_THREAD_CPUTIME_ID && t->cpu_tid != p->pid)
            continue;
        u64 now = cpu_clock_of(t, p);
        if (now < t->cpu_expires)
            continue;
        u64 late = now - t->cpu_expires; /* CPU time past the expiry */
        timer_notify(t);
        if (!t->interval_ns) {
            t->armed = false;
            continue;
        }
        u64 missed = late / t->interval_ns;
        if (missed && t->notify != SIGEV_NONE)
            overrun_add(t, missed);
        t->cpu_expires = now + t->interval_ns - late % t->interval_ns;
    }
}

void posix_timer_signal_taken(struct proc *p, struct pending_info *info)
{
    struct posix_timer *t = p->group ? timer_lookup(p->group, info->pid) : NULL;
    if (!t)
        return; /* deleted since: no overruns to report */
    t->last_overrun = t->overrun;
    t->overrun = 0;
    t->signal_queued = false;
    info->uid = (u32)t->last_overrun; /* si_overrun */
}

/* Linux's checks on a sigevent (good_sigevent): 0 or -EINVAL. */
static long sigevent_check(const struct k_sigevent *event)
{
    switch (event->notify) {
    case SIGEV_THREAD_ID: {
        struct proc *target = proc_find(event->thread_id);
        if (!target || target->group != current->group)
            return -EINVAL;
    }
        /* fallthrough */
    case SIGEV_SIGNAL:
    case SIGEV_THREAD: /* (musl never passes it; Linux treats it as SIGEV_SIGNAL) */
        return event->signo >= 1 && event->signo <= NSIG ? 0 : -EINVAL;
    case SIGEV_NONE:
        return 0;
    default:
        return -EINVAL;
    }
}

long sys_timer_create(int clock, const void *user_event, int *user_id)
{
    long error = clock_check(clock);
    if (error)
        return error;
    struct k_sigevent event = {.notify = SIGEV_SIGNAL, .signo = SIGALRM};
    if (user_event) {
        if (copy_from_user(&event, user_event, sizeof event) < 0)
            return -EFAULT;
        if ((error = sigevent_check(&event)))
            return error;
    }
    struct thread_group *group = current->group;
    struct posix_timer *t = kzalloc(sizeof *t);
    if (!t)
        return -EAGAIN;
    t->clock = clock;
    t->group = group;
    t->notify = event.notify == SIGEV_THREAD ? SIGEV_SIGNAL : event.notify;
    t->signo = event.signo;
    t->thread_id = event.thread_id;
    t->cpu_tid = current->pid;
    timer_init_event(&t->tick, timer_expire, t);

    bool irq = irq_save();
    if (group->timer_count >= POSIX_TIMER_MAX) {
        irq_restore(irq);
        kfree(t);
        return -EAGAIN;
    }
    int id = 0; /* the lowest free ID */
    while (timer_lookup(group, id))
        id++;
    t->id = id;
    t->value = user_event ? event.value : (u64)id; /* no sigevent: si_value is the ID, as Linux */
    list_push_back(&group->timers, &t->node);
    group->timer_count++;
    irq_restore(irq);

    if (copy_to_user(user_id, &id, sizeof id) < 0) {
        sys_timer_delete(id);
        return -EFAULT;
    }
    return 0;
}

/* The time left and the interval of t, in ns.  Interrupts off. */
static void timer_read(const struct posix_timer *t, u64 *left, u64 *interval)
{
    *interval = t->interval_ns;
    *left = 0;
    if (!t->armed)
        return;
    u64 expires = cpu_clock(t->clock) ? t->cpu_expires : t->expires_ns;
    u64 now = cpu_clock(t->clock) ? cpu_clock_now(t) : uptime_ns();
    /* Due but not yet fired (the tick is coming): Linux says 1 ns. */
    *left = expires > now ? expires - now : 1;
}

static struct k_itimerspec itimerspec_from_ns(u64 left, u64 interval)
{
    return (struct k_itimerspec){
        {(i64)(interval / NS_PER_SEC), (i64)(interval % NS_PER_SEC)},
        {(i64)(left / NS_PER_SEC), (i64)(left % NS_PER_SEC)},
    };
}

static bool timespec_valid(const struct k_timespec *ts)
{
    return ts->sec >= 0 && ts->nsec >= 0 && ts->nsec < (i64)NS_PER_SEC;
}

static u64 timespec_ns(const struct k_timespec *ts)
{
    /* clamped (about 146 years) so that sums cannot overflow */
    return ts->sec > (i64)(1ll << 33) ? 1ull << 62 : (u64)ts->sec * NS_PER_SEC + (u64)ts->nsec;
}

/* Arm t to expire after `relative` ns (0: disarm), then every `interval`.  Interrupts off. */
static void timer_arm(struct posix_timer *t, u64 relative, u64 interval)
{
    timer_cancel(&t->tick);
    t->armed = relative != 0;
    t->interval_ns = interval;
    t->overrun = 0;
    if (!t->armed)
        return;
    if (cpu_clock(t->clock)) {
        t->cpu_expires = cpu_clock_now(t) + relative;
    } else {
        t->expires_ns = uptime_ns() + relative;
        timer_add(&t->tick, deadline_after_ns(relative));
    }
}

long sys_timer_settime(int id, int flags, const void *user_new, void *user_old)
{
    if (!user_new)
        return -EINVAL;
    struct k_itimerspec spec;
    if (copy_from_user(&spec, user_new, sizeof spec) < 0)
        return -EFAULT;
    if (!timespec_valid(&spec.interval) || !timespec_valid(&spec.value))
        return -EINVAL;
    u64 value = timespec_ns(&spec.value), interval = timespec_ns(&spec.interval);

    bool irq = irq_save();
    struct posix_timer *t = timer_lookup(current->group, id);
    if (!t) {
        irq_restore(irq);
        return -EINVAL;
    }
    u64 old_left, old_interval;
    timer_read(t, &old_left, &old_interval);
    if (value && (flags & TIMER_ABSTIME)) {
        /* An absolute time on the timer's clock: how far away is it now?
         * (A time already past expires at once: 1 ns.) */
        i64 now = clock_read_ns(t->clock == CLOCK_TAI ? CLOCK_REALTIME : t->clock);
        value = (i64)value > now ? value - (u64)now : 1;
    }
    timer_arm(t, value, interval);
    irq_restore(irq);

    struct k_itimerspec old = itimerspec_from_ns(old_left, old_interval);
    if (user_old && copy_to_user(user_old, &old, sizeof old) < 0)
        return -EFAULT;
    return 0;
}

long sys_timer_gettime(int id, void *user_value)
{
    bool irq = irq_save();
    struct posix_timer *t = timer_lookup(current->group, id);
    u64 left = 0, interval = 0;
    if (t)
        timer_read(t, &left, &interval);
    irq_restore(irq);
    if (!t)
        return -EINVAL;
    struct k_itimerspec spec = itimerspec_from_ns(left, interval);
    return copy_to_user(user_value, &spec, sizeof spec) < 0 ? -EFAULT : 0;
}

long sys_timer_getoverrun(int id)
{
    bool irq = irq_save();
    struct posix_timer *t = timer_lookup(current->group, id);
    long overrun = t ? t->last_overrun : -EINVAL;
    irq_restore(irq);
    return overrun;
}

/* Take t off its list and disarm it; the caller frees it.  Interrupts off. */
static void timer_unlink(struct posix_timer *t)
{
    timer_cancel(&t->tick);
    t->armed = false;
    list_remove(&t->node);
    t->group->timer_count--;
}

long sys_timer_delete(int id)
{
    bool irq = irq_save();
    struct posix_timer *t = timer_lookup(current->group, id);
    if (t)
        timer_unlink(t);
    irq_restore(irq);
    if (!t)
        return -EINVAL;
    kfree(t);
    return 0;
}

void posix_timers_show(struct textbuf *out, struct proc *p)
{
    static const char *const kinds[] = {"signal", "none", "thread", "?", "signal"};
    bool irq = irq_save();
    struct posix_timer *t;
    list_for_each_entry (t, &p->group->timers, node) {
        bool thread = t->notify == SIGEV_THREAD_ID;
        /* Linux shows its CPU clocks in their internal form: ~0 << 3 | SCHED (2),
         * | 4 for a thread's: -6 and -2. */
        int clock = t->clock == CLOCK_PROCESS_CPUTIME_ID  ? -6
                    : t->clock == CLOCK_THREAD_CPUTIME_ID ? -2
                                                          : t->clock;
        textbuf_printf(out, "ID: %d\nsignal: %d/%016lx\nnotify: %s/%s.%d\nClockID: %d\n", t->id,
                       t->notify == SIGEV_NONE ? 0 : t->signo, t->value, kinds[t->notify],
                       thread ? "tid" : "pid", thread ? t->thread_id : t->group->tgid, clock);
    }
    irq_restore(irq);
}

void posix_timers_release(struct thread_group *group)
{
    for (;;) {
        bool irq = irq_save();
        struct posix_timer *t = list_empty(&group->timers)
                                    ? NULL
                                    : list_first_entry(&group->timers, struct posix_timer, node);
        if (t)
            timer_unlink(t);
        irq_restore(irq);
        if (!t)
            return;
        kfree(t);
    }
}
