/*
 * frame_pool.h - bookkeeping for physical frames: which are free, and how
 * many users each allocated frame has.
 *
 * One bit per frame (1 = in use) makes "find a free frame" a scan for a
 * word that is not all ones; a 16-bit reference count per frame lets
 * copy-on-write fork share a frame between processes and free it only when
 * the last one lets go.  No hardware here: tests/unit/test_frame_pool.c runs
 * this on the host.  mm/frame.c wraps it with physical addresses.
 */
#ifndef MM_FRAME_POOL_H
#define MM_FRAME_POOL_H

#include "kernel/types.h"

struct frame_pool {
    u64 *bitmap;   /* bit i set: frame i is allocated or reserved */
    u16 *refcount; /* users of an allocated frame; 0 for free and reserved frames */
    u64 nframes;   /* frames the arrays describe (frame i is at physical i*4096) */
    u64 total;     /* frames that were ever added as usable RAM */
    u64 free;      /* frames free right now */
    u64 next_hint; /* where the next search starts (next-fit) */
};

/* Bytes of storage needed for a pool of `nframes` frames (bitmap + counts). */
u64 frame_pool_storage_bytes(u64 nframes);
/* Start with every frame marked in use; `storage` holds the arrays. */
void frame_pool_init(struct frame_pool *pool, u64 nframes, void *storage);
/* Make frames [first, first+count) available (usable RAM from the memory map). */
void frame_pool_add_free(struct frame_pool *pool, u64 first, u64 count);
/* Take frames [first, first+count) out of use for good (kernel image, modules...). */
void frame_pool_reserve(struct frame_pool *pool, u64 first, u64 count);

/* Give reserved frames [first, first+count) back (e.g. the initrd once unpacked). */
void frame_pool_unreserve(struct frame_pool *pool, u64 first, u64 count);

/* Allocate one frame (refcount 1); returns its number or -1 if none is free. */
i64 frame_pool_alloc(struct frame_pool *pool);
/* Allocate `count` adjacent frames; returns the first or -1. */
i64 frame_pool_alloc_contiguous(struct frame_pool *pool, u64 count);
/* Add a user to an allocated frame. Returns false if it was not allocated
 * or the count would overflow. */
bool frame_pool_get(struct frame_pool *pool, u64 frame);
/* Drop a user; the frame is free again when the count reaches 0.  Returns
 * the new count, or -1 if the frame was not allocated (a double free). */
int frame_pool_put(struct frame_pool *pool, u64 frame);
/*
 * The same two without the caller's lock, for the common case: a user added
 * to a frame that has one already (fork shares every page), a user dropped
 * that is not the last (exit unmaps them).  One atomic compare-and-swap on
 * the count; false, changing nothing, when the case is not the common one
 * (not allocated, count at its maximum, the last user): then the caller
 * takes its lock and calls frame_pool_get/frame_pool_put.
 */
bool frame_pool_try_get(struct frame_pool *pool, u64 frame);
bool frame_pool_try_put(struct frame_pool *pool, u64 frame);
u16 frame_pool_refcount(const struct frame_pool *pool, u64 frame);
bool frame_pool_is_used(const struct frame_pool *pool, u64 frame);

#endif
