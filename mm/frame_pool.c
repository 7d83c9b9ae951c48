/* frame_pool.c - a bitmap with reference counts (see frame_pool.h). */
#include "mm/frame_pool.h"
#include "kernel/lib/string.h"

#define BITS 64

static bool test_bit(const u64 *bitmap, u64 i) { return bitmap[i / BITS] >> (i % BITS) & 1; }
static void set_bit(u64 *bitmap, u64 i) { bitmap[i / BITS] |= 1ull << (i % BITS); }
static void clear_bit(u64 *bitmap, u64 i) { bitmap[i / BITS] &= ~(1ull << (i % BITS)); }

u64 frame_pool_storage_bytes(u64 nframes)
{
    u64 words = (nframes + BITS - 1) / BITS;
    return words * sizeof(u64) + nframes * sizeof(u16);
}

void frame_pool_init(struct frame_pool *pool, u64 nframes, void *storage)
{
    u64 words = (nframes + BITS - 1) / BITS;
    pool->bitmap = storage;
    pool->refcount = (u16 *)((u64 *)storage + words);
    pool->nframes = nframes;
    pool->total = pool->free = pool->next_hint = 0;
    memset(pool->bitmap, 0xFF, words * sizeof(u64));
    memset(pool->refcount, 0, nframes * sizeof(u16));
}

void frame_pool_add_free(struct frame_pool *pool, u64 first, u64 count)
{
    for (u64 i = first; i < first + count && i < pool->nframes; i++) {
        if (test_bit(pool->bitmap, i) && pool->refcount[i] == 0) {
            clear_bit(pool->bitmap, i);
            pool->total++;
            pool->free++;
        }
    }
}

void frame_pool_reserve(struct frame_pool *pool, u64 first, u64 count)
{
    for (u64 i = first; i < first + count && i < pool->nframes; i++) {
        if (!test_bit(pool->bitmap, i)) {
            set_bit(pool->bitmap, i);
            pool->free--;
        }
    }
}

void frame_pool_unreserve(struct frame_pool *pool, u64 first, u64 count)
{
    for (u64 i = first; i < first + count && i < pool->nframes; i++) {
        if (test_bit(pool->bitmap, i) && pool->refcount[i] == 0) {
            clear_bit(pool->bitmap, i);
            pool->free++;
        }
    }
}

static void take(struct frame_pool *pool, u64 frame)
{
    set_bit(pool->bitmap, frame);
    pool->refcount[frame] = 1;
    pool->free--;
}

i64 frame_pool_alloc(struct frame_pool *pool)
{
    if (pool->free == 0)
        return -1;
    u64 words = (pool->nframes + BITS - 1) / BITS;
    u64 start = pool->next_hint / BITS;
    for (u64 n = 0; n < words; n++) {
        u64 w = (start + n) % words;
        if (pool->bitmap[w] == ~0ull)
            continue;
        u64 bit = (u64)__builtin_ctzll(~pool->bitmap[w]);
        u64 frame = w * BITS + bit;
        if (frame >= pool->nframes)
            continue;
        take(pool, frame);
        pool->next_hint = frame + 1;
        return (i64)frame;
    }
    return -1;
}

i64 frame_pool_alloc_contiguous(struct frame_pool *pool, u64 count)
{
    if (count == 0 || count > pool->free)
        return -1;
    u64 run = 0;
    for (u64 i = 0; i < pool->nframes; i++) {
        /* A word of 64 taken frames ends any run: step over it whole (the
         * low frames are the kernel's and long-lived; a bit at a time, the
         * scan cost an exec 10,000 instructions). */
        if (i % BITS == 0 && pool->bitmap[i / BITS] == ~0ull) {
            run = 0;
            i += BITS - 1;
            continue;
        }
        if (test_bit(pool->bitmap, i)) {
            run = 0;
            continue;
        }
        if (++run == count) {
            u64 first = i + 1 - count;
            for (u64 f = first; f <= i; f++)
                take(pool, f);
            return (i64)first;
        }
    }
    return -1;
}

/* Counts change by atomic operations even under the caller's lock, so that
 * frame_pool_try_get/try_put (no lock) can change them at the same time. */
bool frame_pool_get(struct frame_pool *pool, u64 frame)
{
    if (frame >= pool->nframes || pool->refcount[frame] == 0 || pool->refcount[frame] == 0xFFFF)
        return false;
    __atomic_fetch_add(&pool->refcount[frame], 1, __ATOMIC_ACQ_REL);
    return true;
}

int frame_pool_put(struct frame_pool *pool, u64 frame)
{
    if (frame >= pool->nframes || pool->refcount[frame] == 0)
        return -1;
    if (__atomic_sub_fetch(&pool->refcount[frame], 1, __ATOMIC_ACQ_REL) == 0) {
        clear_bit(pool->bitmap, frame);
        pool->free++;
        if (frame < pool->next_hint)
            pool->next_hint = frame;
    }
    return pool->refcount[frame];
}

/* Change a count from `from` to `from + delta` for as long as `keep(from)`
 * holds; false once it does not. */
static ALWAYS_INLINE bool change_while(u16 *count, int delta, bool (*keep)(u16 value))
{
    u16 seen = __atomic_load_n(count, __ATOMIC_RELAXED);
    while (keep(seen))
        if (__atomic_compare_exchange_n(count, &seen, (u16)(seen + delta), false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_RELAXED))
            return true;
    return false;
}

static ALWAYS_INLINE bool in_use_below_max(u16 value) { return value != 0 && value != 0xFFFF; }
static ALWAYS_INLINE bool not_last(u16 value) { return value > 1; }

bool frame_pool_try_get(struct frame_pool *pool, u64 frame)
{
    return frame < pool->nframes && change_while(&pool->refcount[frame], 1, in_use_below_max);
}

bool frame_pool_try_put(struct frame_pool *pool, u64 frame)
{
    return frame < pool->nframes && change_while(&pool->refcount[frame], -1, not_last);
}

u16 frame_pool_refcount(const struct frame_pool *pool, u64 frame)
{
    return frame < pool->nframes ? pool->refcount[frame] : 0;
}

bool frame_pool_is_used(const struct frame_pool *pool, u64 frame)
{
    return frame >= pool->nframes || test_bit(pool->bitmap, frame);
}
