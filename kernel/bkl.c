/*
 * bkl.c - the big kernel lock (kernel/bkl.h): a spinlock owned by a CPU.
 */
#include "kernel/bkl.h"
#include "kernel/arch/apic.h"
#include "kernel/arch/smp.h"
#include "kernel/cpu.h"
#include "kernel/panic.h"
#include "kernel/x86.h"
#include "mm/pagetable.h"
#include "proc/proc.h"

/* Waiting longer than this for the lock is a bug (a CPU looping in the kernel). */
#define BKL_TOO_LONG_SECONDS 20

volatile bool smp_scheduling;

/*
 * A ticket lock, so that it is fair: each CPU that wants the lock takes the
 * next ticket and waits until now_serving reaches it.  (A plain test-and-set
 * lock let a CPU that gives the lock back and takes it again at once --
 * kswapd between two disk writes -- win every time, and the other CPU waited
 * 20 s for it on a busy host.)  holder is which CPU has it, for the
 * recursion test and for the messages.
 */
static volatile u32 next_ticket, now_serving;
static volatile int holder = -1;
static volatile u64 acquisitions, contended;
static volatile int waiters; /* CPUs waiting in bkl_lock */

int bkl_holder(void) { return __atomic_load_n(&holder, __ATOMIC_ACQUIRE); }

static void became_holder(int me)
{
    __atomic_store_n(&holder, me, __ATOMIC_RELEASE);
    acquisitions++;
    tlb_catch_up(); /* before touching kernel memory another CPU may have unmapped */
}

bool bkl_trylock(void)
{
    if (!smp_scheduling)
        return true;
    int me = this_cpu()->id;
    if (bkl_holder() == me)
        return true;
    /* Free means nobody holds a ticket: take the next one only then. */
    u32 serving = __atomic_load_n(&now_serving, __ATOMIC_ACQUIRE), expect = serving;
    if (!__atomic_compare_exchange_n(&next_ticket, &expect, serving + 1, false, __ATOMIC_ACQUIRE,
                                     __ATOMIC_RELAXED))
        return false;
    became_holder(me);
    return true;
}

bool bkl_lock_smp(void)
{
    if (!smp_scheduling)
        return false;
    int me = this_cpu()->id;
    if (bkl_holder() == me)
        return false;
    u64 start = rdtsc(), limit = apic_tsc_per_us() * 1000000ul * BKL_TOO_LONG_SECONDS;
    /* Interrupts off while we hold a ticket: an interrupt handler here would
     * take a second ticket and wait behind our own forever. */
    bool irqs = irq_save();
    __atomic_add_fetch(&waiters, 1, __ATOMIC_RELAXED);
    u32 ticket = __atomic_fetch_add(&next_ticket, 1, __ATOMIC_RELAXED);
    while (__atomic_load_n(&now_serving, __ATOMIC_ACQUIRE) != ticket) {
        /* The holder may be waiting for us to run a function (TLB shootdown). */
        smp_call_poll();
        __asm__ volatile("pause");
        if (limit && rdtsc() - start > limit) {
            int h = bkl_holder();
            struct proc *p = h >= 0 ? cpus[h].running : NULL;
            panic("big kernel lock: CPU %d waited %d s; CPU %d holds it (running PID %d, %s)", me,
                  BKL_TOO_LONG_SECONDS, h, p ? p->pid : -1, p ? p->name : "?");
        }
    }
    __atomic_sub_fetch(&waiters, 1, __ATOMIC_RELAXED);
    became_holder(me);
    irq_restore(irqs);
    if (rdtsc() - start > 1000)
        contended++;
    return true;
}

/* Give the lock to the next ticket. */
static void hand_on(void)
{
    __atomic_store_n(&holder, -1, __ATOMIC_RELAXED);
    __atomic_store_n(&now_serving, now_serving + 1, __ATOMIC_RELEASE);
}

void bkl_let_others_in(void)
{
    if (!smp_scheduling || !__atomic_load_n(&waiters, __ATOMIC_RELAXED))
        return;
    ASSERT(bkl_holder() == this_cpu()->id);
    hand_on();
    bkl_lock(); /* behind every CPU that was waiting */
}

void bkl_unlock(void)
{
    if (!smp_scheduling)
        return;
    ASSERT(bkl_holder() == this_cpu()->id);
    hand_on();
}

void bkl_release_to_user_smp(void)
{
    if (smp_scheduling && bkl_holder() == this_cpu()->id)
        hand_on();
}

void bkl_start(void)
{
    next_ticket = now_serving + 1; /* the boot CPU's ticket */
    __atomic_store_n(&holder, this_cpu()->id, __ATOMIC_RELEASE);
    __atomic_store_n(&smp_scheduling, true, __ATOMIC_RELEASE);
}
