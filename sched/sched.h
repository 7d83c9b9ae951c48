/*
 * sched.h - the scheduler core: who runs, and when the CPU changes hands.
 *
 *   schedule()          pick the next process and switch to it (sched/sched.c)
 *   context_switch()    the switch itself, in proc/switch.asm
 *   policies            sched/policies/, chosen with the boot option sched=
 *
 * A process gives up the CPU only by calling schedule(), never in the middle
 * of other kernel code.  It does that when it
 *   - blocks: sleep_on() in sched/wait.c (I/O, a child, a timer...);
 *   - stops: SIGSTOP and job control (proc/signal.c) or a ptrace stop
 *     (proc/ptrace.c), until SIGCONT or its tracer resumes it;
 *   - exits: it is a zombie and never runs again (proc/exit.c);
 *   - yields: sched_yield (sched_yield_current() below);
 *   - is preempted: the timer tick found its time slice used up and set
 *     need_resched, and it switches on its way back to user mode
 *     (exit_to_user in kernel/trap.c), or, inside a long system call, at
 *     the next preemption point (sched_preempt_point below).
 *
 *
 * Why voluntary preemption points and not a preemptible kernel: sprout's
 * kernel code assumes that nothing else runs between two statements unless
 * it blocks or turns interrupts on -- the run queue, the process list, the
 * heap and every file system rely on "interrupts off" or on simply not being
 * interrupted by another process.  Making every kernel path preemptible would
 * need a preempt count around each of those regions, and one forgotten
 * region is a rare, unreproducible corruption.  Instead, the few places where
 * a user can make the kernel work for a long time -- copies proportional to a
 * size the user chose (write to the console or /dev/null, read of /dev/zero
 * or /dev/urandom, getrandom, big file and pipe copies) -- call
 * sched_preempt_point() once per chunk (a page or less).  That is Linux's
 * cond_resched() plus fatal_signal_pending() in one call: between chunks the
 * process gives up the CPU if its quantum is over, and stops early, returning
 * the bytes done so far, if it was sent SIGKILL.  So no system call keeps the
 * CPU for much more than a quantum, and SIGKILL always ends it promptly.
 */
#ifndef SCHED_SCHED_H
#define SCHED_SCHED_H

#include "kernel/interrupts.h"
#include "kernel/types.h"

struct proc;
struct sched_policy;

/* Choose the policy from sched= and quantum=, and make `idle` the idle process. */
void sched_init(struct proc *idle);

/*
 * Give the CPU to the next ready process (maybe the caller again).
 * Interrupts must be off.  If current is still PROC_RUNNING it stays
 * runnable (preemption or yield); otherwise (blocked, stopped, zombie) it
 * leaves the CPU until something makes it ready.
 */
void schedule(void);

/* A blocked, stopped or new process becomes ready to run.  Interrupts off or on. */
void sched_make_ready(struct proc *p);
/* Take a ready process off the run queue (it is being stopped). */
void sched_remove_ready(struct proc *p);
/* Change p's nice value / lottery tickets (setpriority, /proc/<pid>/sched). */
void sched_set_nice(struct proc *p, int nice);
/* CPU affinity (sched_setaffinity): the CPUs that run processes (CPU 0 only
 * unless smp=on), p's allowed CPUs among them, and setting them (-EINVAL if
 * `mask` names none of them).  docs/smp.md. */
u64 sched_online_mask(void);
u64 sched_affinity(const struct proc *p);
int sched_set_affinity(struct proc *p, u64 mask);
/* Priority inheritance (PI futexes): p runs as if its nice were `nice` while
 * `boosted` and that is better than its own.  Interrupts on or off. */
void sched_set_inherited_nice(struct proc *p, bool boosted, int nice);
void sched_set_tickets(struct proc *p, u64 tickets);
/* SCHED_DEADLINE parameters, checked by the caller (dl_check_params). */
struct sched_deadline_params {
    u64 runtime_ns, deadline_ns, period_ns; /* period already defaulted to deadline */
    u64 flags;                              /* sched_attr's sched_flags, kept for getattr */
};
/* Make p a deadline task, or give it new parameters: its first period begins
 * now.  The times are rounded up to whole ticks (at least one; deadline >=
 * runtime, period >= deadline).  -EBUSY if the deadline tasks would then
 * need more than the whole CPU, counted in those ticks. */
int sched_set_deadline(struct proc *p, const struct sched_deadline_params *params);
/* p is a normal task again (its bandwidth is given back). */
void sched_set_normal(struct proc *p);
/* What the deadline tasks have reserved, out of 1 << 20 (/proc/sched). */
u64 sched_deadline_bandwidth(void);
/* The running process offers the CPU to others (sched_yield). */
void sched_yield_current(void);
/* Called on every timer tick from the timer interrupt. */
void sched_timer_tick(struct trap_frame *frame);
/* A newly forked child: let the policy set it up (before it is made ready). */
void sched_fork(struct proc *parent, struct proc *child);

/*
 * A voluntary preemption point, for loops in system calls whose length a user
 * chooses.  Call it between chunks of work (about a page each), with
 * interrupts on and nothing held that another process could need: if the
 * timer has asked for the CPU back (need_resched), the process yields here
 * as it would on the way back to user mode.  Returns -EINTR if the process
 * has a fatal signal (SIGKILL) pending -- the caller then stops and returns
 * the count done so far (or -EINTR if none); the process dies on its way out
 * -- otherwise 0.  With interrupts off it only checks for the signal.
 */
int sched_preempt_point(void);

/* The running process should give up the CPU at the next chance. */
bool sched_need_resched(void);

/* The idle loop: runs when no process is ready (the boot thread, PID 0). */
NORETURN void sched_idle_loop(void);
/* True if this CPU was interrupted in its idle loop and its queue now has a
 * process (the interrupt woke one here): the interrupt's way out keeps the
 * big kernel lock, and the idle loop schedules with it at once. */
bool sched_idle_has_work(void);

const struct sched_policy *sched_active_policy(void);
/* The time slice, in milliseconds. */
u64 sched_quantum_ms(void);
/* Every registered policy, NULL-terminated (for /proc/sched and error messages). */
extern const struct sched_policy *const sched_policies[];

extern u64 context_switches; /* every switch since boot (/proc/stat "ctxt") */
/* Switches made at a preemption point inside a system call (/proc/sched). */
extern u64 preempt_points_taken;

/* Where the CPU's ticks went since boot (/proc/stat "cpu" line). */
struct cpu_ticks {
    u64 user, system, idle;
};
extern struct cpu_ticks cpu_ticks;

/* Load averages over 1, 5 and 15 minutes, times 100 (/proc/loadavg): the
 * average number of processes running or ready, updated every 5 seconds. */
void sched_loadavg(u64 out[3]);
/* Processes ready or running right now. */
u64 sched_nr_running(void);
/* For /proc/sched: a line per CPU, "cpuN running PID queued K: PID PID ...
 * migrations_in M pulls P", the queue in the order its processes came. */
struct textbuf;
void sched_show_queues(struct textbuf *out);

/* Nanoseconds p has spent on the CPU, up to this moment if it is running. */
u64 sched_runtime_ns(const struct proc *p);
/* p's user and system time in ticks, as /proc/PID/stat, getrusage and times report it. */
void sched_cputime(const struct proc *p, u64 *utime, u64 *stime);

#endif
