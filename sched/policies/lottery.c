/*
 * lottery.c - lottery scheduling: the CPU goes to the holder of a random ticket.
 *
 * The idea (Waldspurger and Weihl, 1994): each process holds tickets -- its
 * own (sched.tickets, set through /proc/<pid>/sched) or, by default, some
 * derived from its nice value (sched_tickets(): nice 0 holds 100).  At every
 * scheduling decision we draw one ticket out of all the ready processes'
 * tickets; its holder runs for one quantum.  A process holding 30% of the
 * tickets wins 30% of the draws, so on average it gets 30% of the CPU.
 *
 *   ready:    A (100)    B (200)         C (300)
 *   tickets:  [0, 100)   [100, 300)      [300, 600)
 *   draw sched_random() % 600 = 412  ->  C runs
 *
 * A forked child holds as many tickets as its parent (the core copies them).
 * sched_yield() needs no hook: the yielder simply goes back into the draw.
 *
 * Invariants: every ready process is on rq->ready exactly once; the running
 * process is on no list and takes no part in the draw.
 *
 * Trade-offs: simple, and tickets are a clear, composable way to say
 * "twice as much CPU"; a newcomer gets its share at once, with no history
 * to catch up on.  But the shares are only right on average: over a short
 * time a process can lose many draws in a row (the error shrinks like
 * 1/sqrt(draws)).  Stride scheduling (stride.c) gives the same shares
 * deterministically.  Each draw walks the list: O(n).
 */
#include "sched/policy.h"

static void lottery_init(struct run_queue *rq) { list_init(&rq->ready); }

static void lottery_enqueue(struct run_queue *rq, struct proc *p)
{
    p->sched.slice_left = rq->quantum; /* preempted, woken or new: a whole slice */
    list_push_back(&rq->ready, &p->sched.run_node);
}

static void lottery_dequeue(struct run_queue *rq, struct proc *p)
{
    (void)rq;
    list_remove(&p->sched.run_node);
}

static struct proc *lottery_pick_next(struct run_queue *rq)
{
    struct proc *p;
    u64 total = 0;
    list_for_each_entry (p, &rq->ready, sched.run_node)
        total += sched_tickets(p);
    if (total == 0)
        return NULL; /* nobody ready (every holder has at least one ticket) */

    /* The modulo favours small numbers by at most total / 2^64: negligible. */
    u64 ticket = sched_random() % total, winner = ticket;
    list_for_each_entry (p, &rq->ready, sched.run_node) {
        u64 tickets = sched_tickets(p);
        if (winner < tickets) {
            list_remove(&p->sched.run_node);
            sched_trace_draw(p, ticket, total);
            return p;
        }
        winner -= tickets;
    }
    return NULL; /* not reached: the winner is below the total */
}

static bool lottery_tick(struct run_queue *rq, struct proc *p)
{
    (void)rq;
    if (p->sched.slice_left > 0)
        p->sched.slice_left--;
    return p->sched.slice_left == 0; /* slice used up: draw again */
}

const struct sched_policy lottery_policy = {
    .name = "lottery",
    .description = "lottery: a random ticket draw per slice, shares by tickets",
    .init = lottery_init,
    .enqueue = lottery_enqueue,
    .dequeue = lottery_dequeue,
    .pick_next = lottery_pick_next,
    .tick = lottery_tick,
};
