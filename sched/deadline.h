/*
 * deadline.h - SCHED_DEADLINE's rules that are not the policy's choice:
 * parameter checks, admission control, and the life of a periodic task's
 * jobs (release, deadline, miss).  Shared by the kernel (sched/sched.c,
 * sched/sys_sched.c) and the simulator (tests/sched-sim), so both count the
 * same misses.  The policies (sched/policies/edf.c) decide who runs and
 * spend the budget; see docs/labs/edf.md.
 *
 * A deadline task's time is cut into periods.  At the start of each period
 * a job is released: it may run for `runtime` ticks (its budget) and must
 * end -- the task calls sched_yield() or blocks -- before `deadline` ticks
 * have passed.  Then it waits (throttled) for the next period.
 *
 *   release          abs deadline         next release
 *      |--runtime--|.........|.................|
 *      |<------ deadline --->|                 |
 *      |<--------------- period -------------->|
 */
#ifndef SCHED_DEADLINE_H
#define SCHED_DEADLINE_H

#include "kernel/types.h"

struct run_queue;
struct proc;
struct sched_entity;

#define SCHED_DEADLINE 6
#define SCHED_FLAG_RESET_ON_FORK 0x01        /* sched_attr.sched_flags: children start normal */
#define DL_BW_SHIFT 20                       /* bandwidths are fractions of 1 << 20, as Linux's */
#define DL_BW_ONE (1ULL << DL_BW_SHIFT)      /* the whole CPU: admission's limit */
#define DL_MIN_RUNTIME_NS 1024ULL            /* Linux: runtime >= 2^DL_SCALE ns */
#define DL_MIN_PERIOD_NS 100000ULL           /* Linux's sched_deadline_period_min_us: 100 us */
#define DL_MAX_PERIOD_NS (4194304ULL * 1000) /* Linux's sched_deadline_period_max_us: ~4 s */

/* Linux's checks of sched_setattr's deadline parameters (period 0 means
 * period = deadline): 0, or -EINVAL. */
int dl_check_params(u64 runtime_ns, u64 deadline_ns, u64 period_ns);

/* runtime / period (both in ns, or both in ticks) as a fraction of DL_BW_ONE.
 * The kernel admits by the tick-rounded values it will enforce. */
u64 dl_bandwidth(u64 runtime_ns, u64 period_ns);

/* May a task with bandwidth new_bw replace old_bw (0 if it had none) when
 * the deadline tasks hold `total` now?  (Linux: -EBUSY if not.) */
bool dl_admit(u64 total, u64 old_bw, u64 new_bw);

/* ns -> whole ticks, rounded up, at least one. */
u64 dl_ns_to_ticks(u64 ns);

/* p becomes a deadline task (or gets new parameters) now: its first period
 * begins at rq->clock.  Ticks: runtime <= deadline <= period.  p is off the
 * policy's queue during the call. */
void dl_start(struct run_queue *rq, struct proc *p, u64 runtime, u64 deadline, u64 period);

/* p becomes a normal task again. */
void dl_stop(struct proc *p);

/* Once per tick, for the deadline task that ran in it: one tick of its
 * budget is spent; at 0 it is throttled until its next period. */
void dl_charge(struct proc *p);

/* Once per tick for every deadline task, after dl_charge and before the
 * policy's tick: count
 * a miss when the deadline passes before the job ended, and release the
 * next job when the period is over (budget full, throttled false). */
void dl_update(struct run_queue *rq, struct proc *p);

/* The running deadline task ended its job: it yielded or (sleeps) blocked.
 * It is throttled until its next period. */
void dl_job_end(struct run_queue *rq, struct proc *p, bool sleeps);

/* A deadline task that blocked is woken.  Its periods stopped while it
 * slept (a sporadic task: no jobs, no misses); if its last period is over,
 * a new job is released now and the periods start again from here.
 * Otherwise it waits, throttled, for the end of the period. */
void dl_wakeup(struct run_queue *rq, struct proc *p);

#endif
