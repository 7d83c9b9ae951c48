/*
 * stride.c - LAB: stride scheduling: deterministic shares by tickets (docs/labs/lottery-stride.md).
 *
 * This is the student edition's starting point.  It compiles and keeps the
 * system running -- for now it is a plain round-robin FIFO that ignores
 * tickets -- but `make grade LAB=lottery-stride` fails until you write it:
 *
 *   - stride = a large constant / tickets (sched_tickets(p)); the ready process
 *     with the smallest pass runs, and its pass advances by its stride for
 *     what it runs, so over time shares follow the tickets *exactly*;
 *   - a process that becomes ready again must not arrive with a pass far
 *     behind the others (it would monopolise the CPU): bring it up to date.
 *
 * Fields for you in struct sched_entity: tickets, pass, stride, slice_left.
 * Use only what sched/policy.h offers (sched_random, sched_tickets...): the
 * simulator compiles this same file.  Replace this comment with one that
 * explains your design.
 */
#include "sched/policy.h"

static void stride_init(struct run_queue *rq) { list_init(&rq->ready); }

static void stride_enqueue(struct run_queue *rq, struct proc *p)
{
    p->sched.slice_left = rq->quantum;
    list_push_back(&rq->ready, &p->sched.run_node);
}

static void stride_dequeue(struct run_queue *rq, struct proc *p)
{
    (void)rq;
    list_remove(&p->sched.run_node);
}

static struct proc *stride_pick_next(struct run_queue *rq)
{
    /* TODO: the ready process with the smallest pass. */
    struct list_node *node = list_pop_front(&rq->ready);
    return node ? list_entry(node, struct proc, sched.run_node) : NULL;
}

static bool stride_tick(struct run_queue *rq, struct proc *p)
{
    (void)rq;
    if (p->sched.slice_left > 0)
        p->sched.slice_left--;
    return p->sched.slice_left == 0;
}

const struct sched_policy stride_policy = {
    .name = "stride",
    .description = "stride scheduling: deterministic shares by tickets (lab: to be written)",
    .init = stride_init,
    .enqueue = stride_enqueue,
    .dequeue = stride_dequeue,
    .pick_next = stride_pick_next,
    .tick = stride_tick,
};
