/*
 * buffer.h - the block cache: disk blocks kept in memory.
 *
 * A file system never talks to the disk directly: it asks for block N of a
 * device and gets a `struct buffer` holding that block's bytes, read from the
 * disk only if the cache did not have it.  Changes are made in the buffer and
 * marked dirty; they reach the disk later, when bcache_sync() runs (sync,
 * fsync, unmount) or when the buffer is reused for another block.
 *
 *   bcache_read(vda, 37, 1024) -> buffer (referenced, locked, data valid)
 *       ... read or change buffer->data, bcache_mark_dirty(buffer) ...
 *   bcache_release(buffer)     -> unlocked, unreferenced, stays cached (LRU)
 *
 * There are BCACHE_BUFFERS buffers in all, found by (device, block) through
 * a small hash table.  A buffer nobody references may be
 * reused for another block, the least recently released first; a dirty one
 * is written back first.
 *
 * Locking.  sprout's kernel is not preemptible, so cache bookkeeping (the
 * list, reference counts, which block a buffer holds) needs no lock: it is
 * changed only between sleeps.  What does need a lock is a buffer's contents
 * while its holder sleeps for the disk, so each buffer has a sleeping lock:
 *
 *   - bcache_read/bcache_get return the buffer locked; only the holder reads
 *     or writes `data`, `valid` and `dirty`.  bcache_release unlocks it.
 *   - A buffer is entered in the cache for its block *before* the disk read
 *     sleeps, so a second reader of the same missing block finds it and waits
 *     for the lock instead of creating a second copy; when it gets the lock
 *     it sees `valid` and does not read again (or reads, if the first failed).
 *   - A buffer with a reference is never reused.  Code that sleeps (a write-
 *     back, a read) holds a reference to its buffer, and after any sleep the
 *     scans start again from the head of the list: no list pointer is kept
 *     across a sleep.
 *   - A holder may lock several buffers, but never the same one twice.
 */
#ifndef KERNEL_FS_BUFFER_H
#define KERNEL_FS_BUFFER_H

#include "kernel/drivers/block.h"
#include "kernel/list.h"
#include "kernel/types.h"
#include "sched/wait.h"

#define BCACHE_BUFFERS 1024     /* buffers in the cache (at most 4 MiB, allocated as used) */
#define BCACHE_HASH_BUCKETS 256 /* chains that find a block's buffer without a full scan */
#define BCACHE_MAX_BLOCK 4096   /* the largest block size a buffer holds */

/* Buffers are locked with a struct sleep_lock (sched/wait.h). */

struct buffer {
    /* cache bookkeeping (changed only between sleeps, see above): */
    struct block_device *device; /* NULL: the buffer holds nothing yet */
    u64 block;                   /* block number, in units of `size` */
    u32 size;                    /* block size in bytes, a multiple of 512 */
    int refcount;                /* holders and waiters; 0: may be reused */
    struct list_node lru;        /* least recently released first */
    struct buffer *hash_next;    /* the next buffer in this block's hash chain */
    /* protected by `lock`: */
    struct sleep_lock lock;
    bool valid;     /* data holds the block's contents */
    bool dirty;     /* data differs from the disk */
    bool writing;   /* being written to the disk now (/proc/meminfo Writeback) */
    u64 dirtied_at; /* jiffies when it last went from clean to dirty (the flusher's age) */
    u8 *data;
};

/*
 * Block `block` (of `size` bytes) of `device`, referenced and locked, its data
 * read from the disk if it was not cached.  May sleep.  NULL with *error set
 * (-EIO: the device failed or the block lies past its end).
 */
struct buffer *bcache_read(struct block_device *device, u64 block, u32 size, int *error);
/* The same, without reading: for a block the caller overwrites entirely
 * (the data is zeroed when it was not cached). */
struct buffer *bcache_get(struct block_device *device, u64 block, u32 size, int *error);
/* The holder changed the data: write it back some time. */
void bcache_mark_dirty(struct buffer *buffer);
/* Unlock and drop the reference. */
void bcache_release(struct buffer *buffer);
/* Write every dirty buffer of `device` (all devices if NULL), then flush the
 * device's cache.  May sleep.  0, or the first error (-EIO). */
int bcache_sync(struct block_device *device);
/* The flusher (kernel/fs/writeback.c): write the buffers of `device` that have
 * been dirty since before jiffies `dirtied_before`, then flush the device if
 * any were written.  May sleep.  Returns how many were written, or -EIO. */
long bcache_write_expired(struct block_device *device, u64 dirtied_before);
/* Forget every buffer of `device` (after bcache_sync, at unmount).  Buffers
 * still referenced are left alone; returns how many there were. */
int bcache_invalidate(struct block_device *device);

struct bcache_stats {
    u64 buffers, dirty, hits, misses;
    u64 dirty_bytes, writeback_bytes; /* /proc/meminfo Dirty and Writeback */
};
void bcache_get_stats(struct bcache_stats *stats);

#endif
