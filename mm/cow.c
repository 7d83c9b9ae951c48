/*
 * cow.c - copy-on-write fork (see cow.h).
 *
 * fork does not copy memory: parent and child share every frame of their
 * private regions, read-only, until one of them writes to a page.  That
 * write faults, and only then is the one page copied:
 *
 *   after fork              child writes page P        parent writes P
 *   parent --\              parent ---> F (ref 1)       parent ---> F, writable
 *             > F (ref 2)   child  ---> F' (copy)       (the last user: no copy)
 *   child  --/  read-only
 *
 * The reference count says how many entries map a frame; a frame is freed
 * with its last reference (frame_put), whoever drops it last.
 */
#include "mm/cow.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/memcg.h"
#include "mm/vm.h"

int cow_fork_page(struct mm *child, u64 va, pte_t *entry)
{
    /* Every shared page is copy-on-write, even a read-only one: mprotect
     * may make it writable later, and then a write must still copy it. */
    *entry = (*entry & ~PTE_WRITE) | PTE_COW;
    phys_addr_t frame = PTE_ADDRESS(*entry);
    if (pagetable_map(child->pml4, va, frame, *entry & ~PTE_ADDRESS_MASK) < 0)
        return -ENOMEM;
    frame_get(frame); /* the child's entry is a second user */
    return 0;
}

int cow_write_fault(struct mm *mm, u64 page, pte_t *entry, u32 prot)
{
    phys_addr_t old = PTE_ADDRESS(*entry);
    u64 flags = pte_flags_supported(vm_pte_flags(prot)) | PTE_PRESENT; /* PTE_COW cleared */
    if (frame_refcount(old) == 1) { /* the others already copied: it is ours alone */
        *entry = old | flags;
        pagetable_flush(mm->pml4, page);
        return 0;
    }
    phys_addr_t copy = memcg_user_frame_alloc(mm, false); /* every byte is copied over */
    if (!copy)
        return -ENOMEM;
    memcpy(phys_to_virt(copy), phys_to_virt(old), PAGE_SIZE);
    *entry = copy | flags;
    pagetable_flush(mm->pml4, page);
    frame_put(old); /* one user fewer; freed here if the others are gone */
    return 0;
}
