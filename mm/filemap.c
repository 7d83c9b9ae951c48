/*
 * filemap.c - regions that map a file: their page faults and their
 * writeback (see kernel/fs/pagecache.h for the cache they map, and
 * docs/pagecache.md).
 */
#include "mm/filemap.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "kernel/x86.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/memcg.h"
#include "mm/pagetable.h"
#include "mm/swap.h"
#include "mm/vm.h"
#include "proc/proc.h"

/*
 * Fault-around: a read fault on a file region also maps the neighbouring
 * pages that are already in the page cache, the FAULT_AROUND_PAGES-aligned
 * window around the fault, so a process reading a file or running a program
 * takes one fault per 64 KiB instead of one per page (Linux does the same:
 * filemap_map_pages, fault_around_bytes).  Only what costs nothing to map:
 * a page not yet cached is left to fault in later (reading it could sleep),
 * and a page already mapped, or out on swap, is left alone.
 */
#define FAULT_AROUND_PAGES 16

static void map_cached_neighbours(struct mm *mm, struct vma *vma, u64 page, u64 flags)
{
    struct inode *inode = vma->file->inode;
    if (!inode->ops->find_page)
        return;
    pte_t *fault_entry = pagetable_lookup(mm->pml4, page);
    if (!fault_entry)
        return;
    /* The window is aligned, so it lies inside the one page table that holds
     * the fault's entry: its neighbours' entries are next to it. */
    u64 window = ALIGN_DOWN(page, FAULT_AROUND_PAGES * PAGE_SIZE);
    u64 start = MAX(window, vma->start);
    u64 end = MIN(window + FAULT_AROUND_PAGES * PAGE_SIZE, vma->end);
    u64 file_pages = ALIGN_UP(inode->size, PAGE_SIZE) / PAGE_SIZE;
    for (u64 va = start; va < end; va += PAGE_SIZE) {
        pte_t *entry = fault_entry + ((i64)(va - page) / (i64)PAGE_SIZE);
        if (*entry)
            continue; /* mapped (the fault's own page too), or on swap */
        u64 index = (vma->file_offset + (va - vma->start)) / PAGE_SIZE;
        if (index >= file_pages)
            break; /* past the end of the file: those still fault (SIGBUS) */
        phys_addr_t frame = inode->ops->find_page(inode, index);
        if (!frame)
            continue;
        frame_get(frame); /* the mapping's reference */
        *entry = (frame & PTE_ADDRESS_MASK) | pte_flags_supported(flags) | PTE_PRESENT;
        mm->rss++;
    }
}

/*
 * A missing page of a file region: the page-cache frame itself for
 * MAP_SHARED (writes reach the file); for MAP_PRIVATE the cache frame
 * read-only and copy-on-write, or at once a private copy for a write.
 */
int filemap_fault(struct mm *mm, struct vma *vma, u64 page, u32 access)
{
    const struct file *file = vma->file;
    struct inode *inode = file->inode;
    u64 offset = vma->file_offset + (page - vma->start);
    if (offset >= ALIGN_UP(inode->size, PAGE_SIZE))
        return -ENXIO; /* past the end of the file: SIGBUS */
    /* A page already in the cache is taken as it is, without sleeping; only
     * get_page, which may read it from the disk, sleeps (and lets go of the
     * big kernel lock meanwhile). */
    phys_addr_t frame =
        inode->ops->find_page ? inode->ops->find_page(inode, offset / PAGE_SIZE) : 0;
    bool slept = !frame;
    if (frame) {
        frame_get(frame); /* the mapping's reference, as get_page would take */
    } else {
        int error = inode->ops->get_page(inode, offset / PAGE_SIZE, &frame);
        if (error)
            return error == -ENOMEM ? -ENOMEM : -ENXIO;
        /* Another thread may have unmapped or changed the region meanwhile:
         * `vma` may be gone.  Find it again; if it is not the same part of the
         * same file, the access is retried against whatever is there now. */
        vma = vm_find(mm, page);
        if (!vma || vma->file != file || vma->file_offset + (page - vma->start) != offset) {
            frame_put(frame);
            return 0;
        }
        if (offset >= ALIGN_UP(inode->size, PAGE_SIZE)) {
            frame_put(frame); /* truncated while get_page slept */
            return -ENXIO;
        }
    }
    u64 flags = vm_pte_flags(vma->prot);
    if (!vma->shared && (access & VM_WRITE)) {
        /* charged to the process's memory cgroup; every byte is copied over */
        phys_addr_t copy = memcg_user_frame_alloc(mm, false);
        if (!copy) {
            frame_put(frame);
            return -ENOMEM;
        }
        memcpy(phys_to_virt(copy), phys_to_virt(frame), PAGE_SIZE);
        frame_put(frame);
        frame = copy;
    } else if (!vma->shared) {
        flags =
            (flags & ~PTE_WRITE) | PTE_COW; /* COW even if read-only: mprotect may allow writes */
    }
    /* get_page may have slept (ext2 reads the disk): another thread may have mapped it. */
    pte_t *entry = pagetable_lookup(mm->pml4, page);
    if (entry && *entry) {
        frame_put(frame);
        return 0;
    }
    if (pagetable_map(mm->pml4, page, frame, flags) < 0) {
        frame_put(frame);
        return -ENOMEM;
    }
    mm->rss++;
    if (!(access & VM_WRITE) && !slept) /* (after a sleep, the fault's own page is enough) */
        map_cached_neighbours(mm, vma, page, flags);
    return 0;
}

#define WRITEBACK_BATCH 32

struct writeback_scan {
    u64 found[WRITEBACK_BATCH]; /* dirty pages, their dirty bits cleared */
    int count;
    u64 resume; /* where the next scan starts */
};

static void collect_dirty(u64 va, pte_t *entry, void *arg)
{
    struct writeback_scan *scan = arg;
    if (scan->count == WRITEBACK_BATCH || pte_is_swap(*entry) || !(*entry & PTE_DIRTY))
        return;
    *entry &= ~PTE_DIRTY;
    scan->found[scan->count++] = va;
    scan->resume = va + PAGE_SIZE;
}

/* Write back one shared file region's dirty pages in [start, end), a batch at a time (the
 * writes sleep, so the page tables are not walked across them). */
static int writeback_region(struct mm *mm, struct vma *vma, u64 start, u64 end)
{
    struct inode *inode = vma->file->inode;
    int first_error = 0;
    for (u64 from = start; from < end;) {
        struct writeback_scan scan = {.count = 0, .resume = end};
        pagetable_walk(mm->pml4, from, end, collect_dirty, &scan);
        if (scan.count && read_cr3() == mm->pml4)
            write_cr3(mm->pml4); /* the cleared dirty bits must be set again by the next write */
        for (int i = 0; i < scan.count; i++) {
            u64 index = (vma->file_offset + (scan.found[i] - vma->start)) / PAGE_SIZE;
            int error = inode->ops->writeback_page(inode, index);
            if (error && !first_error)
                first_error = error;
        }
        from = scan.count == WRITEBACK_BATCH ? scan.resume : end;
    }
    return first_error;
}

int filemap_writeback(struct mm *mm, u64 start, u64 end)
{
    int first_error = 0;
    struct vma *vma;
    list_for_each_entry (vma, &mm->vmas, node) {
        if (vma->end <= start)
            continue;
        if (vma->start >= end)
            break;
        if (vma->kind != VMA_FILE || !vma->shared || !vma->file->inode->ops->writeback_page)
            continue;
        int error = writeback_region(mm, vma, MAX(start, vma->start), MIN(end, vma->end));
        if (error && !first_error)
            first_error = error;
    }
    return first_error;
}

void filemap_writeback_all(void)
{
    struct mm *mm =
        list_empty(&all_mms) ? NULL : list_entry(all_mms.head.next, struct mm, all_node);
    if (mm)
        mm_get(mm);
    while (mm) {
        filemap_writeback(mm, 0, USER_TOP);
        struct list_node *next = mm->all_node.next; /* still listed: we hold it */
        struct mm *following = next == &all_mms.head ? NULL : list_entry(next, struct mm, all_node);
        if (following)
            mm_get(following);
        mm_put(mm);
        mm = following;
    }
}

void filemap_prefault_user(const void *buf, size_t size, u32 access)
{
    struct proc *p = current;
    u64 start = ALIGN_DOWN((u64)buf, PAGE_SIZE), end = (u64)buf + size;
    if (!p->mm || end < start || end > USER_TOP)
        return;
    for (u64 page = start; page < end; page += PAGE_SIZE) {
        pte_t *entry = pagetable_lookup(p->mm->pml4, page);
        if (entry && (*entry & PTE_PRESENT) && (access != VM_WRITE || (*entry & PTE_WRITE)))
            continue; /* there already */
        vm_fault(p->mm, page, access, p->rlimits[RLIMIT_STACK].cur);
    }
}
