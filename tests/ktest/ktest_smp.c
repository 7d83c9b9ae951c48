/*
 * ktest_smp.c - the per-CPU area and IPIs (kernel/arch/smp.h).
 *
 * With one CPU (test_ktest's boot) these check the boot CPU's own
 * bookkeeping; tests/qemu/test_smp.sh runs them again with --cpus 2, where
 * the round trips and the other CPU's clock are exercised for real.
 */
#include "kernel/arch/apic.h"
#include "kernel/arch/smp.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/timer.h"
#include "kernel/x86.h"
#include "tests/ktest/ktests.h"

#define ROUND_TRIPS 20

void ktest_smp_cpu_ids(struct ktest_context *t)
{
    struct cpu *me = this_cpu();
    KT_EXPECT(t, me == &cpus[0]); /* the tests run on the boot CPU */
    KT_EXPECT(t, me->self == me);
    KT_EXPECT_EQ(t, smp_this_cpu_id(), 0);
    KT_EXPECT(t, cpu_count >= 1 && cpu_count <= MAX_CPUS);
    for (int i = 0; i < cpu_count; i++) {
        KT_EXPECT_EQ(t, cpus[i].id, i);
        KT_EXPECT(t, cpus[i].online);
        for (int j = 0; j < i; j++)
            KT_EXPECT(t, cpus[i].apic_id != cpus[j].apic_id);
    }
    if (apic_enabled)
        KT_EXPECT_EQ(t, apic_this_id(), me->apic_id);
}

void ktest_smp_ipi_round_trip(struct ktest_context *t)
{
    /* No such CPU: no IPI, an error. */
    KT_EXPECT(t, smp_ping_round_trip(0, 1000) < 0);
    KT_EXPECT(t, smp_ping_round_trip(cpu_count, 1000) < 0);
    KT_EXPECT(t, smp_ping_round_trip(-1, 1000) < 0);
    for (int target = 1; target < cpu_count; target++) {
        u64 theirs = cpus[target].ipis_received, mine = this_cpu()->ipis_received;
        for (int i = 0; i < ROUND_TRIPS; i++)
            KT_EXPECT(t, smp_ping_round_trip(target, 5000000) >= 0);
        /* Exactly one ping each way per round trip: none lost, none doubled. */
        KT_EXPECT_EQ(t, cpus[target].ipis_received - theirs, ROUND_TRIPS);
        KT_EXPECT_EQ(t, this_cpu()->ipis_received - mine, ROUND_TRIPS);
    }
}

void ktest_smp_every_cpu_ticks(struct ktest_context *t)
{
    if (!apic_enabled)
        return; /* the PIT drives the clock: no local APIC timers */
    u64 before[MAX_CPUS];
    for (int i = 0; i < cpu_count; i++)
        before[i] = cpus[i].ticks;
    /* Every CPU's own timer interrupts it: wait (at most 5 s, for a host
     * too busy to run a virtual CPU) until each has counted 3 more. */
    u64 until = jiffies + 5 * HZ;
    bool irq = irq_save();
    sti();
    for (int i = 0; i < cpu_count; i++)
        while (cpus[i].ticks < before[i] + 3 && jiffies < until)
            hlt();
    irq_restore(irq);
    for (int i = 0; i < cpu_count; i++)
        KT_EXPECT(t, cpus[i].ticks >= before[i] + 3);
}

struct where_ran {
    int cpu_id;
    u32 apic_id;
    bool interrupts_were_on;
};

static void record_where(void *arg)
{
    struct where_ran *w = arg;
    w->cpu_id = this_cpu()->id;
    w->apic_id = apic_this_id();
    w->interrupts_were_on = interrupts_enabled();
}

void ktest_smp_call_function(struct ktest_context *t)
{
    struct where_ran w;
    /* Not online, out of range, or this CPU itself: refused. */
    KT_EXPECT_EQ(t, smp_call_on(0, record_where, &w, 1000), -EINVAL);
    KT_EXPECT_EQ(t, smp_call_on(cpu_count, record_where, &w, 1000), -EINVAL);
    KT_EXPECT_EQ(t, smp_call_on(-1, record_where, &w, 1000), -EINVAL);
    for (int target = 1; target < cpu_count; target++) {
        w = (struct where_ran){-1, 0, true};
        u64 done = cpus[target].calls_done;
        KT_EXPECT_EQ(t, smp_call_on(target, record_where, &w, 5000000), 0);
        KT_EXPECT_EQ(t, w.cpu_id, target); /* it ran there, and only once */
        KT_EXPECT_EQ(t, w.apic_id, cpus[target].apic_id);
        KT_EXPECT(t, !w.interrupts_were_on);
        KT_EXPECT_EQ(t, cpus[target].calls_done, done + 1);
    }
}
