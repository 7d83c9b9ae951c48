/*
 * runqueue.c - the per-CPU run queues, and moving processes between them
 * (sched/runqueue.h has the rules; sched/balance.c decides where).
 */
#include "sched/runqueue.h"
#include "kernel/arch/apic.h"
#include "kernel/bkl.h"
#include "kernel/cpu.h"
#include "kernel/interrupts.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/timer.h"
#include "proc/proc.h"
#include "sched/balance.h"
#include "sched/sched.h"
#include "sched/trace.h"
#include "kernel/lib/textbuf.h"

struct cpu_queue cpu_queues[MAX_CPUS];
static const struct sched_policy *policy;
static char lock_names[MAX_CPUS][12]; /* "runqueue0"... for lock messages */

void runqueue_init(const struct sched_policy *active, u64 quantum)
{
    policy = active;
    for (int i = 0; i < MAX_CPUS; i++) {
        struct cpu_queue *q = &cpu_queues[i];
        char *name = lock_names[i];
        memcpy(name, "runqueue", 8);
        name[8] = i >= 10 ? (char)('0' + i / 10) : (char)('0' + i);
        name[9] = i >= 10 ? (char)('0' + i % 10) : '\0';
        name[10] = '\0';
        spin_init(&q->lock, name);
        list_init(&q->members);
        q->rq.quantum = quantum;
        q->rq.clock = jiffies;
        policy->init(&q->rq);
    }
}

struct cpu_queue *runqueue_this(void) { return &cpu_queues[this_cpu()->id]; }

void runqueue_lock_two(struct cpu_queue *a, struct cpu_queue *b)
{
    if (a == b) {
        runqueue_lock(a);
        return;
    }
    /* The lower CPU id first, so two CPUs pulling from each other cannot
     * each hold one lock and wait for the other. */
    struct cpu_queue *first = a < b ? a : b, *second = a < b ? b : a;
    runqueue_lock(first);
    runqueue_lock(second);
}

void runqueue_unlock_two(struct cpu_queue *a, struct cpu_queue *b)
{
    if (a != b)
        runqueue_unlock(b);
    runqueue_unlock(a);
}

static int queue_cpu(const struct cpu_queue *q) { return (int)(q - cpu_queues); }

void runqueue_add(struct cpu_queue *q, struct proc *p)
{
    ASSERT(runqueue_held(q));
    p->last_cpu = queue_cpu(q);
    q->rq.nr_ready++;
    list_push_back(&q->members, &p->sched.queue_node);
    policy->enqueue(&q->rq, p);
}

void runqueue_remove(struct cpu_queue *q, struct proc *p)
{
    ASSERT(runqueue_held(q) && p->last_cpu == queue_cpu(q));
    policy->dequeue(&q->rq, p);
    list_remove(&p->sched.queue_node);
    q->rq.nr_ready--;
}

struct proc *runqueue_pick(struct cpu_queue *q)
{
    ASSERT(runqueue_held(q));
    struct proc *p = policy->pick_next(&q->rq); /* (CFS reads nr_ready with p still counted) */
    if (p) {
        list_remove(&p->sched.queue_node);
        q->rq.nr_ready--;
    }
    return p;
}

bool runqueue_allowed(const struct proc *p, int cpu) { return (sched_affinity(p) >> cpu) & 1; }

/*
 * Every CPU's load, as the balancer sees it.  Read without the other queues'
 * locks: a snapshot that may be a moment old, which only makes a choice a
 * little worse (and under the big kernel lock nothing changes meanwhile).
 * A CPU counts as idle only if its queue is empty too: a CPU that was just
 * given a process but has not switched to it yet is not idle, so a burst of
 * forks spreads instead of piling onto the one CPU that was idle.
 */
static void snapshot(struct balance_view *view, bool this_cpu_idle)
{
    u64 online = sched_online_mask();
    int me = this_cpu()->id;
    view->ncpus = cpu_count;
    view->this_cpu = me;
    for (int i = 0; i < cpu_count; i++) {
        const struct cpu *cpu = &cpus[i];
        bool running_idle =
            (i == me && this_cpu_idle) || !cpu->running || cpu->running == cpu->idle;
        u32 queued = (u32)cpu_queues[i].rq.nr_ready;
        view->cpu[i].online = ((online >> i) & 1) && (i == 0 || cpu->online);
        view->cpu[i].idle = running_idle && queued == 0;
        view->cpu[i].nr_running = queued + !running_idle;
    }
}

/* The balancer named a CPU it must not: say so once, and use a safe one. */
static int checked_cpu(const struct balance_view *view, int cpu, u64 allowed, int fallback)
{
    static bool warned;
    if (cpu >= 0 && cpu < view->ncpus && ((allowed >> cpu) & 1) && view->cpu[cpu].online)
        return cpu;
    if (!warned)
        pr_warn("sched: balance_select_cpu() answered CPU %d (allowed %#lx); using CPU %d\n", cpu,
                allowed, fallback);
    warned = true;
    return fallback;
}

static int select_cpu(struct proc *p)
{
    if (!smp_scheduling)
        return 0;
    struct balance_view view;
    snapshot(&view, false);
    u64 allowed = sched_affinity(p);
    int prev = p->last_cpu;
    int fallback =
        ((allowed >> prev) & 1) && view.cpu[prev].online ? prev : __builtin_ctzl(allowed);
    return checked_cpu(&view, balance_select_cpu(&view, allowed, prev), allowed, fallback);
}

void runqueue_place(struct proc *p)
{
    bool irq = irq_save();
    int from = p->last_cpu;
    int cpu = select_cpu(p);
    struct cpu_queue *q = &cpu_queues[cpu];
    runqueue_lock(q);
    q->rq.clock = jiffies;
    runqueue_add(q, p);
    if (cpu != from)
        q->migrations_in++;
    /* What that CPU runs cannot change meanwhile: switching needs the big
     * kernel lock, which we hold. */
    struct proc *running = cpus[cpu].running;
    bool idle = !running || running == cpus[cpu].idle;
    bool preempt = !idle && policy->wakeup_preempt && policy->wakeup_preempt(&q->rq, running, p);
    runqueue_unlock(q);
    if (cpu != from)
        sched_trace_migrate(p, from, cpu);
    /* An idle CPU polls its queue for a moment, then sleeps in hlt until an
     * interrupt: the IPI makes it look.  A busy one finds p at its next tick
     * or when its process blocks, unless the policy says p goes first: then
     * that process is preempted at its next return to user mode, which the
     * IPI brings about at once on another CPU (here, the way out of this
     * system call or interrupt does). */
    if (preempt)
        running->need_resched = true;
    if (cpu != this_cpu()->id && (idle || preempt))
        apic_send_ipi(cpus[cpu].apic_id, VEC_IPI_RESCHEDULE);
    irq_restore(irq);
}

/* Move one READY process that may run on this CPU from `from`'s queue to
 * ours: the one that has waited longest (it is the least likely to have a
 * warm cache there).  The running process is on no queue, so it never moves. */
static struct proc *pull_from(int from)
{
    int me = this_cpu()->id;
    struct cpu_queue *mine = &cpu_queues[me], *theirs = &cpu_queues[from];
    runqueue_lock_two(mine, theirs);
    struct proc *p, *found = NULL;
    list_for_each_entry (p, &theirs->members, sched.queue_node) {
        ASSERT(p->state == PROC_READY);
        if (runqueue_allowed(p, me)) {
            found = p;
            break;
        }
    }
    if (found) {
        theirs->rq.clock = mine->rq.clock = jiffies;
        runqueue_remove(theirs, found);
        runqueue_add(mine, found);
        mine->migrations_in++;
        mine->pulls++;
    }
    runqueue_unlock_two(mine, theirs);
    if (found)
        sched_trace_migrate(found, from, me);
    return found;
}

bool runqueue_balance(bool this_cpu_idle)
{
    if (!smp_scheduling)
        return false;
    struct balance_view view;
    snapshot(&view, this_cpu_idle);
    int from = balance_find_busiest(&view);
    if (from < 0)
        return false;
    if (from >= view.ncpus || from == view.this_cpu || !view.cpu[from].online) {
        static bool warned;
        if (!warned)
            pr_warn("sched: balance_find_busiest() answered CPU %d; not pulling\n", from);
        warned = true;
        return false;
    }
    return pull_from(from) != NULL;
}

void sched_show_queues(struct textbuf *out)
{
    for (int i = 0; i < cpu_count; i++) {
        struct cpu_queue *q = &cpu_queues[i];
        int pids[32], shown = 0;
        runqueue_lock(q); /* copied out: nothing is printed with the lock held */
        const struct proc *running = cpus[i].running;
        int running_pid = running && running != cpus[i].idle ? running->pid : 0;
        u64 queued = q->rq.nr_ready, in = q->migrations_in, pulls = q->pulls;
        struct proc *p;
        list_for_each_entry (p, &q->members, sched.queue_node)
            if (shown < (int)ARRAY_SIZE(pids))
                pids[shown++] = p->pid;
        runqueue_unlock(q);
        textbuf_printf(out, "cpu%d running %d queued %lu migrations_in %lu pulls %lu:", i,
                       running_pid, queued, in, pulls);
        for (int k = 0; k < shown; k++)
            textbuf_printf(out, " %d", pids[k]);
        textbuf_printf(out, "%s\n", queued > (u64)shown ? " ..." : "");
    }
}
