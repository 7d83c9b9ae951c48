/*
 * cgroup_cpu.c - the cpu controller: cpu.max's quota per period, and the
 * numbers cpu.stat reports.
 *
 * The timer tick charges the running task's CPU time to its group and every
 * ancestor (cgroup_cpu_charge).  A group with a quota counts what it used
 * in the current period; when that reaches the quota the group is throttled:
 *
 *   period 100 ms, quota 50 ms:
 *   |#####.....|#####.....|      # its tasks run    . throttled: not picked
 *   0    50   100   150  200 ms
 *
 * The scheduler core (sched/sched.c) asks cgroup_cpu_throttled before it
 * runs a task and parks a throttled one off the run queue until the period
 * ends, whatever the policy: the policies never see a throttled task.
 * Periods are rolled lazily, whenever a group is charged or asked about.
 */
#include "kernel/timer.h"
#include "proc/cgroup.h"
#include "proc/proc.h"

/* How many groups are throttled now: while none is, schedule() need not
 * ask about each process it picks.  (A group removed while throttled still
 * counts: schedule() then merely asks.) */
int cgroup_cpu_throttled_groups;

static void set_throttled(struct cgroup *cg, bool throttled)
{
    cg->throttled = throttled;
    cgroup_cpu_throttled_groups += throttled ? 1 : -1;
}

/* Start a new period if the current one is over. */
static void roll_period(struct cgroup *cg, u64 now)
{
    if (now - cg->period_start_ns < cg->cpu_period_ns)
        return;
    if (cg->throttled) {
        cg->throttled_ns += now - cg->throttled_since_ns;
        set_throttled(cg, false);
    }
    cg->period_used_ns = 0;
    cg->period_start_ns = now - (now - cg->period_start_ns) % cg->cpu_period_ns;
}

static bool has_quota(const struct cgroup *cg)
{
    return cg->cpu_quota_ns != CGROUP_NO_LIMIT && cgroup_controller_on(cg, CGROUP_CPU);
}

bool cgroup_cpu_charge(struct proc *p, u64 ns)
{
    u64 now = uptime_ns();
    bool throttled_now = false;
    for (struct cgroup *g = p->cgroup; g; g = g->parent) {
        g->usage_ns += ns;
        if (!has_quota(g))
            continue;
        roll_period(g, now);
        if (g->period_used_ns == 0)
            g->nr_periods++; /* Linux counts the periods in which the group was active */
        g->period_used_ns += ns;
        if (!g->throttled && g->period_used_ns >= g->cpu_quota_ns) {
            set_throttled(g, true);
            g->throttled_since_ns = now;
            g->nr_throttled++;
            throttled_now = true;
        }
    }
    return throttled_now;
}

bool cgroup_cpu_throttled(struct proc *p)
{
    u64 now = 0; /* read the clock only for a throttled group: schedule() asks every time */
    bool throttled = false;
    for (struct cgroup *g = p->cgroup; g; g = g->parent) {
        if (!g->throttled)
            continue;
        if (!now)
            now = uptime_ns();
        roll_period(g, now);
        if (!has_quota(g) && g->throttled) { /* the limit was lifted */
            g->throttled_ns += now - g->throttled_since_ns;
            set_throttled(g, false);
        }
        throttled |= g->throttled;
    }
    return throttled;
}

void cgroup_cpu_update_weight(struct proc *p)
{
    struct cgroup *cg = p->cgroup;
    p->sched.group_weight =
        cg && cgroup_controller_on(cg, CGROUP_CPU) ? cg->cpu_weight : CGROUP_DEFAULT_WEIGHT;
}
