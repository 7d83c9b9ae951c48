/*
 * swap.c - swap areas, their slots, and the swap cache (see swap.h).
 *
 * A swap area is a disk (or partition) laid out as Linux's mkswap leaves it:
 * page 0 is the header, every later page is a slot that can hold one page.
 *
 *   page 0:  [0, 1024) boot bits (untouched)
 *            1024 version (1), 1028 last_page, 1032 nr_badpages,
 *            1036 uuid[16], 1052 label[16], 1536 badpages[nr_badpages]
 *            4086 "SWAPSPACE2"
 *   page 1 .. last_page: slots
 *
 * Each slot has a reference count: one per swap PTE that names it, plus one
 * while the swap cache holds a copy of it in a frame.  A slot with count 0 is
 * free.  The design is Linux 2.4's:
 *
 *   - Reclaim (mm/reclaim.c) picks a page-table entry.  If its frame is not in
 *     the swap cache yet, it gets a slot, enters the cache (slot -> frame) and
 *     is written out once.  Then the entry becomes a swap PTE and drops its
 *     frame reference.  A frame shared copy-on-write after fork is mapped by
 *     several entries; each is replaced when the clock reaches it, finding the
 *     frame in the cache, and the frame is free when the last one is gone.
 *   - A fault on a swap PTE looks in the cache first: the first of the
 *     processes sharing a slot reads it, the others find the frame there and
 *     map it copy-on-write (read once, copied on the first write as usual).
 *   - A cache entry is dropped as soon as it is useless: when no swap PTE
 *     names the slot any more (count 1: only the cache), or when no entry maps
 *     the frame any more (frame reference count 1: only the cache).  The disk
 *     copy stays right either way, because a frame in the cache is only ever
 *     mapped read-only: a write copies it first (PTE_COW | PTE_SWAP_COW,
 *     swap_write_fault() in mm/reclaim.c).
 *   - Shared memory (MAP_SHARED|MAP_ANONYMOUS) is the exception: its sharers
 *     must see each other's writes, so a page read back is mapped writable
 *     and its cache entry marked dirty.  A dirty entry is kept while a swap
 *     PTE still names the slot, even when nobody maps the frame, and is
 *     written out again when the last mapping of it goes to swap.
 *
 * sprout's kernel is not preemptible and runs on one CPU, so the counts and
 * the cache change only between sleeps.  The sleeps are the disk I/O: while
 * a cache entry's page is read or written it is marked busy, and whoever
 * finds it busy waits on swap_wait.
 */
#include "mm/swap.h"
#include "kernel/drivers/block.h"
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/param.h"
#include "kernel/x86.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/memcg.h"
#include "sched/wait.h"

#define SWAP_VERSION_OFFSET 1024
#define SWAP_LAST_PAGE_OFFSET 1028
#define SWAP_NR_BAD_OFFSET 1032
#define SWAP_BADPAGES_OFFSET 1536
#define SWAP_MAX_BADPAGES ((PAGE_SIZE - SWAP_BADPAGES_OFFSET - 10) / 4)
#define SECTORS_PER_PAGE (PAGE_SIZE / BLOCK_SECTOR_SIZE)
#define MAX_SLOTS (1u << 27) /* what frame_entry below can name (512 GiB per area) */

#define SLOT_BAD 0x1  /* the header, or listed as bad by mkswap: never used */
#define SLOT_BUSY 0x2 /* its cached frame is being read or written */
#define SLOT_DIRTY                                                                                 \
    0x4 /* its cached frame is shared memory mapped writable: the disk copy may be old */

struct swap_slot {
    u16 count; /* swap PTEs naming it + 1 if cached; 0: free */
    u8 flags;  /* SLOT_* */
    u8 memcg;  /* the memory cgroup its swap charge is on (mm/memcg.h); 0: none */
    u32 frame; /* frame number of its cached copy; 0: not cached */
};

struct swap_area {
    struct block_device *device; /* NULL: the entry is unused */
    u64 pages;                   /* slots 0..pages-1 (slot 0 is the header) */
    u64 good;                    /* usable slots */
    u64 used;                    /* slots with count > 0 */
    u64 cached;                  /* slots with a cached frame */
    u64 next;                    /* where the search for a free slot starts */
    bool draining;               /* swapoff in progress: no new slots */
    int priority;                /* the highest active one is used first */
    struct swap_slot *slots;
    phys_addr_t slots_memory; /* frames holding slots[] */
    u64 slots_frames;
    /* A swap file: its inode (referenced) and each slot's first sector on
     * `device`, found once at swapon (NULL: a whole device, slot N at N pages). */
    struct inode *file;
    u64 *sectors;
    phys_addr_t sectors_memory;
    u64 sectors_frames;
    char name[SWAP_NAME_MAX]; /* for /proc/swaps: /dev/vdb, or the file's path */
};

static struct swap_area areas[MAX_SWAP_AREAS];
static int next_priority = -2; /* Linux numbers areas -2, -3, ... unless told */
static int last_used = -1;     /* the area of the last slot: equal priorities take turns */
static struct wait_queue swap_wait = WAIT_QUEUE_INIT(swap_wait);
/* Per frame: 0, or 1 + the swap entry (area << 28 | slot) it is the cached copy of. */
static u32 *frame_entry;

static struct swap_slot *slot_of(swap_entry_t entry)
{
    int area = SWAP_AREA(entry);
    ASSERT(area < MAX_SWAP_AREAS && areas[area].device && SWAP_SLOT(entry) < areas[area].pages);
    return &areas[area].slots[SWAP_SLOT(entry)];
}

static u64 frame_index(phys_addr_t frame) { return frame / PAGE_SIZE; }

/* The reverse map, made on the first swapon: 4 bytes per frame of RAM. */
static int make_frame_entry_map(void)
{
    if (frame_entry)
        return 0;
    u64 frames =
        ALIGN_UP(frame_index(frames_highest_address()) * sizeof(u32), PAGE_SIZE) / PAGE_SIZE;
    phys_addr_t memory = frame_alloc_contiguous(frames);
    if (!memory)
        return -ENOMEM;
    frame_entry = phys_to_virt(memory);
    return 0;
}

static u32 read_u32(const u8 *page, u64 offset)
{
    u32 value;
    memcpy(&value, page + offset, sizeof value);
    return value;
}

/* Check the header in `page` against a device of `device_pages`; fill area. */
static int parse_header(const u8 *page, u64 device_pages, struct swap_area *area)
{
    if (memcmp(page + SWAP_MAGIC_OFFSET, "SWAPSPACE2", 10) != 0)
        return -EINVAL;
    u32 last_page = read_u32(page, SWAP_LAST_PAGE_OFFSET);
    u32 nr_bad = read_u32(page, SWAP_NR_BAD_OFFSET);
    if (read_u32(page, SWAP_VERSION_OFFSET) != 1 || nr_bad > SWAP_MAX_BADPAGES)
        return -EINVAL;
    area->pages = MIN((u64)last_page + 1, MIN(device_pages, (u64)MAX_SLOTS));
    if (area->pages < 2)
        return -EINVAL;
    u64 bytes = area->pages * sizeof(struct swap_slot);
    area->slots_frames = ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE;
    area->slots_memory = frame_alloc_contiguous(area->slots_frames);
    if (!area->slots_memory)
        return -ENOMEM;
    area->slots = phys_to_virt(area->slots_memory);
    area->slots[0].flags = SLOT_BAD;
    area->good = area->pages - 1;
    for (u32 i = 0; i < nr_bad; i++) {
        u32 bad = read_u32(page, SWAP_BADPAGES_OFFSET + 4 * i);
        if (bad == 0 || bad > last_page)
            return -EINVAL; /* Linux: a bad page outside the area is a bad header (the
                             * caller frees slots[]) */
        if (bad < area->pages && !(area->slots[bad].flags & SLOT_BAD)) {
            area->slots[bad].flags = SLOT_BAD;
            area->good--;
        }
    }
    if (area->good == 0)
        return -EINVAL;
    area->next = 1;
    return 0;
}

/* A swap file: where each slot lies on the disk.  Slots whose blocks are
 * scattered are not used (as Linux skips them); a hole is -EINVAL. */
static int map_file_slots(struct inode *file, struct swap_area *area)
{
    area->sectors_frames = ALIGN_UP(area->pages * sizeof(u64), PAGE_SIZE) / PAGE_SIZE;
    area->sectors_memory = frame_alloc_contiguous(area->sectors_frames);
    if (!area->sectors_memory)
        return -ENOMEM;
    area->sectors = phys_to_virt(area->sectors_memory);
    for (u64 slot = 1; slot < area->pages; slot++) {
        struct block_device *device;
        int result = file->ops->map_page(file, slot, &device, &area->sectors[slot]);
        if (result < 0)
            return result;
        if (result > 0 && !(area->slots[slot].flags & SLOT_BAD)) {
            area->slots[slot].flags = SLOT_BAD;
            area->good--;
        }
    }
    return area->good ? 0 : -EINVAL;
}

static void free_area_memory(struct swap_area *area)
{
    if (area->slots_memory)
        frame_put_contiguous(area->slots_memory, area->slots_frames);
    if (area->sectors_memory)
        frame_put_contiguous(area->sectors_memory, area->sectors_frames);
}

/* Read the header page: from the device's first page, or through the file. */
static int read_header(struct block_device *device, struct inode *file, void *page)
{
    if (!file)
        return device->ops->read(device, 0, page, SECTORS_PER_PAGE) ? -EIO : 0;
    long n = file->ops->read(file, 0, page, PAGE_SIZE);
    return n == PAGE_SIZE ? 0 : n < 0 ? -EIO : -EINVAL;
}

static bool slot_index_taken(int index, struct block_device *device, struct inode *file)
{
    return areas[index].device || swap_area_of(device, file) >= 0;
}

int swap_activate(struct block_device *device, struct inode *file, int priority, const char *name)
{
    if (swap_area_of(device, file) >= 0)
        return -EBUSY;
    int index = 0;
    while (index < MAX_SWAP_AREAS && areas[index].device)
        index++;
    if (index == MAX_SWAP_AREAS)
        return -EPERM; /* Linux: too many swap files */
    if (make_frame_entry_map() < 0)
        return -ENOMEM;
    struct swap_area area = {0};
    u64 device_pages = device->sector_count / SECTORS_PER_PAGE;
    if (file) { /* the first map_page also writes back what is cached for the disk */
        struct block_device *on;
        u64 sector;
        int result = file->ops->map_page(file, 0, &on, &sector);
        if (result < 0)
            return result;
        device_pages = file->size / PAGE_SIZE;
    }
    phys_addr_t header = frame_alloc();
    if (!header)
        return -ENOMEM;
    int error = read_header(device, file, phys_to_virt(header));
    if (error == 0 && slot_index_taken(index, device, file))
        error = -EBUSY; /* activated, or our entry taken, while we read */
    if (error == 0)
        error = parse_header(phys_to_virt(header), device_pages, &area);
    frame_put(header);
    if (error == 0 && file)
        error = map_file_slots(file, &area);
    if (error == 0 && slot_index_taken(index, device, file))
        error = -EBUSY;
    if (error) {
        free_area_memory(&area);
        return error;
    }
    area.device = device;
    if (file) {
        inode_get(file);
        file->swapfile = true;
        area.file = file;
    }
    area.priority = priority == SWAP_PRIORITY_AUTO ? next_priority-- : priority;
    strlcpy(area.name, name, sizeof area.name);
    areas[index] = area;
    return 0;
}

int swap_area_of(struct block_device *device, struct inode *file)
{
    for (int i = 0; i < MAX_SWAP_AREAS; i++)
        if (areas[i].device &&
            (file ? areas[i].file == file : areas[i].device == device && !areas[i].file))
            return i;
    return -1;
}

void swap_deactivate(int area)
{
    struct swap_area *a = &areas[area];
    ASSERT(a->used == 0 && a->cached == 0);
    free_area_memory(a);
    if (a->file) {
        a->file->swapfile = false;
        inode_put(a->file);
    }
    *a = (struct swap_area){0};
}

void swap_area_set_draining(int area, bool draining) { areas[area].draining = draining; }
u64 swap_area_used(int area) { return areas[area].used; }

bool swap_area_info(int area, struct swap_area_info *info)
{
    struct swap_area *a = &areas[area];
    if (area < 0 || area >= MAX_SWAP_AREAS || !a->device)
        return false;
    memcpy(info->name, a->name, sizeof info->name);
    info->is_file = a->file != NULL;
    info->size_kib = a->good * (PAGE_SIZE / 1024);
    info->used_kib = a->used * (PAGE_SIZE / 1024);
    info->priority = a->priority;
    return true;
}

u64 swap_total_pages(void)
{
    u64 total = 0;
    for (int i = 0; i < MAX_SWAP_AREAS; i++)
        if (areas[i].device)
            total += areas[i].good;
    return total;
}

u64 swap_used_pages(void)
{
    u64 used = 0;
    for (int i = 0; i < MAX_SWAP_AREAS; i++)
        used += areas[i].used;
    return used;
}

u64 swap_free_pages(void)
{
    u64 free = 0;
    for (int i = 0; i < MAX_SWAP_AREAS; i++)
        if (areas[i].device && !areas[i].draining)
            free += areas[i].good - areas[i].used;
    return free;
}

u64 swap_cached_pages(void)
{
    u64 cached = 0;
    for (int i = 0; i < MAX_SWAP_AREAS; i++)
        cached += areas[i].cached;
    return cached;
}

bool swap_slot_alloc(swap_entry_t *entry)
{
    /* The highest priority first; among equals, the one after the area used
     * last (Linux takes turns between areas of the same priority). */
    int best = -1;
    for (int n = 1; n <= MAX_SWAP_AREAS; n++) {
        int i = (last_used + n + MAX_SWAP_AREAS) % MAX_SWAP_AREAS;
        struct swap_area *a = &areas[i];
        if (a->device && !a->draining && a->used < a->good &&
            (best < 0 || a->priority > areas[best].priority))
            best = i;
    }
    if (best < 0)
        return false;
    last_used = best;
    struct swap_area *a = &areas[best];
    /* Next-fit: consecutive swap-outs land in consecutive slots. */
    for (u64 n = 0; n < a->pages; n++) {
        u64 slot = a->next;
        a->next = a->next + 1 < a->pages ? a->next + 1 : 1;
        struct swap_slot *s = &a->slots[slot];
        if (s->count == 0 && !(s->flags & SLOT_BAD)) {
            s->count = 1;
            a->used++;
            *entry = SWAP_ENTRY(best, slot);
            return true;
        }
    }
    panic("swap_slot_alloc: area %d counts %lu used of %lu but has no free slot", best, a->used,
          a->good);
}

void swap_slot_get(swap_entry_t entry)
{
    struct swap_slot *s = slot_of(entry);
    ASSERT(s->count > 0 && s->count < 0xFFFF);
    s->count++;
}

void swap_slot_put(swap_entry_t entry)
{
    struct swap_slot *s = slot_of(entry);
    ASSERT(s->count > 0);
    if (--s->count == 0) {
        areas[SWAP_AREA(entry)].used--;
        if (s->memcg)
            memcg_swap_uncharge(s->memcg);
        s->memcg = 0;
    } else
        swap_cache_trim(entry);
}

void swap_slot_set_memcg(swap_entry_t entry, u8 owner) { slot_of(entry)->memcg = owner; }

void swap_change_owner(u8 from, u8 to)
{
    bool irq = irq_save();
    for (int i = 0; i < MAX_SWAP_AREAS; i++)
        for (u64 slot = 0; areas[i].device && slot < areas[i].pages; slot++)
            if (areas[i].slots[slot].memcg == from)
                areas[i].slots[slot].memcg = to;
    irq_restore(irq);
}

phys_addr_t swap_cache_lookup(swap_entry_t entry, bool *busy)
{
    struct swap_slot *s = slot_of(entry);
    if (busy)
        *busy = s->flags & SLOT_BUSY;
    return (phys_addr_t)s->frame * PAGE_SIZE;
}

bool swap_cache_entry_of(phys_addr_t frame, swap_entry_t *entry)
{
    if (!frame_entry || !frame_entry[frame_index(frame)])
        return false;
    u32 packed = frame_entry[frame_index(frame)] - 1;
    *entry = SWAP_ENTRY(packed >> 27, packed & (MAX_SLOTS - 1));
    return true;
}

void swap_cache_add(swap_entry_t entry, phys_addr_t frame)
{
    struct swap_slot *s = slot_of(entry);
    ASSERT(s->frame == 0 && !frame_entry[frame_index(frame)]);
    s->frame = (u32)frame_index(frame);
    s->flags |= SLOT_BUSY;
    frame_entry[frame_index(frame)] = (u32)(SWAP_AREA(entry) << 27 | SWAP_SLOT(entry)) + 1;
    areas[SWAP_AREA(entry)].cached++;
}

void swap_cache_unbusy(swap_entry_t entry)
{
    slot_of(entry)->flags &= ~SLOT_BUSY;
    wake_up(&swap_wait);
}

void swap_cache_set_dirty(swap_entry_t entry, bool dirty)
{
    struct swap_slot *s = slot_of(entry);
    s->flags = dirty ? s->flags | SLOT_DIRTY : s->flags & ~SLOT_DIRTY;
}

bool swap_cache_dirty(swap_entry_t entry) { return slot_of(entry)->flags & SLOT_DIRTY; }
void swap_cache_busy(swap_entry_t entry) { slot_of(entry)->flags |= SLOT_BUSY; }

void swap_cache_wait(swap_entry_t entry)
{
    bool irq = irq_save();
    while (slot_of(entry)->flags & SLOT_BUSY)
        sleep_on_uninterruptible(&swap_wait, "swap_io");
    irq_restore(irq);
}

void swap_cache_trim(swap_entry_t entry)
{
    struct swap_slot *s = slot_of(entry);
    if (!s->frame || (s->flags & SLOT_BUSY))
        return;
    phys_addr_t frame = (phys_addr_t)s->frame * PAGE_SIZE;
    if (s->count > 1 && (frame_refcount(frame) > 1 || (s->flags & SLOT_DIRTY)))
        return; /* still useful: mapped (or newer than the disk), and swap PTEs will want it */
    swap_cache_drop(entry);
}

void swap_cache_drop(swap_entry_t entry)
{
    struct swap_slot *s = slot_of(entry);
    ASSERT(s->frame && !(s->flags & SLOT_BUSY));
    phys_addr_t frame = (phys_addr_t)s->frame * PAGE_SIZE;
    s->frame = 0;
    s->flags &= ~SLOT_DIRTY;
    frame_entry[frame_index(frame)] = 0;
    areas[SWAP_AREA(entry)].cached--;
    frame_put(frame);
    swap_slot_put(entry); /* the cache's reference */
}

void swap_frame_put(phys_addr_t frame)
{
    frame_put(frame);
    swap_entry_t entry;
    if (swap_cache_entry_of(frame, &entry))
        swap_cache_trim(entry);
}

static int page_io(swap_entry_t entry, phys_addr_t frame, bool write)
{
    struct block_device *device = areas[SWAP_AREA(entry)].device;
    const struct swap_area *area = &areas[SWAP_AREA(entry)];
    u64 sector =
        area->sectors ? area->sectors[SWAP_SLOT(entry)] : SWAP_SLOT(entry) * SECTORS_PER_PAGE;
    void *buffer = phys_to_virt(frame);
    int error = write ? device->ops->write(device, sector, buffer, SECTORS_PER_PAGE)
                      : device->ops->read(device, sector, buffer, SECTORS_PER_PAGE);
    return error ? -EIO : 0;
}

int swap_read_page(swap_entry_t entry, phys_addr_t frame) { return page_io(entry, frame, false); }
int swap_write_page(swap_entry_t entry, phys_addr_t frame) { return page_io(entry, frame, true); }
