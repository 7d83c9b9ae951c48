/*
 * balance.c - the reference load balancer (sched/balance.h; the multi-core
 * lab's rules, docs/labs/balance.md, numbered the same).
 *
 * Wake-up (balance_select_cpu), among the CPUs the process may use (in
 * `allowed` and online):
 *   1. prev_cpu if it is idle: its cache may still hold the process's data;
 *   2. otherwise the lowest-numbered idle one;
 *   3. otherwise the least loaded (fewest nr_running), prev_cpu among equals,
 *      else the lowest-numbered of them.
 * Pull (balance_find_busiest):
 *   4. the most loaded online CPU other than this one (the lowest-numbered
 *      among equals),
 *   5. only if it has at least two more than this CPU: moving one process
 *      then brings the two closer, while with one more the two would just
 *      swap roles and the process would bounce back and forth; else -1.
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
