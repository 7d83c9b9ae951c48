/* proc.c - the process table: creating, finding and freeing struct proc. */
#include "proc/proc.h"
#include "proc/cgroup.h"
#include "kernel/errno.h"
#include "kernel/fpu.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/timer.h"
#include "kernel/x86.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/kstack.h"
#include "mm/layout.h"
#include "kernel/fs/vfs.h"
#include "proc/itimer.h"
#include "proc/thread.h"
#include "sched/sched.h"

struct proc *init_proc;
struct list all_procs = LIST_INIT(all_procs);

static struct proc *pid_table[PID_MAX]; /* PID -> process, NULL when free */
static int nprocs;
static struct proc idle;

/* RLIMIT_NPROC's default: RAM / (16 * PROC_MEMORY_COST), as kernel/param.h explains. */
static u64 proc_default_nproc_limit(void)
{
    u64 limit = frames_total() * PAGE_SIZE / (8 * PROC_MEMORY_COST) / 2;
    return MIN(MAX(limit, NPROC_LIMIT_MIN), NPROC_LIMIT_MAX);
}

static void proc_init_common(struct proc *p)
{
    list_init(&p->children);
    list_node_init(&p->sibling);
    list_node_init(&p->all_node);
    list_node_init(&p->sched.run_node);
    list_init(&p->tracees);
    list_node_init(&p->tracee_node);
    wait_queue_init(&p->child_wait);
    list_node_init(&p->thread_node);
    list_node_init(&p->fs_peer);
    itimer_init(p);
    p->umask = 022;
    cred_init_root(&p->cred); /* fork replaces it with the parent's */
    for (int i = 0; i < RLIM_NLIMITS; i++)
        p->rlimits[i] = (struct rlimit){RLIM_INFINITY, RLIM_INFINITY};
    p->rlimits[RLIMIT_STACK] = (struct rlimit){USER_STACK_LIMIT, RLIM_INFINITY};
    p->rlimits[RLIMIT_NOFILE] = (struct rlimit){NOFILE_SOFT, NOFILE_HARD};
    u64 nproc = proc_default_nproc_limit();
    p->rlimits[RLIMIT_NPROC] = (struct rlimit){nproc, nproc};
    p->rlimits[RLIMIT_CORE] = (struct rlimit){DEFAULT_CORE_LIMIT, RLIM_INFINITY};
    p->rlimits[RLIMIT_MEMLOCK] = (struct rlimit){DEFAULT_MEMLOCK_LIMIT, DEFAULT_MEMLOCK_LIMIT};
}

struct proc *proc_init_idle(void)
{
    static struct sighand idle_handlers;
    proc_init_common(&idle);
    idle.signals.hand = &idle_handlers;
    idle.signals.actions = idle_handlers.actions;
    idle_handlers.refs = 1;
    idle.pid = 0;
    ns_init_proc(&idle);
    proc_set_name(&idle, "idle");
    idle.state = PROC_RUNNING;
    cgroup_init(&idle); /* the root control group; every process descends from here */
    idle.kstack = boot_stack;
    fpu_init_state(idle.fpu);
    *(u64 *)idle.kstack = KSTACK_CANARY;
    this_cpu()->running = &idle;
    cpus[0].idle = &idle;
    return &idle;
}

/* The other CPUs' idle processes (PID 0 too, as on Linux), on their idle stacks. */
static struct proc ap_idle[MAX_CPUS];

void proc_init_ap_idle(struct cpu *cpu)
{
    struct proc *p = &ap_idle[cpu->id];
    proc_init_common(p);
    p->signals.hand = idle.signals.hand;
    p->signals.actions = idle.signals.actions;
    p->pid = 0;
    ns_init_proc(p);
    proc_set_name(p, "idle");
    p->state = PROC_RUNNING;
    p->kstack = cpu->idle_stack;
    p->last_cpu = cpu->id;
    fpu_init_state(p->fpu);
    *(u64 *)p->kstack = KSTACK_CANARY;
    cpu->idle = p;
    cpu->running = p;
}

struct proc *proc_alloc(void)
{
    struct proc *p = kzalloc(sizeof *p);
    if (!p)
        return ERR_PTR(-ENOMEM);
    int pid = pid_alloc();
    if (pid < 0) {
        kfree(p);
        return ERR_PTR(pid);
    }
    thread_reap_dead(); /* threads that exited since: their memory comes back first */
    void *stack = kstack_alloc();
    if (!stack) {
        pid_free(pid);
        kfree(p);
        return ERR_PTR(-ENOMEM);
    }
    proc_init_common(p);
    p->pid = p->pgid = p->sid = pid;
    ns_init_proc(p); /* the first namespaces; fork's ns_fork() picks the real ones */
    /* Its own handler table and thread group; clone(CLONE_THREAD) trades them. */
    if (signal_init(&p->signals) < 0 || thread_group_create(p) < 0) {
        signal_cleanup(&p->signals);
        ns_release_proc(p);
        kstack_free(stack);
        pid_free(pid);
        kfree(p);
        return ERR_PTR(-ENOMEM);
    }
    p->state = PROC_CREATED;
    p->start_time = jiffies;
    p->kstack = stack;
    *(u64 *)p->kstack = KSTACK_CANARY; /* schedule() checks it is never overwritten */
    p->tf = (struct trap_frame *)((u8 *)p->kstack + KSTACK_SIZE) - 1;

    bool irq = irq_save();
    pid_table[pid] = p;
    list_push_back(&all_procs, &p->all_node);
    nprocs++;
    irq_restore(irq);
    return p;
}

/*
 * A process that has never run has no context_switch() call to return from,
 * so we build the frame that one would have left: a switch_frame just below
 * its trap frame with every callee-saved register zero and rip = start.  The
 * first switch_to() to it pops that frame and `ret`s into start() -- with
 * interrupts off (it comes through schedule()) and no lock held.  start()
 * has no caller to return to: it ends in trap_return(p->tf).
 */
void proc_prepare_first_switch(struct proc *p, void (*start)(void))
{
    struct switch_frame *frame = (struct switch_frame *)p->tf - 1;
    memset(frame, 0, sizeof *frame);
    frame->rip = (u64)start;
    p->context = frame;
}

void proc_free(struct proc *p)
{
    ASSERT(p != current && p->state != PROC_READY && p->state != PROC_RUNNING);
    bool irq = irq_save();
    pid_table[p->pid] = NULL;
    list_remove(&p->all_node);
    if (list_node_linked(&p->sibling))
        list_remove(&p->sibling);
    nprocs--;
    irq_restore(irq);
    signal_cleanup(&p->signals);
    thread_group_leave(p);
    cgroup_release(p);
    ns_release_proc(p);
    if (p->root)
        inode_put(p->root);
    kstack_free(p->kstack);
    pid_free(p->pid);
    kfree(p);
}

struct proc *proc_find(int pid)
{
    if (pid <= 0 || pid >= PID_MAX)
        return NULL;
    struct proc *p = pid_table[pid];
    return p && !p->autoreap ? p : NULL;
}

struct proc *proc_find_by_kstack(const void *kstack)
{
    if (idle.kstack == kstack)
        return &idle;
    for (int i = 1; i < MAX_CPUS; i++)
        if (ap_idle[i].kstack && ap_idle[i].kstack == kstack)
            return &ap_idle[i];
    struct proc *p;
    list_for_each_entry (p, &all_procs, all_node) {
        if (p->kstack == kstack)
            return p;
    }
    return NULL;
}

void proc_swap_pids(struct proc *a, struct proc *b)
{
    pid_table[a->pid] = a;
    pid_table[b->pid] = b;
}

void proc_set_parent(struct proc *child, struct proc *parent)
{
    if (list_node_linked(&child->sibling))
        list_remove(&child->sibling);
    child->parent = parent;
    if (parent)
        list_push_back(&parent->children, &child->sibling);
}

void proc_set_name(struct proc *p, const char *name) { strlcpy(p->name, name, sizeof p->name); }

int proc_count(void) { return nprocs; }

char proc_state_letter(const struct proc *p)
{
    switch (p->state) {
    case PROC_RUNNING:
    case PROC_READY:
        return 'R';
    case PROC_BLOCKED:
        return 'S';
    case PROC_STOPPED:
        return p->signals.traced ? 't' : 'T';
    case PROC_ZOMBIE:
        return 'Z';
    case PROC_CREATED:
        return 'D';
    }
    return '?';
}

const char *proc_state_name(const struct proc *p)
{
    switch (p->state) {
    case PROC_RUNNING:
    case PROC_READY:
        return "R (running)";
    case PROC_BLOCKED:
        return "S (sleeping)";
    case PROC_STOPPED:
        return p->signals.traced ? "t (tracing stop)" : "T (stopped)";
    case PROC_ZOMBIE:
        return "Z (zombie)";
    case PROC_CREATED:
        return "D (disk sleep)";
    }
    return "? (unknown)";
}
