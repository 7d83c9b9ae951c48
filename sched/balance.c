/*
 * balance.c - the reference load balancer (sched/balance.h).
 *
 * Wake-up: stay where the cache is warm (prev_cpu) if that CPU is idle;
 * otherwise any idle CPU the process may use; otherwise the least loaded
 * one, preferring prev_cpu among equals.  Pull: from the most loaded CPU,
 * but only when moving one process makes the two closer (a difference of
 * two or more), so processes do not bounce between equally loaded CPUs.
 */
#include "sched/balance.h"

static bool usable(const struct balance_view *view, u64 allowed, int cpu)
{
    return cpu >= 0 && cpu < view->ncpus && (allowed & (1ull << cpu)) && view->cpu[cpu].online;
}

int balance_select_cpu(const struct balance_view *view, u64 allowed, int prev_cpu)
{
    if (usable(view, allowed, prev_cpu) && view->cpu[prev_cpu].idle)
        return prev_cpu;
    for (int cpu = 0; cpu < view->ncpus; cpu++)
        if (usable(view, allowed, cpu) && view->cpu[cpu].idle)
            return cpu;

    int best = usable(view, allowed, prev_cpu) ? prev_cpu : -1;
    for (int cpu = 0; cpu < view->ncpus; cpu++) {
        if (!usable(view, allowed, cpu))
            continue;
        if (best < 0 || view->cpu[cpu].nr_running < view->cpu[best].nr_running)
            best = cpu;
    }
    return best;
}

int balance_find_busiest(const struct balance_view *view)
{
    u32 mine = view->cpu[view->this_cpu].nr_running;
    int busiest = -1;
    for (int cpu = 0; cpu < view->ncpus; cpu++) {
        if (cpu == view->this_cpu || !view->cpu[cpu].online)
            continue;
        if (busiest < 0 || view->cpu[cpu].nr_running > view->cpu[busiest].nr_running)
            busiest = cpu;
    }
    if (busiest >= 0 && view->cpu[busiest].nr_running >= mine + 2)
        return busiest;
    return -1;
}
