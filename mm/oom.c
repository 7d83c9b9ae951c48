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
#include "mm/memcg.h"
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

/* The biggest resident memory user (inside `group` if given): Linux's rule, simplest form. */
static struct proc *choose_victim(const struct memcg *group)
{
    struct proc *victim = NULL, *p;
    list_for_each_entry (p, &all_procs, all_node) {
        if (p == init_proc || p->pid == 0 || !p->mm || p->state == PROC_ZOMBIE)
            continue;
        if (group && !memcg_within(p->mm->memcg, group))
            continue;
        /* Pages out on swap count too (Linux's badness): killing the process
         * frees its slots, and a swapped-out hog is still a hog. */
        if (!victim || p->mm->rss + p->mm->swap_pages > victim->mm->rss + victim->mm->swap_pages)
            victim = p;
    }
    return victim;
}

static void report_kill(struct proc *victim, const char *scope)
{
    pr_err("%s: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:0kB, "
           "shmem-rss:0kB, UID:%u\n",
           scope, victim->pid, victim->name, mm_total_kib(victim), victim->mm->rss * 4,
           victim->cred.uid);
    signal_send(victim, SIGKILL, NULL);
}

struct proc *oom_kill(void)
{
    struct proc *victim = choose_victim(NULL);
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
    report_kill(victim, "Out of memory");
    return victim;
}

struct proc *oom_kill_memcg(struct memcg *group)
{
    struct proc *victim = choose_victim(group);
    if (!victim)
        return NULL;
    if (victim->signals.pending & SIGMASK(SIGKILL))
        return victim;
    group->events_oom++;
    pr_err("memory: usage %lukB, limit %lukB, oom_memcg=%s task_memcg=%s\n", group->pages * 4,
           group->max_pages * 4, group->path, victim->mm->memcg->path);
    report_kill(victim, "Memory cgroup out of memory");
    for (struct memcg *g = victim->mm->memcg; g; g = g->parent)
        g->events_oom_kill++; /* counted where it lived and above, as Linux's */
    return victim;
}
