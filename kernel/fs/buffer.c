/*
 * buffer.c - the block cache (see buffer.h for the locking rules).
 *
 * Every buffer sits on one list, `lru`, ordered by when it was last
 * released: a block wanted again soon is likely near the back, and the
 * buffer to reuse is the first unreferenced one from the front.
 */
#include "kernel/fs/buffer.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/timer.h"
#include "mm/kheap.h"

static struct buffer buffers[BCACHE_BUFFERS];
static struct list lru = LIST_INIT(lru);
static struct buffer *hash_chains[BCACHE_HASH_BUCKETS]; /* buffers holding a block */
static bool initialised;
static u64 hits, misses;

#ifdef HOST_TEST
/* Host unit tests run one thread: a lock is never found held. */
void sleep_lock_init(struct sleep_lock *lock, const char *name)
{
    lock->held = false;
    lock->name = name;
}
void sleep_lock_acquire(struct sleep_lock *lock)
{
    ASSERT(!lock->held);
    lock->held = true;
}
void sleep_lock_release(struct sleep_lock *lock)
{
    ASSERT(lock->held);
    lock->held = false;
}
static void wait_for_free_buffer(void) { panic("bcache: every buffer is referenced"); }
static void wake_free_buffer_waiters(void) {}
#else
static struct wait_queue buffer_freed = WAIT_QUEUE_INIT(buffer_freed);

/* Every buffer is referenced: wait until one is released. */
static void wait_for_free_buffer(void)
{
    bool irq = irq_save();
    sleep_on_uninterruptible(&buffer_freed, "bcache");
    irq_restore(irq);
}
static void wake_free_buffer_waiters(void) { wake_up(&buffer_freed); }
#endif

static void bcache_init(void)
{
    for (int i = 0; i < BCACHE_BUFFERS; i++) {
        sleep_lock_init(&buffers[i].lock, "buffer");
        list_push_back(&lru, &buffers[i].lru);
    }
    initialised = true;
}

/* Read or write the buffer's block; the caller holds its lock. */
static int transfer(struct buffer *b, bool write)
{
    struct block_device *device = b->device;
    u32 sectors = b->size / BLOCK_SECTOR_SIZE;
    u64 first = b->block * sectors;
    if (first + sectors > device->sector_count || first / sectors != b->block)
        return -EIO; /* a block number past the end: a corrupt pointer, not a crash */
    if (write && device->read_only)
        return -EROFS;
    return write ? device->ops->write(device, first, b->data, sectors)
                 : device->ops->read(device, first, b->data, sectors);
}

/* Write a dirty buffer back (the caller holds its lock); it stays cached. */
static int write_back(struct buffer *b)
{
    b->writing = true;
    int error = transfer(b, true);
    b->writing = false;
    if (error == 0)
        b->dirty = false;
    return error;
}

static struct buffer **chain_of(struct block_device *device, u64 block)
{
    u64 key = ((u64)(unsigned long)device >> 4) ^ (block * 0x9e3779b97f4a7c15ull);
    return &hash_chains[(key >> 32) % BCACHE_HASH_BUCKETS];
}

static void hash_insert(struct buffer *b)
{
    struct buffer **chain = chain_of(b->device, b->block);
    b->hash_next = *chain;
    *chain = b;
}

static void hash_remove(struct buffer *b)
{
    struct buffer **link = chain_of(b->device, b->block);
    while (*link && *link != b)
        link = &(*link)->hash_next;
    if (*link)
        *link = b->hash_next;
    b->hash_next = NULL;
}

static struct buffer *find(struct block_device *device, u64 block, u32 size)
{
    for (struct buffer *b = *chain_of(device, block); b; b = b->hash_next)
        if (b->device == device && b->block == block && b->size == size)
            return b;
    return NULL;
}

/*
 * An unreferenced buffer to reuse, with a reference, or NULL after having
 * slept (the caller looks the block up again: someone may have cached it).
 */
static struct buffer *take_victim(void)
{
    struct buffer *b, *dirty = NULL;
    list_for_each_entry (b, &lru, lru) {
        if (b->refcount)
            continue;
        if (!b->dirty || !b->device) {
            b->refcount = 1;
            return b;
        }
        if (!dirty)
            dirty = b;
    }
    if (!dirty) {
        wait_for_free_buffer();
        return NULL;
    }
    /* Write the oldest dirty one back, then start over: we slept. */
    dirty->refcount++;
    sleep_lock_acquire(&dirty->lock);
    if (dirty->dirty && write_back(dirty) < 0)
        dirty->dirty = false; /* the disk refuses it: drop it rather than loop */
    bcache_release(dirty);
    return NULL;
}

/* The buffer for the block, referenced and locked; its data may not be valid. */
static struct buffer *lookup(struct block_device *device, u64 block, u32 size, int *error)
{
    if (size == 0 || size > BCACHE_MAX_BLOCK || size % BLOCK_SECTOR_SIZE) {
        *error = -EINVAL;
        return NULL;
    }
    if (!initialised)
        bcache_init();
    struct buffer *b;
    for (;;) {
        if ((b = find(device, block, size))) {
            b->refcount++;
            hits++;
            break;
        }
        if (!(b = take_victim()))
            continue;
        if (!b->data && !(b->data = kmalloc(BCACHE_MAX_BLOCK))) {
            b->refcount = 0;
            *error = -ENOMEM;
            return NULL;
        }
        /* Claim it for this block before anything sleeps (see buffer.h). */
        misses++;
        if (b->device)
            hash_remove(b);
        b->device = device;
        b->block = block;
        b->size = size;
        hash_insert(b);
        b->valid = b->dirty = false;
        break;
    }
    sleep_lock_acquire(&b->lock);
    return b;
}

struct buffer *bcache_read(struct block_device *device, u64 block, u32 size, int *error)
{
    struct buffer *b = lookup(device, block, size, error);
    if (b && !b->valid) {
        int e = transfer(b, false);
        if (e < 0) {
            bcache_release(b);
            *error = e;
            return NULL;
        }
        b->valid = true;
    }
    return b;
}

struct buffer *bcache_get(struct block_device *device, u64 block, u32 size, int *error)
{
    struct buffer *b = lookup(device, block, size, error);
    if (b && !b->valid) {
        memset(b->data, 0, size);
        b->valid = true;
    }
    return b;
}

void bcache_mark_dirty(struct buffer *buffer)
{
    ASSERT(buffer->lock.held);
    if (!buffer->dirty)
        buffer->dirtied_at = jiffies;
    buffer->dirty = true;
}

void bcache_release(struct buffer *buffer)
{
    ASSERT(buffer->refcount > 0);
    sleep_lock_release(&buffer->lock);
    if (--buffer->refcount == 0) {
        list_remove(&buffer->lru);
        list_push_back(&lru, &buffer->lru);
        wake_free_buffer_waiters();
    }
}

/* Write the dirty buffers of `device` (every device if NULL) dirtied before jiffies
 * `dirtied_before`; counts them in *written.  0 or the first error. */
static int write_dirty(struct block_device *device, u64 dirtied_before, long *written)
{
    int first_error = 0;
    /* One buffer per pass: writing sleeps, and the list may change meanwhile. */
    for (int pass = 0; pass < BCACHE_BUFFERS; pass++) {
        struct buffer *b, *found = NULL;
        list_for_each_entry (b, &lru, lru) {
            if (b->dirty && b->device && (!device || b->device == device) &&
                b->dirtied_at < dirtied_before) {
                found = b;
                break;
            }
        }
        if (!found)
            break;
        found->refcount++;
        sleep_lock_acquire(&found->lock);
        if (found->dirty) {
            int error = write_back(found);
            if (error < 0) {
                found->dirty = false; /* reported once, not retried forever */
                if (!first_error)
                    first_error = error;
            } else {
                (*written)++;
            }
        }
        bcache_release(found);
    }
    return first_error;
}

static int flush_devices(struct block_device *device)
{
    int first_error = 0;
    for (struct block_device *d = device ? device : block_first(); d; d = device ? NULL : d->next)
        if (d->ops->flush && !d->read_only) {
            int error = d->ops->flush(d);
            if (error < 0 && !first_error)
                first_error = error;
        }
    return first_error;
}

int bcache_sync(struct block_device *device)
{
    if (!initialised)
        return 0;
    long written = 0;
    int first_error = write_dirty(device, ~0ull, &written);
    int error = flush_devices(device);
    return first_error ? first_error : error;
}

long bcache_write_expired(struct block_device *device, u64 dirtied_before)
{
    long written = 0;
    if (!initialised || !device)
        return 0;
    int error = write_dirty(device, dirtied_before, &written);
    if (written) {
        int flush_error = flush_devices(device);
        error = error ? error : flush_error;
    }
    return error ? error : written;
}

int bcache_invalidate(struct block_device *device)
{
    int busy = 0;
    for (int i = 0; i < BCACHE_BUFFERS; i++) {
        struct buffer *b = &buffers[i];
        if (b->device != device)
            continue;
        if (b->refcount) {
            busy++;
            continue;
        }
        hash_remove(b);
        b->device = NULL;
        b->valid = b->dirty = false;
    }
    return busy;
}

void bcache_get_stats(struct bcache_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    for (int i = 0; i < BCACHE_BUFFERS; i++) {
        if (buffers[i].device && buffers[i].valid)
            stats->buffers++;
        if (buffers[i].device && buffers[i].dirty) {
            stats->dirty++;
            stats->dirty_bytes += buffers[i].size;
        }
        if (buffers[i].device && buffers[i].writing)
            stats->writeback_bytes += buffers[i].size;
    }
    stats->hits = hits;
    stats->misses = misses;
}
