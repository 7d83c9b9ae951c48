/*
 * file.c - the bytes of ext2 files: read and write through the block map
 * and the block cache, and the file_ops an open ext2 file uses.
 */
#include "kernel/errno.h"
#include "kernel/fs/ext2/ext2.h"
#include "kernel/fs/file.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "kernel/uaccess.h"
#include "mm/filemap.h"
#include "mm/frame.h"
#include "mm/vm.h"
#include "mm/layout.h"
#include "sched/sched.h"

/*
 * The piece of a transfer at `position` with `left` bytes to go: the block it is in (0 for a
 * hole; allocated first when `allocate`), where in the block it starts, and how much of it fits.
 */
static int next_chunk(struct inode *inode, u64 position, size_t left, bool allocate, u32 *block,
                      u32 *within, size_t *chunk)
{
    struct ext2_fs *fs = EXT2_INFO(inode)->fs;
    *within = (u32)(position % fs->block_size);
    *chunk = MIN(left, fs->block_size - *within);
    return ext2_bmap(inode, position / fs->block_size, allocate, block);
}

long ext2_read_locked(struct inode *inode, u64 offset, void *buf, size_t size, bool user)
{
    struct ext2_fs *fs = EXT2_INFO(inode)->fs;
    if (offset >= inode->size)
        return 0;
    size = MIN(size, inode->size - offset);
    size_t done = 0;
    int error = 0;
    while (done < size) {
        if (done && user && (error = sched_preempt_point()) < 0)
            break;
        u32 block, within;
        size_t chunk;
        error = next_chunk(inode, offset + done, size - done, false, &block, &within, &chunk);
        if (error < 0)
            break;
        u8 *to = (u8 *)buf + done;
        u64 position = offset + done;
        phys_addr_t cached = pagecache_find(&EXT2_INFO(inode)->cache, position / PAGE_SIZE);
        if (cached) { /* the page cache is the newest copy (a MAP_SHARED write) */
            const u8 *from = (const u8 *)phys_to_virt(cached) + position % PAGE_SIZE;
            frame_get(cached); /* a fault in copy_to_user may reclaim: keep the page */
            error = user ? copy_to_user(to, from, chunk) : (memcpy(to, from, chunk), 0);
            frame_put(cached);
        } else if (block == 0) { /* a hole */
            error = user ? clear_user(to, chunk) : (memset(to, 0, chunk), 0);
        } else {
            struct buffer *b = bcache_read(fs->device, block, fs->block_size, &error);
            if (!b)
                break;
            error = user ? copy_to_user(to, b->data + within, chunk)
                         : (memcpy(to, b->data + within, chunk), 0);
            bcache_release(b);
        }
        if (error) {
            error = -EFAULT;
            break;
        }
        done += chunk;
    }
    return done ? (long)done : error;
}

long ext2_write_locked(struct inode *inode, u64 offset, const void *buf, size_t size, bool user)
{
    struct ext2_fs *fs = EXT2_INFO(inode)->fs;
    if (fs->read_only)
        return -EROFS;
    u64 max = ext2_max_file_blocks(fs) * fs->block_size;
    if (offset >= max)
        return size ? -EFBIG : 0;
    size = MIN(size, max - offset);
    size_t done = 0;
    int error = 0;
    while (done < size) {
        if (done && user && (error = sched_preempt_point()) < 0)
            break;
        u32 block, within;
        size_t chunk;
        error = next_chunk(inode, offset + done, size - done, true, &block, &within, &chunk);
        if (error < 0)
            break;
        /* A whole block is overwritten: no need to read it first. */
        bool whole = chunk == fs->block_size;
        struct buffer *b = whole ? bcache_get(fs->device, block, fs->block_size, &error)
                                 : bcache_read(fs->device, block, fs->block_size, &error);
        if (!b)
            break;
        const u8 *from = (const u8 *)buf + done;
        error = user ? copy_from_user(b->data + within, from, chunk)
                     : (memcpy(b->data + within, from, chunk), 0);
        /* Write-through: a cached page (mapped by mmap) sees the new bytes too. */
        u64 position = offset + done;
        phys_addr_t cached = pagecache_find(&EXT2_INFO(inode)->cache, position / PAGE_SIZE);
        u8 *page_bytes = cached ? (u8 *)phys_to_virt(cached) + position % PAGE_SIZE : NULL;
        if (!error && page_bytes && page_bytes != from)
            memcpy(page_bytes, b->data + within, chunk);
        bcache_mark_dirty(b);
        bcache_release(b);
        if (error) {
            error = -EFAULT;
            break;
        }
        done += chunk;
    }
    if (done) {
        inode->size = MAX(inode->size, offset + done);
        inode->mtime = inode->ctime = vfs_now();
    }
    int e = ext2_inode_write(inode); /* i_blocks changed even if nothing was copied */
    if (!done && !error)
        error = e;
    return done ? (long)done : error;
}

int ext2_get_page_locked(struct inode *inode, u64 index, phys_addr_t *frame)
{
    struct page_cache *cache = &EXT2_INFO(inode)->cache;
    if ((*frame = pagecache_find(cache, index))) {
        frame_get(*frame);
        return 0;
    }
    phys_addr_t page = frame_alloc(); /* zeroed: the part past the end of file reads as zeros */
    if (!page)
        return -ENOMEM;
    long n = ext2_read_locked(inode, index * PAGE_SIZE, phys_to_virt(page), PAGE_SIZE, false);
    int error = n < 0 ? (int)n : pagecache_insert(cache, index, page);
    if (error) {
        frame_put(page);
        return error == -EFBIG ? -EIO : error;
    }
    frame_get(page); /* the cache's reference, and the caller's */
    *frame = page;
    return 0;
}

int ext2_writeback_page_locked(struct inode *inode, u64 index)
{
    phys_addr_t page = pagecache_find(&EXT2_INFO(inode)->cache, index);
    u64 offset = index * PAGE_SIZE;
    if (!page || offset >= inode->size)
        return 0; /* dropped by truncate, or past the end: nothing to keep */
    size_t length = (size_t)MIN((u64)PAGE_SIZE, inode->size - offset);
    long n = ext2_write_locked(inode, offset, phys_to_virt(page), length, false);
    return n < 0 ? (int)n : 0;
}

/*
 * read() and write() of an ext2 file, PREFAULT_CHUNK bytes at a time: the
 * user pages of a chunk are faulted in before fs->lock is taken, since a
 * fault on a page of a program run from this disk needs that lock itself
 * (the page cache reads the disk, mm/filemap.c).  Once in, such a page
 * stays: reclaim never takes a mapped file page.
 */
#define PREFAULT_CHUNK (64 * 1024)

static long file_transfer(struct file *file, void *buf, size_t size, u64 *offset, bool write)
{
    struct ext2_fs *fs = EXT2_INFO(file->inode)->fs;
    long total = 0;
    while (size > 0) {
        size_t chunk = MIN(size, (size_t)PREFAULT_CHUNK);
        filemap_prefault_user(buf, chunk, write ? VM_READ : VM_WRITE);
        sleep_lock_acquire(&fs->lock);
        if (write && (file->flags & O_APPEND))
            *offset = file->inode->size;
        long n = write ? ext2_write_locked(file->inode, *offset, buf, chunk, true)
                       : ext2_read_locked(file->inode, *offset, buf, chunk, true);
        sleep_lock_release(&fs->lock);
        if (n <= 0)
            return total ? total : n;
        *offset += (u64)n;
        total += n;
        buf = (u8 *)buf + n;
        size -= (size_t)n;
        if ((size_t)n < chunk || (size && sched_preempt_point() < 0))
            break; /* the end of the file, a full disk, or SIGKILL */
    }
    return total;
}

static long file_read(struct file *file, void *buf, size_t size, u64 *offset)
{
    return file_transfer(file, buf, size, offset, false);
}

static long file_write(struct file *file, const void *buf, size_t size, u64 *offset)
{
    if (file->inode->swapfile)
        return -ETXTBSY; /* swap owns its blocks (Linux's rule) */
    return file_transfer(file, (void *)buf, size, offset, true);
}

static long dir_read(struct file *file, void *buf, size_t size, u64 *offset) { return -EISDIR; }

const struct file_ops ext2_file_fops = {
    .read = file_read,
    .write = file_write,
    .seekable = true,
};

const struct file_ops ext2_dir_fops = {
    .read = dir_read,
    .seekable = true,
};
