/*
 * trace.h - the scheduling trace: every context switch, wakeup, fork and
 * exit, with a timestamp, in a ring buffer read through /proc/schedtrace.
 *
 * Policies add their own decisions through the services in sched/policy.h
 * (sched_trace_level, _boost, _draw, _pick), so the timeline can mark an
 * MLFQ demotion, a boost, a lottery draw or a stride/CFS pick on the lanes.
 *
 * Turned on at boot with schedtrace=1, or at run time by writing "on" to
 * /proc/schedtrace ("off" stops, "clear" empties it).  tools/sched-timeline
 * turns the text into a Gantt chart.
 */
#ifndef SCHED_TRACE_H
#define SCHED_TRACE_H

#include "kernel/lib/textbuf.h"
#include "kernel/types.h"

struct proc;

enum trace_event {
    TRACE_SWITCH, /* a = from pid, b = to pid, reason: why `from` stopped running */
    TRACE_WAKEUP, /* a = pid: blocked -> ready */
    TRACE_FORK,   /* a = parent, b = child */
    TRACE_EXEC,   /* a = pid: it runs a new program (name) */
    TRACE_EXIT,   /* a = pid */
    TRACE_LEVEL,  /* a = pid, value[0] = its new MLFQ level */
    TRACE_BOOST,  /* MLFQ: every process back to the top level */
    TRACE_DRAW,   /* a = winner, value[0] = the ticket drawn, value[1] = the tickets in the draw */
    TRACE_PICK,   /* a = pid, value[0] = the key it won with (stride pass, CFS vruntime) */
    TRACE_DEADLINE, /* a = pid, value[0] = its new job's absolute deadline (us, trace clock) */
    TRACE_MISS,     /* a = pid, value[0] = the deadline its job missed (us, trace clock) */
    TRACE_MIGRATE,  /* a = pid, value[0] = from CPU, value[1] = to CPU (its run queue) */
};

enum switch_reason { REASON_PREEMPT, REASON_YIELD, REASON_BLOCK, REASON_STOP, REASON_EXIT };

extern bool sched_trace_enabled;

void sched_trace_init(void);
/* Record an event (interrupts off or on; never sleeps). */
void sched_trace(enum trace_event event, const struct proc *a, const struct proc *b, int reason);
/* p moved from CPU from's run queue to CPU to's (sched/runqueue.c). */
void sched_trace_migrate(const struct proc *p, int from, int to);
/* The whole buffer as text (for /proc/schedtrace). */
void sched_trace_show(struct textbuf *out);
/* "on", "off" or "clear"; 0 or -EINVAL. */
int sched_trace_control(const char *command);

#endif
