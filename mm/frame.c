/*
 * frame.c - the physical frame allocator (a frame_pool over the memory map).
 *
 * For finding leaks, each allocated frame remembers who allocated it: one
 * byte per frame holds the index of its allocation site (the return address
 * into the caller of frame_alloc) in sites[], whose counts /proc/allocinfo
 * shows.  A frame is debited to that site when its last user puts it.
 */
#include "mm/frame.h"
#include "kernel/lib/string.h"
#include "kernel/lock/spinlock.h"
#include "kernel/panic.h"
#include "kernel/param.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "mm/frame_pool.h"
#include "mm/layout.h"
#include "mm/memcg.h"

#define LOW_MEMORY_END 0x100000      /* BIOS data, VGA, option ROMs: never used */
#define EARLY_MAPPED_END (1ul << 30) /* boot/entry.asm maps the first 1 GiB */
#define MAX_PHYS_MEMORY (64ul << 30) /* ignore RAM above 64 GiB */

/* protected by: frame_lock -- the pool (bitmap, reference counts, free
 * count), frame_site[], sites[] and frame_owner[].  Order: kheap -> frames
 * (the heap takes frames for its slabs); memcg's counters are updated under
 * it.  Read without it: pool.total and pool.free (one word each). */
static struct spinlock frame_lock = SPINLOCK_INIT("frames");
static struct frame_pool pool;
static phys_addr_t highest_address;          /* set once by frame_init */
static u8 *frame_site;                       /* per frame: index into sites[] */
static struct frame_site sites[FRAME_SITES]; /* [0]: "other" (table full, or boot) */
static u8 *frame_owner; /* per frame: the memcg id it is charged to (0: none) */

/* The entry of `caller` in sites[], made on first use; 0 when the table is full. */
static u8 site_index(u64 caller)
{
    /* Runs of allocations come from one place (a page fault after another):
     * the last answer first, instead of a scan of the table each time. */
    static u64 last_caller;
    static u8 last_index;
    if (caller == last_caller && last_index)
        return last_index;
    for (int i = 1; i < FRAME_SITES; i++) {
        if (sites[i].caller == 0)
            sites[i].caller = caller;
        if (sites[i].caller == caller) {
            last_caller = caller;
            last_index = (u8)i;
            return (u8)i;
        }
    }
    return 0;
}

static ALWAYS_INLINE u64 frame_number(phys_addr_t address) { return address / PAGE_SIZE; }

static bool overlaps(u64 a_start, u64 a_end, u64 b_start, u64 b_end)
{
    return a_start < b_end && b_start < a_end;
}

/* The ranges that hold something already: [start, end) physical. */
struct busy_range {
    u64 start, end;
};

static int busy_ranges(const struct boot_info *boot, struct busy_range *out)
{
    int n = 0;
    out[n++] = (struct busy_range){0, LOW_MEMORY_END};
    out[n++] = (struct busy_range){0x100000, virt_to_phys(_kernel_end)};
    out[n++] = (struct busy_range){virt_to_phys((void *)boot->info_start),
                                   virt_to_phys((void *)boot->info_end)};
    for (int i = 0; i < boot->module_count; i++)
        out[n++] = (struct busy_range){boot->modules[i].start, boot->modules[i].end};
    return n;
}

/* Find room for the allocator's own arrays: usable, early-mapped, not busy. */
static phys_addr_t place_storage(const struct boot_info *boot, u64 bytes)
{
    struct busy_range busy[4 + BOOT_MAX_MODULES];
    int nbusy = busy_ranges(boot, busy);
    for (int r = 0; r < boot->region_count; r++) {
        const struct memory_region *region = &boot->regions[r];
        if (region->type != MEMORY_AVAILABLE)
            continue;
        u64 candidate = ALIGN_UP(MAX(region->base, LOW_MEMORY_END), PAGE_SIZE);
        u64 region_end = MIN(region->base + region->length, EARLY_MAPPED_END);
        while (candidate + bytes <= region_end) {
            bool clash = false;
            for (int b = 0; b < nbusy; b++) {
                if (overlaps(candidate, candidate + bytes, busy[b].start, busy[b].end)) {
                    candidate = ALIGN_UP(busy[b].end, PAGE_SIZE);
                    clash = true;
                }
            }
            if (!clash)
                return candidate;
        }
    }
    panic("frame_init: no room below 1 GiB for the frame allocator (%lu bytes)", bytes);
}

void frame_init(const struct boot_info *boot)
{
    for (int r = 0; r < boot->region_count; r++) {
        const struct memory_region *region = &boot->regions[r];
        if (region->type == MEMORY_AVAILABLE)
            highest_address = MAX(highest_address, region->base + region->length);
    }
    highest_address = MIN(highest_address, MAX_PHYS_MEMORY);
    u64 nframes = frame_number(highest_address);
    u64 pool_bytes = ALIGN_UP(frame_pool_storage_bytes(nframes), 8);
    u64 storage_bytes = ALIGN_UP(pool_bytes + 2 * nframes, PAGE_SIZE);
    phys_addr_t storage = place_storage(boot, storage_bytes);
    frame_pool_init(&pool, nframes, phys_to_virt(storage));
    frame_site = (u8 *)phys_to_virt(storage) + pool_bytes;
    memset(frame_site, 0, nframes);
    frame_owner = frame_site + nframes;
    memset(frame_owner, 0, nframes);

    for (int r = 0; r < boot->region_count; r++) {
        const struct memory_region *region = &boot->regions[r];
        if (region->type != MEMORY_AVAILABLE)
            continue;
        /* Only whole frames inside the region are usable. */
        u64 first = frame_number(ALIGN_UP(region->base, PAGE_SIZE));
        u64 end = frame_number(ALIGN_DOWN(region->base + region->length, PAGE_SIZE));
        if (end > first)
            frame_pool_add_free(&pool, first, end - first);
    }

    struct busy_range busy[4 + BOOT_MAX_MODULES];
    int nbusy = busy_ranges(boot, busy);
    for (int b = 0; b < nbusy; b++) {
        u64 first = frame_number(busy[b].start);
        u64 end = frame_number(ALIGN_UP(busy[b].end, PAGE_SIZE));
        frame_pool_reserve(&pool, first, end - first);
    }
    frame_pool_reserve(&pool, frame_number(storage), storage_bytes / PAGE_SIZE);
}

static phys_addr_t allocate(u64 count, u64 caller, bool zero)
{
    spin_lock(&frame_lock);
    i64 frame = count == 1 ? frame_pool_alloc(&pool) : frame_pool_alloc_contiguous(&pool, count);
    if (frame >= 0) {
        u8 site = site_index(caller);
        for (u64 i = 0; i < count; i++)
            frame_site[frame + i] = site;
        sites[site].frames += count;
    }
    spin_unlock(&frame_lock);
    if (frame < 0)
        return 0;
    phys_addr_t address = (u64)frame * PAGE_SIZE;
    if (zero)
        memset(phys_to_virt(address), 0, count * PAGE_SIZE);
    return address;
}

phys_addr_t frame_alloc(void) { return allocate(1, (u64)__builtin_return_address(0), true); }

phys_addr_t frame_alloc_for(bool zero, u64 caller) { return allocate(1, caller, zero); }

phys_addr_t frame_alloc_unzeroed(void)
{
    return allocate(1, (u64)__builtin_return_address(0), false);
}

phys_addr_t frame_alloc_contiguous_unzeroed(u64 count)
{
    return allocate(count, (u64)__builtin_return_address(0), false);
}

phys_addr_t frame_alloc_contiguous(u64 count)
{
    return allocate(count, (u64)__builtin_return_address(0), true);
}

/* frame_get and frame_put change a count without the lock when they can
 * (frame_pool_try_get/try_put): a fork shares every page of the parent and
 * exit drops them again, and the lock with its validator cost about 180
 * instructions a time, a sixth of a fork + exit + wait. */
void frame_get(phys_addr_t frame)
{
    if (frame_pool_try_get(&pool, frame_number(frame)))
        return;
    spin_lock(&frame_lock);
    bool ok = frame_pool_get(&pool, frame_number(frame));
    spin_unlock(&frame_lock);
    if (!ok)
        panic("frame_get: frame %#lx is not allocated (or has 65535 users)", frame);
}

void frame_put(phys_addr_t frame)
{
    if (frame_pool_try_put(&pool, frame_number(frame)))
        return; /* not the last user */
    spin_lock(&frame_lock);
    int left = frame_pool_put(&pool, frame_number(frame));
    if (left == 0) {
        sites[frame_site[frame_number(frame)]].frames--;
        u8 owner = frame_owner[frame_number(frame)];
        frame_owner[frame_number(frame)] = 0;
        if (owner)
            memcg_frame_freed(owner);
    }
    spin_unlock(&frame_lock);
    if (left < 0)
        panic("frame_put: frame %#lx is not allocated (double free?)", frame);
}

void frame_put_contiguous(phys_addr_t first, u64 count)
{
    for (u64 i = 0; i < count; i++)
        frame_put(first + i * PAGE_SIZE);
}

void frame_release_boot_range(phys_addr_t start, phys_addr_t end)
{
    /* Only whole frames: a neighbour might share the first or last one. */
    u64 first = frame_number(ALIGN_UP(start, PAGE_SIZE));
    u64 last = frame_number(ALIGN_DOWN(end, PAGE_SIZE));
    if (last <= first || start < LOW_MEMORY_END)
        return;
    spin_lock(&frame_lock);
    frame_pool_unreserve(&pool, first, last - first);
    spin_unlock(&frame_lock);
}

u16 frame_refcount(phys_addr_t frame) { return frame_pool_refcount(&pool, frame_number(frame)); }
u64 frames_total(void) { return pool.total; }
u64 frames_free(void) { return pool.free; }
phys_addr_t frames_highest_address(void) { return highest_address; }

int frame_sites(struct frame_site *out, int max)
{
    spin_lock(&frame_lock);
    int n = 0;
    for (int i = 0; i < FRAME_SITES && n < max; i++)
        if (sites[i].frames)
            out[n++] = sites[i];
    spin_unlock(&frame_lock);
    return n;
}

void frame_set_owner(phys_addr_t frame, u8 owner)
{
    spin_lock(&frame_lock);
    frame_owner[frame_number(frame)] = owner;
    spin_unlock(&frame_lock);
}

u8 frame_owner_of(phys_addr_t frame) { return frame_owner[frame_number(frame)]; }

void frame_change_owner(u8 from, u8 to)
{
    spin_lock(&frame_lock);
    u64 nframes = frame_number(highest_address);
    for (u64 i = 0; i < nframes; i++)
        if (frame_owner[i] == from)
            frame_owner[i] = to;
    spin_unlock(&frame_lock);
}
