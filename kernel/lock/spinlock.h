/*
 * spinlock.h - spinlocks: short critical sections shared between CPUs.
 *
 * A CPU that wants a held spinlock spins (busy-waits) until the holder lets
 * go, so a spinlock is for sections of a few microseconds that never sleep.
 * Taking one disables interrupts on this CPU first and keeps them off until
 * the last spinlock this CPU holds is released (xv6's push_off/pop_off): an
 * interrupt handler that wanted the same lock on the same CPU would otherwise
 * spin forever against its own CPU.
 *
 * Rules (checked at run time where this file says so):
 *   - never sleep (schedule() away) while holding a spinlock;
 *   - never take a spinlock this CPU already holds (recursion: always checked);
 *   - take several only in one order, written next to each lock;
 *   - hold one for microseconds: a CPU that waits SPIN_TOO_LONG_SECONDS
 *     panics, naming the holder CPU and where it took the lock (always checked).
 * The lock validator (lockdep.h, on in every build unless LOCKDEP=0) checks
 * the first and third.
 *
 * Every shared structure names the lock that protects it in its header, as
 * "protected by: <lock>".  docs/smp.md lists them all.
 */
#ifndef KERNEL_LOCK_SPINLOCK_H
#define KERNEL_LOCK_SPINLOCK_H

#include "kernel/lock/lockdep.h"
#include "kernel/types.h"

struct spinlock {
    volatile u32 locked;    /* 0 free, 1 held */
    const char *name;       /* for messages: "runqueue", "frames", ... */
    volatile int cpu;       /* the holder's CPU, -1 when free */
    void *taken_at;         /* the return address of the spin_lock() call */
    struct lockdep_map map; /* its class in the lock validator (lockdep.h) */
};

#define SPINLOCK_INIT(lockname)                                                                    \
    {                                                                                              \
        .locked = 0, .name = (lockname), .cpu = -1, .map = {.name = (lockname) }                   \
    }

/* A waiter spinning longer than this panics, naming the holder ("held too long"). */
#define SPIN_TOO_LONG_SECONDS 5
/* The same limit in milliseconds, as spin_lock reads it (a test shortens it). */
extern u64 spin_too_long_ms;

void spin_init(struct spinlock *lock, const char *name);
/* Disable interrupts on this CPU, then wait for the lock and take it. */
void spin_lock(struct spinlock *lock);
/* Take the lock only if it is free; true if this CPU holds it now. */
bool spin_trylock(struct spinlock *lock);
/* Release it; interrupts come back on when this CPU holds no spinlock. */
void spin_unlock(struct spinlock *lock);
/* True if this CPU holds the lock. */
bool spin_held(const struct spinlock *lock);

/* Interrupts off, counted: nests, and restores the state of the outermost call. */
void irq_push_off(void);
void irq_pop_off(void);

#endif
