/*
 * cfs.c - a simplified Linux Completely Fair Scheduler.
 *
 * The idea: an ideal CPU would run all n runnable processes at once, each
 * at 1/n of the speed (weighted by nice).  We cannot, so we keep count of
 * how far each one has fallen behind that ideal and run the one furthest
 * behind.  The count is the virtual runtime: the CPU time a process used,
 * scaled by 1024 / its weight (sched_nice_to_weight(): 1024 at nice 0,
 * 1.25x per nice step), so it grows slower for important processes:
 *
 *     per tick run:  vruntime += CFS_TICK * 1024 / weight
 *                    (nice 0: +1024, nice -5: +335, nice 5: +3130)
 *
 * Always running the smallest vruntime keeps the vruntimes of competing
 * processes close together, so their CPU times are in the ratio of their
 * weights: nice 0 against nice 5 get 1024 : 335, about 75% : 25%.
 *
 * When is the running process preempted (at a tick)?  When it has got
 * ahead of the leftmost ready process by more than CFS_GRANULARITY, or when
 * its slice is over: every runnable process should get a turn within about
 * CFS_LATENCY_TICKS, so a slice is CFS_LATENCY_TICKS / nr_running ticks
 * (at least CFS_MIN_SLICE_TICKS).  After the slice the policy may well pick
 * it again if it is still the furthest behind.
 *
 * Newcomers and sleepers: min_vruntime follows the smallest vruntime among
 * the runnable processes and never goes back.  A process that joins starts
 * at max(its vruntime, min_vruntime - CFS_SLEEPER_BONUS): one that slept a
 * long time gets the CPU soon (it starts a little behind everybody) but
 * cannot use its sleep to run alone for ages.  A forked child starts at
 * min_vruntime, with no bonus, so forking is no way to jump the queue.  A
 * preempted process is already at or above min_vruntime and keeps its place.
 *
 * Invariants: every ready process is on rq->ready exactly once, sorted by
 * vruntime (equal ones in the order they were queued); the running process
 * is on no list; min_vruntime <= the vruntime of every runnable process,
 * give or take the bonus of a recent sleeper.
 *
 * Trade-offs: Linux keeps the ready processes in a red-black tree (O(log n)
 * to insert, the leftmost cached); this keeps a sorted list (insertion
 * sort, O(n) to insert, O(1) to pick) -- the same order, simpler code, fine
 * for tens of processes.  Linux also accounts in nanoseconds, weights the
 * slice by nice and preempts on wake-up; here everything happens in whole
 * ticks, at tick time.
 */
#include "sched/policy.h"

#define CFS_NICE_0_WEIGHT 1024
#define CFS_TICK (1ULL << 10)            /* one tick of a nice-0 process, in vruntime units */
#define CFS_LATENCY_TICKS 6              /* everyone runnable should run once in 60 ms */
#define CFS_MIN_SLICE_TICKS 1            /* however many there are */
#define CFS_GRANULARITY (1 * CFS_TICK)   /* lead over the leftmost that preempts */
#define CFS_SLEEPER_BONUS (3 * CFS_TICK) /* a waking sleeper starts this far behind */

static u64 min_vruntime; /* never decreases */

/* A process's weight: its nice value's, scaled by its control group's
 * cpu.weight (100 is 1x; a group at 200 runs each of its tasks twice as fast). */
static u64 cfs_weight(const struct proc *p)
{
    u64 group = p->sched.group_weight ? p->sched.group_weight : 100;
    u64 weight = sched_nice_to_weight(p->sched.nice) * group / 100;
    return weight ? weight : 1;
}

static u64 cfs_delta(const struct proc *p) { return CFS_TICK * CFS_NICE_0_WEIGHT / cfs_weight(p); }

static struct proc *cfs_leftmost(struct run_queue *rq)
{
    return list_first_entry(&rq->ready, struct proc, sched.run_node);
}

/* Keep min_vruntime at the smallest vruntime in play (running p, or NULL, and the leftmost). */
static void cfs_update_min_vruntime(struct run_queue *rq, struct proc *running)
{
    struct proc *first = cfs_leftmost(rq);
    u64 smallest = running ? running->sched.vruntime : first ? first->sched.vruntime : 0;
    if (first && first->sched.vruntime < smallest)
        smallest = first->sched.vruntime;
    if (smallest > min_vruntime)
        min_vruntime = smallest;
}

static void cfs_init(struct run_queue *rq)
{
    list_init(&rq->ready);
    min_vruntime = 0;
}

/* Insertion sort: before the first process with a larger vruntime. */
static void cfs_enqueue(struct run_queue *rq, struct proc *p)
{
    u64 floor = min_vruntime > CFS_SLEEPER_BONUS ? min_vruntime - CFS_SLEEPER_BONUS : 0;
    if (p->sched.vruntime < floor)
        p->sched.vruntime = floor;
    struct proc *q;
    list_for_each_entry (q, &rq->ready, sched.run_node) {
        if (q->sched.vruntime > p->sched.vruntime) {
            list_insert_before(&q->sched.run_node, &p->sched.run_node);
            return;
        }
    }
    list_push_back(&rq->ready, &p->sched.run_node);
}

static void cfs_dequeue(struct run_queue *rq, struct proc *p)
{
    (void)rq;
    list_remove(&p->sched.run_node);
}

static struct proc *cfs_pick_next(struct run_queue *rq)
{
    struct proc *p = cfs_leftmost(rq);
    if (!p)
        return NULL;
    /* rq->nr_ready still counts p: it is the number of processes that want the CPU. */
    u64 slice = CFS_LATENCY_TICKS / (rq->nr_ready ? rq->nr_ready : 1);
    p->sched.slice_left = MAX(slice, CFS_MIN_SLICE_TICKS);
    list_remove(&p->sched.run_node);
    cfs_update_min_vruntime(rq, p);
    sched_trace_pick(p, p->sched.vruntime);
    return p;
}

static bool cfs_tick(struct run_queue *rq, struct proc *p)
{
    p->sched.vruntime += cfs_delta(p);
    if (p->sched.slice_left > 0)
        p->sched.slice_left--;
    cfs_update_min_vruntime(rq, p);
    struct proc *first = cfs_leftmost(rq);
    if (!first)
        return false; /* nobody is waiting: keep going */
    return p->sched.slice_left == 0 || p->sched.vruntime > first->sched.vruntime + CFS_GRANULARITY;
}

/* Step behind the leftmost ready process, so that it runs next. */
static void cfs_yield(struct run_queue *rq, struct proc *p)
{
    struct proc *first = cfs_leftmost(rq);
    if (first && first->sched.vruntime > p->sched.vruntime)
        p->sched.vruntime = first->sched.vruntime;
}

static void cfs_fork(struct run_queue *rq, struct proc *parent, struct proc *child)
{
    (void)rq;
    (void)parent;
    child->sched.vruntime = min_vruntime;
}

const struct sched_policy cfs_policy = {
    .name = "cfs",
    .description = "simplified CFS: smallest weighted virtual runtime first",
    .init = cfs_init,
    .enqueue = cfs_enqueue,
    .dequeue = cfs_dequeue,
    .pick_next = cfs_pick_next,
    .tick = cfs_tick,
    .yield = cfs_yield,
    .fork = cfs_fork,
};
