/* ktest_misc.c - the clock and the symbol table. */
#include "kernel/drivers/rtc_periodic.h"
#include "kernel/errno.h"
#include "kernel/ksyms.h"
#include "kernel/panic.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "kernel/timer.h"
#include "kernel/watchdog.h"
#include "kernel/x86.h"
#include "proc/proc.h"
#include "tests/ktest/ktests.h"

void ktest_timer_ticks_advance(struct ktest_context *t)
{
    KT_EXPECT(t, interrupts_enabled());
    u64 start = jiffies, start_ns = uptime_ns();
    /* Bounded wait (the kernel must never hang a test): ~5 ticks. */
    for (u64 spins = 0; jiffies < start + 5 && spins < 200000000; spins++)
        __asm__ volatile("pause");
    u64 elapsed = jiffies - start;
    KT_EXPECT(t, elapsed >= 5);
    KT_EXPECT(t, uptime_ns() - start_ns >= 4 * NS_PER_TICK);
    KT_EXPECT(t, realtime_ns() > 1500000000ull * NS_PER_SEC); /* after 2017: the RTC was read */
}

void ktest_ksyms_lookup(struct ktest_context *t)
{
    u64 offset = 99, size = 0;
    u64 address = ksym_address("kmain");
    KT_EXPECT(t, address != 0);
    const char *name = ksym_lookup(address + 5, &offset, &size);
    KT_EXPECT(t, name && strcmp(name, "kmain") == 0);
    KT_EXPECT_EQ(t, offset, 5);
    KT_EXPECT(t, size > 5);
    KT_EXPECT(t, ksym_lookup(0x1000, NULL, NULL) == NULL);
}

/* The soft-lockup detector reports a stall once, after WATCHDOG_SECONDS of
 * ticks in the kernel, and forgets it at a return to user mode or a switch. */
void ktest_watchdog_reports_a_stall_once(struct ktest_context *t)
{
    static struct proc stuck, other; /* made-up processes: only the fields it reads */
    stuck.pid = 42;
    other.pid = 43;
    struct watchdog w = {0};
    u64 stall = WATCHDOG_SECONDS * HZ;
    int reports = 0;
    for (u64 tick = 0; tick <= 3 * stall; tick++)
        reports += watchdog_observe(&w, &stuck, false);
    KT_EXPECT_EQ(t, reports, 1); /* once per stall, however long */

    /* A tick from user mode ends the stall: the count starts again. */
    KT_EXPECT(t, !watchdog_observe(&w, &stuck, true));
    reports = 0;
    for (u64 tick = 0; tick < stall - 1; tick++)
        reports += watchdog_observe(&w, &stuck, false);
    KT_EXPECT_EQ(t, reports, 0); /* one tick short */

    /* So does a context switch, or another process on the CPU. */
    stuck.nvcsw++;
    reports = 0;
    for (u64 tick = 0; tick < stall - 1; tick++)
        reports += watchdog_observe(&w, &stuck, false);
    KT_EXPECT_EQ(t, reports, 0);
    KT_EXPECT(t, !watchdog_observe(&w, &other, false));

    /* The idle process lives in the kernel: never a stall. */
    static struct proc idle;
    reports = 0;
    for (u64 tick = 0; tick <= 2 * stall; tick++)
        reports += watchdog_observe(&w, &idle, false);
    KT_EXPECT_EQ(t, reports, 0);
}

/* The frame-pointer walk that panics and the profiler use finds our caller. */
static __attribute__((noinline)) int backtrace_from_here(u64 *chain, int max)
{
    return backtrace_save(read_rbp(), chain, max);
}

void ktest_ksyms_backtrace_save(struct ktest_context *t)
{
    u64 chain[8] = {0};
    int depth = backtrace_from_here(chain, 8);
    KT_EXPECT(t, depth >= 2); /* us, and whoever ran the tests */
    const char *name = ksym_lookup(chain[0] - 1, NULL, NULL);
    KT_EXPECT(t, name && strcmp(name, "ktest_ksyms_backtrace_save") == 0);
    KT_EXPECT_EQ(t, backtrace_from_here(chain, 1), 1);    /* never more than asked */
    KT_EXPECT_EQ(t, backtrace_save(0x1000, chain, 8), 0); /* not a kernel stack: nothing */
}

static volatile u64 rtc_ticks;
static void count_rtc_tick(struct trap_frame *frame) { rtc_ticks++; }

/* The CMOS clock's periodic interrupt comes at about the asked rate, and stops. */
void ktest_rtc_periodic_interrupt(struct ktest_context *t)
{
    KT_EXPECT_EQ(t, rtc_periodic_round(1000), 512);
    KT_EXPECT_EQ(t, rtc_periodic_round(8192), 8192);
    KT_EXPECT_EQ(t, rtc_periodic_round(3), 2);
    KT_EXPECT_EQ(t, rtc_periodic_start(1, count_rtc_tick), -EINVAL);
    rtc_ticks = 0;
    KT_EXPECT_EQ(t, rtc_periodic_start(1024, count_rtc_tick), 0);
    KT_EXPECT_EQ(t, rtc_periodic_start(1024, count_rtc_tick), -EBUSY);
    /* 20 ticks = 200 ms: about 200 interrupts.  QEMU drops the RTC's
     * interrupts that come while its CPU thread waits for the host (a make
     * test beside two busy host processes counted under 20 of 100 in 100
     * ms), so only a tenth is required: the point is that they come. */
    u64 start = jiffies;
    for (u64 spins = 0; jiffies < start + 20 && spins < 800000000; spins++)
        __asm__ volatile("pause");
    rtc_periodic_stop();
    u64 counted = rtc_ticks;
    KT_EXPECT(t, counted >= 20);
    start = jiffies;
    for (u64 spins = 0; jiffies < start + 3 && spins < 200000000; spins++)
        __asm__ volatile("pause");
    KT_EXPECT_EQ(t, rtc_ticks, counted); /* off means off */
}
