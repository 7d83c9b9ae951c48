/*
 * mutex.c - the sleeping lock with an owner (kernel/lock/mutex.h).
 *
 * The waiting is sched/wait.c's sleep_lock; this file adds the owner and
 * the checks.  Its fields, like the sleep_lock's, are changed with
 * interrupts off under the big kernel lock (docs/smp.md section 8).
 */
#include "kernel/lock/mutex.h"
#include "kernel/lib/format.h"
#include "kernel/panic.h"
#include "kernel/x86.h"
#include "proc/proc.h"

void mutex_init(struct mutex *mutex, const char *name)
{
    sleep_lock_init(&mutex->lock, name);
    mutex->owner = NULL;
    mutex->taken_at = NULL;
    mutex->map = (struct lockdep_map){.name = name};
}

bool mutex_held(const struct mutex *mutex) { return mutex->lock.held && mutex->owner == current; }

/* The owner taking it again would wait for itself forever. */
static bool recursion(struct mutex *mutex)
{
    if (!mutex_held(mutex))
        return false;
    char text[200];
    snprintf(text, sizeof text, "mutex_lock: PID %d (%s) takes mutex \"%s\" again (recursion)\n",
             current->pid, current->name, mutex->map.name);
    lockdep_bug(text, text);
    return true; /* test mode: it stays held once */
}

void mutex_lock(struct mutex *mutex)
{
    void *caller = __builtin_return_address(0);
    if (recursion(mutex))
        return;
    lockdep_might_sleep(mutex->map.name);
    lockdep_acquire(&mutex->map, mutex, true, true, caller);
    sleep_lock_acquire(&mutex->lock);
    mutex->owner = current;
    mutex->taken_at = caller;
}

bool mutex_trylock(struct mutex *mutex)
{
    bool irq = irq_save();
    bool took = !mutex->lock.held;
    if (took) {
        mutex->lock.held = true;
        mutex->owner = current;
        mutex->taken_at = __builtin_return_address(0);
    }
    irq_restore(irq);
    if (took)
        lockdep_acquire(&mutex->map, mutex, true, false, mutex->taken_at);
    return took;
}

void mutex_unlock(struct mutex *mutex)
{
    if (!mutex_held(mutex)) {
        struct proc *owner = mutex->owner;
        panic("mutex_unlock: PID %d (%s) releases mutex \"%s\", held by %s %d", current->pid,
              current->name, mutex->map.name, owner ? "PID" : "nobody", owner ? owner->pid : 0);
    }
    lockdep_release(mutex, true);
    mutex->owner = NULL;
    mutex->taken_at = NULL;
    sleep_lock_release(&mutex->lock);
}
