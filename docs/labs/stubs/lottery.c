/*
 * lottery.c - LAB: lottery scheduling: a random draw weighted by tickets
 * (docs/labs/lottery-stride.md).
 *
 * This is the student edition's starting point.  It compiles and keeps the
 * system running -- for now it is a plain round-robin FIFO that ignores
 * tickets -- but `make grade LAB=lottery-stride` fails until you write it.
 *
 * The rules the grader checks (docs/labs/lottery-stride.md has them all):
 *
 *   - pick_next draws one ticket = sched_random() % total of the ready
 *     processes' sched_tickets(p), walks the ready list in order giving each
 *     its range of numbers, and takes the holder; it calls
 *     sched_trace_draw(winner, ticket, total) (sched/policy.h);
 *   - every enqueue gives a fresh slice of rq->quantum ticks; tick() preempts
 *     when it runs out; a forked child keeps its parent's tickets.
 *
 * Fields for you in struct sched_entity: tickets, pass, stride, slice_left.
 * Use only what sched/policy.h offers (sched_random, sched_tickets...): the
 * simulator compiles this same file.  Replace this comment with one that
 * explains your design.
 */
#include "sched/policy.h"

static void lottery_init(struct run_queue *rq) { list_init(&rq->ready); }

static void lottery_enqueue(struct run_queue *rq, struct proc *p)
{
    p->sched.slice_left = rq->quantum;
    list_push_back(&rq->ready, &p->sched.run_node);
}

static void lottery_dequeue(struct run_queue *rq, struct proc *p)
{
    (void)rq;
    list_remove(&p->sched.run_node);
}

static struct proc *lottery_pick_next(struct run_queue *rq)
{
    /* TODO: draw sched_random() % (total tickets of the ready processes) and walk to the winner. */
    struct list_node *node = list_pop_front(&rq->ready);
    return node ? list_entry(node, struct proc, sched.run_node) : NULL;
}

static bool lottery_tick(struct run_queue *rq, struct proc *p)
{
    (void)rq;
    if (p->sched.slice_left > 0)
        p->sched.slice_left--;
    return p->sched.slice_left == 0;
}

const struct sched_policy lottery_policy = {
    .name = "lottery",
    .description = "lottery scheduling: a random draw weighted by tickets (lab: to be written)",
    .init = lottery_init,
    .enqueue = lottery_enqueue,
    .dequeue = lottery_dequeue,
    .pick_next = lottery_pick_next,
    .tick = lottery_tick,
};
