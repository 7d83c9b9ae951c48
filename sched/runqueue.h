/*
 * runqueue.h - one run queue per CPU (docs/smp.md, "Per-CPU run queues").
 *
 * Each CPU has a struct cpu_queue: the struct run_queue its policy sees, and
 * what the core keeps beside it.  A READY process is on exactly one queue,
 * the queue of its CPU, p->last_cpu, and its affinity allows that CPU.  A
 * CPU's schedule() picks only from its own queue; processes move between
 * queues in three places, all in sched/runqueue.c:
 *
 *   where it wakes    runqueue_place(): a process becoming ready (woken, new
 *                     after fork, unthrottled, its affinity changed) goes to
 *                     the CPU balance_select_cpu() names (sched/balance.h);
 *                     an idle CPU chosen that way gets a reschedule IPI,
 *                     and so does a busy one whose process the policy
 *                     says p preempts (policy->wakeup_preempt);
 *   pull when idle    schedule() found nothing to run: runqueue_balance()
 *                     asks balance_find_busiest() and pulls one process;
 *   periodic pull     every BALANCE_INTERVAL_TICKS of a busy CPU's clock
 *                     (and every tick of an idle one), the same.
 *
 * Locking.  protected by: rq->lock -- every field of struct cpu_queue, the
 * policy's struct run_queue inside it, and the READY processes on it (their
 * sched.run_node, sched.queue_node and, while READY, last_cpu).
 *
 * Lock order:  big kernel lock (kernel/bkl.c)  ->  run-queue locks
 *              and of two run-queue locks, the LOWER CPU id first
 *              (runqueue_lock_two()).
 * Nothing else is taken while a run-queue lock is held, and a CPU never
 * switches (context_switch) with one held: schedule() drops its queue's lock
 * before switching.  That is safe in stage 2 only because the big kernel
 * lock is held across the switch: until it is released no other CPU can
 * pull `prev`, which is on a queue while its registers are still being
 * saved.  Without the big lock this needs Linux's p->on_cpu.
 */
#ifndef SCHED_RUNQUEUE_H
#define SCHED_RUNQUEUE_H

#include "kernel/bkl.h"
#include "kernel/list.h"
#include "kernel/lock/spinlock.h"
#include "kernel/param.h"
#include "kernel/types.h"
#include "kernel/x86.h"
#include "sched/policy.h"

/* A busy CPU looks for a process to pull every this many of its ticks. */
#define BALANCE_INTERVAL_TICKS 10

struct cpu_queue {
    struct spinlock lock; /* "runqueue0", "runqueue1"... (per CPU) */
    /* protected by: lock */
    struct run_queue rq; /* what the policy sees: its lists, nr_ready, clock */
    struct list members; /* its READY processes (sched.queue_node), in the order they
                          * came: for migration and /proc/sched; the policy never sees it */
    u64 migrations_in;   /* processes pulled or placed here from another CPU */
    u64 pulls;           /* of those, pulled by this CPU while balancing */
    u64 balance_ticks;   /* its ticks since its last periodic balance */
    bool irq_were_on;    /* one CPU scheduling: interrupts were on at runqueue_lock() */
};

extern struct cpu_queue cpu_queues[MAX_CPUS];

/* Set up every CPU's queue (lock, policy->init) with this quantum in ticks. */
void runqueue_init(const struct sched_policy *policy, u64 quantum);
/* The calling CPU's queue. */
struct cpu_queue *runqueue_this(void);
/*
 * Take and release q's lock, and check it is held.  With one CPU scheduling
 * processes (smp_scheduling false: CPUS=1, or smp=off) no other CPU ever
 * touches a run queue, and interrupts off -- what the lock's holder has
 * anyway -- is all that protects it: these only turn interrupts off (and
 * back on if they were), so one CPU does not pay for the lock and its
 * validation on every switch and wake-up (make bench at CPUS=1, docs/smp.md
 * "What it costs").  The lock and its order rules (above) are taken and
 * checked whenever several CPUs schedule.
 */
static ALWAYS_INLINE void runqueue_lock(struct cpu_queue *q)
{
    if (smp_scheduling)
        spin_lock(&q->lock);
    else
        q->irq_were_on = irq_save();
}
static ALWAYS_INLINE void runqueue_unlock(struct cpu_queue *q)
{
    if (smp_scheduling)
        spin_unlock(&q->lock);
    else
        irq_restore(q->irq_were_on);
}
static ALWAYS_INLINE bool runqueue_held(struct cpu_queue *q)
{
    return smp_scheduling ? spin_held(&q->lock) : !interrupts_enabled();
}
/* Take two queues' locks, lower CPU id first (one lock if a == b), and release them. */
void runqueue_lock_two(struct cpu_queue *a, struct cpu_queue *b);
void runqueue_unlock_two(struct cpu_queue *a, struct cpu_queue *b);

/* With q's lock held: add READY p (it becomes q's), take it off, or take the
 * policy's next choice off (NULL if none).  nr_ready and members follow. */
void runqueue_add(struct cpu_queue *q, struct proc *p);
void runqueue_remove(struct cpu_queue *q, struct proc *p);
struct proc *runqueue_pick(struct cpu_queue *q);

/* May p run on CPU `cpu` (its affinity)? */
bool runqueue_allowed(const struct proc *p, int cpu);
/* p becomes READY (p->state already set): choose its CPU (balance_select_cpu
 * with several CPUs, else CPU 0), add it there, and wake that CPU with a
 * reschedule IPI if it idles.  Takes that queue's lock; interrupts off. */
void runqueue_place(struct proc *p);
/* This CPU balances (it is idle -- nothing runnable here, even if `current`
 * is still the process that just blocked -- or its periodic tick came):
 * pull one READY process that may run here from the CPU
 * balance_find_busiest() names.  True if one was pulled.  No queue lock held;
 * interrupts off. */
bool runqueue_balance(bool this_cpu_idle);

#endif
