/*
 * thread.h - threads: many schedulable tasks in one process.
 *
 * sprout gives every thread its own struct proc (a "task", as Linux calls
 * it).  A process is a *thread group*: the tasks that share one address
 * space, one descriptor table and one set of signal handlers.  The first
 * task is the group's leader; its TID is the process's PID (the tgid).
 *
 *   SHARED by the threads of a process        OWNED by each thread (in struct proc)
 *   (reference-counted, one per process)
 *   ------------------------------------      -------------------------------------
 *   mm            address space (mm->users)   pid           its TID (gettid)
 *   files         descriptors (files->refs)   kstack, tf    kernel stack, registers
 *   signals.hand  handlers (hand->refs)       fs_base       thread pointer (TLS)
 *   cwd, umask (*) working directory          fpu           FPU/SSE registers
 *   group         tgid, threads, exit status, signals.blocked, .pending
 *                 timer_create's timers,      sched         run queue, CPU time
 *                 children (of the leader)    clear_child_tid, robust list
 *   rlimits, pgid, sid (copied)
 *
 *   (*) CLONE_FS: each task holds a reference to the same inode, and the tasks
 *       cloned with CLONE_FS from each other (threads, or not) are linked in a
 *       ring (proc.fs_peer); chdir and umask update them all.
 *
 * A thread's exit (exit, pthread_exit) ends only that task: it clears and
 * wakes its clear_child_tid word and is freed without a wait4.  exit_group,
 * or a fatal signal in any thread, ends them all.  The leader may exit
 * before the others; the parent's wait4 reports the process once, when the
 * last thread is gone.
 */
#ifndef PROC_THREAD_H
#define PROC_THREAD_H

#include "kernel/list.h"
#include "kernel/types.h"
#include "proc/signal.h"

struct proc;

struct thread_group {
    int tgid;                   /* = leader->pid: what getpid() returns */
    struct proc *leader;        /* stays (as a zombie if it exited) until the group is reaped */
    struct list threads;        /* every task of the group, linked by proc.thread_node */
    int live;                   /* tasks that have not exited yet */
    int refs;                   /* tasks pointing here (dead ones not yet freed included) */
    bool exiting;               /* exit_group or a fatal signal: every thread is being killed */
    int exit_status;            /* the wait status of that group exit */
    struct proc *execing;       /* the thread in execve, waiting for the others to die */
    u64 dead_utime, dead_stime; /* CPU ticks of threads that have exited */
    u64 dead_runtime_ns;        /* ... and their measured CPU time */
    /* Process-directed signals that every thread blocked when they came:
     * the first thread to unblock (or sigwait for) one takes it. */
    u64 shared_pending;
    struct pending_info shared_info[NSIG];
    /* timer_create's timers (proc/posix_timer.c), interrupts off to change. */
    struct list timers;
    int timer_count;
};

/* A group for the new process p (p its leader); -ENOMEM if out of memory. */
int thread_group_create(struct proc *p);
/* Make p a thread in `group` (clone with CLONE_THREAD). */
void thread_group_join(struct proc *p, struct thread_group *group);
/* p is being freed: drop its reference (the last one frees the group). */
void thread_group_leave(struct proc *p);

/* The thread of p's process that should take process-directed signal sig:
 * p itself if it can, else one that does not block it; NULL when every
 * thread of a multi-threaded process blocks it (it then waits in
 * group->shared_pending).  Interrupts off. */
struct proc *thread_group_pick(struct proc *p, int sig);

/* The thread that speaks for the process in job control (its stops and
 * continues, as the parent's wait4 sees them): the leader, or once the leader
 * has exited, the first thread still alive; NULL if none.  Interrupts off. */
struct proc *thread_group_reporter(struct thread_group *group);

/*
 * The current thread is exiting with wait status `status`: write 0 to its
 * clear_child_tid word and wake a waiter there (pthread_join), mark the
 * robust mutexes it holds OWNER_DIED.  Called before its mm is released.
 */
void thread_exit_notify(struct proc *self);

/* The CPU time of p's whole process: every thread's, the exited ones' too
 * (times, getrusage, /proc/<pid>/stat, CLOCK_PROCESS_CPUTIME_ID, wait4). */
void thread_group_cputime(const struct proc *p, u64 *utime, u64 *stime);
u64 thread_group_runtime_ns(const struct proc *p);
/* The exiting thread `self` adds its CPU time to its process's. */
void thread_account_exit(struct proc *self);

/* Free threads that exited and are no longer running (called before allocating tasks). */
void thread_reap_dead(void);
/* Queue the exiting current thread (not a leader) to be freed once it is off its stack. */
void thread_queue_dead(struct proc *self);

/*
 * execve in a process with several threads: kill the others and wait until
 * they are gone; a thread other than the leader then takes over the
 * leader's PID, as on Linux.  0, or -EINTR if we were killed meanwhile.
 */
int thread_group_exec(void);

/* exit_group / a fatal signal: kill every other thread of the current process, then exit. */
NORETURN void proc_group_exit(int status);

long sys_set_robust_list(u64 head, u64 length);
long sys_get_robust_list(int tid, u64 *head_out, u64 *length_out);
/* Always -ENOSYS (no restartable sequences), logged once per boot. */
long sys_rseq(u64 area, u32 length, int flags, u32 signature);

#endif
