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
static volatile int holder = -1;
static volatile u64 acquisitions, contended;
static volatile int waiters; /* CPUs spinning in bkl_lock */

int bkl_holder(void) { return __atomic_load_n(&holder, __ATOMIC_ACQUIRE); }

bool bkl_trylock(void)
{
    if (!smp_scheduling)
        return true;
    int me = this_cpu()->id, free = -1;
    if (bkl_holder() == me)
        return true;
    if (__atomic_compare_exchange_n(&holder, &free, me, false, __ATOMIC_ACQUIRE,
                                    __ATOMIC_RELAXED)) {
        acquisitions++;
        tlb_catch_up();
        return true;
    }
    return false;
}

bool bkl_lock_smp(void)
{
    if (!smp_scheduling)
        return false;
    int me = this_cpu()->id;
    if (bkl_holder() == me)
        return false;
    u64 start = rdtsc(), limit = apic_tsc_per_us() * 1000000ul * BKL_TOO_LONG_SECONDS;
    __atomic_add_fetch(&waiters, 1, __ATOMIC_RELAXED);
    for (;;) {
        int free = -1;
        if (__atomic_compare_exchange_n(&holder, &free, me, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            break;
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
    tlb_catch_up(); /* before touching kernel memory another CPU may have unmapped */
    acquisitions++;
    if (rdtsc() - start > 1000)
        contended++;
    return true;
}

void bkl_let_others_in(void)
{
    if (!smp_scheduling || !__atomic_load_n(&waiters, __ATOMIC_RELAXED))
        return;
    int me = this_cpu()->id;
    ASSERT(bkl_holder() == me);
    __atomic_store_n(&holder, -1, __ATOMIC_RELEASE);
    /* Give a waiter time to take it (a few microseconds), then queue up again. */
    for (int i = 0; i < 10000 && bkl_holder() == -1; i++)
        __asm__ volatile("pause");
    bkl_lock();
}

void bkl_unlock(void)
{
    if (!smp_scheduling)
        return;
    ASSERT(bkl_holder() == this_cpu()->id);
    __atomic_store_n(&holder, -1, __ATOMIC_RELEASE);
}

void bkl_release_to_user_smp(void)
{
    if (smp_scheduling && bkl_holder() == this_cpu()->id)
        __atomic_store_n(&holder, -1, __ATOMIC_RELEASE);
}

void bkl_start(void)
{
    __atomic_store_n(&holder, this_cpu()->id, __ATOMIC_RELEASE);
    __atomic_store_n(&smp_scheduling, true, __ATOMIC_RELEASE);
}
