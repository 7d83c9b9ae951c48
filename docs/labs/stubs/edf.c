/*
 * edf.c - LAB: real-time scheduling, earliest deadline first and
 * rate-monotonic (docs/labs/edf.md).
 *
 * This is the student edition's starting point.  It compiles and keeps the
 * system running -- for now both policies are a plain round-robin FIFO that
 * ignores deadlines, periods and throttling -- but `make grade LAB=edf`
 * fails until you write it.
 *
 * The rules the grader checks (docs/labs/edf.md has them all):
 *
 *   - deadline tasks (sched_is_deadline(&p->sched)) run before normal ones;
 *     a throttled deadline task (p->sched.dl_throttled) never runs;
 *   - edf picks the ready, unthrottled deadline task with the smallest
 *     p->sched.dl_abs_deadline, rm the one with the smallest dl_period;
 *     ties go to the lower pid;
 *   - tick() preempts a running deadline task when it is throttled (its
 *     budget is used) or a ready, unthrottled deadline task has a strictly
 *     smaller key; it preempts a normal task when its slice (rq->quantum
 *     ticks from its enqueue) runs out or any deadline task may run;
 *   - normal tasks are round-robin among themselves.
 *
 * The core (sched/deadline.c) keeps the budgets, periods and misses: read
 * dl_throttled, dl_abs_deadline and dl_period, write none of the dl_ fields.
 * Use only what sched/policy.h offers: the simulator compiles this same
 * file.  Replace this comment with one that explains your design.
 */
#include "sched/policy.h"

static void edf_init(struct run_queue *rq) { list_init(&rq->ready); }

static void edf_enqueue(struct run_queue *rq, struct proc *p)
{
    p->sched.slice_left = rq->quantum;
    list_push_back(&rq->ready, &p->sched.run_node);
}

static void edf_dequeue(struct run_queue *rq, struct proc *p)
{
    (void)rq;
    list_remove(&p->sched.run_node);
}

/* LAB: the deadline tasks first, by deadline (edf) or period (rm). */
static struct proc *edf_pick_next(struct run_queue *rq)
{
    struct list_node *node = list_pop_front(&rq->ready);
    return node ? list_entry(node, struct proc, sched.run_node) : NULL;
}

/* LAB: preempt for throttling and for an earlier deadline task too. */
static bool edf_tick(struct run_queue *rq, struct proc *p)
{
    (void)rq;
    if (p->sched.slice_left > 0)
        p->sched.slice_left--;
    return p->sched.slice_left == 0;
}

const struct sched_policy edf_policy = {
    .name = "edf",
    .description = "LAB: earliest deadline first (now: round-robin)",
    .init = edf_init,
    .enqueue = edf_enqueue,
    .dequeue = edf_dequeue,
    .pick_next = edf_pick_next,
    .tick = edf_tick,
};

const struct sched_policy rm_policy = {
    .name = "rm",
    .description = "LAB: rate-monotonic (now: round-robin)",
    .init = edf_init,
    .enqueue = edf_enqueue,
    .dequeue = edf_dequeue,
    .pick_next = edf_pick_next,
    .tick = edf_tick,
};
