/*
 * prio.c - LAB: static priorities with aging (docs/labs/prio.md).
 *
 * This is the student edition's starting point.  It compiles and keeps the
 * system running -- for now it is a plain round-robin FIFO that ignores
 * priorities -- but `make grade LAB=prio` fails until you write the policy:
 *
 *   - every process has a base priority from its nice value (nice + 20:
 *     0 is the most important, 39 the least); the best priority runs first,
 *     equals take turns one quantum each;
 *   - a process waiting in the queue *ages*: its effective priority improves
 *     with the ticks it has waited, so nothing waits forever;
 *   - a better process that becomes ready takes the CPU at the next tick.
 *
 * Use only struct run_queue, the fields of struct sched_entity (sched/entity.h:
 * nice, priority, waited, slice_left, ready_since...), list.h and the
 * services in sched/policy.h: the simulator (tests/sched-sim) compiles this
 * same file.  Replace this comment with one that explains your design.
 */
#include "sched/policy.h"

static void prio_init(struct run_queue *rq) { list_init(&rq->ready); }

static void prio_enqueue(struct run_queue *rq, struct proc *p)
{
    /* TODO: keep the queue in a useful order, or keep it FIFO and choose in pick_next. */
    p->sched.slice_left = rq->quantum;
    list_push_back(&rq->ready, &p->sched.run_node);
}

static void prio_dequeue(struct run_queue *rq, struct proc *p)
{
    (void)rq;
    list_remove(&p->sched.run_node);
}

static struct proc *prio_pick_next(struct run_queue *rq)
{
    /* TODO: the ready process with the best effective priority (with aging). */
    struct list_node *node = list_pop_front(&rq->ready);
    return node ? list_entry(node, struct proc, sched.run_node) : NULL;
}

static bool prio_tick(struct run_queue *rq, struct proc *p)
{
    /* TODO: also preempt when a ready process has become more important. */
    (void)rq;
    if (p->sched.slice_left > 0)
        p->sched.slice_left--;
    return p->sched.slice_left == 0;
}

const struct sched_policy prio_policy = {
    .name = "prio",
    .description = "static priorities with aging (lab: to be written)",
    .init = prio_init,
    .enqueue = prio_enqueue,
    .dequeue = prio_dequeue,
    .pick_next = prio_pick_next,
    .tick = prio_tick,
};
