/* panic.h - stop the machine with a useful report; ASSERT for kernel invariants. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include "kernel/interrupts.h"
#include "kernel/types.h"

/*
 * Print the message, the registers and a symbolized backtrace, then leave
 * QEMU with a failure status (isa-debug-exit) or halt.  Never returns.
 * Only for kernel bugs: a user program's bad input must never panic.
 */
NORETURN void panic(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* The same, reporting the registers of a trap (a kernel fault). */
NORETURN void panic_with_frame(const struct trap_frame *frame, const char *fmt, ...)
    PRINTF_LIKE(2, 3);

/*
 * Walk the rbp chain from `rbp` (kernel stacks only, so it is safe on any
 * value) and store up to `max` return addresses, innermost first.  Returns
 * how many.  Does not allocate or print: interrupt handlers may call it
 * (the profiler does).
 */
int backtrace_save(u64 rbp, u64 *return_addresses, int max);
/* Print "  #n addr name+off/size" for each frame of the rbp chain. */
void backtrace_print(u64 rbp, u64 first_rip);

#define ASSERT(condition)                                                                          \
    do {                                                                                           \
        if (!(condition))                                                                          \
            panic("assertion failed: %s\n  at %s:%d in %s()", #condition, __FILE__, __LINE__,      \
                  __func__);                                                                       \
    } while (0)

#endif
