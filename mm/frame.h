/*
 * frame.h - physical memory, one 4 KiB frame at a time.
 *
 * Fed at boot by the multiboot2 memory map; the kernel image, the boot
 * modules (initrd), GRUB's boot information and everything below 1 MiB are
 * kept out.  Frames are reference-counted: a frame shared by copy-on-write
 * returns to the free pool only when its last user drops it.
 */
#ifndef MM_FRAME_H
#define MM_FRAME_H

#include "kernel/multiboot.h"
#include "kernel/types.h"

/* Set up the allocator from the boot memory map.  Called once, early. */
void frame_init(const struct boot_info *boot);

/* A zero-filled frame with one user, or 0 when memory is exhausted.
 * Safe with interrupts on or off; never sleeps. */
phys_addr_t frame_alloc(void);
/* `count` physically adjacent zero-filled frames, or 0. */
phys_addr_t frame_alloc_contiguous(u64 count);
/* The same, not zeroed: only for callers that write every byte before
 * anything reads it (a copy-on-write copy, the kernel heap's own pages).
 * Zeroing a page is most of a page fault's cost under QEMU. */
phys_addr_t frame_alloc_unzeroed(void);
phys_addr_t frame_alloc_contiguous_unzeroed(u64 count);
/* One frame (zeroed or not) counted in /proc/allocinfo under `caller`: for an
 * allocator that serves others (mm/memcg.c's, on behalf of the page fault). */
phys_addr_t frame_alloc_for(bool zero, u64 caller);
/* Add a user to an allocated frame (copy-on-write sharing). */
void frame_get(phys_addr_t frame);
/* Drop a user; the frame is freed with its last user.  Freeing a frame that
 * is not allocated is a kernel bug and panics. */
void frame_put(phys_addr_t frame);
/* Free `count` frames from frame_alloc_contiguous(). */
void frame_put_contiguous(phys_addr_t first, u64 count);
u16 frame_refcount(phys_addr_t frame);
/* Return memory reserved at boot (a boot module) to the free pool. */
void frame_release_boot_range(phys_addr_t start, phys_addr_t end);

/* Frames held per allocation site (/proc/allocinfo). */
#define FRAME_SITES 128
struct frame_site {
    u64 caller; /* return address into the caller of frame_alloc; 0: other */
    u64 frames; /* allocated there and not yet freed */
};
/* Copy the sites that hold frames; returns the count. */
int frame_sites(struct frame_site *out, int max);

/* The memory controller's tag on a frame (mm/memcg.h): which group pays for
 * it; frame_put reports the tag when the frame is freed.  frame_change_owner
 * hands every frame tagged `from` to `to` (a group is removed). */
void frame_set_owner(phys_addr_t frame, u8 owner);
u8 frame_owner_of(phys_addr_t frame);
void frame_change_owner(u8 from, u8 to);

u64 frames_total(void); /* usable RAM, in frames */
u64 frames_free(void);
phys_addr_t frames_highest_address(void); /* end of the highest usable RAM */

#endif
