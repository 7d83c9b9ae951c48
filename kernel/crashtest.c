/*
 * crashtest.c - crash the kernel on purpose, so students (and tests) can see
 * what a kernel bug looks like: the message, registers and a backtrace that
 * names crashtest_null_dereference.
 */
#include "kernel/crashtest.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

/* volatile: the compiler may not assume it is NULL and turn the load into a trap. */
static volatile int *volatile null_pointer;

/* noinline so that the function shows up in the backtrace under its own name. */
__attribute__((noinline)) static int crashtest_null_dereference(void)
{
    return *null_pointer; /* page fault: address 0 is never mapped */
}

void crashtest_run(const char *how)
{
    if (!how)
        return;
    pr_warn("crashtest: crashing the kernel on purpose (crash=%s)\n", how);
    if (strcmp(how, "null") == 0)
        crashtest_null_dereference();
    else if (strcmp(how, "panic") == 0)
        panic("crashtest: you asked for a panic (crash=panic)");
    else
        pr_warn("crashtest: unknown crash=%s (try null or panic)\n", how);
}
