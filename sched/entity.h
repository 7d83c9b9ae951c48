/*
 * entity.h - what the scheduler keeps in each process (struct proc.sched).
 *
 * Policies read and write only these fields (and p->pid), through the ops
 * table in sched/policy.h; that is what lets the same policy file run in the
 * kernel and in the host simulator (tests/sched-sim).
 */
#ifndef SCHED_ENTITY_H
#define SCHED_ENTITY_H

#include "kernel/list.h"
#include "kernel/types.h"

struct sched_entity {
    /* Policy fields (the policy owns them; the core only zeroes them at fork). */
    struct list_node run_node; /* on the policy's ready list(s) */
    u64 slice_left;            /* ticks left in the current time slice */
    int nice;                  /* -20 (most important) .. 19; setpriority() */

    /* Statistics, maintained by the core (sched/sched.c); shown in /proc/<pid>/sched. */
    u64 run_ticks;        /* ticks spent running */
    u64 wait_ticks;       /* ticks spent ready but waiting for the CPU */
    u64 ready_since;      /* jiffies when it last became ready */
    u64 times_scheduled;  /* how many times it was given the CPU */
    u64 first_run;        /* jiffies of its first run (0: never ran) */
};

#endif
