/*
 * balance.h - which CPU a process runs on, when there are several: the
 * interface between the scheduler core and the load balancer (and the
 * multi-core scheduler lab's interface, docs/labs/balance.md).
 *
 * Each CPU has its own run queue (sched/runqueue.c).  The core takes a snapshot
 * of every CPU's load and asks the balancer two questions; the answers are
 * pure functions of the snapshot (no locks, no memory, no side effects), so
 * the host simulator (tests/sched-sim) runs the same code deterministically.
 *
 *   balance_select_cpu  a process wakes up or is created: whose queue?
 *   balance_find_busiest  this CPU is idle, or its periodic balancing tick
 *                       came: which CPU should it pull one process from?
 *
 * The core moves the process (it picks one that may run here, never the one
 * running there) and keeps affinity: an answer outside `allowed` or naming
 * an offline CPU is a bug the core reports and replaces with prev_cpu.
 */
#ifndef SCHED_BALANCE_H
#define SCHED_BALANCE_H

#include "kernel/param.h"
#include "kernel/types.h"

struct cpu_load {
    bool online;    /* running processes (an absent or stopped CPU is not) */
    bool idle;      /* nothing to run: its idle process runs and nothing is queued */
    u32 nr_running; /* processes on its queue plus the one it runs (idle not counted) */
};

struct balance_view {
    int ncpus;    /* entries in cpu[] (CPUs brought up) */
    int this_cpu; /* the CPU asking */
    struct cpu_load cpu[MAX_CPUS];
};

/* A process becomes ready (woken, or new after fork).  prev_cpu is where it
 * last ran (for a new one, its parent's CPU); allowed has bit N set if it may
 * run on CPU N (never empty).  Return an online CPU in allowed. */
int balance_select_cpu(const struct balance_view *view, u64 allowed, int prev_cpu);

/* CPU view->this_cpu has nothing to run, or its balancing tick came.  Return
 * the CPU to pull one ready process from, or -1 to leave things as they are. */
int balance_find_busiest(const struct balance_view *view);

#endif
