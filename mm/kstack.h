/*
 * kstack.h - kernel stacks with guard pages.
 *
 * Every process has a kernel stack of KSTACK_SIZE bytes (kernel/param.h).
 * A stack grows down; if the kernel recursed too deep or put a huge array
 * on it, it would run off the bottom and silently overwrite whatever lies
 * there.  So the stacks do not live in the direct map but in their own
 * area, KSTACK_AREA_BASE (mm/layout.h), one slot each, with the lower part
 * of every slot left unmapped:
 *
 *   slot n+1  +---------------------+
 *             | stack (KSTACK_SIZE) |  mapped rw-, NX; grows down
 *             |        ...          |
 *             +---------------------+  <- p->kstack (the canary is here)
 *             | guard               |  KSTACK_GUARD_SIZE, never mapped
 *   slot n    +---------------------+
 *
 * Running into the guard is a page fault; the CPU cannot even push the
 * fault's frame on that stack, so it raises a double fault, which runs on a
 * stack of its own (the TSS's IST 1, kernel/gdt.c) and panics with "kernel
 * stack overflow in PID N" (kernel/trap.c).  The boot stack (PID 0, idle)
 * has a guard page too (boot/entry.asm, mm/pagetable.c).
 */
#ifndef MM_KSTACK_H
#define MM_KSTACK_H

#include "kernel/types.h"

#define KSTACK_SLOT_SIZE (KSTACK_GUARD_SIZE + KSTACK_SIZE)

/* A mapped kernel stack (its lowest address), or NULL if out of memory or slots. May not sleep. */
void *kstack_alloc(void);
/* Give back a stack from kstack_alloc(): kept mapped for the next
 * kstack_alloc() while fewer than KSTACK_CACHE wait there, otherwise
 * unmapped and its frames freed. */
void kstack_free(void *stack);
/* Unmap and free the stacks kept for reuse. */
void kstack_drain_cache(void);

/* The stack whose guard holds `address` (the boot stack included), or NULL. */
void *kstack_of_guard(u64 address);
/* Is `address` inside a live kernel stack (not its guard)? For backtraces. */
bool kstack_contains(u64 address);

/* The boot stack and its guard page (boot/entry.asm). */
extern char boot_stack[], boot_stack_top[], boot_stack_guard[];

#endif
