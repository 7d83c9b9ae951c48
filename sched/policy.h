/*
 * policy.h - the interface between the scheduler core and a policy.
 *
 * The core (sched/sched.c) decides *when* to switch; a policy decides *who*
 * runs next.  A policy is one file in sched/policies/ that fills in a
 * struct sched_policy and is listed in sched_policies[] (sched/sched.c).
 *
 * The rules every entry follows:
 *   - all entries run with the run-queue lock of the queue they are given
 *     held (interrupts off; sched/runqueue.h), and none may sleep or
 *     allocate memory;
 *   - each CPU has its own run queue, so a policy keeps everything it queues
 *     in struct run_queue, never in a global of its own;
 *   - a process is on the policy's queue exactly while its state is
 *     PROC_READY; the running process is not on the queue;
 *   - policies use only the fields of struct sched_entity, p->pid, and
 *     struct run_queue, so the simulator can run them on the host.
 */
#ifndef SCHED_POLICY_H
#define SCHED_POLICY_H

#include "kernel/list.h"
#include "kernel/types.h"
#include "sched/entity.h"

#ifdef SCHED_SIMULATOR
#include "tests/sched-sim/sim_proc.h" /* the simulator's small struct proc */
#else
#include "proc/proc.h"
#endif

/* One per CPU (the core's struct cpu_queue, sched/runqueue.h): a policy call
 * sees one CPU's queue.  protected by: that queue's lock (rq->lock there). */
#define RUN_QUEUE_LISTS 4
struct run_queue {
    struct list ready; /* the ready list, for policies that keep one FIFO */
    /* more lists, for policies that keep several (mlfq: one per level;
     * edf, rm: lists[0] holds the ready deadline tasks) */
    struct list lists[RUN_QUEUE_LISTS];
    u64 last_boost; /* mlfq: rq->clock at this queue's last boost */
    u64 nr_ready;   /* processes in PROC_READY (maintained by the core) */
    u64 clock;      /* ticks since boot (maintained by the core) */
    u64 quantum;    /* the time slice in ticks, from quantum= (default 1 tick = 10 ms) */
};

struct sched_policy {
    const char *name;        /* what sched= selects, e.g. "rr" */
    const char *description; /* one line for boot messages and /proc/sched */

    /* Called once before the first process is enqueued. */
    void (*init)(struct run_queue *rq);

    /* Called by the core when p becomes ready: a new process, a woken one,
     * or the running one being preempted.  Add p to the queue. */
    void (*enqueue)(struct run_queue *rq, struct proc *p);

    /* Called by the core to take a ready p off the queue without running it
     * (it was stopped, or its priority is changing). */
    void (*dequeue)(struct run_queue *rq, struct proc *p);

    /* Called by schedule(): remove and return the process to run next, or
     * NULL to run the idle loop. */
    struct proc *(*pick_next)(struct run_queue *rq);

    /* Called on every timer tick for the running process p (never idle).
     * Return true to preempt p at the next return to user mode. */
    bool (*tick)(struct run_queue *rq, struct proc *p);

    /* Optional.  p called sched_yield(); the core then enqueues it again.
     * Typically resets p's slice. */
    void (*yield)(struct run_queue *rq, struct proc *p);

    /* Optional.  child was just forked from parent (the child is not queued
     * yet; nice and tickets are already copied): set up the rest. */
    void (*fork)(struct run_queue *rq, struct proc *parent, struct proc *child);

    /* Optional.  p's nice value (or tickets) changed; p is not on the queue
     * during this call (the core dequeues and re-enqueues a ready p). */
    void (*reweight)(struct run_queue *rq, struct proc *p);

    /* Optional.  p was just enqueued (woken or new) on the queue of a CPU
     * that runs curr (never idle): should p have that CPU now rather than
     * at curr's next tick?  The core then preempts curr at its next return
     * to user mode, with a reschedule IPI if curr runs on another CPU
     * (Linux's check_preempt_curr).  Typically the tick's "someone better
     * is waiting" rule, asked at once.  Without it, never. */
    bool (*wakeup_preempt)(struct run_queue *rq, struct proc *curr, struct proc *p);
};

/* Services the core provides to policies (the simulator provides its own). */

/* A pseudo-random number (lottery draws).  The simulator's is seeded, so
 * runs are repeatable. */
u64 sched_random(void);

/* Linux's CPU weight for a nice value: 1024 at nice 0, about 1.25x per step
 * (sched/weights.c). */
u64 sched_nice_to_weight(int nice);

/* The tickets a process holds: its own, or derived from its nice value. */
u64 sched_tickets(const struct proc *p);

/* A policy's decisions, recorded in the scheduling trace (/proc/schedtrace)
 * and drawn as markers by tools/sched-timeline; they cost a test of one flag
 * when tracing is off.  The simulator records them too (sim.notes).
 *   sched_trace_level  p moved to `level` (MLFQ: a demotion, a boost, a catch-up)
 *   sched_trace_boost  MLFQ: the periodic boost happens now
 *   sched_trace_draw   lottery: `ticket` (0..total-1) was drawn; `winner` holds it
 *   sched_trace_pick   stride/CFS: p was picked with this pass or vruntime
 *   sched_trace_deadline  a job of deadline task p was released, due at `deadline` (ticks)
 *   sched_trace_miss      p's job due at `deadline` (ticks) had not ended by then
 * (the last two are made by the core, sched/deadline.c, not by policies) */
void sched_trace_level(const struct proc *p, int level);
void sched_trace_boost(void);
void sched_trace_draw(const struct proc *winner, u64 ticket, u64 total);
void sched_trace_pick(const struct proc *p, u64 key);
void sched_trace_deadline(const struct proc *p, u64 deadline);
void sched_trace_miss(const struct proc *p, u64 deadline);

#endif
