/*
 * ext2fs.h - what the rest of the kernel uses of ext2 (kernel/fs/ext2/):
 * mounting, unmounting, syncing and statfs.  The on-disk format and the
 * internals are in kernel/fs/ext2/ext2.h.
 */
#ifndef KERNEL_FS_EXT2_EXT2FS_H
#define KERNEL_FS_EXT2_EXT2FS_H

#include "kernel/drivers/block.h"
#include "kernel/types.h"

struct inode;
struct kstatfs;

#define EXT2_MAGIC_STATFS 0xef53u /* f_type, as Linux's EXT2_SUPER_MAGIC */

/*
 * Mount the ext2 file system on `device`: *root receives its root directory
 * (one reference, for the caller to vfs_mount or make the root).  May sleep.
 * A bad superblock or group descriptor gives -EUCLEAN (printing why), an
 * unknown incompatible feature -EINVAL, a failing disk -EIO.  A file system
 * with read-only-compatible features it does not know is mounted read-only.
 */
int ext2_mount(struct block_device *device, bool read_only, struct inode **root);
/* Sync and forget the file system whose root is `root` (the mount's
 * reference is the caller's, dropped here).  -EBUSY while any of its files
 * is open or in use. */
int ext2_unmount(struct inode *root);
/* Write everything of the file system holding `inode` (NULL: of every mounted
 * ext2) to the disk: sync, syncfs, fsync. */
int ext2_sync(struct inode *inode);
/* The flusher (kernel/fs/writeback.c): on every mounted ext2, the superblock
 * and group descriptors into the block cache if they changed, then the blocks
 * dirty since before jiffies `dirtied_before` to the disk.  May sleep. */
int ext2_writeback_expired(u64 dirtied_before);
/* statfs of a file on an ext2: fills `out` (in the file system's blocks)
 * and returns true; false if `inode` is not ext2's. */
bool ext2_statfs(struct inode *inode, struct kstatfs *out);
/* Is `inode` on an ext2 file system? */
bool ext2_owns(const struct inode *inode);
/* The device name of the ext2 holding `inode` ("vda"), or NULL. */
const char *ext2_device_name(const struct inode *inode);

#endif
