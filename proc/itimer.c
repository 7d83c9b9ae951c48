/*
 * itimer.c - the interval timers, and alarm() on top of ITIMER_REAL.
 *
 * ITIMER_REAL counts wall-clock time: each process has one kernel timer
 * event; when it fires (in the timer interrupt) the process gets SIGALRM,
 * and the timer re-arms itself if an interval was given.
 *
 * ITIMER_VIRTUAL and ITIMER_PROF count CPU time: each tick the timer
 * interrupt charges to a process (itimer_cpu_tick) takes one tick off its
 * PROF timer, and off its VIRTUAL timer when the tick found it in user
 * mode; at zero the process gets SIGVTALRM or SIGPROF and the timer
 * reloads from its interval.  Granularity is one tick (10 ms) for all three.
 */
#include "proc/itimer.h"
#include "kernel/errno.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "proc/posix_timer.h"
#include "proc/proc.h"
#include "proc/signal.h"

#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2

struct timeval {
    i64 sec, usec;
};
struct itimerval {
    struct timeval interval, value;
};

static void itimer_fire(struct timer *t)
{
    struct proc *p = t->data;
    struct pending_info info = {.code = SI_KERNEL};
    signal_send(p, SIGALRM, &info);
    if (p->alarm_interval)
        timer_add(t, jiffies + p->alarm_interval + 1);
}

void itimer_init(struct proc *p) { timer_init_event(&p->alarm_timer, itimer_fire, p); }

void itimer_cancel(struct proc *p) { timer_cancel(&p->alarm_timer); }

static u64 timeval_to_ticks(const struct timeval *tv)
{
    return ns_to_ticks((u64)tv->sec * NS_PER_SEC + (u64)tv->usec * 1000);
}

static struct timeval ticks_to_timeval(u64 ticks)
{
    u64 us = ticks * (1000000 / HZ);
    return (struct timeval){(i64)(us / 1000000), (i64)(us % 1000000)};
}

void itimer_cpu_tick(struct proc *p, bool user_mode)
{
    posix_timers_cpu_tick(p); /* timer_create's CPU-time timers */
    static const int signals[2] = {SIGVTALRM, SIGPROF};
    for (int i = 0; i < 2; i++) {
        struct cpu_itimer *t = &p->cpu_itimers[i];
        if (!t->value || (i == 0 && !user_mode))
            continue;
        if (--t->value == 0) {
            struct pending_info info = {.code = SI_KERNEL};
            signal_send(p, signals[i], &info);
            t->value = t->interval;
        }
    }
}

static void itimer_get(struct proc *p, struct itimerval *out)
{
    bool irq = irq_save();
    *out = (struct itimerval){ticks_to_timeval(p->alarm_interval), {0, 0}};
    if (timer_pending(&p->alarm_timer)) {
        /* The timer is armed one tick late (so it never fires early): that
         * tick is not part of the time left. */
        u64 expires = p->alarm_timer.expires - 1;
        out->value = ticks_to_timeval(expires > jiffies ? expires - jiffies : 1);
    }
    irq_restore(irq);
}

static void itimer_set(struct proc *p, const struct itimerval *value)
{
    u64 first = timeval_to_ticks(&value->value);
    bool irq = irq_save();
    p->alarm_interval = timeval_to_ticks(&value->interval);
    if (first)
        timer_add(&p->alarm_timer,
                  jiffies + first + 1); /* never early: we are partway through a tick */
    else
        timer_cancel(&p->alarm_timer);
    irq_restore(irq);
}

static bool valid(const struct timeval *tv)
{
    return tv->sec >= 0 && tv->usec >= 0 && tv->usec < 1000000;
}

/* ITIMER_VIRTUAL or ITIMER_PROF: read and/or set, interrupts off against the tick. */
static void cpu_itimer_swap(struct proc *p, int which, const struct itimerval *value,
                            struct itimerval *old)
{
    struct cpu_itimer *t = &p->cpu_itimers[which - ITIMER_VIRTUAL];
    bool irq = irq_save();
    *old = (struct itimerval){ticks_to_timeval(t->interval), ticks_to_timeval(t->value)};
    if (value) {
        t->value = timeval_to_ticks(&value->value);
        t->interval = timeval_to_ticks(&value->interval);
    }
    irq_restore(irq);
}

long sys_setitimer(int which, const void *new_value, void *old_value)
{
    if (which != ITIMER_REAL && which != ITIMER_VIRTUAL && which != ITIMER_PROF)
        return -EINVAL;
    struct itimerval value = {{0, 0}, {0, 0}}, old;
    if (new_value && copy_from_user(&value, new_value, sizeof value) < 0)
        return -EFAULT;
    if (!valid(&value.value) || !valid(&value.interval))
        return -EINVAL;
    if (which != ITIMER_REAL) {
        /* Read first, so a bad old_value loses nothing. */
        cpu_itimer_swap(current, which, NULL, &old);
        if (old_value && copy_to_user(old_value, &old, sizeof old) < 0)
            return -EFAULT;
        if (new_value)
            cpu_itimer_swap(current, which, &value, &old);
        return 0;
    }
    itimer_get(current, &old);
    if (old_value && copy_to_user(old_value, &old, sizeof old) < 0)
        return -EFAULT;
    if (new_value)
        itimer_set(current, &value);
    return 0;
}

long sys_getitimer(int which, void *value)
{
    if (which != ITIMER_REAL && which != ITIMER_VIRTUAL && which != ITIMER_PROF)
        return -EINVAL;
    struct itimerval now;
    if (which == ITIMER_REAL)
        itimer_get(current, &now);
    else
        cpu_itimer_swap(current, which, NULL, &now);
    return copy_to_user(value, &now, sizeof now) < 0 ? -EFAULT : 0;
}

long sys_alarm(unsigned seconds)
{
    struct itimerval old, value = {{0, 0}, {(i64)seconds, 0}};
    itimer_get(current, &old);
    itimer_set(current, &value);
    /* The seconds left on the previous alarm, rounded (never 0 if one was set). */
    return old.value.sec + (old.value.usec >= 500000 || (old.value.sec == 0 && old.value.usec));
}
