/*
 * mlfq.c - LAB: a multi-level feedback queue (docs/labs/mlfq.md).
 *
 * This is the student edition's starting point.  It compiles and keeps the
 * system running -- for now it is a plain round-robin FIFO with a single
 * level -- but `make grade LAB=mlfq` fails until you write the policy.
 *
 * The rules, with the numbers the grader checks (docs/labs/mlfq.md has them all):
 *
 *   - 3 levels, level 0 on top; slices of 2, 4 and 8 quanta (rq->quantum ticks
 *     each: level_ticks, in ticks, is compared with mlfq_slices[level] *
 *     rq->quantum); pick_next takes the first process of the highest
 *     non-empty level;
 *   - a new process starts at level 0; tick() counts level_ticks, and when it
 *     reaches the level's slice the process moves down one level (the bottom
 *     keeps it) and is preempted; one that blocks or yields before its slice
 *     is over keeps its level with a fresh slice (the per-slice rule, not
 *     OSTEP's allotment);
 *   - the boost: when rq->clock - last_boost >= 100 (MLFQ_BOOST_TICKS), in
 *     tick(), everyone goes to level 0 (ready ones level by level, in order;
 *     the running one preempted, behind them); one asleep at the boost gets
 *     it when it wakes (boosted_at, compared in enqueue); last_boost becomes
 *     the rq->clock of the tick that boosts, and a boost overrides a demotion
 *     in the same tick;
 *   - tick() preempts whenever a process is ready on a higher level: wake-ups
 *     are enqueued before tick() runs, so that happens in the same tick;
 *   - call sched_trace_level(p, level) for every level change and
 *     sched_trace_boost() for every boost (sched/policy.h).
 *
 * Fields for you in struct sched_entity: level, level_ticks, boosted_at,
 * slice_left.  Per-level lists can be static in this file (set them up in
 * init).  Use only what sched/policy.h offers: the simulator compiles this
 * same file.  Replace this comment with one that explains your design.
 */
#include "sched/policy.h"

static void mlfq_init(struct run_queue *rq) { list_init(&rq->ready); }

static void mlfq_enqueue(struct run_queue *rq, struct proc *p)
{
    /* TODO: the right level, and the slice of that level. */
    p->sched.slice_left = rq->quantum;
    list_push_back(&rq->ready, &p->sched.run_node);
}

static void mlfq_dequeue(struct run_queue *rq, struct proc *p)
{
    (void)rq;
    list_remove(&p->sched.run_node);
}

static struct proc *mlfq_pick_next(struct run_queue *rq)
{
    /* TODO: the first process of the highest non-empty level. */
    struct list_node *node = list_pop_front(&rq->ready);
    return node ? list_entry(node, struct proc, sched.run_node) : NULL;
}

static bool mlfq_tick(struct run_queue *rq, struct proc *p)
{
    /* TODO: demotion when the slice is used up, the periodic boost, preemption from above. */
    (void)rq;
    if (p->sched.slice_left > 0)
        p->sched.slice_left--;
    return p->sched.slice_left == 0;
}

const struct sched_policy mlfq_policy = {
    .name = "mlfq",
    .description = "multi-level feedback queue (lab: to be written)",
    .init = mlfq_init,
    .enqueue = mlfq_enqueue,
    .dequeue = mlfq_dequeue,
    .pick_next = mlfq_pick_next,
    .tick = mlfq_tick,
};
