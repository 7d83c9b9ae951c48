/* blockdev.c - reading and writing a whole disk through /dev/vda (see blockdev.h). */
#include "kernel/fs/blockdev.h"
#include "kernel/drivers/block.h"
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/uaccess.h"
#include "mm/kheap.h"
#include "sched/sched.h"

#define BOUNCE_SECTORS 64 /* 32 KiB per transfer between the disk and user memory */

u32 blockdev_rdev(const struct block_device *device) { return device->major << 8 | device->minor; }

static struct block_device *device_of(struct file *file)
{
    for (struct block_device *d = block_first(); d; d = d->next)
        if (blockdev_rdev(d) == file->inode->rdev)
            return d;
    return NULL;
}

/*
 * Move `size` bytes at *offset between the disk and user memory, a bounce
 * buffer at a time.  `writing`: user -> disk.  Returns bytes moved or -errno
 * (bytes if some were moved before the error).
 */
static long transfer(struct file *file, void *user_buf, size_t size, u64 *offset, bool writing)
{
    struct block_device *disk = device_of(file);
    if (!disk)
        return -ENXIO;
    u64 disk_bytes = disk->sector_count * BLOCK_SECTOR_SIZE;
    if (*offset >= disk_bytes)
        return writing && size ? -ENOSPC : 0;
    size = MIN(size, disk_bytes - *offset);
    u8 *bounce = kmalloc(BOUNCE_SECTORS * BLOCK_SECTOR_SIZE);
    if (!bounce)
        return -ENOMEM;
    size_t done = 0;
    long error = 0;
    while (done < size) {
        if (sched_preempt_point() < 0) {
            error = -EINTR;
            break;
        }
        u64 position = *offset + done;
        u64 sector = position / BLOCK_SECTOR_SIZE;
        u32 skip = position % BLOCK_SECTOR_SIZE;
        size_t n = MIN(size - done, (size_t)BOUNCE_SECTORS * BLOCK_SECTOR_SIZE - skip);
        u32 sectors = (u32)((skip + n + BLOCK_SECTOR_SIZE - 1) / BLOCK_SECTOR_SIZE);
        bool partial = skip != 0 || (skip + n) % BLOCK_SECTOR_SIZE != 0;
        if (!writing || partial) {
            error = disk->ops->read(disk, sector, bounce, sectors);
            if (error)
                break;
        }
        if (writing) {
            if (copy_from_user(bounce + skip, (const u8 *)user_buf + done, n) < 0) {
                error = -EFAULT;
                break;
            }
            error = disk->ops->write(disk, sector, bounce, sectors);
            if (error)
                break;
        } else if (copy_to_user((u8 *)user_buf + done, bounce + skip, n) < 0) {
            error = -EFAULT;
            break;
        }
        done += n;
    }
    kfree(bounce);
    *offset += done;
    return done ? (long)done : error;
}

static long blockdev_read(struct file *file, void *user_buf, size_t size, u64 *offset)
{
    return transfer(file, user_buf, size, offset, false);
}

static long blockdev_write(struct file *file, const void *user_buf, size_t size, u64 *offset)
{
    return transfer(file, (void *)user_buf, size, offset, true);
}

const struct file_ops blockdev_fops = {
    .read = blockdev_read,
    .write = blockdev_write,
    .seekable = true,
};
