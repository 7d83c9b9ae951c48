/*
 * tmpfs.h - /tmp and /dev/shm: ramfs instances with a size limit.
 *
 * Without a limit, one process filling /tmp takes all of RAM and every other
 * process's open, fork and even unlink start failing with ENOMEM.  As on
 * Linux, each tmpfs may hold at most half of RAM by default; the boot option
 * tmpfs_size= changes it (sprout has no mount system call to pass size=):
 *
 *   tmpfs_size=64M     bytes, with an optional K, M or G suffix
 *   tmpfs_size=25%     a share of RAM
 *
 * A write that needs a page beyond the limit fails with ENOSPC.
 */
#ifndef KERNEL_FS_TMPFS_H
#define KERNEL_FS_TMPFS_H

#include "kernel/types.h"

/* Mount a tmpfs on /tmp and on /dev/shm (after devfs).  Called by vfs_init. */
void tmpfs_mount_all(void);

#endif
