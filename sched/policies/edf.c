/*
 * edf.c - real-time scheduling: earliest deadline first, and rate-monotonic.
 *
 * Deadline tasks (SCHED_DEADLINE, sched_setattr) come first; normal tasks
 * share what is left, round-robin.  The core (sched/deadline.c) releases
 * each deadline task's jobs: at the start of every period it refills
 * p->sched.dl_budget with dl_runtime, sets dl_abs_deadline, and clears
 * dl_throttled; when a job ends (the task yields or blocks) it sets
 * dl_throttled until the next period.  This file decides who runs:
 *
 *   edf  among the deadline tasks that are not throttled, the one whose job
 *        is due first (smallest dl_abs_deadline);
 *   rm   rate-monotonic: the one with the shortest period (dl_period), a
 *        fixed priority.  Simpler, but a set that EDF schedules with the CPU
 *        95% busy can miss deadlines under RM (Liu and Layland: RM is only
 *        sure to succeed up to n(2^(1/n) - 1), 83% for two tasks).
 *
 * and it spends the budget: every tick a deadline task runs costs one tick
 * of dl_budget; when it reaches 0 the task is throttled and gives up the
 * CPU, so a task that overruns cannot take the time it did not reserve.
 *
 * Ties (equal deadlines, or periods) go to the task that became ready
 * first.  The running deadline task is preempted only by one that is
 * strictly earlier (edf) or has a strictly shorter period (rm), or when its
 * budget is used; a normal task is preempted at the end of its slice or as
 * soon as a deadline task may run.
 *
 * Invariants: every ready deadline task is on rq->lists[0], every ready normal
 * task on rq->ready, in the order they became ready; the running task is on
 * neither.
 */
#include "sched/policy.h"

/* Ready deadline tasks, throttled or not, are on rq->lists[0] (each CPU's
 * queue has its own). */
static bool rate_monotonic; /* rm: order by period instead of deadline */

static u64 key(const struct proc *p)
{
    return rate_monotonic ? p->sched.dl_period : p->sched.dl_abs_deadline;
}

/* Should a run before b?  Ties go to the lower pid. */
static bool before(const struct proc *a, const struct proc *b)
{
    return key(a) < key(b) || (key(a) == key(b) && a->pid < b->pid);
}

static void edf_init(struct run_queue *rq)
{
    list_init(&rq->ready);
    list_init(&rq->lists[0]);
    rate_monotonic = false;
}

static void rm_init(struct run_queue *rq)
{
    edf_init(rq);
    rate_monotonic = true;
}

static void edf_enqueue(struct run_queue *rq, struct proc *p)
{
    if (sched_is_deadline(&p->sched)) {
        list_push_back(&rq->lists[0], &p->sched.run_node);
        return;
    }
    p->sched.slice_left = rq->quantum;
    list_push_back(&rq->ready, &p->sched.run_node);
}

static void edf_dequeue(struct run_queue *rq, struct proc *p)
{
    (void)rq;
    list_remove(&p->sched.run_node);
}

/* The ready deadline task that should run first, or NULL if all are throttled. */
static struct proc *edf_first(struct run_queue *rq)
{
    struct proc *p, *best = NULL;
    list_for_each_entry (p, &rq->lists[0], sched.run_node)
        if (!p->sched.dl_throttled && (!best || before(p, best)))
            best = p;
    return best;
}

static struct proc *edf_pick_next(struct run_queue *rq)
{
    struct proc *p = edf_first(rq);
    if (p) {
        list_remove(&p->sched.run_node);
        return p;
    }
    struct list_node *node = list_pop_front(&rq->ready);
    return node ? list_entry(node, struct proc, sched.run_node) : NULL;
}

static bool edf_tick(struct run_queue *rq, struct proc *p)
{
    struct proc *first = edf_first(rq);
    if (!sched_is_deadline(&p->sched)) {
        if (p->sched.slice_left > 0)
            p->sched.slice_left--;
        return p->sched.slice_left == 0 || first; /* a deadline task may run: it goes first */
    }
    /* Its budget is used (the core throttled it), or a job due earlier is ready. */
    return p->sched.dl_throttled || (first && key(first) < key(p));
}

const struct sched_policy edf_policy = {
    .name = "edf",
    .description = "earliest deadline first for SCHED_DEADLINE tasks, round-robin for the rest",
    .init = edf_init,
    .enqueue = edf_enqueue,
    .dequeue = edf_dequeue,
    .pick_next = edf_pick_next,
    .tick = edf_tick,
};

const struct sched_policy rm_policy = {
    .name = "rm",
    .description =
        "rate-monotonic: shortest period first for SCHED_DEADLINE tasks, then round-robin",
    .init = rm_init,
    .enqueue = edf_enqueue,
    .dequeue = edf_dequeue,
    .pick_next = edf_pick_next,
    .tick = edf_tick,
};
