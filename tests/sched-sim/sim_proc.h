/*
 * sim_proc.h - the simulator's struct proc.
 *
 * sched/policy.h includes this instead of proc/proc.h when SCHED_SIMULATOR
 * is defined, so the policy files compile unchanged on the host.  Policies
 * touch only p->pid and p->sched; the rest is the simulator's own.
 */
#ifndef TESTS_SCHED_SIM_SIM_PROC_H
#define TESTS_SCHED_SIM_SIM_PROC_H

#include "sched/entity.h"

/* The life of a simulated process (the kernel's PROC_* states, cut down). */
enum sim_state {
    SIM_UNBORN,  /* its arrival tick has not come yet */
    SIM_READY,   /* on the policy's queue */
    SIM_RUNNING, /* has the CPU */
    SIM_BLOCKED, /* waiting for its block burst to end */
    SIM_EXITED,  /* ran its whole script */
};

struct proc {
    int pid;
    struct sched_entity sched;
    char name; /* one letter: what the timeline shows while it runs */
    enum sim_state state;
};

#endif
