/*
 * entity.h - what the scheduler keeps in each process (struct proc.sched).
 *
 * Policies read and write only these fields (and p->pid), through the ops
 * table in sched/policy.h; that is what lets the same policy file run in the
 * kernel and in the host simulator (tests/sched-sim).  Each policy uses the
 * fields marked for it and ignores the others.
 */
#ifndef SCHED_ENTITY_H
#define SCHED_ENTITY_H

#include "kernel/list.h"
#include "kernel/types.h"

struct sched_entity {
    /* --- the policy's (zeroed at fork, except nice and tickets which are inherited;
     *     then policy->fork may adjust) ------------------------------------ */
    struct list_node run_node; /* on the policy's ready list(s) */
    u64 slice_left;            /* ticks left in the current time slice */
    int nice;                  /* -20 (most important) .. 19; setpriority() */
    u64 tickets;               /* lottery, stride: share of the CPU; 0 = from nice */
    int priority;              /* prio: effective priority after aging (lower runs first) */
    u64 waited;                /* prio: ticks waited since it last ran (aging) */
    int level;                 /* mlfq: queue level, 0 = highest */
    u64 level_ticks;           /* mlfq: ticks used at this level (its allotment) */
    u64 boosted_at;            /* mlfq: rq->clock of the last boost it received */
    u64 pass, stride;          /* stride: position and step */
    u64 vruntime;              /* cfs: virtual runtime, in weighted ticks << 10 */
    u64 group_weight;          /* cfs, rr: its control group's cpu.weight (100 normal, 0 read
                                * as 100); set by proc/cgroup_cpu.c, inherited at fork */
    /* prio: priority inheritance.  While a thread with a better nice waits for
     * a PI futex this one holds, it runs with that nice (proc/futex_pi.c). */
    bool pi_boosted;
    int pi_nice;

    /* --- SCHED_DEADLINE, kept by the core (sched/deadline.c; zeroed at fork:
     *     a child starts as a normal process).  dl_period == 0: not a deadline
     *     task.  Policies read dl_throttled and dl_abs_deadline / dl_period. - */
    u64 dl_runtime, dl_deadline, dl_period; /* ticks: budget, relative deadline, period */
    u64 dl_release;                         /* rq->clock when the current period began */
    u64 dl_abs_deadline;                    /* dl_release + dl_deadline: the job's deadline */
    u64 dl_budget;                          /* ticks of runtime left in this period */
    bool dl_throttled;                      /* may not run before its next period */
    bool dl_job_done;                       /* the job ended (yield or block) */
    bool dl_sleeping;                       /* blocked: no jobs are released meanwhile */
    bool dl_missed;                         /* the job's deadline passed before it ended */
    u64 dl_jobs, dl_misses;                 /* jobs released; deadlines missed */
    u64 dl_bw;                              /* runtime / period << 20 (admission control) */
    u64 dl_runtime_ns, dl_deadline_ns, dl_period_ns, dl_flags; /* as sched_setattr gave them */
    struct list_node dl_node;                                  /* on the core's deadline list */

    /* --- statistics, maintained by the core (sched/sched.c) --------------- */
    u64 run_ticks;       /* ticks spent running */
    u64 wait_ticks;      /* ticks spent ready but waiting for the CPU */
    u64 ready_since;     /* jiffies when it last became ready */
    u64 times_scheduled; /* how many times it was given the CPU */
    u64 first_run;       /* jiffies of its first run (0: never ran) */
    bool throttled;      /* READY but parked off the policy's queue: its control group
                          * used its cpu.max quota (on the core's throttled list) */

    /* --- the per-CPU run queues' (sched/runqueue.c) ---------------------- */
    struct list_node queue_node; /* on its CPU's queue's `members` while READY and on the
                                  * policy's queue; that CPU is p->last_cpu */
};

/* The nice a task competes with: its own, or a better one lent by a waiter. */
static inline int sched_entity_nice(const struct sched_entity *s)
{
    return s->pi_boosted && s->pi_nice < s->nice ? s->pi_nice : s->nice;
}

/* A SCHED_DEADLINE task (sched_setattr with policy 6)? */
static inline bool sched_is_deadline(const struct sched_entity *s) { return s->dl_period != 0; }

#endif
