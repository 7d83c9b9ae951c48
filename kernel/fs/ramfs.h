/* ramfs.h - the root file system: directories and files kept in RAM. */
#ifndef KERNEL_FS_RAMFS_H
#define KERNEL_FS_RAMFS_H

#include "kernel/types.h"

struct inode;

/* The root directory of a new, empty ramfs (at most half of RAM of file data). */
struct inode *ramfs_create_root(void);

/* The largest file (st_size), as the page index tree allows: 256 TiB. */
#define RAMFS_MAX_FILE_SIZE (1ull << 48)

/* The root of a new tmpfs instance (mode 1777) whose file data may use at
 * most `max_bytes` of RAM; writes past it fail with ENOSPC. */
struct inode *tmpfs_create(u64 max_bytes);

/* Pages of RAM holding file contents, every instance (/proc/meminfo "Shmem"). */
u64 ramfs_pages_in_use(void);
/* statfs of a ramfs or tmpfs file or directory: fills type and sizes; false
 * if `inode` is not ramfs's. */
struct kstatfs;
bool ramfs_statfs(struct inode *inode, struct kstatfs *out);

#endif
