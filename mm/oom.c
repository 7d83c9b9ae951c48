/*
 * oom.c - the OOM killer: when RAM runs out, one process dies so the rest
 * of the system (and the kernel) can go on.  The rule is Linux's in its
 * simplest form: the biggest memory user (resident pages and pages out on
 * swap) goes.  With swap, reclaim runs first (mm/fault.c): this happens only
 * when swap is full too.
 */
#include "mm/oom.h"
#include "kernel/fs/ramfs.h"
#include "kernel/printk.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "proc/signal.h"

u64 mm_total_kib(const struct proc *p)
{
    if (!p->mm)
        return 0;
    u64 bytes = 0;
    struct vma *vma;
    list_for_each_entry (vma, &p->mm->vmas, node)
        bytes += vma->end - vma->start;
    return bytes / 1024;
}

struct proc *oom_kill(void)
{
    struct proc *victim = NULL, *p;
    list_for_each_entry (p, &all_procs, all_node) {
        if (p == init_proc || p->pid == 0 || !p->mm || p->state == PROC_ZOMBIE)
            continue;
        /* Pages out on swap count too (Linux's badness): killing the process
         * frees its slots, and a swapped-out hog is still a hog. */
        if (!victim || p->mm->rss + p->mm->swap_pages > victim->mm->rss + victim->mm->swap_pages)
            victim = p;
    }
    if (!victim)
        return NULL;
    if (victim->signals.pending & SIGMASK(SIGKILL))
        return victim; /* already dying: its memory comes back when it exits */
    /* Where the memory is, as Linux's Mem-Info: file pages in ramfs and tmpfs
     * are not any process's, and killing a process does not free them. */
    struct kheap_stats heap;
    kheap_get_stats(&heap);
    pr_err("Mem-Info: free:%lukB shmem:%lukB (files in /, /tmp, /dev/shm) slab:%lukB\n",
           frames_free() * 4, ramfs_pages_in_use() * 4, heap.pages * 4);
    pr_err("Out of memory: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:0kB, "
           "shmem-rss:0kB, UID:0\n",
           victim->pid, victim->name, mm_total_kib(victim), victim->mm->rss * 4);
    signal_send(victim, SIGKILL, NULL);
    return victim;
}
