/*
 * mlfq.c - multi-level feedback queue: learn from how a process behaves.
 *
 * The idea (OSTEP chapter 8): we do not know in advance which processes are
 * interactive, so watch them.  There are MLFQ_LEVELS ready lists; level 0
 * is the most important and has the shortest slice.
 *
 *   Rule 1  a process on a higher level runs first (a lower one running is
 *           preempted at the next tick);
 *   Rule 2  processes on the same level take turns, one slice each;
 *   Rule 3  a new process starts at the top;
 *   Rule 4  a process that uses its whole slice at a level moves down one
 *           level; one that gives the CPU up before the slice is over
 *           (blocks or yields) stays where it is, with a fresh slice
 *           (OSTEP's rules 4a/4b: level_ticks restarts when it leaves the CPU);
 *   Rule 5  every MLFQ_BOOST_TICKS, every process moves back to the top, so
 *           hogs cannot starve and a process that has become interactive
 *           is noticed again.
 *
 * So a CPU hog sinks to the bottom after one slice per level and shares the
 * bottom round-robin with long slices (few switches), while a process that
 * runs briefly and waits (an editor, a shell) stays on top and gets the CPU
 * within a tick of waking up.
 *
 * Invariants: a ready process is on rq->lists[its level] exactly once; the
 * running process is on no list.  slice_left is 0 only for a process that
 * was preempted (or is new): enqueue() uses that to tell a preempted process
 * (keeps its level_ticks) from one that blocked or yielded (rule 4b).
 *
 * Trade-offs and known weaknesses (good lab exercises):
 *   - Rule 4b can be gamed: a process that runs for most of its slice and
 *     then does a tiny sleep never moves down.  OSTEP's final rule 4 counts
 *     a process's total time at a level across sleeps (do not reset
 *     level_ticks in enqueue); it then needs a longer allotment per level
 *     so that truly interactive processes stay on top.
 *   - The boost moves the ready and the running processes at once; one that
 *     is asleep at that moment is moved when it wakes up (boosted_at tells
 *     enqueue() that it missed a boost).
 *   - nice is ignored; the levels and the boost period are guesses that
 *     suit some workloads and not others.
 */
#include "sched/policy.h"

#define MLFQ_LEVELS 3
/* The slice at each level, in quanta (quantum=, default 1 tick of 10 ms).  The
 * top slice is 2 so that a process that needs one tick of CPU between waits
 * counts as interactive: it blocks before its slice is over. */
static const u64 mlfq_slices[MLFQ_LEVELS] = {2, 4, 8};
#define MLFQ_BOOST_TICKS 100 /* rule 5: everybody back to the top every second */

/* Each CPU's queue has its own levels, rq->lists[0] the top, and its own
 * rq->last_boost (the clock at its last boost). */
_Static_assert(MLFQ_LEVELS <= RUN_QUEUE_LISTS, "struct run_queue needs a list per level");

static u64 mlfq_slice(struct run_queue *rq, int level) { return mlfq_slices[level] * rq->quantum; }

static void mlfq_init(struct run_queue *rq)
{
    for (int level = 0; level < MLFQ_LEVELS; level++)
        list_init(&rq->lists[level]);
    rq->last_boost = rq->clock;
}

static void mlfq_enqueue(struct run_queue *rq, struct proc *p)
{
    if (p->sched.boosted_at < rq->last_boost) { /* it slept through a boost: catch up */
        if (p->sched.level != 0)
            sched_trace_level(p, 0);
        p->sched.level = 0;
        p->sched.level_ticks = 0;
        p->sched.boosted_at = rq->last_boost;
    }
    if (p->sched.slice_left > 0)
        p->sched.level_ticks = 0; /* it left the CPU before its slice was over: rule 4b */
    p->sched.slice_left = mlfq_slice(rq, p->sched.level) - p->sched.level_ticks;
    list_push_back(&rq->lists[p->sched.level], &p->sched.run_node);
}

static void mlfq_dequeue(struct run_queue *rq, struct proc *p)
{
    (void)rq;
    list_remove(&p->sched.run_node);
}

/* Rule 1 and 2: the first process on the highest level that has one. */
static struct proc *mlfq_pick_next(struct run_queue *rq)
{
    for (int level = 0; level < MLFQ_LEVELS; level++) {
        struct list_node *node = list_pop_front(&rq->lists[level]);
        if (node)
            return list_entry(node, struct proc, sched.run_node);
    }
    return NULL;
}

static bool mlfq_higher_level_ready(struct run_queue *rq, int level)
{
    for (int higher = 0; higher < level; higher++)
        if (!list_empty(&rq->lists[higher]))
            return true;
    return false;
}

/* Rule 5: everyone to the top (ready ones in level order), with fresh slices. */
static void mlfq_boost(struct run_queue *rq, struct proc *running)
{
    rq->last_boost = rq->clock;
    sched_trace_boost();
    for (int level = 1; level < MLFQ_LEVELS; level++) {
        struct list_node *node;
        while ((node = list_pop_front(&rq->lists[level]))) {
            struct proc *p = list_entry(node, struct proc, sched.run_node);
            sched_trace_level(p, 0);
            p->sched.level = 0;
            p->sched.level_ticks = 0;
            p->sched.boosted_at = rq->last_boost;
            p->sched.slice_left = mlfq_slice(rq, 0);
            list_push_back(&rq->lists[0], node);
        }
    }
    struct proc *p;
    list_for_each_entry (p, &rq->lists[0], sched.run_node)
        p->sched.boosted_at = rq->last_boost;
    if (running->sched.level != 0)
        sched_trace_level(running, 0);
    running->sched.level = 0;
    running->sched.level_ticks = 0;
    running->sched.boosted_at = rq->last_boost;
}

static bool mlfq_tick(struct run_queue *rq, struct proc *p)
{
    bool preempt = false;
    p->sched.level_ticks++;
    if (p->sched.level_ticks >= mlfq_slice(rq, p->sched.level)) {
        if (p->sched.level < MLFQ_LEVELS - 1) {
            p->sched.level++; /* rule 4: used its whole slice here */
            sched_trace_level(p, p->sched.level);
        }
        p->sched.level_ticks = 0;
        preempt = true;
    } else if (mlfq_higher_level_ready(rq, p->sched.level)) {
        preempt = true; /* rule 1; it keeps what it has used of its slice */
    }
    if (rq->clock - rq->last_boost >= MLFQ_BOOST_TICKS) {
        mlfq_boost(rq, p);
        preempt = true; /* behind the others at the top */
    }
    p->sched.slice_left = preempt ? 0 : mlfq_slice(rq, p->sched.level) - p->sched.level_ticks;
    return preempt;
}

/* Rule 3 (the core has zeroed the child's entity; said here so it is said). */
static void mlfq_fork(struct run_queue *rq, struct proc *parent, struct proc *child)
{
    (void)parent;
    child->sched.level = 0;
    child->sched.level_ticks = 0;
    child->sched.boosted_at = rq->last_boost;
}

const struct sched_policy mlfq_policy = {
    .name = "mlfq",
    .description = "multi-level feedback queue: 3 levels, hogs sink, boost every 1 s",
    .init = mlfq_init,
    .enqueue = mlfq_enqueue,
    .dequeue = mlfq_dequeue,
    .pick_next = mlfq_pick_next,
    .tick = mlfq_tick,
    .fork = mlfq_fork,
};
