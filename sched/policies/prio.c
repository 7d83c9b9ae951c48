/*
 * prio.c - static priorities from nice, with aging so that nobody starves.
 *
 * The idea: every process has a base priority, nice + 20 (0 = most
 * important, 39 = least), and the ready process with the best priority runs;
 * equals take turns, one quantum each, in the order they became ready.
 *
 * Strict priorities starve: while a nice -20 hog is runnable a nice 19
 * process would never run.  So the priority a waiting process competes with
 * improves the longer it waits -- aging:
 *
 *     effective = base - waited / PRIO_AGING_TICKS     (never below 0)
 *
 * and drops back to the base as soon as it runs.  A nice 19 process behind
 * a nice -20 hog reaches the hog's priority after 39 * PRIO_AGING_TICKS
 * ticks, and ties go to whoever has waited longest, so it runs then.
 *
 * Aging is computed, not stepped: `waited` is rq->clock - ready_since (the
 * tick the core last made it ready), refreshed for every ready process when
 * pick_next() or tick() looks at the queue.  Nothing has to walk the queue
 * on ticks when nobody is choosing.
 *
 * sched_yield() needs no hook: the yielder goes to the back of the line, so
 * its equals run first (and nobody worse does).
 *
 * Invariants: every ready process is on rq->ready exactly once, in the
 * order it became ready; the running process is on no list and its
 * `priority` is its base.
 *
 * Trade-offs: the choice is O(n) in the ready processes (fine for tens of
 * them; real systems keep one list per priority).  Aging bounds the wait but
 * it also blurs the priorities: two steps of nice apart, the weaker process
 * still gets a turn every 2 * PRIO_AGING_TICKS ticks.  A process that wakes
 * up with a better priority than the running one preempts it at once
 * (wakeup_preempt), on whichever CPU it was placed.
 */
#include "sched/policy.h"

#define PRIO_AGING_TICKS 5 /* one step of priority per 5 ticks (50 ms) of waiting */
#define PRIO_BEST 0        /* nice -20 */

/* (With priority inheritance, the nice of a better thread waiting for a PI
 * futex this one holds.) */
static int prio_base(const struct proc *p) { return sched_entity_nice(&p->sched) + 20; }

/* The priority p competes with now: its base, improved by how long it has waited. */
static int prio_effective(struct run_queue *rq, struct proc *p)
{
    /* (ready_since can be a tick ahead of rq->clock in the interrupt that woke p) */
    p->sched.waited = rq->clock > p->sched.ready_since ? rq->clock - p->sched.ready_since : 0;
    u64 bonus = p->sched.waited / PRIO_AGING_TICKS;
    int base = prio_base(p);
    p->sched.priority = bonus >= (u64)(base - PRIO_BEST) ? PRIO_BEST : base - (int)bonus;
    return p->sched.priority;
}

/* The first (longest-waiting) of the ready processes with the best effective priority. */
static struct proc *prio_best(struct run_queue *rq)
{
    struct proc *p, *best = NULL;
    list_for_each_entry (p, &rq->ready, sched.run_node) {
        int priority = prio_effective(rq, p);
        if (!best || priority < best->sched.priority)
            best = p; /* strictly better: among equals the earlier one stays */
    }
    return best;
}

static void prio_init(struct run_queue *rq) { list_init(&rq->ready); }

static void prio_enqueue(struct run_queue *rq, struct proc *p)
{
    p->sched.slice_left = rq->quantum; /* preempted, woken or new: a whole slice */
    list_push_back(&rq->ready, &p->sched.run_node);
}

static void prio_dequeue(struct run_queue *rq, struct proc *p)
{
    (void)rq;
    list_remove(&p->sched.run_node);
}

static struct proc *prio_pick_next(struct run_queue *rq)
{
    struct proc *p = prio_best(rq);
    if (!p)
        return NULL;
    list_remove(&p->sched.run_node);
    p->sched.waited = 0; /* it runs: the aging bonus is spent */
    p->sched.priority = prio_base(p);
    return p;
}

/* Preempt at the end of the slice, or as soon as someone better is waiting. */
static bool prio_tick(struct run_queue *rq, struct proc *p)
{
    if (p->sched.slice_left > 0)
        p->sched.slice_left--;
    if (p->sched.slice_left == 0)
        return true;
    struct proc *best = prio_best(rq);
    return best && best->sched.priority < prio_base(p);
}

/* The tick's rule, asked when p wakes: better than the running process's base. */
static bool prio_wakeup_preempt(struct run_queue *rq, struct proc *curr, struct proc *p)
{
    return prio_effective(rq, p) < prio_base(curr);
}

static void prio_reweight(struct run_queue *rq, struct proc *p)
{
    (void)rq;
    p->sched.priority = prio_base(p); /* the aging it has earned stays in ready_since */
}

const struct sched_policy prio_policy = {
    .name = "prio",
    .description = "priorities from nice (lower first), aging against starvation",
    .init = prio_init,
    .enqueue = prio_enqueue,
    .dequeue = prio_dequeue,
    .pick_next = prio_pick_next,
    .tick = prio_tick,
    .reweight = prio_reweight,
    .wakeup_preempt = prio_wakeup_preempt,
};
