/* vm.c - address spaces and their regions (see vm.h). */
#include "mm/vm.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/param.h"
#include "kernel/x86.h"
#include "mm/cow.h"
#include "mm/filemap.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/layout.h"
#include "mm/memcg.h"
#include "mm/pagetable.h"
#include "mm/swap.h"

struct list all_mms = LIST_INIT(all_mms);

u64 vm_pte_flags(u32 prot)
{
    if (prot == 0)
        return PTE_PROTNONE; /* keep the frame, but nobody may touch it */
    u64 flags = PTE_USER;
    if (prot & VM_WRITE)
        flags |= PTE_WRITE;
    if (!(prot & VM_EXEC))
        flags |= PTE_NX;
    return flags;
}

struct mm *mm_create(void)
{
    struct mm *mm = kzalloc(sizeof *mm);
    if (!mm)
        return NULL;
    mm->pml4 = pagetable_create();
    if (!mm->pml4) {
        kfree(mm);
        return NULL;
    }
    list_init(&mm->vmas);
    mm->users = 1;
    list_push_back(&all_mms, &mm->all_node);
    return mm;
}

void mm_get(struct mm *mm) { mm->users++; }

/* Free the frame (or the swap slot) behind one entry and clear it. */
static void unmap_one(u64 va, pte_t *entry, void *arg)
{
    struct mm *mm = arg;
    (void)va;
    if (pte_is_swap(*entry)) {
        swap_slot_put(pte_swap_entry(*entry));
        mm->swap_pages--;
    } else {
        swap_frame_put(PTE_ADDRESS(*entry)); /* frame_put, and the swap cache's share */
        mm->rss--;
    }
    *entry = 0;
}

static void unmap_range(struct mm *mm, u64 start, u64 end)
{
    pagetable_walk_all(mm->pml4, start, end, unmap_one, mm);
    pagetable_flush_all(mm->pml4);
}

static void vma_free(struct vma *vma)
{
    if (vma->file)
        file_put(vma->file);
    kfree(vma);
}

void mm_put(struct mm *mm)
{
    if (!mm || --mm->users > 0)
        return;
    /* Off the list of address spaces first: the writeback below may sleep,
     * and the flusher, reclaim and swapoff walk that list taking references;
     * one taken meanwhile brought the count back from 0, and its mm_put
     * freed the address space under this one (a panic with the disk as /). */
    reclaim_forget_mm(mm);
    list_remove(&mm->all_node);
    filemap_writeback(mm, 0, USER_TOP); /* exit: what MAP_SHARED wrote reaches the files */
    struct vma *vma, *tmp;
    list_for_each_entry_safe (vma, tmp, &mm->vmas, node) {
        unmap_range(mm, vma->start, vma->end);
        list_remove(&vma->node);
        vma_free(vma);
    }
    if (mm->exe_inode) { /* the program may be written again */
        inode_allow_write_access(mm->exe_inode);
        inode_put(mm->exe_inode);
    }
    pagetable_destroy(mm->pml4);
    kfree(mm);
}

struct vma *vm_find(struct mm *mm, u64 addr)
{
    struct vma *vma;
    list_for_each_entry (vma, &mm->vmas, node) {
        if (addr < vma->start)
            return NULL;
        if (addr < vma->end)
            return vma;
    }
    return NULL;
}

bool vm_range_used(struct mm *mm, u64 start, u64 end)
{
    struct vma *vma;
    list_for_each_entry (vma, &mm->vmas, node) {
        if (vma->start >= end)
            return false; /* sorted: nothing further can overlap */
        if (vma->end > start)
            return true;
    }
    return false;
}

static struct vma *vma_new(u64 start, u64 end, u32 prot, enum vma_kind kind)
{
    struct vma *vma = kzalloc(sizeof *vma);
    if (vma)
        *vma = (struct vma){.start = start, .end = end, .prot = prot, .kind = kind};
    return vma;
}

/* Insert keeping the list sorted by address. */
static void vma_insert(struct mm *mm, struct vma *new)
{
    struct vma *vma;
    list_for_each_entry (vma, &mm->vmas, node) {
        if (vma->start > new->start)
            break;
    }
    list_insert_before(&vma->node, &new->node);
}

int vm_map(struct mm *mm, u64 start, u64 length, u32 prot, enum vma_kind kind)
{
    u64 end = start + length;
    if (!IS_ALIGNED(start, PAGE_SIZE) || !IS_ALIGNED(length, PAGE_SIZE) || length == 0 ||
        end < start || end > USER_TOP || start < PAGE_SIZE)
        return -EINVAL;
    struct vma *vma;
    list_for_each_entry (vma, &mm->vmas, node) {
        if (vma->start < end && start < vma->end)
            return -EINVAL;
    }
    struct vma *new = vma_new(start, end, prot, kind);
    if (!new)
        return -ENOMEM;
    vma_insert(mm, new);
    return 0;
}

/* Split vma at addr (strictly inside it); the upper part becomes a new region. */
static int vma_split(struct mm *mm, struct vma *vma, u64 addr)
{
    struct vma *upper = vma_new(addr, vma->end, vma->prot, vma->kind);
    if (!upper)
        return -ENOMEM;
    upper->file_offset = vma->file_offset + (addr - vma->start);
    upper->file = vma->file;
    if (upper->file)
        file_get(upper->file);
    upper->shared = vma->shared;
    upper->locked = vma->locked;
    vma->end = addr;
    list_insert_between(&upper->node, &vma->node, vma->node.next);
    (void)mm;
    return 0;
}

int vm_unmap(struct mm *mm, u64 start, u64 length)
{
    u64 end = start + length;
    if (!IS_ALIGNED(start, PAGE_SIZE) || end < start || end > USER_TOP)
        return -EINVAL;
    end = ALIGN_UP(end, PAGE_SIZE);
    struct list_node *node = mm->vmas.head.next;
    while (node != &mm->vmas.head) {
        struct vma *vma = list_entry(node, struct vma, node);
        if (vma->end <= start || vma->start >= end) {
            node = node->next;
            continue;
        }
        if (vma->start < start) { /* keep the part below: the upper part is next */
            if (vma_split(mm, vma, start) < 0)
                return -ENOMEM;
            node = node->next;
            continue;
        }
        if (vma->end > end && vma_split(mm, vma, end) < 0) /* keep the part above */
            return -ENOMEM;
        node = node->next;
        filemap_writeback(mm, vma->start, vma->end); /* munmap writes a shared file map back */
        unmap_range(mm, vma->start, vma->end);
        list_remove(&vma->node);
        vma_free(vma);
    }
    return 0;
}

struct protect_args {
    struct mm *mm;
    u32 prot;
};

static void protect_one(u64 va, pte_t *entry, void *arg)
{
    struct protect_args *a = arg;
    (void)va;
    u64 flags = vm_pte_flags(a->prot);
    /* A copy-on-write page stays read-only until its first write fault
     * (the COW mark survives a PROT_NONE period). */
    if (*entry & PTE_COW) {
        flags &= ~PTE_WRITE;
        flags |= *entry & (PTE_COW | PTE_SWAP_COW);
    }
    u64 present = (flags & PTE_PROTNONE) ? 0 : PTE_PRESENT;
    *entry = PTE_ADDRESS(*entry) | pte_flags_supported(flags) | present;
}

int vm_protect(struct mm *mm, u64 start, u64 length, u32 prot)
{
    u64 end = ALIGN_UP(start + length, PAGE_SIZE);
    if (!IS_ALIGNED(start, PAGE_SIZE) || end < start || end > USER_TOP)
        return -EINVAL;
    /* All of the range must be mapped (Linux: ENOMEM otherwise), and a shared map of a file
     * opened without write access never becomes writable (Linux: EACCES). */
    for (u64 addr = start; addr < end;) {
        struct vma *vma = vm_find(mm, addr);
        if (!vma)
            return -ENOMEM;
        if (vma->shared && vma->file && (prot & VM_WRITE) &&
            (vma->file->flags & O_ACCMODE) != O_RDWR)
            return -EACCES;
        addr = vma->end;
    }
    struct list_node *node = mm->vmas.head.next;
    for (; node != &mm->vmas.head; node = node->next) {
        struct vma *vma = list_entry(node, struct vma, node);
        if (vma->end <= start || vma->start >= end || vma->prot == prot)
            continue;
        if (vma->start < start) { /* split; the upper part comes next and is changed then */
            if (vma_split(mm, vma, start) < 0)
                return -ENOMEM;
            continue;
        }
        if (vma->end > end && vma_split(mm, vma, end) < 0)
            return -ENOMEM;
        vma->prot = prot;
        struct protect_args args = {mm, prot};
        pagetable_walk(mm->pml4, vma->start, vma->end, protect_one, &args);
    }
    pagetable_flush_all(mm->pml4);
    return 0;
}

int vm_set_locked(struct mm *mm, u64 start, u64 end, bool locked)
{
    for (u64 addr = start; addr < end;) {
        struct vma *vma = vm_find(mm, addr);
        if (!vma)
            return -ENOMEM;
        addr = vma->end;
    }
    struct vma *vma;
    list_for_each_entry (vma, &mm->vmas, node) {
        if (vma->end <= start || vma->start >= end || vma->locked == locked)
            continue;
        if (vma->start < start) { /* split; the upper part comes next */
            if (vma_split(mm, vma, start) < 0)
                return -ENOMEM;
            continue;
        }
        if (vma->end > end && vma_split(mm, vma, end) < 0)
            return -ENOMEM;
        vma->locked = locked;
    }
    return 0;
}

u64 vm_find_free(struct mm *mm, u64 length)
{
    length = ALIGN_UP(length, PAGE_SIZE);
    u64 floor = MAX(mm->brk_start, PAGE_SIZE); /* never below the heap's start */
    u64 top = mm->mmap_base;
    /* Top-down: the highest gap under mmap_base that is big enough. */
    for (struct list_node *node = mm->vmas.head.prev; node != &mm->vmas.head; node = node->prev) {
        struct vma *vma = list_entry(node, struct vma, node);
        if (vma->start >= top)
            continue; /* above the window (the stack) */
        if (vma->end <= top && top - vma->end >= length)
            return top - length; /* the gap [vma->end, top) fits */
        top = vma->start;
    }
    return top >= floor + length ? top - length : 0;
}

struct fork_args {
    struct mm *child;
    bool shared; /* a MAP_SHARED region: the very same frames, still writable */
    int error;
};

/* Give the child one page.  A MAP_SHARED region's pages stay as they are,
 * the same frames for both; a private region's go through cow_fork_page()
 * (mm/cow.c), which shares them copy-on-write. */
static void share_one(u64 va, pte_t *entry, void *arg)
{
    struct fork_args *a = arg;
    if (a->error)
        return;
    if (pte_is_swap(*entry)) { /* out on swap: the child names the same slot */
        if (pagetable_map_entry(a->child->pml4, va, *entry) < 0) {
            a->error = -ENOMEM;
            return;
        }
        swap_slot_get(pte_swap_entry(*entry));
        a->child->swap_pages++;
        return;
    }
    if (!a->shared) {
        a->error = cow_fork_page(a->child, va, entry);
        if (!a->error)
            a->child->rss++;
        return;
    }
    phys_addr_t frame = PTE_ADDRESS(*entry);
    if (pagetable_map(a->child->pml4, va, frame, *entry & ~PTE_ADDRESS_MASK) < 0) {
        a->error = -ENOMEM;
        return;
    }
    frame_get(frame);
    a->child->rss++;
}

static struct mm *fork_once(struct mm *parent)
{
    struct mm *child = mm_create();
    if (!child)
        return NULL;
    phys_addr_t pml4 = child->pml4;
    struct list_node all_node = child->all_node; /* its place in all_mms */
    *child = *parent; /* the layout: code, data, heap, stack addresses, exe path */
    child->all_node = all_node;
    child->pml4 = pml4;
    child->users = 1;
    child->rss = 0;
    child->swap_pages = 0;
    child->lock_future = false; /* memory locks are not inherited (POSIX) */
    child->memcg_over = NULL;   /* (memcg: the parent's group pays for the child's pages too) */
    if (child->exe_inode) {     /* the child runs the same program: one more denial */
        inode_get(child->exe_inode);
        inode_deny_write_access(child->exe_inode); /* (cannot fail: already denied) */
    }
    list_init(&child->vmas);

    struct fork_args args = {child, false, 0};
    struct vma *vma;
    list_for_each_entry (vma, &parent->vmas, node) {
        struct vma *copy = vma_new(vma->start, vma->end, vma->prot, vma->kind);
        if (!copy) {
            args.error = -ENOMEM;
            break;
        }
        copy->file_offset = vma->file_offset;
        copy->file = vma->file;
        if (copy->file)
            file_get(copy->file);
        copy->shared = vma->shared;
        list_push_back(&child->vmas, &copy->node);
        args.shared = vma->shared;
        pagetable_walk_all(parent->pml4, vma->start, vma->end, share_one, &args);
        if (args.error)
            break;
    }
    pagetable_flush_all(parent->pml4); /* the parent's pages just became read-only */
    if (args.error) {
        mm_put(child);
        return NULL;
    }
    return child;
}

struct mm *mm_fork(struct mm *parent)
{
    /* Out of frames with swap on: swap some out and try again (an eager fork,
     * the copy-on-write lab's starting point, needs a frame per page). */
    for (int attempt = 0;; attempt++) {
        struct mm *child = fork_once(parent);
        if (child || attempt == 2 || reclaim_pages(parent->rss + SWAP_CLUSTER_MAX) == 0)
            return child;
    }
}

/* The stack region, if addr is a legal place for it to grow to. */
static struct vma *stack_growth(struct mm *mm, u64 addr, u64 stack_limit)
{
    struct vma *stack = NULL, *below = NULL, *vma;
    list_for_each_entry (vma, &mm->vmas, node) {
        if (vma->kind == VMA_STACK) {
            stack = vma;
            break;
        }
        below = vma;
    }
    if (!stack || addr >= stack->start || addr < mm->stack_top - MIN(stack_limit, mm->stack_top))
        return NULL;
    u64 new_start = ALIGN_DOWN(addr, PAGE_SIZE);
    if (below && below->end + PAGE_SIZE > new_start)
        return NULL; /* would touch the region below: keep a gap */
    stack->start = new_start;
    return stack;
}

int vm_fault(struct mm *mm, u64 addr, u32 access, u64 stack_limit)
{
    if (!is_user_address(addr))
        return -EFAULT;
    struct vma *vma = vm_find(mm, addr);
    if (!vma && !(vma = stack_growth(mm, addr, stack_limit)))
        return -EFAULT;
    /* x86 page tables cannot forbid reading what may be executed: like
     * Linux, an execute-only region is readable too. */
    u32 allowed = vma->prot | ((vma->prot & VM_EXEC) ? VM_READ : 0);
    if ((access & ~allowed) || vma->prot == 0)
        return -EACCES; /* PROT_NONE, or writing read-only, or executing no-exec */

    u64 page = ALIGN_DOWN(addr, PAGE_SIZE);
    pte_t *entry = pagetable_lookup(mm->pml4, page);
    int major = 0;
    /* Out on swap (mm/reclaim.c): read it back.  A retry after waiting for
     * another process's read of the same slot finds it in the swap cache. */
    for (int tries = 0; entry && pte_is_swap(*entry) && tries < 4; tries++) {
        int result = swap_in_page(mm, page, *entry, vma->prot);
        if (result < 0)
            return result;
        major |= result;
        entry = pagetable_lookup(mm->pml4, page);
    }
    if (entry && (*entry & PTE_PRESENT)) {
        if ((access & VM_WRITE) && (*entry & PTE_COW)) {
            /* Shared by the swap cache (mm/reclaim.c), or by fork (mm/cow.c). */
            int error = (*entry & PTE_SWAP_COW) ? swap_write_fault(mm, page, entry, vma->prot)
                                                : cow_write_fault(mm, page, entry, vma->prot);
            return error ? error : major;
        }
        pagetable_flush(mm->pml4, page); /* a stale TLB entry: already fixed */
        return major;
    }
    if (entry && pte_is_swap(*entry))
        return major; /* still busy: the access is retried */
    if (vma->file)    /* an mmap of a file, or a program's segment (proc/exec.c) */
        return filemap_fault(mm, vma, page, access);
    /* zero-filled: no data leaks between processes */
    phys_addr_t frame = memcg_user_frame_alloc(mm, true);
    if (!frame)
        return -ENOMEM;
    if (pagetable_map(mm->pml4, page, frame, vm_pte_flags(vma->prot)) < 0) {
        frame_put(frame);
        return -ENOMEM;
    }
    mm->rss++;
    return 0;
}

int vm_discard(struct mm *mm, u64 start, u64 end)
{
    /* Only regions' pages are touched, and regions lie in user space: a kernel
     * address (the upper half is shared by every process) is never freed. */
    int error = 0;
    u64 covered = start; /* everything below this is known to be mapped */
    struct vma *vma;
    list_for_each_entry (vma, &mm->vmas, node) {
        if (vma->end <= start)
            continue;
        if (vma->start >= end)
            break;
        if (vma->start > covered)
            error = -ENOMEM; /* a hole: Linux reports it after doing the rest */
        covered = vma->end;
        /* A shared region's frames are still used by the other processes; the
         * executable's segments could not be read again from the file (Linux
         * would): both keep their pages. */
        if (!vma->shared && vma->kind != VMA_CODE && vma->kind != VMA_FILE)
            unmap_range(mm, MAX(start, vma->start), MIN(end, vma->end));
    }
    return covered < end ? -ENOMEM : error;
}

void vm_unmap_file_from(struct inode *inode, u64 size)
{
    u64 from = ALIGN_UP(size, PAGE_SIZE);
    struct mm *mm;
    list_for_each_entry (mm, &all_mms, all_node) {
        struct vma *vma;
        list_for_each_entry (vma, &mm->vmas, node) {
            if (!vma->file || vma->file->inode != inode)
                continue;
            u64 start =
                from > vma->file_offset ? vma->start + (from - vma->file_offset) : vma->start;
            if (start < vma->end && start >= vma->start) /* (>=: the sum did not wrap) */
                unmap_range(mm, start, vma->end);
        }
    }
}

int vm_populate(struct mm *mm, u64 start, u64 end)
{
    struct vma *vma = vm_find(mm, start);
    if ((end - start) / PAGE_SIZE > frames_free())
        return -ENOMEM; /* fail at once rather than after taking every free frame */
    for (u64 page = start; page < end; page += PAGE_SIZE) {
        phys_addr_t frame = memcg_user_frame_alloc(mm, true);
        if (!frame || pagetable_map(mm->pml4, page, frame, vm_pte_flags(vma->prot)) < 0) {
            if (frame)
                frame_put(frame);
            return -ENOMEM;
        }
        mm->rss++;
    }
    return 0;
}

int vm_access(struct mm *mm, u64 addr, void *buf, size_t length, int how)
{
    u8 *p = buf;
    while (length > 0) {
        u64 page = ALIGN_DOWN(addr, PAGE_SIZE);
        size_t chunk = MIN(length, PAGE_SIZE - (addr - page));
        bool write = how & VM_ACCESS_WRITE;
        struct vma *vma = vm_find(mm, addr);
        bool forced = write && (how & VM_ACCESS_FORCE) && vma && !(vma->prot & VM_WRITE);
        if (vm_fault(mm, addr, write && !forced ? VM_WRITE : VM_READ, 0) < 0)
            return -EFAULT;
        pte_t *entry = pagetable_lookup(mm->pml4, page);
        if (!entry || !(*entry & PTE_PRESENT))
            return -EFAULT;
        phys_addr_t frame = PTE_ADDRESS(*entry);
        if (forced && frame_refcount(frame) != 1)
            return -EFAULT; /* never write into a frame another process shares */
        u8 *target = (u8 *)phys_to_virt(frame) + (addr - page);
        if (write)
            memcpy(target, p, chunk);
        else
            memcpy(p, target, chunk);
        p += chunk;
        addr += chunk;
        length -= chunk;
    }
    return 0;
}
