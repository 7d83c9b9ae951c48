/*
 * rr.c - round-robin: everyone gets the CPU in turn, for one quantum.
 *
 * The idea: one FIFO of ready processes.  The process at the front runs
 * for at most `quantum` ticks; if it is still running when its slice is
 * used up, it goes to the back of the line.  A process that blocks before
 * its slice ends gives the CPU up early and gets a fresh slice next time.
 *
 * Invariants: every ready process is on rq->ready exactly once; the running
 * process is on no list.
 *
 * Trade-offs: perfectly fair in turns and impossible to starve, but blind
 * to what processes do: an interactive process that needs 1 ms waits behind
 * every CPU hog's full quantum, and a short quantum means more context
 * switches (pure overhead), a long one means worse response time.
 */
#include "sched/policy.h"

static void rr_init(struct run_queue *rq) { list_init(&rq->ready); }

static void rr_enqueue(struct run_queue *rq, struct proc *p)
{
    /* Every turn starts with a full slice; a control group's cpu.weight
     * stretches or shrinks it (200: two quanta, 50: half, at least one tick). */
    u64 weight = p->sched.group_weight ? p->sched.group_weight : 100;
    p->sched.slice_left = MAX(rq->quantum * weight / 100, 1);
    list_push_back(&rq->ready, &p->sched.run_node);
}

static void rr_dequeue(struct run_queue *rq, struct proc *p)
{
    (void)rq;
    list_remove(&p->sched.run_node);
}

static struct proc *rr_pick_next(struct run_queue *rq)
{
    struct list_node *node = list_pop_front(&rq->ready);
    return node ? list_entry(node, struct proc, sched.run_node) : NULL;
}

static bool rr_tick(struct run_queue *rq, struct proc *p)
{
    (void)rq;
    if (p->sched.slice_left > 0)
        p->sched.slice_left--;
    return p->sched.slice_left == 0; /* slice used up: to the back of the line */
}

const struct sched_policy rr_policy = {
    .name = "rr",
    .description = "round-robin: one FIFO, a fixed time slice each",
    .init = rr_init,
    .enqueue = rr_enqueue,
    .dequeue = rr_dequeue,
    .pick_next = rr_pick_next,
    .tick = rr_tick,
    /* no .yield: a yielding process simply goes to the back of the line */
};
