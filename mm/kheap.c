/*
 * kheap.c - slabs for small objects, whole frames for big ones.
 *
 *  one heap page (small objects of one size class):
 *  +------------+--------+------------------+--------+--------+------------------+-----
 *  | struct slab| header | caller's bytes.. | red    | header | caller's bytes.. | ...
 *  | (32 bytes) |(16 B)  |                  | zone   |        |                  |
 *  +------------+--------+------------------+--------+--------+------------------+-----
 *
 *  a big block: struct slab, one header, the caller's bytes, red zone, over N frames.
 *
 * The slab header at the start of the page tells kfree() which class an
 * object belongs to: the page of any object is its address rounded down.
 *
 * Accounting, for finding leaks (/proc/slabinfo, /proc/allocinfo): live
 * objects and slabs per size class, and live objects and bytes per caller
 * (the return address of kmalloc/kzalloc).  A live object's header keeps the
 * index of its caller's entry in the place where a free object keeps its
 * free-list link, so kfree knows whom to debit.
 */
#include "mm/kheap.h"
#include "kernel/lib/string.h"
#include "kernel/lock/spinlock.h"
#include "kernel/panic.h"
#include "kernel/param.h"
#include "kernel/x86.h"
#include "mm/frame.h"
#include "mm/layout.h"

#ifndef KHEAP_DEBUG
#define KHEAP_DEBUG 1
#endif

#define SLAB_MAGIC 0x51AB51ABu
#define OBJECT_LIVE 0xA110CA7Eu
#define OBJECT_FREE 0xF4EEF4EEu
#define REDZONE_BYTE 0xCB
#define POISON_FREE 0x6B
#define POISON_NEW 0xCD
#define REDZONE (KHEAP_DEBUG ? 8 : 0) /* redzone_intact reads it as one word */
#define LARGE_CLASS 0xFFFF

struct object {
    u32 magic; /* OBJECT_LIVE or OBJECT_FREE */
    u32 size;  /* bytes the caller asked for */
    union {
        struct object *next; /* while free: next free object of the slab */
        u64 site;            /* while live: its caller's index in sites[] */
    };
};

struct slab {
    u32 magic;
    u16 class_index; /* index into class_sizes[], or LARGE_CLASS */
    u16 in_use;      /* objects handed out */
    u32 pages;       /* frames in this block (1 for slabs) */
    u32 reserved;
    struct slab *next;   /* next slab of the class with a free object */
    struct object *free; /* this slab's free objects */
};

/* Object sizes including the 16-byte header and the red zone; multiples of 16. */
static const u32 class_sizes[] = {32, 48, 64, 96, 128, 192, 256, 512, 1024, 2032};
#define NCLASSES ARRAY_SIZE(class_sizes)

/* protected by: heap_lock -- partial[], every slab's free list and counts,
 * stats, and the accounting below.  Order: kheap -> frames (slab_new,
 * large_alloc and kfree call the frame allocator with it held). */
static struct spinlock heap_lock = SPINLOCK_INIT("kheap");
static struct slab *partial[NCLASSES]; /* slabs with at least one free object */
static struct kheap_stats stats;

/* Accounting (heap_lock, like the heap itself). */
static u64 class_active[NCLASSES], class_slabs[NCLASSES]; /* objects in use, slabs held */
static u64 large_active, large_pages;
static struct kheap_site sites[KHEAP_SITES]; /* open addressing on the caller; [0]: "other" */

/* The entry of `caller` in sites[], made on first use; 0 when the table is full. */
static u64 site_index(u64 caller)
{
    u64 start = (caller >> 2) * 0x9E3779B97F4A7C15ull >> 56; /* 0..255 */
    for (u64 i = 0; i < KHEAP_SITES - 1; i++) {
        u64 at = 1 + (start + i) % (KHEAP_SITES - 1);
        if (sites[at].caller == caller)
            return at;
        if (sites[at].caller == 0) {
            sites[at].caller = caller;
            return at;
        }
    }
    return 0;
}

static void account(struct object *o, unsigned class_index, u64 caller)
{
    o->site = site_index(caller);
    sites[o->site].live++;
    sites[o->site].bytes += o->size;
    if (class_index == LARGE_CLASS)
        large_active++;
    else
        class_active[class_index]++;
}

static void unaccount(struct object *o, unsigned class_index)
{
    sites[o->site].live--;
    sites[o->site].bytes -= o->size;
    if (class_index == LARGE_CLASS)
        large_active--;
    else
        class_active[class_index]--;
}

static struct slab *slab_of(const void *ptr)
{
    return (struct slab *)ALIGN_DOWN((u64)ptr, PAGE_SIZE);
}

static void redzone_fill(struct object *o)
{
    u64 zone = REDZONE_BYTE * 0x0101010101010101ull;
    if (KHEAP_DEBUG)
        __builtin_memcpy((u8 *)(o + 1) + o->size, &zone, REDZONE);
}

/* The red zone is one 8-byte word (at any alignment: x86 reads it whole),
 * compared at once instead of byte by byte (70 instructions a kfree). */
static bool redzone_intact(const struct object *o)
{
    u64 zone;
    __builtin_memcpy(&zone, (const u8 *)(o + 1) + o->size, sizeof zone);
    return zone == REDZONE_BYTE * 0x0101010101010101ull;
}

/* Slab pages and large blocks come unzeroed from the frame allocator: every
 * header is written here, kmalloc's memory is garbage (or poison) by
 * contract, and kzalloc zeroes what it hands out. */
static struct slab *slab_new(unsigned class_index)
{
    phys_addr_t frame = frame_alloc_unzeroed();
    if (!frame)
        return NULL;
    struct slab *slab = phys_to_virt(frame);
    *slab = (struct slab){.magic = SLAB_MAGIC, .class_index = (u16)class_index, .pages = 1};
    u32 size = class_sizes[class_index];
    for (u64 at = sizeof *slab; at + size <= PAGE_SIZE; at += size) {
        struct object *o = (struct object *)((u8 *)slab + at);
        o->magic = OBJECT_FREE;
        o->next = slab->free;
        slab->free = o;
    }
    stats.pages++;
    class_slabs[class_index]++;
    return slab;
}

static void *large_alloc(size_t size)
{
    u64 pages = ALIGN_UP(sizeof(struct slab) + sizeof(struct object) + size + REDZONE, PAGE_SIZE) /
                PAGE_SIZE;
    phys_addr_t first = frame_alloc_contiguous_unzeroed(pages);
    if (!first)
        return NULL;
    struct slab *slab = phys_to_virt(first);
    *slab = (struct slab){
        .magic = SLAB_MAGIC, .class_index = LARGE_CLASS, .in_use = 1, .pages = (u32)pages};
    struct object *o = (struct object *)(slab + 1);
    o->magic = OBJECT_LIVE;
    o->size = (u32)size;
    stats.pages += pages;
    large_pages += pages;
    return o;
}

/* `zero`: fill with zeros (kzalloc) rather than POISON_NEW (kmalloc), not
 * both: the poison would only be overwritten. */
static void *allocate(size_t size, u64 caller, bool zero)
{
    if (size > (64u << 20))
        return NULL;
    size_t needed = sizeof(struct object) + size + REDZONE;
    spin_lock(&heap_lock);
    struct object *o = NULL;
    unsigned c = 0;
    while (c < NCLASSES && class_sizes[c] < needed)
        c++;
    if (c == NCLASSES) {
        o = large_alloc(size);
    } else {
        if (!partial[c])
            partial[c] = slab_new(c);
        struct slab *slab = partial[c];
        if (slab) {
            o = slab->free;
            slab->free = o->next;
            slab->in_use++;
            if (!slab->free) /* full: off the partial list */
                partial[c] = slab->next;
            if (KHEAP_DEBUG && o->magic != OBJECT_FREE)
                panic("kmalloc: free object %p was overwritten (use after free?)", (void *)(o + 1));
            o->magic = OBJECT_LIVE;
            o->size = (u32)size;
        }
    }
    if (o) {
        stats.bytes_in_use += size;
        stats.allocations++;
        account(o, c == NCLASSES ? LARGE_CLASS : c, caller);
        redzone_fill(o);
        if (zero)
            memset(o + 1, 0, size);
        else if (KHEAP_DEBUG)
            memset(o + 1, POISON_NEW, size);
    }
    spin_unlock(&heap_lock);
    return o ? o + 1 : NULL;
}

void *kmalloc(size_t size) { return allocate(size, (u64)__builtin_return_address(0), false); }

void *kzalloc(size_t size) { return allocate(size, (u64)__builtin_return_address(0), true); }

static struct object *checked_object(const void *ptr, const char *who)
{
    struct object *o = (struct object *)ptr - 1;
    struct slab *slab = slab_of(o);
    if (!IS_ALIGNED((u64)ptr, 16) || slab->magic != SLAB_MAGIC)
        panic("%s: %p was not allocated by kmalloc", who, ptr);
    if (o->magic == OBJECT_FREE)
        panic("%s: double free of %p (%u bytes)", who, ptr, o->size);
    if (o->magic != OBJECT_LIVE)
        panic("%s: %p is not the start of a kmalloc object", who, ptr);
    if (KHEAP_DEBUG && !redzone_intact(o))
        panic("%s: heap overflow: something wrote past the %u bytes of %p", who, o->size, ptr);
    return o;
}

size_t kmalloc_size(const void *ptr) { return checked_object(ptr, "kmalloc_size")->size; }

void kfree(void *ptr)
{
    if (!ptr)
        return;
    spin_lock(&heap_lock);
    struct object *o = checked_object(ptr, "kfree");
    struct slab *slab = slab_of(o);
    stats.bytes_in_use -= o->size;
    stats.allocations--;
    unaccount(o, slab->class_index);
    if (KHEAP_DEBUG)
        memset(o + 1, POISON_FREE, o->size);
    o->magic = OBJECT_FREE;

    if (slab->class_index == LARGE_CLASS) {
        stats.pages -= slab->pages;
        large_pages -= slab->pages;
        slab->magic = 0;
        frame_put_contiguous(virt_to_phys(slab), slab->pages);
    } else {
        unsigned c = slab->class_index;
        bool was_full = slab->free == NULL;
        o->next = slab->free;
        slab->free = o;
        slab->in_use--;
        if (was_full) {
            slab->next = partial[c];
            partial[c] = slab;
        }
        /* An empty slab goes back to the frame allocator, unless it is the
         * only one of its class (keeps alloc/free pairs from thrashing). */
        if (slab->in_use == 0 && !(partial[c] == slab && slab->next == NULL)) {
            struct slab **link = &partial[c];
            while (*link != slab)
                link = &(*link)->next;
            *link = slab->next;
            slab->magic = 0;
            stats.pages--;
            class_slabs[c]--;
            frame_put(virt_to_phys(slab));
        }
    }
    spin_unlock(&heap_lock);
}

void kheap_get_stats(struct kheap_stats *out)
{
    spin_lock(&heap_lock);
    *out = stats;
    spin_unlock(&heap_lock);
}

int kheap_class_info(struct kheap_class_info *out, int max)
{
    spin_lock(&heap_lock);
    int n = 0;
    for (unsigned c = 0; c < NCLASSES && n < max; c++, n++) {
        u32 per_slab = (PAGE_SIZE - sizeof(struct slab)) / class_sizes[c];
        out[n] = (struct kheap_class_info){
            class_sizes[c], per_slab, 1, class_active[c], class_slabs[c] * per_slab,
            class_slabs[c]};
    }
    if (n < max) /* big blocks: one object per run of frames */
        out[n++] = (struct kheap_class_info){0, 1, 0, large_active, large_active, large_pages};
    spin_unlock(&heap_lock);
    return n;
}

int kheap_sites(struct kheap_site *out, int max)
{
    spin_lock(&heap_lock);
    int n = 0;
    for (int i = 0; i < KHEAP_SITES && n < max; i++)
        if (sites[i].live)
            out[n++] = sites[i];
    spin_unlock(&heap_lock);
    return n;
}
