/*
 * mlock.c - mlock, mlock2, munlock, mlockall, munlockall.
 *
 * Locking memory asks that its pages stay in RAM: a database keeps its
 * buffers from being swapped out, a crypto program its keys.  sprout has no
 * swap yet, so every page already stays; what locking changes here is what a
 * program can observe, as on Linux:
 *
 *   - the pages are made present at once (mlock faults them in; with
 *     MLOCK_ONFAULT / MCL_ONFAULT they come in on first use as usual);
 *   - the regions are marked locked and counted: VmLck in /proc/PID/status;
 *   - RLIMIT_MEMLOCK (8 MiB by default, as Linux) bounds the total, ENOMEM
 *     past it.  Linux lets root (CAP_IPC_LOCK) past the limit; sprout has no
 *     capabilities yet and applies it to everyone, which also bounds the work
 *     of faulting pages in;
 *   - locks are not inherited by fork and go away with exec or munmap.
 */
#include "mm/mlock.h"
#include "kernel/errno.h"
#include "mm/layout.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "proc/signal.h"

#define MLOCK_ONFAULT 1
#define MCL_CURRENT 1
#define MCL_FUTURE 2
#define MCL_ONFAULT 4

u64 mm_locked_bytes(struct mm *mm)
{
    u64 bytes = 0;
    struct vma *vma;
    list_for_each_entry (vma, &mm->vmas, node)
        if (vma->locked)
            bytes += vma->end - vma->start;
    return bytes;
}

/* Bytes of [start, end) that are mapped and not locked yet. */
static u64 unlocked_bytes_in(struct mm *mm, u64 start, u64 end)
{
    u64 bytes = 0;
    struct vma *vma;
    list_for_each_entry (vma, &mm->vmas, node) {
        if (vma->locked || vma->end <= start || vma->start >= end)
            continue;
        bytes += MIN(vma->end, end) - MAX(vma->start, start);
    }
    return bytes;
}

/* Fault in the accessible pages of [start, end): one step per page, and the
 * range is bounded by RLIMIT_MEMLOCK. */
static long populate(struct mm *mm, u64 start, u64 end)
{
    for (u64 page = start; page < end; page += PAGE_SIZE) {
        struct vma *vma = vm_find(mm, page);
        if (!vma || vma->prot == 0)
            continue; /* PROT_NONE: locked, but nothing to bring in */
        int error = vm_fault(mm, page, (vma->prot & VM_WRITE) ? VM_WRITE : VM_READ, 0);
        if (error == -ENOMEM)
            return -ENOMEM;
        if (signal_fatal_pending(current))
            return -EINTR;
    }
    return 0;
}

static long lock_range(u64 start, u64 length, bool lock, bool on_fault)
{
    struct mm *mm = current->mm;
    u64 end = ALIGN_UP(start + length + (start & (PAGE_SIZE - 1)), PAGE_SIZE);
    start = ALIGN_DOWN(start, PAGE_SIZE);
    if (end < start)
        return -EINVAL;
    if (end == start)
        return 0;
    if (end > USER_TOP)
        return -ENOMEM;
    if (lock) {
        u64 limit = current->rlimits[RLIMIT_MEMLOCK].cur;
        if (limit == 0)
            return -EPERM; /* Linux: locking is not allowed at all */
        u64 wanted = mm_locked_bytes(mm) + unlocked_bytes_in(mm, start, end);
        if (wanted > limit)
            return -ENOMEM;
    }
    long error = vm_set_locked(mm, start, end, lock);
    if (error == 0 && lock && !on_fault)
        error = populate(mm, start, end);
    return error;
}

long sys_mlock(u64 start, u64 length) { return lock_range(start, length, true, false); }

long sys_mlock2(u64 start, u64 length, int flags)
{
    if (flags & ~MLOCK_ONFAULT)
        return -EINVAL;
    return lock_range(start, length, true, flags & MLOCK_ONFAULT);
}

long sys_munlock(u64 start, u64 length) { return lock_range(start, length, false, false); }

long sys_mlockall(int flags)
{
    if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
        return -EINVAL;
    struct mm *mm = current->mm;
    u64 limit = current->rlimits[RLIMIT_MEMLOCK].cur;
    if (limit == 0)
        return -EPERM;
    if (flags & MCL_CURRENT) {
        u64 total = 0;
        struct vma *vma;
        list_for_each_entry (vma, &mm->vmas, node)
            total += vma->end - vma->start;
        if (total > limit)
            return -ENOMEM;
        list_for_each_entry (vma, &mm->vmas, node)
            vma->locked = true;
        if (!(flags & MCL_ONFAULT)) {
            list_for_each_entry (vma, &mm->vmas, node) {
                long error = populate(mm, vma->start, vma->end);
                if (error)
                    return error;
            }
        }
    }
    mm->lock_future = flags & MCL_FUTURE;
    return 0;
}

long sys_munlockall(void)
{
    struct mm *mm = current->mm;
    struct vma *vma;
    list_for_each_entry (vma, &mm->vmas, node)
        vma->locked = false;
    mm->lock_future = false;
    return 0;
}
