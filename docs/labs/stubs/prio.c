/*
 * prio.c - LAB: static priorities with aging (docs/labs/prio.md).
 *
 * This is the student edition's starting point.  It compiles and keeps the
 * system running -- for now it is a plain round-robin FIFO that ignores
 * priorities -- but `make grade LAB=prio` fails until you write the policy.
 *
 * The rules, with the numbers the grader checks (docs/labs/prio.md has them all):
 *
 *   - base priority = nice + 20 (0 best, 39 worst); a ready process competes
 *     with effective = max(0, base - waited / 5), waited = rq->clock -
 *     ready_since (PRIO_AGING_TICKS 5); the running one with its base;
 *   - pick_next takes the best effective priority, ties to the one that
 *     became ready first; every enqueue gives a fresh slice of rq->quantum
 *     ticks and tick() preempts when it runs out;
 *   - tick() also preempts as soon as a ready process is strictly better
 *     than the running one's base (wake-ups are enqueued before tick() runs,
 *     so that happens in the same tick); renicing takes effect at once.
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
