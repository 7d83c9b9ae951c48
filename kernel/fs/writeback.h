/*
 * writeback.h - the flusher: a kernel thread that writes dirty data back to
 * the disk in the background, so a crash loses at most the last few seconds.
 *
 * Every DIRTY_WRITEBACK_MS (kernel/param.h) the thread "flush" wakes and
 *
 *   1. writes the pages processes changed through MAP_SHARED mappings into
 *      the block cache (filemap_writeback_all, mm/filemap.c): the PTE dirty
 *      bits say which;
 *   2. on every mounted ext2, puts changed inodes (chmod, utimensat, access
 *      times: changes the VFS made in memory), a changed superblock and group
 *      descriptors into the block cache and writes every block that has been dirty for
 *      DIRTY_EXPIRE_MS or longer to the disk, then flushes the disk's cache
 *      (ext2_writeback_expired, bcache_write_expired).
 *
 * Linux does the same with 5 s and 30 s (vm.dirty_writeback_centisecs,
 * vm.dirty_expire_centisecs); sprout's shorter values keep the tests short.
 * sync() still writes everything at once.
 */
#ifndef KERNEL_FS_WRITEBACK_H
#define KERNEL_FS_WRITEBACK_H

/* Start the flusher once a disk file system is mounted (after init exists:
 * the thread must not take PID 1).  Later calls do nothing. */
void writeback_start(void);

#endif
