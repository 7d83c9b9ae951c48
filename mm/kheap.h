/*
 * kheap.h - kmalloc/kfree: the kernel's malloc.
 *
 * Small requests come from per-size "slabs" (a page cut into equal objects);
 * big ones get their own run of contiguous frames.  In debug builds (the
 * default, KHEAP_DEBUG) every object carries a header and a red zone, so
 * kfree() catches double frees, frees of bad pointers and writes past the end,
 * and freed memory is poisoned with 0x6b to expose use-after-free.
 */
#ifndef MM_KHEAP_H
#define MM_KHEAP_H

#include "kernel/types.h"

/* Allocate `size` bytes (any size up to a few MiB); NULL when out of memory.
 * Never sleeps; safe with interrupts off. */
void *kmalloc(size_t size);
/* kmalloc, zero-filled. */
void *kzalloc(size_t size);
/* Free memory from kmalloc (NULL is fine).  Panics on a double free or overflow. */
void kfree(void *ptr);
/* The size that was requested for `ptr`. */
size_t kmalloc_size(const void *ptr);

struct kheap_stats {
    u64 bytes_in_use;  /* what callers asked for and have not freed */
    u64 pages;         /* frames the heap holds */
    u64 allocations;   /* live objects */
};
void kheap_get_stats(struct kheap_stats *stats);

#endif
