/*
 * blockdev.h - block devices as files: /dev/vda.
 *
 * Reading /dev/vda at offset N reads the disk's bytes from N on, as on
 * Linux; writes go straight to the disk (sprout keeps no cache for the raw
 * device; a write that covers part of a sector reads the sector first).
 */
#ifndef KERNEL_FS_BLOCKDEV_H
#define KERNEL_FS_BLOCKDEV_H

#include "kernel/fs/file.h"

struct block_device;

/* The file operations of a block-device inode (its rdev names the disk). */
extern const struct file_ops blockdev_fops;

/* The device number devfs gives `device` (major << 8 | minor, like its other nodes). */
u32 blockdev_rdev(const struct block_device *device);

#endif
