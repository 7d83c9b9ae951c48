/*
 * spinlock.c - a test-and-set spinlock with interrupts off while held
 * (kernel/lock/spinlock.h).
 */
#include "kernel/lock/spinlock.h"
#include "kernel/cpu.h"
#include "kernel/panic.h"
#include "kernel/x86.h"

void spin_init(struct spinlock *lock, const char *name)
{
    lock->locked = 0;
    lock->name = name;
    lock->cpu = -1;
    lock->since = 0;
    lock->taken_at = NULL;
}

/* Interrupts off, nested: the first call remembers whether they were on. */
void irq_push_off(void)
{
    bool were_on = interrupts_enabled();
    cli();
    struct cpu *cpu = this_cpu();
    if (cpu->irq_off_depth++ == 0)
        cpu->irq_were_on = were_on;
}

void irq_pop_off(void)
{
    struct cpu *cpu = this_cpu();
    if (interrupts_enabled())
        panic("irq_pop_off: interrupts are on");
    if (cpu->irq_off_depth <= 0)
        panic("irq_pop_off: not pushed");
    if (--cpu->irq_off_depth == 0 && cpu->irq_were_on)
        sti();
}

bool spin_held(const struct spinlock *lock) { return lock->locked && lock->cpu == this_cpu()->id; }

static void spin_took(struct spinlock *lock, void *caller)
{
    lock->cpu = this_cpu()->id;
    lock->since = rdtsc();
    lock->taken_at = caller;
}

void spin_lock(struct spinlock *lock)
{
    irq_push_off();
    if (spin_held(lock))
        panic("spin_lock: CPU %d takes \"%s\" again (recursion)", this_cpu()->id, lock->name);
    while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) != 0)
        while (lock->locked)
            __builtin_ia32_pause();
    spin_took(lock, __builtin_return_address(0));
}

bool spin_trylock(struct spinlock *lock)
{
    irq_push_off();
    if (!spin_held(lock) && __atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) == 0) {
        spin_took(lock, __builtin_return_address(0));
        return true;
    }
    irq_pop_off();
    return false;
}

void spin_unlock(struct spinlock *lock)
{
    if (!spin_held(lock))
        panic("spin_unlock: CPU %d releases \"%s\", which it does not hold", this_cpu()->id,
              lock->name);
    lock->cpu = -1;
    lock->taken_at = NULL;
    __atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
    irq_pop_off();
}
