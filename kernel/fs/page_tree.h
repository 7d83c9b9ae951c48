/*
 * page_tree.h - a sparse map from page index to frame, for file contents.
 *
 * A file written at offset 1 TiB must not pay for the terabyte before it.
 * The tree is shaped like a page table: each node holds 64 entries (512
 * bytes from kmalloc), and a tree of height h covers page indexes
 * 0 .. 64^h - 1.
 * Height 0 is a file of at most one page, whose root *is* that page, so a
 * small file costs no node at all.  The tree grows a level when an index
 * beyond its reach is written, and every operation costs time and memory in
 * proportion to the pages that exist, never to the largest index.
 *
 *            root (height 2)
 *          [0] [1] ... [63]           a node: 64 entries (0: none)
 *           |           |
 *         node         node
 *        [0]..[63]    [0]..[63]       the lowest nodes hold the data frames'
 *         |                           physical addresses
 *       page 0
 */
#ifndef KERNEL_FS_PAGE_TREE_H
#define KERNEL_FS_PAGE_TREE_H

#include "kernel/types.h"

#define PAGE_TREE_SHIFT 6 /* 64 entries a node */
#define PAGE_TREE_FANOUT (1u << PAGE_TREE_SHIFT)
#define PAGE_TREE_MAX_HEIGHT 6 /* 64^6 pages: files up to 256 TiB (then EFBIG) */
#define PAGE_TREE_MAX_PAGES (1ull << (PAGE_TREE_SHIFT * PAGE_TREE_MAX_HEIGHT))

struct page_tree {
    u32 height; /* 0: `root` is the physical address of page 0 (or 0) */
    u64 root;   /* else a node (kernel pointer); 0: the file has no pages */
};

/* Nodes all page trees use (kmalloc'd, so they show in Slab too). */
extern u64 page_tree_nodes;

/* The frame holding page `index`, or 0 (a hole, reads as zeros). */
phys_addr_t page_tree_lookup(const struct page_tree *tree, u64 index);

/*
 * Put `page` at `index` (which must be a hole).  May allocate nodes:
 * -ENOMEM when none is left, -EFBIG when index >= PAGE_TREE_MAX_PAGES.
 * Never sleeps; no lock needed on sprout's one CPU.
 */
int page_tree_insert(struct page_tree *tree, u64 index, phys_addr_t page);

/*
 * Remove every page with index >= first and pass each to drop(page, arg);
 * nodes left empty are freed.  Returns the number of pages removed.
 */
u64 page_tree_truncate(struct page_tree *tree, u64 first, void (*drop)(phys_addr_t page, void *arg),
                       void *arg);

/*
 * Offer up to `budget` pages, in index order, to drop(page, arg); those it
 * returns true for are removed (it has released them).  Emptied nodes are
 * freed.  Returns the number removed.  For reclaim (kernel/fs/pagecache.c).
 */
u64 page_tree_prune(struct page_tree *tree, u64 budget, bool (*drop)(phys_addr_t page, void *arg),
                    void *arg);

#endif
