/*
 * ktest_lock.c - spinlocks, the mutex and the lock validator (kernel/lock/).
 *
 * The validator's reports are taken in test mode (lockdep_test_begin): a
 * bug is recorded instead of panicking, so each test can check what the
 * report says.  test_ktest's boot has two CPUs: the cross-CPU tests run a
 * function on CPU 1 through a call-function IPI while CPU 0 runs the test.
 */
#include "kernel/arch/apic.h"
#include "kernel/arch/smp.h"
#include "kernel/cpu.h"
#include "kernel/lib/string.h"
#include "kernel/lock/lockdep.h"
#include "kernel/lock/mutex.h"
#include "kernel/lock/spinlock.h"
#include "kernel/timer.h"
#include "kernel/x86.h"
#include "kernel/errno.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "sched/wait.h"
#include "tests/ktest/ktests.h"

static bool contains(const char *text, const char *part)
{
    size_t n = strlen(part);
    for (; *text; text++)
        if (strncmp(text, part, n) == 0)
            return true;
    return false;
}

#define KT_EXPECT_CONTAINS(t, text, part)                                                          \
    do {                                                                                           \
        if (!contains((text), (part)))                                                             \
            ktest_fail(t, __FILE__, __LINE__, "expected \"%s\" in the report:\n%s", (part),        \
                       (text));                                                                    \
    } while (0)

static char report[LOCKDEP_REPORT];
static struct spinlock lock_a = SPINLOCK_INIT("ktest-A");
static struct spinlock lock_b = SPINLOCK_INIT("ktest-B");

/* noinline: each shows in the report's chains under its own name. */
__attribute__((noinline)) static void take_a_then_b(void)
{
    spin_lock(&lock_a);
    spin_lock(&lock_b);
    spin_unlock(&lock_b);
    spin_unlock(&lock_a);
}

__attribute__((noinline)) static void take_b_then_a(void)
{
    spin_lock(&lock_b);
    spin_lock(&lock_a); /* the inversion: reported here, before it could deadlock */
    spin_unlock(&lock_a);
    spin_unlock(&lock_b);
}

void ktest_lock_inversion_reports_both_chains(struct ktest_context *t)
{
    if (!LOCKDEP)
        return;
    lockdep_test_begin();
    take_a_then_b(); /* establishes ktest-A -> ktest-B: no report */
    KT_EXPECT_EQ(t, lockdep_test_end(report, sizeof report), 0);
    int depth = this_cpu()->irq_off_depth;

    lockdep_test_begin();
    take_b_then_a();
    KT_EXPECT_EQ(t, lockdep_test_end(report, sizeof report), 1);
    KT_EXPECT_CONTAINS(t, report, "lock order inversion");
    /* The current chain: B held (taken in take_b_then_a), A being taken. */
    KT_EXPECT_CONTAINS(t, report, "takes \"ktest-A\" while holding \"ktest-B\"");
    KT_EXPECT_CONTAINS(t, report, "#0 \"ktest-B\" taken at take_b_then_a+");
    KT_EXPECT_CONTAINS(t, report, "#1 \"ktest-A\" taken at take_b_then_a+");
    /* The chain that first made A -> B, where it happened. */
    KT_EXPECT_CONTAINS(t, report, "earlier chain took \"ktest-B\" while holding \"ktest-A\"");
    KT_EXPECT_CONTAINS(t, report, "#0 \"ktest-A\" taken at take_a_then_b+");
    KT_EXPECT_CONTAINS(t, report, "#1 \"ktest-B\" taken at take_a_then_b+");
    /* Both released, interrupts as before. */
    KT_EXPECT(t, !lock_a.locked && !lock_b.locked);
    KT_EXPECT_EQ(t, this_cpu()->irq_off_depth, depth);
    KT_EXPECT_EQ(t, lockdep_depth(), 0);

    /* The same order again is fine: one report per bug, not per repetition. */
    lockdep_test_begin();
    take_a_then_b();
    KT_EXPECT_EQ(t, lockdep_test_end(report, sizeof report), 0);
}

/* A -> B -> C, then C -> A: a cycle of three, found through the graph. */
void ktest_lock_inversion_through_a_third_lock(struct ktest_context *t)
{
    if (!LOCKDEP)
        return;
    static struct spinlock x = SPINLOCK_INIT("ktest-X"), y = SPINLOCK_INIT("ktest-Y"),
                           z = SPINLOCK_INIT("ktest-Z");
    lockdep_test_begin();
    spin_lock(&x), spin_lock(&y), spin_unlock(&y), spin_unlock(&x);
    spin_lock(&y), spin_lock(&z), spin_unlock(&z), spin_unlock(&y);
    KT_EXPECT_EQ(t, lockdep_test_end(report, sizeof report), 0);
    lockdep_test_begin();
    spin_lock(&z), spin_lock(&x), spin_unlock(&x), spin_unlock(&z);
    KT_EXPECT_EQ(t, lockdep_test_end(report, sizeof report), 1);
    KT_EXPECT_CONTAINS(t, report, "takes \"ktest-X\" while holding \"ktest-Z\"");
    KT_EXPECT_CONTAINS(t, report, "took \"ktest-Y\" while holding \"ktest-X\"");
    KT_EXPECT_CONTAINS(t, report, "took \"ktest-Z\" while holding \"ktest-Y\"");
}

void ktest_lock_recursion_reported(struct ktest_context *t)
{
    static struct spinlock lock = SPINLOCK_INIT("ktest-recursive");
    int depth = this_cpu()->irq_off_depth;
    lockdep_test_begin();
    spin_lock(&lock);
    spin_lock(&lock); /* would spin forever: reported instead */
    int reports = lockdep_test_end(report, sizeof report);
    KT_EXPECT(t, spin_held(&lock));
    spin_unlock(&lock);
    KT_EXPECT_EQ(t, reports, 1);
    KT_EXPECT_CONTAINS(t, report, "takes \"ktest-recursive\" again (recursion)");
    KT_EXPECT(t, !lock.locked);
    KT_EXPECT_EQ(t, this_cpu()->irq_off_depth, depth);
}

void ktest_lock_sleeping_with_spinlock_reported(struct ktest_context *t)
{
    if (!LOCKDEP)
        return;
    static struct spinlock lock = SPINLOCK_INIT("ktest-sleepy");
    static struct mutex mutex = MUTEX_INIT(mutex, "ktest-mutex-under-spin");
    /* What schedule() asks before it switches away. */
    lockdep_test_begin();
    spin_lock(&lock);
    lockdep_might_sleep("schedule");
    spin_unlock(&lock);
    KT_EXPECT_EQ(t, lockdep_test_end(report, sizeof report), 1);
    KT_EXPECT_CONTAINS(t, report, "going to sleep (schedule) while holding 1 spinlock");
    KT_EXPECT_CONTAINS(t, report, "#0 \"ktest-sleepy\" taken at ktest_lock_sleeping_with");
    /* A mutex may sleep, so taking one under a spinlock is the same bug
     * (reported even though this one is free and would not sleep now). */
    lockdep_test_begin();
    spin_lock(&lock);
    mutex_lock(&mutex);
    mutex_unlock(&mutex);
    spin_unlock(&lock);
    KT_EXPECT(t, lockdep_test_end(report, sizeof report) >= 1);
    KT_EXPECT_CONTAINS(t, report, "(ktest-mutex-under-spin) while holding 1 spinlock");
    /* No spinlock: no report. */
    lockdep_test_begin();
    lockdep_might_sleep("schedule");
    KT_EXPECT_EQ(t, lockdep_test_end(report, sizeof report), 0);
}

void ktest_lock_mutex_recursion_reported(struct ktest_context *t)
{
    static struct mutex mutex = MUTEX_INIT(mutex, "ktest-mutex");
    lockdep_test_begin();
    mutex_lock(&mutex);
    KT_EXPECT(t, mutex_held(&mutex));
    KT_EXPECT(t, mutex.owner == current);
    mutex_lock(&mutex); /* would sleep forever waiting for itself */
    int reports = lockdep_test_end(report, sizeof report);
    mutex_unlock(&mutex);
    KT_EXPECT_EQ(t, reports, 1);
    KT_EXPECT_CONTAINS(t, report, "takes mutex \"ktest-mutex\" again (recursion)");
    KT_EXPECT(t, !mutex_held(&mutex) && mutex.owner == NULL);
    KT_EXPECT(t, mutex_trylock(&mutex));
    mutex_unlock(&mutex);
}

/* --- a mutex contended by two kernel threads ------------------------------ */

#define MUTEX_ROUNDS 8

static struct mutex counter_mutex = MUTEX_INIT(counter_mutex, "ktest_mutex");
static int mutex_counter, threads_done, waits_seen;
static struct proc *contenders[2];
static struct wait_queue never = WAIT_QUEUE_INIT(never);

/* Read, sleep a tick holding the mutex, write: without the mutex the other
 * thread's increments in between would be lost. */
static void contender(void)
{
    sti();
    struct proc *other = contenders[0] == current ? contenders[1] : contenders[0];
    for (int i = 0; i < MUTEX_ROUNDS; i++) {
        mutex_lock(&counter_mutex);
        int value = mutex_counter;
        sleep_until(jiffies + 1, "ktest_hold");
        /* The other thread is asleep on the mutex, not spinning. */
        if (other && other->state == PROC_BLOCKED && other->wait_channel &&
            strcmp(other->wait_channel, "ktest_mutex") == 0)
            waits_seen++;
        mutex_counter = value + 1;
        mutex_unlock(&counter_mutex);
        sched_yield_current();
    }
    cli();
    threads_done++;
    for (;;) /* done: sleep for good (the test boot powers off) */
        sleep_on_uninterruptible(&never, "ktest_done");
}

void ktest_lock_mutex_contended_by_two_threads(struct ktest_context *t)
{
    mutex_counter = threads_done = waits_seen = 0;
    cli();
    contenders[0] = proc_start_kernel_thread("ktest_mutex0", contender);
    contenders[1] = proc_start_kernel_thread("ktest_mutex1", contender);
    sti();
    KT_EXPECT(t, contenders[0] && contenders[1]);
    u64 until = jiffies + 10 * HZ;
    bool irq = irq_save();
    while (threads_done < 2 && jiffies < until) {
        /* This is CPU 0's idle process (kmain): let the threads run, as the idle loop would. */
        cli();
        schedule();
        sti_hlt();
    }
    irq_restore(irq);
    KT_EXPECT_EQ(t, threads_done, 2);
    KT_EXPECT_EQ(t, mutex_counter, 2 * MUTEX_ROUNDS);
    KT_EXPECT(t, waits_seen > 0); /* they really contended */
    KT_EXPECT(t, !counter_mutex.lock.held && counter_mutex.owner == NULL);
}

/* --- two CPUs ------------------------------------------------------------- */

#define COUNTER_ROUNDS 20000

static struct spinlock counter_lock = SPINLOCK_INIT("ktest-counter");
static volatile u64 shared_counter;
static volatile bool go, cpu1_finished;

static void count_on_cpu1(void *unused)
{
    while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
        __builtin_ia32_pause();
    for (int i = 0; i < COUNTER_ROUNDS; i++) {
        spin_lock(&counter_lock);
        shared_counter = shared_counter + 1; /* a read and a write: racy without the lock */
        spin_unlock(&counter_lock);
    }
    __atomic_store_n(&cpu1_finished, true, __ATOMIC_RELEASE);
}

/* Start fn on CPU 1 without waiting for it to finish. */
static bool start_on_cpu1(void (*fn)(void *), u64 *calls_before)
{
    *calls_before = cpus[1].calls_done;
    int error = smp_call_on(1, fn, NULL, 20);
    return error == 0 || error == -ETIMEDOUT;
}

/* Wait (at most 10 s) until CPU 1 has finished its call. */
static void wait_for_cpu1(u64 calls_before)
{
    for (int i = 0; i < 1000000 && cpus[1].calls_done == calls_before; i++)
        apic_udelay(10);
}

void ktest_lock_counter_from_both_cpus(struct ktest_context *t)
{
    if (cpu_count < 2)
        return;
    shared_counter = 0;
    go = cpu1_finished = false;
    u64 before;
    KT_EXPECT(t, start_on_cpu1(count_on_cpu1, &before));
    __atomic_store_n(&go, true, __ATOMIC_RELEASE);
    for (int i = 0; i < COUNTER_ROUNDS; i++) {
        spin_lock(&counter_lock);
        shared_counter = shared_counter + 1;
        spin_unlock(&counter_lock);
    }
    wait_for_cpu1(before);
    KT_EXPECT(t, cpu1_finished);
    KT_EXPECT_EQ(t, shared_counter, 2 * COUNTER_ROUNDS);
    KT_EXPECT(t, !counter_lock.locked && counter_lock.cpu == -1);
}

static struct spinlock slow_lock = SPINLOCK_INIT("ktest-slow");

__attribute__((noinline)) static void hold_slowly(void *unused)
{
    spin_lock(&slow_lock);
    apic_udelay(400000); /* 0.4 s: far past the test's 50 ms limit */
    spin_unlock(&slow_lock);
}

void ktest_lock_held_too_long_names_the_holder(struct ktest_context *t)
{
    if (cpu_count < 2 || !apic_tsc_per_us())
        return;
    u64 before, saved = spin_too_long_ms;
    KT_EXPECT(t, start_on_cpu1(hold_slowly, &before));
    for (int i = 0; i < 100000 && !slow_lock.locked; i++)
        apic_udelay(10);
    KT_EXPECT(t, slow_lock.locked);
    spin_too_long_ms = 50;
    lockdep_test_begin();
    spin_lock(&slow_lock); /* reported after 50 ms, then waits on until CPU 1 lets go */
    int reports = lockdep_test_end(report, sizeof report);
    spin_unlock(&slow_lock);
    spin_too_long_ms = saved;
    wait_for_cpu1(before);
    KT_EXPECT_EQ(t, reports, 1);
    KT_EXPECT_CONTAINS(t, report, "spinlock \"ktest-slow\" held too long: CPU 0 waited");
    KT_EXPECT_CONTAINS(t, report, "holder: CPU 1");
    KT_EXPECT_CONTAINS(t, report, "which took it at hold_slowly+");
}
