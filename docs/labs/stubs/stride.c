/*
 * stride.c - LAB: stride scheduling: deterministic shares by tickets (docs/labs/lottery-stride.md).
 *
 * This is the student edition's starting point.  It compiles and keeps the
 * system running -- for now it is a plain round-robin FIFO that ignores
 * tickets -- but `make grade LAB=lottery-stride` fails until you write it.
 *
 * The rules the grader checks (docs/labs/lottery-stride.md has them all):
 *
 *   - stride = STRIDE_BIG / sched_tickets(p), STRIDE_BIG = 1 << 20, recomputed
 *     in enqueue, fork and reweight; the pass grows by the stride for every
 *     tick run (in tick());
 *   - pick_next takes the smallest pass (ties: earliest in the ready list),
 *     remembers min_pass (the largest pass picked so far) and calls
 *     sched_trace_pick(p, p->sched.pass) (sched/policy.h);
 *   - a process enqueued below min_pass is raised to it; a forked child
 *     starts at min_pass; yield raises the yielder to the smallest ready pass;
 *   - every enqueue gives a fresh slice of rq->quantum ticks; tick() preempts
 *     when it runs out.
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
