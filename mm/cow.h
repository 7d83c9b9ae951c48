/*
 * cow.h - copy-on-write fork: how fork gives a child the pages of a private
 * region, and what a write to a shared page does (the copy-on-write lab,
 * docs/labs/cow.md).
 *
 * mm_fork() (mm/vm.c) calls cow_fork_page() for every page of a private
 * region that holds a frame; the pages of a MAP_SHARED region are shared by
 * mm_fork() itself (the same frames, still writable, for both).  vm_fault()
 * calls cow_write_fault() when a process writes to a present page marked
 * PTE_COW in a region it may write.  Both run in the faulting or forking
 * process's context with its address space held; neither may sleep.
 *
 * Frames are reference-counted (mm/frame.h): every page-table entry that
 * maps a frame holds one reference, and unmapping a page (munmap, exec,
 * exit: unmap_one() in mm/vm.c) drops it with frame_put(), which frees the
 * frame with its last reference.
 */
#ifndef MM_COW_H
#define MM_COW_H

#include "kernel/types.h"
#include "mm/pagetable.h"

struct mm;

/*
 * fork: map the page at `va` into `child`, whose parent's entry is *entry
 * (present, or PTE_PROTNONE with PRESENT clear).  Copy-on-write shares the
 * frame: both entries read-only and marked PTE_COW, one more reference.  The
 * caller counts the child's page (rss) and flushes the parent's TLB after
 * the whole fork.  Returns 0, or -ENOMEM (the caller then frees the child).
 */
int cow_fork_page(struct mm *child, u64 va, pte_t *entry);

/*
 * A write to the present PTE_COW page `page` of `mm`, whose entry is *entry,
 * in a region whose protection is `prot` (it includes VM_WRITE): give the
 * writer a private, writable page with the same contents, and drop its
 * reference to the shared frame.  Returns 0 (the write is retried), or
 * -ENOMEM.
 */
int cow_write_fault(struct mm *mm, u64 page, pte_t *entry, u32 prot);

#endif
