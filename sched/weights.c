/*
 * weights.c - how much CPU a nice value is worth.
 *
 * Linux's table: nice 0 weighs 1024, and each step of nice multiplies or
 * divides the weight by about 1.25.  So when a process at nice 0 competes
 * with one at nice 1, they get 1024 : 820 of the CPU, about 55% and 45%:
 * one nice step moves about 10 percentage points, and the nicer process
 * gets about 20% less CPU than the other.  Used by cfs (virtual runtime),
 * and to derive default tickets for lottery and stride.
 */
#include "sched/policy.h"

static const u64 nice_weights[40] = {
    /* -20 */ 88761, 71755, 56483, 46273, 36291,
    /* -15 */ 29154, 23254, 18705, 14949, 11916,
    /* -10 */ 9548,  7620,  6100,  4904,  3906,
    /*  -5 */ 3121,  2501,  1991,  1586,  1277,
    /*   0 */ 1024,  820,   655,   526,   423,
    /*   5 */ 335,   272,   215,   172,   137,
    /*  10 */ 110,   87,    70,    56,    45,
    /*  15 */ 36,    29,    23,    18,    15,
};

u64 sched_nice_to_weight(int nice)
{
    if (nice < -20)
        nice = -20;
    if (nice > 19)
        nice = 19;
    return nice_weights[nice + 20];
}

/* Default tickets: the weight scaled so that nice 0 holds 100 tickets. */
u64 sched_tickets(const struct proc *p)
{
    if (p->sched.tickets)
        return p->sched.tickets;
    u64 t = sched_nice_to_weight(p->sched.nice) * 100 / 1024;
    return t ? t : 1;
}
