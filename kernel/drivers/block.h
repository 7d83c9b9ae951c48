/*
 * block.h - the interface between a disk driver and whatever reads blocks.
 *
 * A driver (virtio-blk, or a file on the host in the unit tests) fills in a
 * struct block_device and registers it; a file system (ext2) and the swap code
 * read and write through the two operations below, normally by way of the
 * block cache.  Sizes are in 512-byte sectors, as disks count them.
 *
 *      ext2 / swap
 *          |  bcache_read / bcache_write ...   (kernel/fs/buffer.c)
 *      struct block_device  ->read / ->write   (this header)
 *          |
 *      virtio-blk driver                        (kernel/drivers/virtio_blk.c)
 */
#ifndef KERNEL_DRIVERS_BLOCK_H
#define KERNEL_DRIVERS_BLOCK_H

#include "kernel/types.h"

#define BLOCK_SECTOR_SIZE 512

struct block_device;

struct block_operations {
    /*
     * Read `count` sectors starting at `sector` into `buffer` (a kernel
     * address).  May sleep until the device answers.  Returns 0, or -EIO
     * when the device reports an error, or -EINVAL past the end.
     */
    int (*read)(struct block_device *device, u64 sector, void *buffer, u32 count);
    /* Write `count` sectors from `buffer`; the same rules as read. */
    int (*write)(struct block_device *device, u64 sector, const void *buffer, u32 count);
    /* Make every completed write durable (a cache flush).  May sleep.  May be NULL. */
    int (*flush)(struct block_device *device);
};

/* Counters in the order of /proc/diskstats' first columns. */
struct block_stats {
    u64 reads_completed, sectors_read, read_ticks_ms;
    u64 writes_completed, sectors_written, write_ticks_ms;
    u64 flushes_completed;
};

struct block_device {
    char name[16];    /* "vda", as Linux names the first virtio disk */
    u32 major, minor; /* device number, for st_dev and /proc/diskstats */
    u64 sector_count; /* size of the disk in 512-byte sectors */
    bool read_only;   /* the device refuses writes */
    const struct block_operations *ops;
    void *driver_data;         /* the driver's own state */
    struct block_stats stats;  /* updated by the driver on completion */
    struct block_device *next; /* list of registered devices (block_register) */
};

/* Make a device findable by name (block_find) and visible in /proc/diskstats. */
void block_register(struct block_device *device);
/* The registered device called `name`, or NULL. */
struct block_device *block_find(const char *name);
/* The first registered device, for iteration with ->next; NULL when there is none. */
struct block_device *block_first(void);

#endif
