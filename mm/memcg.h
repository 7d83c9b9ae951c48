/*
 * memcg.h - the memory controller's counters: which control group each user
 * page is charged to, and the limit (memory.max) that a charge may not cross.
 *
 * A user page is charged when it is allocated (a page fault, copy-on-write's
 * copy, mlock's populate: all through memcg_user_frame_alloc) to the group of
 * the address space that will map it (mm->memcg), and to every ancestor of
 * that group.  The charge stays with the frame, whoever maps it later, until
 * the frame's last user drops it (frame_put calls memcg_frame_freed): the
 * same rule as Linux's, "the first to touch a page pays for it".
 *
 *   frame 0x1234000 --owner id 3--> memcg 3 (/demo/web) --parent--> memcg 2 (/demo)
 *
 * The root group has no memcg: its pages are not counted and never limited.
 * proc/cgroup.c embeds one struct memcg in every other group.
 */
#ifndef MM_MEMCG_H
#define MM_MEMCG_H

#include "kernel/types.h"

struct mm;

#define MEMCG_MAX 256 /* memory cgroups that may exist at once (ids 1..255; 0 = not charged) */
#define MEMCG_NO_LIMIT (~0ull)

struct memcg {
    u8 id;                /* what the frames it pays for are tagged with */
    struct memcg *parent; /* NULL: its parent is the root group */
    const char *path;     /* the group's path, for the kernel log (owned by proc/cgroup.c) */
    /* interrupts off while changing (frame_put may uncharge from anywhere): */
    u64 pages;           /* memory.current: pages charged here and in every descendant */
    u64 max_pages;       /* memory.max, in pages; MEMCG_NO_LIMIT: "max" */
    u64 events_max;      /* memory.events "max": charges refused at the limit */
    u64 events_oom;      /* "oom": the limit was hit and reclaim could not help */
    u64 events_oom_kill; /* "oom_kill": processes the group's OOM killer chose */
    u64 swap_pages;      /* memory.swap.current: swap slots charged here and below */
    u64 swap_max_pages;  /* memory.swap.max, in pages; MEMCG_NO_LIMIT: "max" */
    u64 events_swap_max; /* memory.swap.events "max": swap-outs refused at swap.max */
};

/* Give m an id (and a parent, NULL for the root's children).  0 or -ENOSPC. */
int memcg_register(struct memcg *m, struct memcg *parent);
/* m goes away: pages still charged to it are handed to its parent (which keeps
 * counting them), or uncharged when the parent is the root. */
void memcg_unregister(struct memcg *m);

/*
 * The one allocator of user pages: a frame (zero-filled if `zero`) charged to
 * mm->memcg and its ancestors, or 0.  When a limit would be crossed, nothing
 * is allocated, the group's "max" event is counted and mm->memcg_over names the
 * group at its limit, so the page-fault handler can run that group's OOM
 * killer instead of the whole system's.  Never sleeps; any IRQ state.
 */
phys_addr_t memcg_user_frame_alloc(struct mm *mm, bool zero);

/* frame_put's hook: the last user of a frame tagged `owner` let it go. */
void memcg_frame_freed(u8 owner);

/*
 * Swap slots are charged too, to the group the swapped-out frame was charged
 * to (`owner`, its frame tag), and that group's ancestors; memory.swap.max
 * caps them.  memcg_swap_charge says false (and counts the "max" event) when
 * a limit would be crossed: the page then stays in memory.  Any IRQ state.
 */
bool memcg_swap_charge(u8 owner);
void memcg_swap_uncharge(u8 owner);

/* Is `m` the group `ancestor` or inside it? */
bool memcg_within(const struct memcg *m, const struct memcg *ancestor);

#endif
