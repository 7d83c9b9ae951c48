/*
 * cow.c - LAB: copy-on-write fork (docs/labs/cow.md).
 *
 * This is the student edition's starting point: fork copies eagerly.  For
 * every page of a private region, cow_fork_page() gives the child a frame
 * of its own with a copy of the parent's bytes, so fork of a process with
 * 8 MiB of memory costs 8 MiB more, and writes never fault.  It works; it is
 * slow and wasteful.  Your work (cow.h states each function's contract):
 *
 *   1. cow_fork_page(child, va, entry): share the parent's frame instead of
 *      copying it.  Both entries become read-only and carry PTE_COW (also a
 *      page that is read-only now: mprotect may make it writable later), the
 *      child's entry has the parent's other flags, and the frame gets one more
 *      reference (frame_get, once pagetable_map has succeeded).  No frame is
 *      allocated here (the page tables that pagetable_map may add are fine);
 *      other flags, PTE_SWAP_COW included, are kept as they are.
 *   2. cow_write_fault(mm, page, entry, prot): a write to a PTE_COW page.
 *      If the frame has other users (frame_refcount > 1): allocate a frame,
 *      copy the page, map the copy writable (vm_pte_flags(prot), PTE_PRESENT,
 *      PTE_COW cleared) and drop the reference to the old frame (frame_put).
 *      If the writer is the last user (refcount 1): no copy, no allocation --
 *      make the same entry writable and clear PTE_COW.  Either way flush the
 *      page from the TLB (pagetable_flush).  Out of frames: -ENOMEM.
 *   3. Freeing: every entry holds exactly one reference, so a frame is freed
 *      when the last process that maps it unmaps it, writes its own copy,
 *      execs or exits -- never earlier (the others would read freed memory)
 *      and never later (a leak).
 *
 * Replace this comment with one that explains your design.
 */
#include "mm/cow.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/vm.h"

int cow_fork_page(struct mm *child, u64 va, pte_t *entry)
{
    /* Eager copy: a new frame with the parent's bytes, mapped the same way. */
    phys_addr_t copy = frame_alloc();
    if (!copy)
        return -ENOMEM;
    memcpy(phys_to_virt(copy), phys_to_virt(PTE_ADDRESS(*entry)), PAGE_SIZE);
    if (pagetable_map(child->pml4, va, copy, *entry & ~PTE_ADDRESS_MASK) < 0) {
        frame_put(copy);
        return -ENOMEM;
    }
    return 0;
}

int cow_write_fault(struct mm *mm, u64 page, pte_t *entry, u32 prot)
{
    /* Nothing is ever marked PTE_COW while fork copies eagerly. */
    (void)mm, (void)page, (void)entry, (void)prot;
    return -EFAULT;
}
