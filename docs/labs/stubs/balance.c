/*
 * balance.c - the load balancer (the multi-core lab, docs/labs/balance.md).
 *
 * LAB: this stub never balances: a process that becomes ready stays on the
 * CPU it last ran on (a new one on its parent's CPU) if it may run there,
 * and an idle CPU never takes work from a busy one.  So everything a parent
 * forks piles up on its CPU while the others idle.  Write the two answers of
 * sched/balance.h (read it first: the snapshot, and what the core does with
 * your answer); the rules, with every tie-break, and the graded checks are
 * in the handout.
 */
#include "sched/balance.h"

/* May a process with this mask run on `cpu`?  (The rules never send one elsewhere.) */
static bool usable(const struct balance_view *view, u64 allowed, int cpu)
{
    return cpu >= 0 && cpu < view->ncpus && (allowed & (1ull << cpu)) && view->cpu[cpu].online;
}

int balance_select_cpu(const struct balance_view *view, u64 allowed, int prev_cpu)
{
    if (usable(view, allowed, prev_cpu))
        return prev_cpu;
    for (int cpu = 0; cpu < view->ncpus; cpu++)
        if (usable(view, allowed, cpu))
            return cpu;
    return prev_cpu; /* allowed names no online CPU: the core never asks that */
}

int balance_find_busiest(const struct balance_view *view)
{
    (void)view;
    return -1;
}
