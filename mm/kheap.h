/*
 * kheap.h - kmalloc/kfree: the kernel's malloc.
 *
 * Small requests come from per-size "slabs" (a page cut into equal objects);
 * big ones get their own run of contiguous frames.  In debug builds (the
 * default, KHEAP_DEBUG) every object carries a header and a red zone, so
 * kfree() catches double frees, frees of bad pointers and writes past the end,
 * and freed memory is poisoned with 0x6b to expose use-after-free.  kmalloc
 * fills new memory with 0xcd (reads of what was never written show); kzalloc
 * only zeroes it, since zeros would overwrite the poison anyway.
 *
 * protected by: the spinlock "kheap" (heap_lock in mm/kheap.c): any CPU may
 * call these, with or without the big kernel lock.  Lock order: kheap ->
 * frames.  Callers must not hold "printk" or "console" (printk never allocates).
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
    u64 bytes_in_use; /* what callers asked for and have not freed */
    u64 pages;        /* frames the heap holds */
    u64 allocations;  /* live objects */
};
void kheap_get_stats(struct kheap_stats *stats);

/* One size class, as a line of /proc/slabinfo (object_size 0: the big blocks). */
struct kheap_class_info {
    u32 object_size; /* bytes per object, header and red zone included */
    u32 objects_per_slab;
    u32 pages_per_slab; /* 0 for big blocks (each has its own run) */
    u64 active_objects; /* handed out and not freed */
    u64 objects;        /* room in the slabs held (big blocks: = active) */
    u64 slabs;          /* slabs held (big blocks: their frames) */
};
/* Fill out[] with every class, then the big blocks; returns the count. */
int kheap_class_info(struct kheap_class_info *out, int max);

/* The live allocations of one caller of kmalloc/kzalloc (/proc/allocinfo). */
#define KHEAP_SITES 256
struct kheap_site {
    u64 caller; /* return address into the caller; 0: "other" (table full) */
    u64 live;   /* objects allocated there and not freed */
    u64 bytes;  /* their requested sizes */
};
/* Copy the sites with live objects; returns the count. */
int kheap_sites(struct kheap_site *out, int max);

#endif
