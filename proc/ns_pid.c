/*
 * ns_pid.c - PID namespaces: one process, a PID at every level.
 *
 * A process made in a nested namespace has a number in it and in each
 * namespace above, up to the first (where its number is p->pid, the one the
 * kernel itself uses):
 *
 *     level 0 (host)   init=1  sh=7  box=9  sh'=10  ps=11
 *     level 1 (box)                         sh'=1   ps=2
 *
 * p->ns_pids[level] holds them; p->pid_ns is the innermost namespace.  Every
 * PID a system call takes or returns goes through this file, translated to
 * the caller's namespace: a process sees its own namespace and those below
 * it, never above (a parent outside is PID 0 to it, as getppid shows).
 *
 * A namespace's first process is its PID 1: it adopts the namespace's
 * orphans, and when it exits the namespace dies with it -- every process left
 * inside gets SIGKILL and no new one can be made (fork: ENOMEM), as Linux.
 *
 * Finding a process by its number in a namespace walks the process list:
 * simple, and bounded by how many processes exist.
 */
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/param.h"
#include "kernel/x86.h"
#include "proc/ns.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "proc/exit.h"
#include "proc/thread.h"
#include "sched/wait.h"

int pid_nr_ns(const struct proc *p, const struct pid_ns *ns)
{
    if (!p || !p->pid_ns || !ns || p->pid_ns->level < ns->level)
        return 0;
    const struct pid_ns *at = p->pid_ns;
    while (at->level > ns->level)
        at = at->parent;
    return at == ns ? p->ns_pids[ns->level] : 0;
}

int tgid_nr_ns(const struct proc *p, const struct pid_ns *ns)
{
    return pid_nr_ns(p->group ? p->group->leader : p, ns);
}

struct pid_ns *pid_ns_current(void) { return current->pid_ns ? current->pid_ns : &init_pid_ns; }

/* The common case first, without the walk: p is in the caller's own namespace
 * (getpid, gettid, a child's PID for fork and wait). */
int pid_vnr(const struct proc *p)
{
    const struct pid_ns *ns = current->pid_ns;
    if (p && ns && p->pid_ns == ns)
        return p->ns_pids[ns->level];
    return pid_nr_ns(p, pid_ns_current());
}

int tgid_vnr(const struct proc *p) { return pid_vnr(p->group ? p->group->leader : p); }
bool pid_visible(const struct proc *p) { return pid_vnr(p) != 0; }

struct proc *proc_find_vnr(int nr)
{
    struct pid_ns *ns = pid_ns_current();
    if (ns->level == 0)
        return proc_find(nr);
    if (nr <= 0 || nr >= PID_MAX)
        return NULL;
    struct proc *p;
    list_for_each_entry (p, &all_procs, all_node) {
        if (!p->autoreap && pid_nr_ns(p, ns) == nr)
            return p;
    }
    return NULL;
}

/* Is `nr` taken in `ns` (by a live process or a zombie)? */
static bool nr_in_use(const struct pid_ns *ns, int nr)
{
    struct proc *p;
    list_for_each_entry (p, &all_procs, all_node) {
        if (pid_nr_ns(p, ns) == nr)
            return true;
    }
    return false;
}

/* The next free number in `ns` (levels > 0), like the first namespace's allocator. */
static int nr_alloc(struct pid_ns *ns)
{
    int nr = ns->last_pid;
    /* Among nprocs+1 candidates one is free: the loop is bounded by the process count. */
    for (int tries = 0; tries <= proc_count() + 1; tries++) {
        if (++nr >= PID_MAX)
            nr = 2; /* PID 1 is the namespace's own, never reused */
        if (!nr_in_use(ns, nr)) {
            ns->last_pid = nr;
            return nr;
        }
    }
    return -EAGAIN;
}

int pid_ns_attach(struct proc *p, struct pid_ns *ns)
{
    bool irq = irq_save();
    for (struct pid_ns *at = ns; at; at = at->parent) {
        if (at->dead) { /* its PID 1 has exited */
            irq_restore(irq);
            return -ENOMEM;
        }
    }
    p->ns_pids[0] = p->pid;
    for (struct pid_ns *at = ns; at->level > 0; at = at->parent) {
        int nr = nr_alloc(at);
        if (nr < 0) {
            irq_restore(irq);
            return nr;
        }
        p->ns_pids[at->level] = nr;
    }
    if (ns->level > 0 && !ns->reaper) {
        ns->reaper = p; /* the first process: PID 1 (nr_alloc started from 0) */
        ASSERT(p->ns_pids[ns->level] == 1);
    }
    ns_get(&ns->common);
    struct pid_ns *old = p->pid_ns;
    p->pid_ns = ns;
    irq_restore(irq);
    if (old)
        ns_put(&old->common);
    return 0;
}

bool pid_ns_is_reaper(const struct proc *p)
{
    return p->pid_ns && p->pid_ns->level > 0 && p->pid_ns->reaper == p;
}

struct proc *pid_ns_reaper_for(struct proc *dying)
{
    /* The nearest living PID 1 at or above the dying process's namespace. */
    for (struct pid_ns *ns = dying->pid_ns; ns && ns->level > 0; ns = ns->parent) {
        if (ns->reaper && ns->reaper != dying)
            return ns->reaper;
    }
    return init_proc;
}

/* SIGKILL to every process in `ns` but `leader`'s.  Interrupts off. */
static void kill_namespace(struct pid_ns *ns, struct proc *leader)
{
    struct proc *p;
    list_for_each_entry (p, &all_procs, all_node) {
        if (p != leader && p->pid == p->tgid && p->state != PROC_ZOMBIE && pid_nr_ns(p, ns)) {
            struct pending_info info = {.code = SI_KERNEL};
            signal_send(p, SIGKILL, &info);
        }
    }
}

/* Is a process of `ns` (not of leader's group) still alive, or a zombie child of leader's? */
static bool namespace_busy(struct pid_ns *ns, struct proc *leader)
{
    struct proc *p;
    list_for_each_entry (p, &all_procs, all_node) {
        if (p->group == leader->group || !pid_nr_ns(p, ns))
            continue;
        if (p->state != PROC_ZOMBIE)
            return true;
        if (p->parent == leader && p->group->live == 0 && !p->tracer)
            return true; /* ours to reap */
    }
    return false;
}

void pid_ns_zap(struct proc *leader)
{
    struct pid_ns *ns = leader->pid_ns;
    bool irq = irq_save();
    ns->dead = true; /* no new process from now on */
    kill_namespace(ns, leader);
    /* Orphans still come to us (ns->reaper): reap them until nobody is left.
     * Each killed process dies when it next runs, so this ends. */
    while (namespace_busy(ns, leader)) {
        irq_restore(irq);
        proc_reap_zombie_children(leader);
        irq = irq_save();
        if (namespace_busy(ns, leader))
            sleep_on_uninterruptible(&leader->child_wait, "zap_pid_ns");
    }
    irq_restore(irq);
}

void pid_ns_reaper_exit(struct proc *leader)
{
    struct pid_ns *ns = leader->pid_ns;
    if (!pid_ns_is_reaper(leader))
        return;
    ns->dead = true;
    ns->reaper = NULL;
    kill_namespace(ns, leader); /* (pid_ns_zap has done it: nobody is left) */
}

void pid_ns_swap(struct proc *a, struct proc *b)
{
    for (int level = 1; level < PID_NS_LEVELS; level++) {
        int nr = a->ns_pids[level];
        a->ns_pids[level] = b->ns_pids[level];
        b->ns_pids[level] = nr;
    }
    a->ns_pids[0] = a->pid;
    b->ns_pids[0] = b->pid;
    if (a->pid_ns && a->pid_ns->reaper == b)
        a->pid_ns->reaper = a; /* the namespace's PID 1 lives on in the thread that exec'd */
}
