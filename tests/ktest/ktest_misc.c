/* ktest_misc.c - the clock and the symbol table. */
#include "kernel/ksyms.h"
#include "kernel/lib/string.h"
#include "kernel/timer.h"
#include "kernel/x86.h"
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
