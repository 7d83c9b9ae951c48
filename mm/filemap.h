/*
 * filemap.h - regions that map a file (mmap of a file, a program's
 * segments): a page fault in one, and writing back what MAP_SHARED changed.
 */
#ifndef MM_FILEMAP_H
#define MM_FILEMAP_H

#include "kernel/types.h"

struct mm;
struct vma;

/*
 * A missing page at `page` of a region with a file (vma->file): the
 * page-cache frame itself for MAP_SHARED; for MAP_PRIVATE the cache frame
 * read-only and copy-on-write, or a private copy at once for a write.
 * May sleep (ext2 reads the disk).  0, -ENOMEM, or -ENXIO past the end of
 * the file (SIGBUS).
 */
int filemap_fault(struct mm *mm, struct vma *vma, u64 page, u32 access);

/*
 * Write back the pages of MAP_SHARED file regions in [start, end) written
 * since the last writeback (the PTE dirty bit; it is cleared).  May sleep.
 * 0 or the first error.  msync, munmap and exit call it.
 */
int filemap_writeback(struct mm *mm, u64 start, u64 end);

/*
 * Every address space's dirty MAP_SHARED file pages, written back as
 * filemap_writeback does (kswapd when memory is short, and the flusher
 * thread, kernel/fs/writeback.c, every DIRTY_WRITEBACK_MS).  Sleeps on the
 * disk; each address space is held while it is written.
 */
void filemap_writeback_all(void);

/*
 * Fault in the user pages of [buf, buf + size) for `access` (VM_READ or
 * VM_WRITE) now, before a file system takes a lock that a fault on one of
 * its own file pages would need again (ext2's fs->lock: read() into the
 * data segment of a program run from the same disk).  Errors are left to
 * the copy that follows.  May sleep.  The cost is one step per page.
 */
void filemap_prefault_user(const void *buf, size_t size, u32 access);

#endif
