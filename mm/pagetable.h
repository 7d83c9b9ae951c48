/*
 * pagetable.h - x86-64 four-level page tables.
 *
 * A virtual address is split into four 9-bit indexes and a 12-bit offset:
 *
 *   63    48 47    39 38    30 29    21 20    12 11        0
 *  +--------+--------+--------+--------+--------+-----------+
 *  | sign   |  PML4  |  PDPT  |   PD   |   PT   |  offset   |
 *  +--------+--------+--------+--------+--------+-----------+
 *
 * CR3 holds the physical address of the PML4; each level's entry holds the
 * physical address of the next table, and the PT entry holds the frame.
 * The MMU walks this on every TLB miss; a missing or forbidding entry raises
 * a page fault (mm/fault.c).
 */
#ifndef MM_PAGETABLE_H
#define MM_PAGETABLE_H

#include "kernel/types.h"

typedef u64 pte_t;

#define PTE_PRESENT (1ull << 0)
#define PTE_WRITE (1ull << 1)
#define PTE_USER (1ull << 2) /* ring 3 may access; otherwise kernel only */
#define PTE_PWT (1ull << 3)  /* write-through */
#define PTE_PCD (1ull << 4)  /* cache disabled: device registers */
#define PTE_ACCESSED (1ull << 5)
#define PTE_DIRTY (1ull << 6)
#define PTE_HUGE (1ull << 7)   /* in a PD entry: maps 2 MiB directly */
#define PTE_GLOBAL (1ull << 8) /* kept in the TLB across CR3 switches */
#define PTE_COW (1ull << 9)    /* sprout's own bit: read-only because shared copy-on-write */
#define PTE_PROTNONE                                                                               \
    (1ull << 10) /* sprout's own bit, with PRESENT clear: a frame kept for a                       \
                  * PROT_NONE page (every access faults, even the kernel's) */
#define PTE_SWAP                                                                                   \
    (1ull << 11) /* sprout's own bit, with PRESENT clear: the page is in a swap                    \
                  * slot (mm/swap.h), whose number the address bits hold */
#define PTE_SWAP_COW                                                                               \
    (1ull << 52) /* sprout's own bit, with PTE_COW: read-only because the swap cache shares the    \
                  * frame; a write goes to swap_write_fault (mm/reclaim.c), not to mm/cow.c */
#define PTE_NX (1ull << 63) /* no execute */
#define PTE_ADDRESS_MASK 0x000FFFFFFFFFF000ull

#define PML4_INDEX(va) (((u64)(va) >> 39) & 511)
#define PDPT_INDEX(va) (((u64)(va) >> 30) & 511)
#define PD_INDEX(va) (((u64)(va) >> 21) & 511)
#define PT_INDEX(va) (((u64)(va) >> 12) & 511)
#define PAGE_OFFSET(va) ((u64)(va)&0xFFF)
#define PTE_ADDRESS(pte) ((pte)&PTE_ADDRESS_MASK)

/* Is `va` canonical (bits 63..47 all equal)? Non-canonical addresses fault with #GP. */
static inline bool is_canonical(u64 va)
{
    u64 top = va >> 47;
    return top == 0 || top == 0x1FFFF;
}

/* The kernel's own page tables; every address space shares their upper half. */
extern phys_addr_t kernel_pml4;

/* Build the kernel's tables (direct map + image with section permissions) and load them. */
void pagetable_init(void);

/* A new PML4 with an empty user half and the shared kernel half; 0 if out of memory. */
phys_addr_t pagetable_create(void);
/* Free the user half's table pages and the PML4 (not the frames they map). */
void pagetable_destroy(phys_addr_t pml4);
/* Load an address space into CR3. */
void pagetable_activate(phys_addr_t pml4);

/*
 * Map the 4 KiB page at `va` to `frame` with `flags` (PTE_* bits; PRESENT is
 * implied unless flags has PTE_PROTNONE), allocating intermediate tables.
 * Returns 0, or -ENOMEM.
 * Replaces any previous mapping without freeing its frame.
 */
int pagetable_map(phys_addr_t pml4, u64 va, phys_addr_t frame, u64 flags);
/* Store `entry` as it is (a swap PTE, mm/swap.h) for `va`, allocating
 * intermediate tables.  Returns 0, or -ENOMEM. */
int pagetable_map_entry(phys_addr_t pml4, u64 va, pte_t entry);
/* Remove the mapping of `va`; returns the old entry (0 if none). */
pte_t pagetable_unmap(phys_addr_t pml4, u64 va);
/* Replace the flags of an existing mapping; -ENOENT if `va` is not mapped. */
int pagetable_protect(phys_addr_t pml4, u64 va, u64 flags);
/* Physical address and flags behind `va`; false if not mapped. */
bool pagetable_translate(phys_addr_t pml4, u64 va, phys_addr_t *phys, u64 *flags);
/* Pointer to the last-level entry for `va`, or NULL if a table is missing. */
pte_t *pagetable_lookup(phys_addr_t pml4, u64 va);
/* Flush `va` from the TLB if `pml4` is the active address space. */
void pagetable_flush(phys_addr_t pml4, u64 va);
/* Many pages of address space `pml4` changed: flush this CPU's whole TLB if
 * it has that space loaded, and every other CPU running it (tlb_shootdown). */
void pagetable_flush_all(phys_addr_t pml4);
/* Make every other CPU running the address space `pml4` flush its TLB
 * (docs/smp.md; a no-op unless several CPUs run processes). */
void tlb_shootdown(phys_addr_t pml4);
/* The same for a kernel address: every other CPU invalidates that page. */
void tlb_shootdown_kernel(u64 va);
/* Taking the big kernel lock: flush this CPU's TLB if a kernel mapping went meanwhile. */
void tlb_catch_up(void);
extern u64 tlb_shootdowns_sent, tlb_shootdowns_taken;

/*
 * Call fn(va, entry, arg) for every 4 KiB entry of the user half that holds a
 * frame (present, or PTE_PROTNONE) in
 * [start, end), skipping missing tables quickly.  fn may change or clear the
 * entry (the caller flushes the TLB).
 */
void pagetable_walk(phys_addr_t pml4, u64 start, u64 end,
                    void (*fn)(u64 va, pte_t *entry, void *arg), void *arg);

/*
 * Make [phys, phys + size) readable through the direct map (phys_to_virt)
 * and return that address.  RAM is mapped already; firmware tables and
 * device registers above the end of RAM (ACPI, the APICs at 0xFEE00000)
 * are mapped here, 4 KiB at a time, uncached when `uncached` (device
 * registers).  Boot-time only; panics if out of memory.
 */
void *pagetable_map_physical(phys_addr_t phys, u64 size, bool uncached);
/* The same, visiting swap entries (PTE_SWAP, mm/swap.h) as well: the walks
 * that free, copy or move entries (munmap and exit, fork, mremap, swapoff). */
void pagetable_walk_all(phys_addr_t pml4, u64 start, u64 end,
                        void (*fn)(u64 va, pte_t *entry, void *arg), void *arg);

/* Count the page-table pages of the user half (for /proc: VmPTE). */
u64 pagetable_count_tables(phys_addr_t pml4);

/* 0 if the CPU has no NX bit (then PTE_NX must not be set). */
extern u64 pte_nx;
/* `flags` with PTE_NX dropped when the CPU has no NX bit (there the bit is
 * reserved: an entry with it set makes every access fault). */
static inline u64 pte_flags_supported(u64 flags) { return flags & (pte_nx | ~PTE_NX); }

#endif
