/*
 * mutex.h - a sleeping lock with an owner, for long waits.
 *
 * A process that finds the mutex taken sleeps (it gives the CPU away) until
 * the owner releases it, so a mutex may be held across disk I/O, a copy
 * from user memory that faults, or any other sleep -- where a spinlock,
 * which keeps its waiters spinning with interrupts off, may not.
 *
 * It is the existing sleeping lock (struct sleep_lock, sched/wait.h: a flag
 * and a wait queue) with what a debug kernel checks added:
 *   - an owner (the process holding it; /proc and panics can name it);
 *   - recursion (the owner taking it again would sleep forever): panic;
 *   - release by a process that does not hold it: panic;
 *   - taking it with a spinlock held (it may sleep): the lock validator's
 *     "sleeping with a spinlock held" report;
 *   - lock order against every other lock, in the validator (lockdep.h).
 *
 * Rules: only a process may take one (not an interrupt handler); release it
 * in the process that took it.  Sleeps are uninterruptible ("D" in ps).
 */
#ifndef KERNEL_LOCK_MUTEX_H
#define KERNEL_LOCK_MUTEX_H

#include "kernel/lock/lockdep.h"
#include "kernel/types.h"
#include "sched/wait.h"

struct proc;

struct mutex {
    struct sleep_lock lock; /* the flag and the waiters (sched/wait.h) */
    struct proc *owner;     /* who holds it, NULL when free */
    void *taken_at;         /* the return address of its mutex_lock() call */
    struct lockdep_map map; /* its class in the lock validator */
};

#define MUTEX_INIT(mutex, channel)                                                                 \
    {                                                                                              \
        .lock = SLEEP_LOCK_INIT((mutex).lock, channel), .owner = NULL, .taken_at = NULL, .map = {  \
            .name = (channel)                                                                      \
        }                                                                                          \
    }

/* `name` is the wait channel ps shows and the validator's class. */
void mutex_init(struct mutex *mutex, const char *name);
/* Take it, sleeping while another process holds it.  May sleep: no spinlock held. */
void mutex_lock(struct mutex *mutex);
/* Take it only if it is free; true if the current process holds it now. */
bool mutex_trylock(struct mutex *mutex);
/* Release it and wake its waiters; only its owner may. */
void mutex_unlock(struct mutex *mutex);
/* Does the current process hold it? */
bool mutex_held(const struct mutex *mutex);

#endif
