/*
 * deadline.c - SCHED_DEADLINE's bookkeeping: parameters, admission, jobs
 * and misses (see deadline.h).  Plain C over struct sched_entity, so the
 * simulator compiles it unchanged.
 */
#include "sched/deadline.h"
#include "kernel/errno.h"
#include "kernel/param.h"
#include "sched/policy.h"

#define NS_PER_TICK_DL (1000000000ULL / HZ) /* one tick: 10 ms */

int dl_check_params(u64 runtime_ns, u64 deadline_ns, u64 period_ns)
{
    if (period_ns == 0)
        period_ns = deadline_ns;
    if (deadline_ns == 0 || runtime_ns < DL_MIN_RUNTIME_NS)
        return -EINVAL;
    if ((deadline_ns | period_ns) & (1ULL << 63))
        return -EINVAL; /* Linux keeps the top bit for its own arithmetic */
    if (runtime_ns > deadline_ns || deadline_ns > period_ns)
        return -EINVAL;
    if (period_ns < DL_MIN_PERIOD_NS || period_ns > DL_MAX_PERIOD_NS)
        return -EINVAL;
    return 0;
}

u64 dl_bandwidth(u64 runtime_ns, u64 period_ns)
{
    /* Checked parameters keep runtime <= period < 2^33, so the shift fits. */
    return period_ns ? (runtime_ns << DL_BW_SHIFT) / period_ns : 0;
}

bool dl_admit(u64 total, u64 old_bw, u64 new_bw) { return total - old_bw + new_bw <= DL_BW_ONE; }

u64 dl_ns_to_ticks(u64 ns)
{
    u64 ticks = ns / NS_PER_TICK_DL + (ns % NS_PER_TICK_DL != 0);
    return ticks ? ticks : 1;
}

/* A new job: full budget, deadline `dl_deadline` ticks after its release. */
static void release_job(struct proc *p)
{
    struct sched_entity *s = &p->sched;
    s->dl_abs_deadline = s->dl_release + s->dl_deadline;
    s->dl_budget = s->dl_runtime;
    s->dl_throttled = false;
    s->dl_job_done = false;
    s->dl_missed = false;
    s->dl_jobs++;
    sched_trace_deadline(p, s->dl_abs_deadline);
}

void dl_start(struct run_queue *rq, struct proc *p, u64 runtime, u64 deadline, u64 period)
{
    struct sched_entity *s = &p->sched;
    s->dl_runtime = runtime;
    s->dl_deadline = deadline;
    s->dl_period = period;
    s->dl_release = rq->clock;
    s->dl_sleeping = false;
    release_job(p);
}

void dl_stop(struct proc *p)
{
    struct sched_entity *s = &p->sched;
    s->dl_runtime = s->dl_deadline = s->dl_period = 0;
    s->dl_budget = 0;
    s->dl_throttled = false;
}

void dl_charge(struct proc *p)
{
    struct sched_entity *s = &p->sched;
    if (!sched_is_deadline(s))
        return;
    if (s->dl_budget > 0)
        s->dl_budget--;
    if (s->dl_budget == 0)
        s->dl_throttled = true; /* its reservation is used: wait for the next period */
}

void dl_update(struct run_queue *rq, struct proc *p)
{
    struct sched_entity *s = &p->sched;
    if (!sched_is_deadline(s))
        return;
    if (!s->dl_job_done && !s->dl_missed && rq->clock >= s->dl_abs_deadline) {
        s->dl_missed = true;
        s->dl_misses++;
        sched_trace_miss(p, s->dl_abs_deadline);
    }
    if (!s->dl_sleeping && rq->clock >= s->dl_release + s->dl_period) {
        s->dl_release += s->dl_period;
        release_job(p);
    }
}

void dl_wakeup(struct run_queue *rq, struct proc *p)
{
    struct sched_entity *s = &p->sched;
    if (!sched_is_deadline(s) || !s->dl_sleeping)
        return;
    s->dl_sleeping = false;
    if (rq->clock >= s->dl_release + s->dl_period) {
        s->dl_release = rq->clock;
        release_job(p);
    }
}

void dl_job_end(struct run_queue *rq, struct proc *p, bool sleeps)
{
    (void)rq;
    struct sched_entity *s = &p->sched;
    if (!sched_is_deadline(s))
        return;
    s->dl_sleeping = sleeps;
    if (s->dl_job_done)
        return;
    s->dl_job_done = true;
    s->dl_throttled = true; /* until dl_update releases the next job */
}
