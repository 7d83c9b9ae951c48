/*
 * ktest.h - tests that run inside the kernel at boot (`ktest=all`).
 *
 * Each test is a function that checks things with KT_EXPECT*; the runner
 * prints "PASS name" or "FAIL name: what was expected, what happened",
 * then "N passed, N failed", and powers off.  The list lives in ktest.c.
 */
#ifndef TESTS_KTEST_KTEST_H
#define TESTS_KTEST_KTEST_H

#include "kernel/printk.h"
#include "kernel/types.h"

struct ktest_context {
    const char *name;
    int failures;
};

struct ktest {
    const char *name;
    void (*run)(struct ktest_context *t);
};

void ktest_fail(struct ktest_context *t, const char *file, int line, const char *fmt, ...)
    PRINTF_LIKE(4, 5);

#define KT_EXPECT(t, condition)                                                                    \
    do {                                                                                           \
        if (!(condition))                                                                          \
            ktest_fail(t, __FILE__, __LINE__, "expected %s", #condition);                          \
    } while (0)

#define KT_EXPECT_EQ(t, actual, expected)                                                          \
    do {                                                                                           \
        u64 actual_ = (u64)(actual), expected_ = (u64)(expected);                                  \
        if (actual_ != expected_)                                                                  \
            ktest_fail(t, __FILE__, __LINE__, "expected %s == %s, got %#lx, want %#lx", #actual,   \
                       #expected, actual_, expected_);                                             \
    } while (0)

/* Run every test whose name starts with `filter` ("all" runs all), print the
 * summary and power off.  Never returns. */
NORETURN void ktest_run_and_power_off(const char *filter);

#endif
