/* ramfs.h - the root file system: directories and files kept in RAM. */
#ifndef KERNEL_FS_RAMFS_H
#define KERNEL_FS_RAMFS_H

#include "kernel/types.h"

struct inode;

/* The root directory of a new, empty ramfs. */
struct inode *ramfs_create_root(void);

/* Pages of RAM holding file contents (for /proc/meminfo "Shmem"). */
u64 ramfs_pages_in_use(void);

#endif
