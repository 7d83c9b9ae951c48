/*
 * swap.h - swap areas: anonymous pages written to a disk so their frames can
 * be used for something else (mm/swap.c), and read back on the next touch.
 *
 * Three pieces, each explained in its file:
 *
 *   mm/swap.c        swap areas in Linux's format (mkswap makes them), slots
 *                    and their reference counts, the swap cache, page I/O
 *   mm/swap_sys.c    swapon, swapoff, /proc/swaps
 *   mm/reclaim.c     which pages go out (the clock over page tables), who
 *                    runs it (kswapd0, or the faulting process), the
 *                    swap-out itself, and the swap-in on a page fault
 *
 * A page that went out is remembered in its page-table entry: PRESENT clear,
 * PTE_SWAP set, and the address bits hold a swap entry (which area, which
 * slot).  The MMU faults on it like on any missing page; vm_fault() sees the
 * mark and calls swap_in_page().
 *
 *   63         52 51                     12 11  10  9        1   0
 *  +-------------+-------------------------+---+---+---+-----+---+
 *  |      0      | area (4 bits) | slot    | 1 | 0 | 0 |  0  | 0 |
 *  +-------------+-------------------------+---+---+---+-----+---+
 *                                          PTE_SWAP   PTE_COW  PRESENT
 */
#ifndef MM_SWAP_H
#define MM_SWAP_H

#include "kernel/types.h"
#include "mm/pagetable.h"

struct block_device;
struct inode;

#define MAX_SWAP_AREAS 4       /* swapon'd at once (Linux: 32) */
#define SWAP_SLOT_BITS 36      /* slot numbers inside an area */
#define SWAP_CLUSTER_MAX 32    /* pages one direct-reclaim pass tries to free */
#define SWAP_MAGIC_OFFSET 4086 /* "SWAPSPACE2" ends the first page */

/* Which area and which slot (page number inside the area). */
typedef u64 swap_entry_t;
#define SWAP_ENTRY(area, slot) (((u64)(area) << SWAP_SLOT_BITS) | (slot))
#define SWAP_AREA(entry) ((int)((entry) >> SWAP_SLOT_BITS))
#define SWAP_SLOT(entry) ((entry) & ((1ull << SWAP_SLOT_BITS) - 1))

static inline bool pte_is_swap(pte_t pte) { return !(pte & PTE_PRESENT) && (pte & PTE_SWAP); }
static inline pte_t swap_pte(swap_entry_t entry) { return (entry << 12) | PTE_SWAP; }
static inline swap_entry_t pte_swap_entry(pte_t pte) { return PTE_ADDRESS(pte) >> 12; }

/* --- areas (mm/swap.c) --- */

#define SWAP_NAME_MAX 64        /* a swap file's path longer than this is shown cut */
#define SWAP_PRIORITY_AUTO (-1) /* swapon without SWAP_FLAG_PREFER: -2, -3, ... */

/*
 * Check the Linux swap header on `device`, or in the regular file `file` on
 * it (an inode with map_page: a swap file), and start using it at `priority`
 * (or SWAP_PRIORITY_AUTO); `name` is what /proc/swaps shows.  May sleep
 * (reads the header; maps a file's blocks).  0, -EINVAL (no "SWAPSPACE2"
 * signature, version not 1, nothing usable, a file with holes), -EBUSY
 * (already active), -EPERM (MAX_SWAP_AREAS active), -ENOMEM, -EIO.
 */
int swap_activate(struct block_device *device, struct inode *file, int priority, const char *name);
/* The active area on `device` (file NULL) or in `file`, or -1. */
int swap_area_of(struct block_device *device, struct inode *file);
/* Stop and forget area `area`, whose slots are all free (swapoff). */
void swap_deactivate(int area);
/* Stop/restart allocating slots in `area` (swapoff while it drains). */
void swap_area_set_draining(int area, bool draining);
/* Slots in use in `area`. */
u64 swap_area_used(int area);

struct swap_area_info {
    char name[SWAP_NAME_MAX];
    bool is_file;
    u64 size_kib, used_kib;
    int priority;
};
/* Describe area `area`; false if it is not active. */
bool swap_area_info(int area, struct swap_area_info *info);

u64 swap_total_pages(void); /* usable slots in every active area */
u64 swap_used_pages(void);
u64 swap_free_pages(void);   /* slots free for new swap-outs (not in draining areas) */
u64 swap_cached_pages(void); /* frames held by the swap cache */

/* --- slots --- */

/* A free slot (count 1: the caller's), or false when every area is full. */
bool swap_slot_alloc(swap_entry_t *entry);
/* One more / one fewer swap PTE or cache reference; the slot is free at 0. */
void swap_slot_get(swap_entry_t entry);
void swap_slot_put(swap_entry_t entry);
/* The slot's swap space is charged to memory cgroup `owner` (already done by
 * memcg_swap_charge); freeing the slot uncharges it. */
void swap_slot_set_memcg(swap_entry_t entry, u8 owner);
/* A memory cgroup goes away: its slots' charges are handed to `to`. */
void swap_change_owner(u8 from, u8 to);

/* --- the swap cache: slot -> frame while both are in use --- */

/* The frame cached for `entry`, or 0.  *busy: its I/O is still running. */
phys_addr_t swap_cache_lookup(swap_entry_t entry, bool *busy);
/* The swap entry whose cached copy `frame` is, or false. */
bool swap_cache_entry_of(phys_addr_t frame, swap_entry_t *entry);
/* Enter frame for entry; the cache takes over one frame reference and one
 * slot reference from the caller.  Marked busy: I/O follows. */
void swap_cache_add(swap_entry_t entry, phys_addr_t frame);
/* The I/O finished: wake the processes waiting for it. */
void swap_cache_unbusy(swap_entry_t entry);
/* The cached frame of `entry` is MAP_SHARED memory that may be written (it
 * is newer than the disk, see swap.c), or was just written out. */
void swap_cache_set_dirty(swap_entry_t entry, bool dirty);
bool swap_cache_dirty(swap_entry_t entry);
/* Mark `entry`'s cached frame busy again (a second write-out). */
void swap_cache_busy(swap_entry_t entry);
/* Wait until `entry`'s I/O is over.  Sleeps uninterruptibly. */
void swap_cache_wait(swap_entry_t entry);
/*
 * Drop the cache entry of `entry` if it is no longer useful: nobody else maps
 * its frame (the frame would be wasted), or no swap PTE refers to its slot
 * (nobody will read it).  Never while busy.
 */
void swap_cache_trim(swap_entry_t entry);
/* Drop the cache entry of `entry` (not busy) whatever its use. */
void swap_cache_drop(swap_entry_t entry);
/* frame_put(), then trim the cache entry the frame may be (unmap, COW). */
void swap_frame_put(phys_addr_t frame);

/* --- I/O: one page, synchronously; may sleep; 0 or -EIO --- */
int swap_read_page(swap_entry_t entry, phys_addr_t frame);
int swap_write_page(swap_entry_t entry, phys_addr_t frame);

/* --- reclaim and swap-in (mm/reclaim.c) --- */

struct mm;

/* Free-frame watermarks: below low a fault wakes kswapd0, which reclaims up
 * to high; below min the faulting process reclaims itself (mm/reclaim.c). */
u64 reclaim_low_watermark(void);
u64 reclaim_min_watermark(void);
u64 reclaim_high_watermark(void);
/* Free memory is low: wake kswapd0 (starting it the first time).  Process
 * context; may sleep. */
void reclaim_wake_kswapd(void);
/* /proc/kswapd: false stops kswapd0 (after its current batch; only direct
 * reclaim then), true lets faults wake it again.  May sleep. */
void reclaim_set_kswapd(bool on);
bool reclaim_kswapd_on(void);
/* Try to free `target` frames by swapping pages out; returns how many were
 * freed.  May sleep.  Only with an active area with free slots. */
u64 reclaim_pages(u64 target);
struct memcg;
/* A charge to `group` crossed its memory.max: swap out pages of the group's
 * processes (the clock's rule, over their address spaces only) until
 * `target` frames are freed; returns how many.  May sleep. */
u64 reclaim_memcg(struct memcg *group, u64 target);
/* MADV_PAGEOUT: swap out the present pages of [start, end) of `mm` (pinned by
 * the caller) that the clock could take; returns frames freed.  May sleep. */
u64 reclaim_range(struct mm *mm, u64 start, u64 end);
/* mm_put() is freeing `mm`: the clock hand must not point at it. */
void reclaim_forget_mm(struct mm *mm);
/*
 * The fault on the swap PTE `pte` at `page` of `mm`, in a region of
 * protection `prot`: read the page (or find it in the swap cache) and map it.
 * May sleep.  Returns 1 (a major fault: it read the disk), 0 (found in the
 * swap cache, or the entry changed while we slept: the access is retried),
 * -ENOMEM or -EIO.
 */
int swap_in_page(struct mm *mm, u64 page, pte_t pte, u32 prot);
/*
 * A write to the present page `page` of `mm` marked PTE_COW | PTE_SWAP_COW
 * (mapped read-only by swap-in or during swap-out): make it writable, copying
 * it if the swap cache or another process still uses the frame.  0 or
 * -ENOMEM.  Kept apart from mm/cow.c, so swap works whatever the
 * copy-on-write lab's cow.c does.
 */
int swap_write_fault(struct mm *mm, u64 page, pte_t *entry, u32 prot);
/* Fault injection (/proc/swap_read_errors): the next `count` swap-in reads
 * for `mm` fail with -EIO without touching the disk. */
void swap_inject_read_errors(struct mm *mm, u64 count);
u64 swap_read_errors_pending(void);
/* Bring back every page of `area` (swapoff).  0, -ENOMEM or -EINTR. */
int swap_unuse_area(int area);

#endif
