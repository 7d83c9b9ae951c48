/*
 * stride.c - stride scheduling: lottery's shares, without the luck.
 *
 * The idea (Waldspurger and Weihl, 1995): give each process a stride
 * inversely proportional to its tickets,
 *
 *     stride = STRIDE_BIG / tickets
 *
 * and a pass, a counter that advances by the stride for every tick the
 * process runs.  Always run the ready process with the smallest pass.  A
 * process with twice the tickets has half the stride, so its pass climbs
 * half as fast and it is picked twice as often:
 *
 *     tickets 1:2:3   strides 6:3:2 (scaled)   over 12 ticks: 2, 4 and 6 ticks
 *
 * The pass advances per tick, not per quantum, so a process that blocks
 * after part of its slice pays only for what it used.
 *
 * Sleeping must not earn credit: a process that slept for a minute would
 * otherwise come back with a pass far behind everyone and run alone until
 * it caught up.  So a process that joins the competition (new, woken, or
 * the first process of all) starts no lower than min_pass, the smallest pass
 * of the processes that were competing at the last decision.  A preempted
 * process is at or above min_pass already and keeps its pass.
 *
 * Invariants: every ready process is on rq->ready exactly once, in the order
 * it became ready (ties go to the earliest); every ready process has
 * pass >= min_pass and stride == STRIDE_BIG / sched_tickets(p).
 *
 * Trade-offs: exact, deterministic shares -- off by about one tick per
 * process however short the interval, where lottery's error only shrinks
 * like 1/sqrt(draws).  But it needs global state (min_pass), a newcomer
 * joining at min_pass gets no history, and choosing by scanning the list
 * is O(n) (a heap would be O(log n)).  STRIDE_BIG / tickets rounds down,
 * which skews shares by up to tickets / STRIDE_BIG: keep STRIDE_BIG large.
 */
#include "sched/policy.h"

#define STRIDE_BIG (1ULL << 20) /* the stride of a process holding one ticket */

static u64 min_pass; /* the pass of the process picked last: never goes down */

static void stride_init(struct run_queue *rq)
{
    list_init(&rq->ready);
    min_pass = 0;
}

static void stride_set(struct proc *p) { p->sched.stride = STRIDE_BIG / sched_tickets(p); }

static void stride_enqueue(struct run_queue *rq, struct proc *p)
{
    stride_set(p);
    if (p->sched.pass < min_pass)
        p->sched.pass = min_pass; /* no credit for the time it was away */
    p->sched.slice_left = rq->quantum;
    list_push_back(&rq->ready, &p->sched.run_node);
}

static void stride_dequeue(struct run_queue *rq, struct proc *p)
{
    (void)rq;
    list_remove(&p->sched.run_node);
}

/* The first ready process with the smallest pass, or NULL. */
static struct proc *stride_smallest(struct run_queue *rq)
{
    struct proc *p, *best = NULL;
    list_for_each_entry (p, &rq->ready, sched.run_node)
        if (!best || p->sched.pass < best->sched.pass)
            best = p;
    return best;
}

static struct proc *stride_pick_next(struct run_queue *rq)
{
    struct proc *p = stride_smallest(rq);
    if (!p)
        return NULL;
    list_remove(&p->sched.run_node);
    if (p->sched.pass > min_pass)
        min_pass = p->sched.pass;
    sched_trace_pick(p, p->sched.pass);
    return p;
}

static bool stride_tick(struct run_queue *rq, struct proc *p)
{
    (void)rq;
    p->sched.pass += p->sched.stride; /* pay for the tick it just ran */
    if (p->sched.slice_left > 0)
        p->sched.slice_left--;
    return p->sched.slice_left == 0;
}

/* Let the others go first: move up to the smallest ready pass (ties go to them). */
static void stride_yield(struct run_queue *rq, struct proc *p)
{
    struct proc *first = stride_smallest(rq);
    if (first && first->sched.pass > p->sched.pass)
        p->sched.pass = first->sched.pass;
}

/* New tickets take effect at once, even for the running process. */
static void stride_reweight(struct run_queue *rq, struct proc *p)
{
    (void)rq;
    stride_set(p);
}

/* The child joins the competition where it stands now (the core zeroed its pass). */
static void stride_fork(struct run_queue *rq, struct proc *parent, struct proc *child)
{
    (void)rq;
    (void)parent;
    child->sched.pass = min_pass;
    stride_set(child);
}

const struct sched_policy stride_policy = {
    .name = "stride",
    .description = "stride: smallest pass first, exact shares by tickets",
    .init = stride_init,
    .enqueue = stride_enqueue,
    .dequeue = stride_dequeue,
    .pick_next = stride_pick_next,
    .tick = stride_tick,
    .yield = stride_yield,
    .reweight = stride_reweight,
    .fork = stride_fork,
};
