/*
 * pagecache.h - the page cache: a file's pages kept in memory, keyed by
 * (inode, page index).
 *
 * Every cached page is one frame in a struct page_cache (one per inode, a
 * sparse page_tree underneath).  The cache holds one reference to each
 * frame; a mapping (mmap, mm/vm.c) takes one more per page table entry, so
 * a page stays alive while any process maps it, even after the file is
 * truncated.  ramfs/tmpfs files are their page tree already (their data
 * lives only there); ext2 keeps a page_cache beside its block map:
 *
 *   read()/write()  --->  ext2 block cache (buffer.c) --> disk
 *        |  (write-through: a cached page is updated too)
 *        v
 *   page cache page  <--- mmap faults map it (shared) or copy it (private)
 *                    ---> msync / munmap / exit write it back (MAP_SHARED)
 */
#ifndef KERNEL_FS_PAGECACHE_H
#define KERNEL_FS_PAGECACHE_H

#include "kernel/fs/page_tree.h"
#include "kernel/list.h"
#include "kernel/types.h"

struct page_cache {
    struct page_tree tree;
    u64 pages;                 /* frames held */
    struct list_node all_node; /* in the list reclaim walks, while pages > 0 */
};

/* Pages held by every page_cache (ext2 files): /proc/meminfo Cached. */
extern u64 pagecache_pages_total;

/* The cached frame of page `index`, or 0.  No reference is added. */
phys_addr_t pagecache_find(struct page_cache *cache, u64 index);
/* Add `frame` (its one reference passes to the cache) at `index`, which must
 * be absent.  0, -ENOMEM or -EFBIG. */
int pagecache_insert(struct page_cache *cache, u64 index, phys_addr_t frame);
/* Drop every page from index `first` on (mapped pages live on in their
 * mappings until unmapped). */
void pagecache_truncate(struct page_cache *cache, u64 first);

/*
 * Reclaim (mm/reclaim.c), before any anonymous page is swapped: free up to
 * `target` cached pages no mapping uses (the cache holds their only
 * reference).  They are clean: ext2 writes through (write()), and munmap or
 * exit wrote back what MAP_SHARED changed; a later access reads the disk
 * again.  Never sleeps.  Returns the pages freed.
 */
u64 pagecache_shrink(u64 target);

#endif
