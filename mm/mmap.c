/*
 * mmap.c - growing and shaping a process's memory.
 *
 * brk moves the end of the heap; mmap creates a new region of anonymous,
 * zero-filled memory (placed top-down below the stack's reserved space);
 * munmap and mprotect remove regions or change their rights; madvise, msync
 * and mincore look at them.  All of it only edits the region list: frames
 * arrive later, one page fault at a time.
 */
#include "mm/mmap.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/filemap.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "mm/swap.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "proc/signal.h"

#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_GROWSDOWN 0x0100
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE 0x8000
#define MAP_FIXED_NOREPLACE 0x100000
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2

static struct vma *heap_region(struct mm *mm)
{
    struct vma *vma;
    list_for_each_entry (vma, &mm->vmas, node) {
        if (vma->kind == VMA_HEAP)
            return vma;
    }
    return NULL;
}

/*
 * Linux's default overcommit heuristic: a single request for more private
 * writable memory than the machine has (RAM; sprout has no swap) fails at
 * once, instead of succeeding and bringing the OOM killer later.
 */
/* Linux's heuristic: one request bigger than RAM and swap together fails. */
static bool too_big_to_commit(u64 bytes)
{
    return bytes / PAGE_SIZE > frames_total() + swap_total_pages();
}

long sys_brk(u64 addr)
{
    struct mm *mm = current->mm;
    /* brk(0) asks where the heap ends; an address beyond the heap's window
     * (brk(-1) among them: rounding it up would wrap to 0) changes nothing. */
    if (addr < mm->brk_start || addr > mm->mmap_base)
        return (long)mm->brk;
    u64 old_end = ALIGN_UP(mm->brk, PAGE_SIZE), new_end = ALIGN_UP(addr, PAGE_SIZE);
    if (new_end - mm->brk_start > current->rlimits[RLIMIT_DATA].cur)
        return (long)mm->brk;
    if (new_end > old_end) {
        /* The new part of the heap must not run into another region. */
        if (too_big_to_commit(new_end - old_end) || vm_range_used(mm, old_end, new_end))
            return (long)mm->brk;
        struct vma *heap = heap_region(mm);
        if (heap && heap->end == old_end)
            heap->end = new_end;
        else if (vm_map(mm, old_end, new_end - old_end, VM_READ | VM_WRITE, VMA_HEAP) < 0)
            return (long)mm->brk;
    } else if (new_end < old_end) {
        vm_unmap(mm, new_end, old_end - new_end); /* the frames go back */
    }
    mm->brk = addr;
    return (long)addr;
}

static u32 prot_to_vm(int prot)
{
    return ((prot & PROT_READ) ? VM_READ : 0) | ((prot & PROT_WRITE) ? VM_WRITE : 0) |
           ((prot & PROT_EXEC) ? VM_EXEC : 0);
}

/* May `file` be mapped so?  Linux's answers: a file system without a page
 * cache (pipes, devices, /proc, directories) -ENODEV; a descriptor not open
 * for reading, or a shared writable map of one not open for writing -EACCES; a range past 2^64
 * -EOVERFLOW. */
static int mmap_file_check(const struct file *file, int prot, bool shared, u64 offset, u64 size)
{
    if (!file->inode->ops || !file->inode->ops->get_page)
        return -ENODEV;
    u32 mode = file->flags & O_ACCMODE;
    if (mode == O_WRONLY || (file->flags & O_PATH))
        return -EACCES;
    if (shared && (prot & PROT_WRITE) && mode != O_RDWR)
        return -EACCES;
    if (offset + size < offset)
        return -EOVERFLOW;
    return 0;
}

long sys_mmap(u64 addr, u64 length, int prot, int flags, int fd, i64 offset)
{
    struct mm *mm = current->mm;
    /* Linux's order of checks: the offset, the descriptor, the length, the
     * mapping type.  Unknown prot bits are ignored, as Linux does in mmap
     * (mprotect refuses them). */
    if (offset & (PAGE_SIZE - 1))
        return -EINVAL;
    struct file *file = (flags & MAP_ANONYMOUS) ? NULL : fd_get(fd);
    if (!(flags & MAP_ANONYMOUS) && !file)
        return -EBADF;
    if (length == 0)
        return -EINVAL;
    bool shared = flags & MAP_SHARED;
    if (shared == !!(flags & MAP_PRIVATE))
        return -EINVAL; /* exactly one of MAP_SHARED and MAP_PRIVATE */
    u64 size = ALIGN_UP(length, PAGE_SIZE);
    if (size < length || size > USER_TOP)
        return -ENOMEM;
    if (file) {
        int error = mmap_file_check(file, prot, shared, (u64)offset, size);
        if (error)
            return error;
    }
    if ((prot & PROT_WRITE) && !shared && !(flags & MAP_NORESERVE) && too_big_to_commit(size))
        return -ENOMEM;

    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
        if (addr & (PAGE_SIZE - 1))
            return -EINVAL;
        if (addr < PAGE_SIZE || addr + size > USER_TOP || addr + size < addr)
            return -ENOMEM;
        if (vm_range_used(mm, addr, addr + size)) {
            if (flags & MAP_FIXED_NOREPLACE)
                return -EEXIST;
            vm_unmap(mm, addr, size); /* MAP_FIXED replaces what was there */
        }
    } else {
        /* A hint is honoured if that place is free; otherwise we choose. */
        addr = ALIGN_DOWN(addr, PAGE_SIZE);
        bool hint_free = addr >= PAGE_SIZE && addr + size <= mm->mmap_base && addr + size > addr &&
                         !vm_range_used(mm, addr, addr + size);
        if (!hint_free && !(addr = vm_find_free(mm, size)))
            return -ENOMEM;
    }
    int error = vm_map(mm, addr, size, prot_to_vm(prot), file ? VMA_FILE : VMA_ANON);
    if (error)
        return error == -EINVAL ? -ENOMEM : error;
    if (file) {
        /* Pages arrive one fault at a time from the page cache (mm/vm.c). */
        struct vma *vma = vm_find(mm, addr);
        vma->shared = shared;
        vma->file = file;
        vma->file_offset = (u64)offset;
        file_get(file);
    } else if (shared) {
        /* Shared anonymous memory: every page exists from the start, so that
         * a forked child maps the same frames (see mm_fork). */
        vm_find(mm, addr)->shared = true;
        if (vm_populate(mm, addr, addr + size) < 0) {
            vm_unmap(mm, addr, size);
            return -ENOMEM;
        }
    }
    if (mm->lock_future)
        vm_set_locked(mm, addr, addr + size, true); /* mlockall(MCL_FUTURE) */
    return (long)addr;
}

long sys_munmap(u64 addr, u64 length)
{
    if ((addr & (PAGE_SIZE - 1)) || length == 0 || addr + length < addr || addr + length > USER_TOP)
        return -EINVAL;
    return vm_unmap(current->mm, addr, ALIGN_UP(length, PAGE_SIZE));
}

long sys_mprotect(u64 addr, u64 length, int prot)
{
    if ((addr & (PAGE_SIZE - 1)) || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
        return -EINVAL;
    if (length == 0)
        return 0;
    if (addr + length < addr || addr + length > USER_TOP)
        return -ENOMEM;
    return vm_protect(current->mm, addr, ALIGN_UP(length, PAGE_SIZE), prot_to_vm(prot));
}

#define MADV_DONTNEED 4
#define MADV_PAGEOUT 21

/* Is all of [start, end) inside regions?  One step per region, not per page. */
static bool range_mapped(struct mm *mm, u64 start, u64 end)
{
    if (end > USER_TOP)
        return false;
    for (u64 a = start; a < end;) {
        struct vma *vma = vm_find(mm, a);
        if (!vma)
            return false;
        a = vma->end;
    }
    return true;
}

/* The advice values Linux knows (0-4 and 8-25; 100, 101 are memory-failure
 * testing).  Only MADV_DONTNEED and MADV_PAGEOUT change anything here. */
static bool advice_valid(int advice)
{
    return (advice >= 0 && advice <= 4) || (advice >= 8 && advice <= 25);
}

long sys_madvise(u64 addr, u64 length, int advice)
{
    if (!advice_valid(advice) || (addr & (PAGE_SIZE - 1)))
        return -EINVAL;
    u64 size = ALIGN_UP(length, PAGE_SIZE);
    if ((length && !size) || addr + size < addr)
        return -EINVAL; /* the length wrapped */
    if (size == 0)
        return 0;
    struct mm *mm = current->mm;
    if (advice == MADV_DONTNEED)
        return vm_discard(mm, addr, addr + size);
    if (advice == MADV_PAGEOUT) { /* swap the range out now (nothing without swap) */
        if (!range_mapped(mm, addr, addr + size))
            return -ENOMEM;
        reclaim_range(mm, addr, addr + size);
        return 0;
    }
    /* Other advice changes nothing, but Linux still reports unmapped parts. */
    return range_mapped(mm, addr, addr + size) ? 0 : -ENOMEM;
}

#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

long sys_msync(u64 addr, u64 length, int flags)
{
    if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) || (addr & (PAGE_SIZE - 1)) ||
        ((flags & MS_ASYNC) && (flags & MS_SYNC)))
        return -EINVAL;
    u64 size = (length + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1); /* as Linux: -1 wraps to 0 */
    if (addr + size < addr)
        return -ENOMEM;
    if (size == 0)
        return 0;
    if (!range_mapped(current->mm, addr, addr + size))
        return -ENOMEM;
    /* Shared file regions' written pages go to their files (ext2: to the disk's cache, which
     * sync or the flusher writes out; MS_ASYNC does the same at once).  Anonymous memory and
     * ramfs files have nothing to write back to. */
    return filemap_writeback(current->mm, addr, addr + size) < 0 ? -EIO : 0;
}

struct resident_args {
    u8 *vec; /* one byte per page from `start` */
    u64 start;
};

static void mark_resident(u64 va, pte_t *entry, void *arg)
{
    struct resident_args *a = arg;
    (void)entry; /* the walk visits only entries that hold a frame */
    a->vec[(va - a->start) / PAGE_SIZE] = 1;
}

long sys_mincore(u64 addr, u64 length, u8 *vec)
{
    if (addr & (PAGE_SIZE - 1))
        return -EINVAL;
    if (addr + length < addr || addr + length > USER_TOP)
        return -ENOMEM;
    u64 pages = (length + PAGE_SIZE - 1) / PAGE_SIZE;
    if ((u64)vec + pages < (u64)vec || (u64)vec + pages > USER_TOP)
        return -EFAULT;
    struct mm *mm = current->mm;
    u8 *chunk = kmalloc(PAGE_SIZE);
    if (!chunk)
        return -ENOMEM;
    long error = 0;
    /* A page of answers at a time; each costs a walk of the tables that exist. */
    for (u64 done = 0; done < pages && !error; done += PAGE_SIZE) {
        u64 count = MIN(pages - done, (u64)PAGE_SIZE);
        u64 start = addr + done * PAGE_SIZE, end = start + count * PAGE_SIZE;
        if (!range_mapped(mm, start, end)) {
            error = -ENOMEM;
            break;
        }
        memset(chunk, 0, count);
        struct resident_args args = {chunk, start};
        pagetable_walk(mm->pml4, start, end, mark_resident, &args);
        if (copy_to_user(vec + done, chunk, count) < 0)
            error = -EFAULT;
        else if (signal_fatal_pending(current))
            error = -EINTR; /* a huge answer: SIGKILL (the OOM killer) must still work */
    }
    kfree(chunk);
    return error;
}

struct move_args {
    struct mm *mm;
    i64 delta;
    int error;
};

static void move_one(u64 va, pte_t *entry, void *arg)
{
    struct move_args *a = arg;
    if (a->error)
        return;
    u64 to = (u64)((i64)va + a->delta);
    int error =
        pte_is_swap(*entry) /* out on swap: the slot moves with it */
            ? pagetable_map_entry(a->mm->pml4, to, *entry)
            : pagetable_map(a->mm->pml4, to, PTE_ADDRESS(*entry), *entry & ~PTE_ADDRESS_MASK);
    if (error < 0) {
        a->error = -ENOMEM;
        return;
    }
    *entry = 0; /* the frame (or slot) now belongs to the new address */
}

/*
 * Move [old_addr, old_addr + old_size) of `vma` to `target` (page-aligned, free), growing it to
 * `new_size`: the page-table entries move (frames and swap slots keep their contents), the
 * grown part is new memory like the region's own.
 */
static long move_region(struct mm *mm, struct vma *vma, u64 old_addr, u64 old_size, u64 new_size,
                        u64 target)
{
    bool populate = vma->shared && vma->kind == VMA_ANON; /* see sys_mremap */
    if (vm_map(mm, target, new_size, vma->prot, vma->kind) < 0)
        return -ENOMEM;
    struct vma *moved = vm_find(mm, target);
    moved->shared = vma->shared;
    moved->locked = vma->locked;
    if (vma->file) { /* the same file, from the same offset: a reference of its own */
        moved->file = vma->file;
        file_get(moved->file);
        moved->file_offset = vma->file_offset + (old_addr - vma->start);
    }
    if (new_size > old_size && populate &&
        vm_populate(mm, target + old_size, target + new_size) < 0) {
        vm_unmap(mm, target, new_size);
        return -ENOMEM;
    }
    struct move_args args = {mm, (i64)target - (i64)old_addr, 0};
    pagetable_walk_all(mm->pml4, old_addr, old_addr + old_size, move_one, &args);
    pagetable_flush_all(mm->pml4);
    vm_unmap(mm, old_addr, old_size); /* the moved entries are already cleared */
    return args.error ? args.error : (long)target;
}

/* The region at old_addr that mremap may resize: -EFAULT unless one anonymous or file region
 * covers all of [old_addr, old_addr + old_size). */
static struct vma *resizable_region(struct mm *mm, u64 old_addr, u64 old_size)
{
    struct vma *vma = vm_find(mm, old_addr);
    if (!vma || (vma->kind != VMA_ANON && vma->kind != VMA_FILE) || old_size > vma->end - old_addr)
        return NULL;
    return vma;
}

/* MREMAP_FIXED: the region goes to new_addr, whatever was mapped there is unmapped first
 * (Linux's checks, in its order: alignment, inside user space, no overlap with the old). */
static long mremap_fixed(struct mm *mm, u64 old_addr, u64 old_size, u64 new_size, u64 new_addr)
{
    if (new_addr & (PAGE_SIZE - 1))
        return -EINVAL;
    if (new_size > USER_TOP || new_addr > USER_TOP - new_size)
        return -EINVAL;
    if (old_addr + old_size > new_addr && new_addr + new_size > old_addr)
        return -EINVAL; /* the two ranges overlap */
    if (new_addr < PAGE_SIZE)
        return -EPERM; /* below mmap_min_addr: NULL stays unmapped */
    struct vma *vma = resizable_region(mm, old_addr, MIN(old_size, new_size));
    if (!vma)
        return -EFAULT;
    if ((vma->prot & VM_WRITE) && !vma->shared && new_size > old_size &&
        too_big_to_commit(new_size - old_size))
        return -ENOMEM;
    vm_unmap(mm, new_addr, new_size);
    if (old_size > new_size) {
        vm_unmap(mm, old_addr + new_size, old_size - new_size);
        old_size = new_size;
    }
    vma = vm_find(mm, old_addr); /* the unmaps may have split regions */
    return move_region(mm, vma, old_addr, old_size, new_size, new_addr);
}

long sys_mremap(u64 old_addr, u64 old_size, u64 new_size, int flags, u64 new_addr)
{
    struct mm *mm = current->mm;
    if ((old_addr & (PAGE_SIZE - 1)) || (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)))
        return -EINVAL;
    if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
        return -EINVAL; /* moving to a given place is still moving */
    old_size = ALIGN_UP(old_size, PAGE_SIZE);
    new_size = ALIGN_UP(new_size, PAGE_SIZE);
    if (new_size == 0)
        return -EINVAL; /* zero, or so large that rounding it up wrapped */
    if (flags & MREMAP_FIXED)
        return mremap_fixed(mm, old_addr, old_size, new_size, new_addr);
    struct vma *vma = resizable_region(mm, old_addr, old_size);
    if (!vma)
        return -EFAULT;
    /* A file region keeps its frames in the page cache: growing it adds file pages (faulted in
     * on touch, SIGBUS past the end of the file); only anonymous shared memory is populated. */
    bool populate = vma->shared && vma->kind == VMA_ANON;
    if (new_size <= old_size) {
        if (new_size < old_size)
            vm_unmap(mm, old_addr + new_size, old_size - new_size);
        return (long)old_addr;
    }
    if (new_size > mm->mmap_base)
        return -ENOMEM; /* bigger than the whole mmap area: no place can hold it */
    if ((vma->prot & VM_WRITE) && !vma->shared && too_big_to_commit(new_size - old_size))
        return -ENOMEM;
    /* Grow in place if the pages after it are free. */
    u64 old_end = old_addr + old_size, new_end = old_addr + new_size;
    if (old_end == vma->end && new_end <= mm->mmap_base && !vm_range_used(mm, old_end, new_end)) {
        vma->end = new_end;
        /* A shared region has all its frames from the start (see sys_mmap). */
        if (populate && vm_populate(mm, old_end, new_end) < 0) {
            vm_unmap(mm, old_end, new_size - old_size);
            return -ENOMEM;
        }
        return (long)old_addr;
    }
    if (!(flags & MREMAP_MAYMOVE))
        return -ENOMEM;
    u64 target = vm_find_free(mm, new_size);
    return target ? move_region(mm, vma, old_addr, old_size, new_size, target) : -ENOMEM;
}
