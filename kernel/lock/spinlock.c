/*
 * spinlock.c - a test-and-set spinlock with interrupts off while held
 * (kernel/lock/spinlock.h).
 */
#include "kernel/lock/spinlock.h"
#include "kernel/arch/apic.h"
#include "kernel/arch/smp.h"
#include "kernel/cpu.h"
#include "kernel/ksyms.h"
#include "kernel/lib/format.h"
#include "kernel/panic.h"
#include "kernel/x86.h"

/* Waiting longer than this many TSC ticks panics; 0 until the TSC is measured. */
u64 spin_too_long_ms = SPIN_TOO_LONG_SECONDS * 1000;

static u64 too_long_ticks(void) { return apic_tsc_per_us() * 1000 * spin_too_long_ms; }

void spin_init(struct spinlock *lock, const char *name)
{
    lock->locked = 0;
    lock->name = name;
    lock->cpu = -1;
    lock->taken_at = NULL;
    lock->map = (struct lockdep_map){.name = name};
}

/*
 * The fast paths below (no contention, no bug) are what every lock operation
 * runs, a few hundred times per system call path: they are kept short, and
 * everything that reports or waits is in a separate cold function so the
 * compiler does not make every call pay for its stack frame.
 */

/* Interrupts off, nested: the first call remembers whether they were on. */
static inline void push_off(struct cpu *cpu)
{
    bool were_on = interrupts_enabled();
    cli();
    if (cpu->irq_off_depth++ == 0)
        cpu->irq_were_on = were_on;
}

static SLOW_PATH void pop_off_bug(const char *what) { panic("irq_pop_off: %s", what); }

static inline void pop_off(struct cpu *cpu)
{
    if (interrupts_enabled())
        pop_off_bug("interrupts are on");
    if (cpu->irq_off_depth <= 0)
        pop_off_bug("not pushed");
    if (--cpu->irq_off_depth == 0 && cpu->irq_were_on)
        sti();
}

void irq_push_off(void) { push_off(this_cpu_early()); }

void irq_pop_off(void) { pop_off(this_cpu_early()); }

bool spin_held(const struct spinlock *lock)
{
    return lock->locked && lock->cpu == this_cpu_early()->id;
}

static void spin_took(struct spinlock *lock, void *caller)
{
    lock->cpu = this_cpu_early()->id;
    lock->taken_at = caller;
}

/* A waiter gave up on `lock` after `waited` TSC ticks: name the holder and
 * where it took the lock.  (No time of taking is kept: an rdtsc on every
 * acquisition costs more under QEMU than the rest of the lock.) */
static void held_too_long(struct spinlock *lock, u64 waited)
{
    int holder = lock->cpu;
    char where[96], text[320], summary[200];
    ksym_format((u64)lock->taken_at, where, sizeof where);
    u64 ms = waited / (apic_tsc_per_us() * 1000);
    snprintf(text, sizeof text,
             "spinlock \"%s\" held too long: CPU %d waited %lu ms for it\n"
             "  holder: CPU %d, which took it at %s\n",
             lock->name, this_cpu_early()->id, ms, holder, where);
    snprintf(summary, sizeof summary,
             "spinlock \"%s\" held too long by CPU %d (taken at %s); CPU %d waited %lu ms",
             lock->name, holder, where, this_cpu_early()->id, ms);
    lockdep_bug(text, summary);
}

/* spin_lock() found this CPU holding `lock` already. */
static SLOW_PATH void recursion(struct spinlock *lock)
{
    char text[160];
    snprintf(text, sizeof text, "spin_lock: CPU %d takes \"%s\" again (recursion)\n",
             this_cpu_early()->id, lock->name);
    lockdep_bug(text, text);
}

/* Another CPU holds `lock`: spin until it is ours. */
static SLOW_PATH void spin_wait(struct spinlock *lock)
{
    u64 start = rdtsc(), limit = too_long_ticks();
    bool reported = false;
    do {
        while (lock->locked) {
            __builtin_ia32_pause();
            /* The holder may be waiting for this CPU to run a function (TLB shootdown). */
            smp_call_poll();
            if (limit && !reported && rdtsc() - start > limit) {
                held_too_long(lock, rdtsc() - start);
                reported = true; /* test mode: keep waiting */
            }
        }
    } while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) != 0);
}

void spin_lock(struct spinlock *lock)
{
    void *caller = __builtin_return_address(0);
    struct cpu *cpu = this_cpu_early();
    push_off(cpu);
    if (lock->locked && lock->cpu == cpu->id) {
        recursion(lock);
        pop_off(cpu); /* test mode: it stays held once */
        return;
    }
    /* Before waiting: an order the validator rejects is reported, not deadlocked in. */
    lockdep_acquire(&lock->map, lock, false, true, caller);
    if (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) != 0)
        spin_wait(lock);
    lock->cpu = cpu->id;
    lock->taken_at = caller;
}

bool spin_trylock(struct spinlock *lock)
{
    irq_push_off();
    if (!spin_held(lock) && __atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) == 0) {
        /* A trylock never waits, so it cannot deadlock: held, but no order edge. */
        spin_took(lock, __builtin_return_address(0));
        lockdep_acquire(&lock->map, lock, false, false, lock->taken_at);
        return true;
    }
    irq_pop_off();
    return false;
}

static SLOW_PATH void unlock_not_held(struct spinlock *lock)
{
    panic("spin_unlock: CPU %d releases \"%s\", which it does not hold", this_cpu_early()->id,
          lock->name);
}

void spin_unlock(struct spinlock *lock)
{
    struct cpu *cpu = this_cpu_early();
    if (!lock->locked || lock->cpu != cpu->id)
        unlock_not_held(lock);
    lockdep_release(lock, false);
    lock->cpu = -1;
    lock->taken_at = NULL;
    __atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
    pop_off(cpu);
}
