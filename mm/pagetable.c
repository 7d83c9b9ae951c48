/* pagetable.c - walk, build and tear down four-level page tables. */
#include "mm/pagetable.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/param.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "kernel/bkl.h"
#include "kernel/arch/smp.h"
#include "kernel/cpu.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "mm/frame.h"
#include "mm/kstack.h"
#include "mm/layout.h"

#define ENTRIES 512
#define KERNEL_HALF_FIRST 256 /* PML4 entries 256..511 map the kernel half */
#define USER_TABLE_FLAGS (PTE_PRESENT | PTE_WRITE | PTE_USER) /* leaves decide the real rights */
#define KERNEL_TABLE_FLAGS (PTE_PRESENT | PTE_WRITE)
#define HUGE_PAGE_SIZE (2ul << 20)

phys_addr_t kernel_pml4;
u64 pte_nx = PTE_NX;

static ALWAYS_INLINE pte_t *table(phys_addr_t phys) { return phys_to_virt(phys); }

/*
 * The entry for `va` at the last level, creating missing tables when
 * `create` is set.  NULL if a table is missing (or could not be allocated)
 * or if a 2 MiB page sits on the way.
 */
static pte_t *walk(phys_addr_t pml4, u64 va, bool create)
{
    static const int shifts[3] = {39, 30, 21};
    pte_t *t = table(pml4);
    for (int level = 0; level < 3; level++) {
        pte_t *entry = &t[(va >> shifts[level]) & 511];
        if (!(*entry & PTE_PRESENT)) {
            if (!create)
                return NULL;
            phys_addr_t next = frame_alloc();
            if (!next)
                return NULL;
            *entry = next | (is_user_address(va) ? USER_TABLE_FLAGS : KERNEL_TABLE_FLAGS);
        } else if (*entry & PTE_HUGE) {
            return NULL;
        }
        t = table(PTE_ADDRESS(*entry));
    }
    return &t[PT_INDEX(va)];
}

pte_t *pagetable_lookup(phys_addr_t pml4, u64 va) { return walk(pml4, va, false); }

void pagetable_flush(phys_addr_t pml4, u64 va)
{
    if (read_cr3() == pml4 || !is_user_address(va))
        invlpg(va);
    if (is_user_address(va))
        tlb_shootdown(pml4);
    else
        tlb_shootdown_kernel(va);
}

void pagetable_flush_all(phys_addr_t pml4)
{
    if (read_cr3() == pml4)
        write_cr3(pml4); /* every non-global entry: simpler than page by page */
    tlb_shootdown(pml4);
}

static void flush_this_cpu(void *unused)
{
    (void)unused;
    write_cr3(read_cr3()); /* every non-global entry */
    tlb_shootdowns_taken++;
}

u64 tlb_shootdowns_sent, tlb_shootdowns_taken;

/*
 * Several CPUs run processes: another CPU may run a thread of the same
 * address space and keep the old translation in its TLB.  Ask each such
 * CPU to flush (a call-function IPI) and wait for it.  The caller holds
 * the big kernel lock, so no CPU can switch to this address space meanwhile
 * (and a CPU that switches to it later loads CR3, which flushes).
 */
/*
 * A kernel mapping changed (a kernel stack was freed): every CPU may cache
 * it.  No IPI: the other CPUs touch kernel memory only under the big kernel
 * lock, so each flushes its whole TLB when it next takes the lock
 * (tlb_catch_up).  A CPU in user mode or idle meanwhile uses only its
 * current process's kernel stack, which is alive.
 */
static volatile u64 kernel_tlb_generation;

void tlb_shootdown_kernel(u64 va)
{
    (void)va;
    if (smp_scheduling)
        this_cpu()->kernel_tlb_seen =
            __atomic_add_fetch(&kernel_tlb_generation, 1, __ATOMIC_RELEASE);
}

void tlb_catch_up(void)
{
    struct cpu *cpu = this_cpu();
    u64 now = __atomic_load_n(&kernel_tlb_generation, __ATOMIC_ACQUIRE);
    if (cpu->kernel_tlb_seen == now)
        return;
    cpu->kernel_tlb_seen = now;
    u64 cr4 = read_cr4();
    if (cr4 & CR4_PGE) {
        write_cr4(cr4 & ~CR4_PGE); /* turning global pages off and on flushes them too */
        write_cr4(cr4);
    } else {
        write_cr3(read_cr3());
    }
    tlb_shootdowns_taken++;
}

/* How long a CPU may take to flush before it counts as dead: as long as the
 * big kernel lock's wait (kernel/bkl.c).  Each virtual CPU is a host thread,
 * and a busy host can leave one unscheduled for more than a second (1 s
 * panicked here with three test suites on two host cores). */
#define SHOOTDOWN_TIMEOUT_US (20 * 1000000ul)

void tlb_shootdown(phys_addr_t pml4)
{
    if (!smp_scheduling)
        return;
    int me = this_cpu()->id;
    for (int i = 0; i < cpu_count; i++) {
        struct proc *p = cpus[i].running;
        if (i == me || !cpus[i].online || !p || !p->mm || p->mm->pml4 != pml4)
            continue;
        tlb_shootdowns_sent++;
        if (smp_call_on(i, flush_this_cpu, NULL, SHOOTDOWN_TIMEOUT_US) < 0)
            panic("TLB shootdown: CPU %d did not answer", i);
    }
}

int pagetable_map(phys_addr_t pml4, u64 va, phys_addr_t frame, u64 flags)
{
    pte_t *entry = walk(pml4, va, true);
    if (!entry)
        return -ENOMEM;
    bool was_present = *entry & PTE_PRESENT;
    u64 present = (flags & PTE_PROTNONE) ? 0 : PTE_PRESENT;
    *entry = (frame & PTE_ADDRESS_MASK) | pte_flags_supported(flags) | present;
    if (was_present)
        pagetable_flush(pml4, va);
    return 0;
}

int pagetable_map_entry(phys_addr_t pml4, u64 va, pte_t value)
{
    pte_t *entry = walk(pml4, va, true);
    if (!entry)
        return -ENOMEM;
    ASSERT(!(*entry & PTE_PRESENT));
    *entry = value;
    return 0;
}

pte_t pagetable_unmap(phys_addr_t pml4, u64 va)
{
    pte_t *entry = walk(pml4, va, false);
    if (!entry || !(*entry & PTE_PRESENT))
        return 0;
    pte_t old = *entry;
    *entry = 0;
    pagetable_flush(pml4, va);
    return old;
}

int pagetable_protect(phys_addr_t pml4, u64 va, u64 flags)
{
    pte_t *entry = walk(pml4, va, false);
    if (!entry || !(*entry & PTE_PRESENT))
        return -ENOENT;
    *entry = PTE_ADDRESS(*entry) | pte_flags_supported(flags) | PTE_PRESENT;
    pagetable_flush(pml4, va);
    return 0;
}

bool pagetable_translate(phys_addr_t pml4, u64 va, phys_addr_t *phys, u64 *flags)
{
    /* Walk by hand so 2 MiB pages (the direct map) translate too. */
    pte_t *t = table(pml4);
    pte_t entry = t[PML4_INDEX(va)];
    if (!(entry & PTE_PRESENT))
        return false;
    entry = table(PTE_ADDRESS(entry))[PDPT_INDEX(va)];
    if (!(entry & PTE_PRESENT))
        return false;
    entry = table(PTE_ADDRESS(entry))[PD_INDEX(va)];
    if (!(entry & PTE_PRESENT))
        return false;
    u64 address;
    if (entry & PTE_HUGE) {
        address = (entry & PTE_ADDRESS_MASK & ~(HUGE_PAGE_SIZE - 1)) + (va & (HUGE_PAGE_SIZE - 1));
    } else {
        entry = table(PTE_ADDRESS(entry))[PT_INDEX(va)];
        if (!(entry & PTE_PRESENT))
            return false;
        address = PTE_ADDRESS(entry) + PAGE_OFFSET(va);
    }
    if (phys)
        *phys = address;
    if (flags)
        *flags = entry & ~PTE_ADDRESS_MASK;
    return true;
}

/* Visit the present entries of table `t` (level 3 = PML4 ... 0 = PT) overlapping [start, end). */
static void walk_level(phys_addr_t t, int level, u64 base, u64 start, u64 end,
                       void (*fn)(u64 va, pte_t *entry, void *arg), void *arg, u64 leaf_marks)
{
    u64 span = 1ull << (12 + 9 * level); /* bytes covered by one entry at this level */
    pte_t *entries = table(t);
    /* Only the entries that overlap [start, end), not all 512: a process's
     * few small regions would otherwise cost 512 checks per table level. */
    if (start >= end || end <= base)
        return;
    u64 first = start > base ? (start - base) / span : 0;
    if (first >= ENTRIES)
        return;
    u64 last = MIN((end - 1 - base) / span, (u64)ENTRIES - 1);
    /* The bits that make an entry worth a visit, worked out once: most
     * entries of a region are empty, and each costs only this test. */
    u64 visit = PTE_PRESENT | (level == 0 ? leaf_marks : 0);
    for (u64 i = first; i <= last; i++) {
        if (!(entries[i] & visit))
            continue;
        u64 va = base + i * span;
        if (level == 0)
            fn(va, &entries[i], arg);
        else if (!(entries[i] & PTE_HUGE))
            walk_level(PTE_ADDRESS(entries[i]), level - 1, va, start, end, fn, arg, leaf_marks);
    }
}

void pagetable_walk(phys_addr_t pml4, u64 start, u64 end,
                    void (*fn)(u64 va, pte_t *entry, void *arg), void *arg)
{
    walk_level(pml4, 3, 0, start, MIN(end, USER_TOP), fn, arg, PTE_PROTNONE);
}

void pagetable_walk_all(phys_addr_t pml4, u64 start, u64 end,
                        void (*fn)(u64 va, pte_t *entry, void *arg), void *arg)
{
    walk_level(pml4, 3, 0, start, MIN(end, USER_TOP), fn, arg, PTE_PROTNONE | PTE_SWAP);
}

phys_addr_t pagetable_create(void)
{
    phys_addr_t pml4 = frame_alloc();
    if (!pml4)
        return 0;
    /* Share the kernel half: the same PDPT pages, so kernel mappings made
     * at boot are visible in every address space. */
    memcpy(&table(pml4)[KERNEL_HALF_FIRST], &table(kernel_pml4)[KERNEL_HALF_FIRST],
           (ENTRIES - KERNEL_HALF_FIRST) * sizeof(pte_t));
    return pml4;
}

static void free_tables(phys_addr_t t, int depth);

/* Free the tables that entries [first, first + count) of a table point to
 * (count a multiple of 8).  A process's regions sit at the two ends of its
 * address space, so nearly every entry of its upper tables is empty: they
 * are tested eight at a time (exit scanned about 2,000 entries entry by
 * entry, 15,000 instructions of a fork + exit + wait). */
static void free_entries(const pte_t *entries, int first, int count, int depth)
{
    for (int i = first; i < first + count; i += 8) {
        pte_t any = entries[i] | entries[i + 1] | entries[i + 2] | entries[i + 3] | entries[i + 4] |
                    entries[i + 5] | entries[i + 6] | entries[i + 7];
        if (!(any & PTE_PRESENT))
            continue;
        for (int j = i; j < i + 8; j++)
            if (entries[j] & PTE_PRESENT)
                free_tables(PTE_ADDRESS(entries[j]), depth);
    }
}

/* Free a table and, below it, every lower-level table (depth 1 = a PT). */
static void free_tables(phys_addr_t t, int depth)
{
    if (depth > 1)
        free_entries(table(t), 0, ENTRIES, depth - 1);
    frame_put(t);
}

void pagetable_destroy(phys_addr_t pml4)
{
    ASSERT(pml4 != kernel_pml4 && read_cr3() != pml4);
    free_entries(table(pml4), 0, KERNEL_HALF_FIRST, 3);
    frame_put(pml4);
}

static u64 count_tables(phys_addr_t t, int depth)
{
    u64 count = 1;
    if (depth > 1) {
        pte_t *entries = table(t);
        for (int i = 0; i < ENTRIES; i++)
            if (entries[i] & PTE_PRESENT)
                count += count_tables(PTE_ADDRESS(entries[i]), depth - 1);
    }
    return count;
}

u64 pagetable_count_tables(phys_addr_t pml4)
{
    u64 count = 1;
    pte_t *entries = table(pml4);
    for (int i = 0; i < KERNEL_HALF_FIRST; i++)
        if (entries[i] & PTE_PRESENT)
            count += count_tables(PTE_ADDRESS(entries[i]), 3);
    return count;
}

void pagetable_activate(phys_addr_t pml4)
{
    if (read_cr3() != pml4)
        write_cr3(pml4);
}

void *pagetable_map_physical(phys_addr_t phys, u64 size, bool uncached)
{
    u64 flags = PTE_WRITE | PTE_GLOBAL | pte_nx | (uncached ? PTE_PCD | PTE_PWT : 0);
    for (u64 page = ALIGN_DOWN(phys, PAGE_SIZE); page < phys + size; page += PAGE_SIZE) {
        u64 va = (u64)phys_to_virt(page);
        /* Under the direct map's top-level entry, which every address space
         * shares, so a table made here is seen everywhere. */
        if (!pagetable_translate(kernel_pml4, va, NULL, NULL) &&
            pagetable_map(kernel_pml4, va, page, flags) < 0)
            panic("pagetable_map_physical: out of memory mapping %#lx", page);
    }
    return phys_to_virt(phys);
}

/* Map [start, end) of the kernel image with 4 KiB pages and the given rights. */
static void map_kernel_range(const char *start, const char *end, u64 flags)
{
    for (u64 va = (u64)start; va < (u64)end; va += PAGE_SIZE)
        if (pagetable_map(kernel_pml4, va, virt_to_phys((void *)va), flags | PTE_GLOBAL) < 0)
            panic("pagetable_init: out of memory mapping the kernel");
}

/*
 * The direct map reaches the kernel image's frames too.  Map the 2 MiB
 * around [start, end) with 4 KiB pages and leave that range read-only, so a
 * stray write through the alias cannot change kernel text or rodata either.
 */
static void protect_direct_map_alias(phys_addr_t start, phys_addr_t end)
{
    for (u64 huge = ALIGN_DOWN(start, HUGE_PAGE_SIZE); huge < end; huge += HUGE_PAGE_SIZE) {
        u64 va = DIRECT_MAP_BASE + huge;
        pte_t pdpt_entry = table(kernel_pml4)[PML4_INDEX(va)];
        pte_t *pd_entry =
            &table(PTE_ADDRESS(table(PTE_ADDRESS(pdpt_entry))[PDPT_INDEX(va)]))[PD_INDEX(va)];
        phys_addr_t pt = frame_alloc();
        if (!pt)
            panic("pagetable_init: out of memory protecting the kernel image");
        for (int i = 0; i < ENTRIES; i++) {
            u64 phys = huge + (u64)i * PAGE_SIZE;
            bool read_only = phys >= start && phys < end;
            table(pt)[i] = phys | PTE_PRESENT | PTE_GLOBAL | pte_nx | (read_only ? 0 : PTE_WRITE);
        }
        *pd_entry = pt | KERNEL_TABLE_FLAGS;
    }
}

void pagetable_init(void)
{
    u32 a, b, c, d;
    cpuid(0x80000001, 0, &a, &b, &c, &d);
    if (!(d & (1u << 20)))
        pte_nx = 0;
    write_cr4(read_cr4() | (1u << 7)); /* PGE: honour PTE_GLOBAL */

    kernel_pml4 = frame_alloc();
    if (!kernel_pml4)
        panic("pagetable_init: no memory for the kernel page tables");

    /* The direct map: all of physical memory, 2 MiB at a time, no execute. */
    u64 end = ALIGN_UP(frames_highest_address(), HUGE_PAGE_SIZE);
    for (u64 phys = 0; phys < end; phys += HUGE_PAGE_SIZE) {
        u64 va = DIRECT_MAP_BASE + phys;
        pte_t *pdpt_entry = &table(kernel_pml4)[PML4_INDEX(va)];
        if (!(*pdpt_entry & PTE_PRESENT))
            *pdpt_entry = frame_alloc() | KERNEL_TABLE_FLAGS;
        pte_t *pd_entry = &table(PTE_ADDRESS(*pdpt_entry))[PDPT_INDEX(va)];
        if (!(*pd_entry & PTE_PRESENT))
            *pd_entry = frame_alloc() | KERNEL_TABLE_FLAGS;
        if (PTE_ADDRESS(*pdpt_entry) == 0 || PTE_ADDRESS(*pd_entry) == 0)
            panic("pagetable_init: out of memory building the direct map");
        table(PTE_ADDRESS(*pd_entry))[PD_INDEX(va)] =
            phys | PTE_PRESENT | PTE_WRITE | PTE_HUGE | PTE_GLOBAL | pte_nx;
    }

    /* The kernel image, each part with only the rights it needs. */
    map_kernel_range(_text_start, _text_end, 0);                                       /* r-x */
    map_kernel_range(_rodata_start, _data_start, pte_nx);                              /* r-- */
    map_kernel_range(_data_start, _bss_end, PTE_WRITE | pte_nx);                       /* rw- */
    map_kernel_range((char *)ALIGN_UP((u64)_bss_end, PAGE_SIZE), _kernel_end, pte_nx); /* ksyms */
    protect_direct_map_alias(virt_to_phys(_text_start), virt_to_phys(_data_start));
    /* The page under the boot stack stays unmapped: an overflow faults (mm/kstack.h). */
    pagetable_unmap(kernel_pml4, (u64)boot_stack_guard);
    /* Create the tables of the kernel-stack area now: the top-level entry is
     * copied into every address space made later, so it must exist first. */
    if (!walk(kernel_pml4, KSTACK_AREA_BASE, true))
        panic("pagetable_init: out of memory for the kernel-stack area");

    write_cr3(kernel_pml4);
}
