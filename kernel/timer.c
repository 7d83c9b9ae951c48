/*
 * timer.c - PIT channel 0 in rate-generator mode, HZ interrupts a second,
 * or, when the APICs replace the PIC (kernel/arch/apic.h), CPU 0's local
 * APIC timer at the same rate (measured against the PIT at boot).
 *
 * The PIT counts down from a divisor at 1.193182 MHz; each time it reaches
 * zero it raises IRQ 0.  Between ticks we interpolate with the CPU's
 * time-stamp counter, calibrated against the first ticks (with the APIC,
 * first by apic_init's measurement over one tick).
 */
#include "kernel/timer.h"
#include "kernel/arch/apic.h"
#include "kernel/interrupts.h"
#include "kernel/param.h"
#include "kernel/rtc.h"
#include "kernel/watchdog.h"
#include "proc/itimer.h"
#include "proc/proc.h"
#include "kernel/x86.h"
#include "sched/sched.h"

#define PIT_HZ 1193182
#define PIT_CHANNEL0 0x40
#define PIT_COMMAND 0x43
#define CALIBRATION_TICKS 10

volatile u64 jiffies;

static u64 tsc_at_tick; /* TSC at the most recent tick */
static u64 tsc_at_calibration_start;
static u64 tsc_per_tick;     /* 0 until calibrated */
static u64 last_uptime;      /* never go backwards */
static u64 boot_realtime_ns; /* wall clock at boot, from the CMOS RTC */

static struct list pending_timers = LIST_INIT(pending_timers);

void timer_init_event(struct timer *timer, void (*fn)(struct timer *timer), void *data)
{
    timer->expires = 0;
    timer->fn = fn;
    timer->data = data;
    list_node_init(&timer->node);
}

bool timer_pending(const struct timer *timer) { return list_node_linked(&timer->node); }

void timer_add(struct timer *timer, u64 expires)
{
    bool irq = irq_save();
    if (timer_pending(timer))
        list_remove(&timer->node);
    timer->expires = expires;
    struct timer *t;
    list_for_each_entry (t, &pending_timers, node) {
        if (t->expires > expires)
            break;
    }
    list_insert_before(&t->node, &timer->node); /* before the first later one (or at the end) */
    irq_restore(irq);
}

void timer_cancel(struct timer *timer)
{
    bool irq = irq_save();
    if (timer_pending(timer))
        list_remove(&timer->node);
    irq_restore(irq);
}

static void run_expired_timers(void)
{
    struct timer *t;
    while ((t = list_first_entry(&pending_timers, struct timer, node)) && t->expires <= jiffies) {
        list_remove(&t->node);
        t->fn(t);
    }
}

void timer_tick(struct trap_frame *frame)
{
    jiffies++;
    tsc_at_tick = rdtsc();
    if (jiffies == 1)
        tsc_at_calibration_start = tsc_at_tick;
    else if (jiffies == 1 + CALIBRATION_TICKS)
        tsc_per_tick = (tsc_at_tick - tsc_at_calibration_start) / CALIBRATION_TICKS;
    run_expired_timers();
    watchdog_tick(frame);
    if (current->pid != 0)
        itimer_cpu_tick(current, trap_from_user(frame));
    sched_timer_tick(frame);
}

void timer_init(void)
{
    boot_realtime_ns = rtc_read_unix_seconds() * NS_PER_SEC;
    tsc_at_tick = rdtsc();
    if (apic_enabled) {
        /* apic_init measured the TSC over one PIT tick: interpolate with that
         * from the start (a program run at boot reads the clock within the
         * first 10 ticks), until the count over CALIBRATION_TICKS replaces it. */
        tsc_per_tick = apic_tsc_per_us() * (NS_PER_TICK / 1000);
        apic_timer_start(); /* calibrated against the PIT by apic_init */
        return;
    }
    u32 divisor = PIT_HZ / HZ;
    outb(PIT_COMMAND, 0x34); /* channel 0, low then high byte, mode 2 (rate generator) */
    outb(PIT_CHANNEL0, (u8)divisor);
    outb(PIT_CHANNEL0, (u8)(divisor >> 8));
    irq_register(IRQ_TIMER, timer_tick);
}

u64 uptime_ns(void)
{
    bool irq = irq_save();
    u64 ns = jiffies * NS_PER_TICK;
    if (tsc_per_tick) {
        u64 since_tick = rdtsc() - tsc_at_tick;
        u64 extra = since_tick * NS_PER_TICK / tsc_per_tick;
        ns += MIN(extra, NS_PER_TICK - 1);
    }
    if (ns < last_uptime)
        ns = last_uptime;
    last_uptime = ns;
    irq_restore(irq);
    return ns;
}

u64 timer_tsc_khz(void) { return tsc_per_tick * HZ / 1000; }

u64 realtime_ns(void) { return boot_realtime_ns + uptime_ns(); }

u64 ns_to_ticks(u64 ns) { return (ns + NS_PER_TICK - 1) / NS_PER_TICK; }
u64 ms_to_ticks(u64 ms) { return ns_to_ticks(ms * 1000000); }

u64 deadline_after_ns(u64 ns)
{
    /* Tick n happens at n * NS_PER_TICK; now is partway through a tick. */
    u64 target = uptime_ns() + ns;
    return (target + NS_PER_TICK - 1) / NS_PER_TICK;
}
