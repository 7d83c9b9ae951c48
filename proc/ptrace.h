/*
 * ptrace.h - one process watching another: the mechanism behind strace.
 *
 * A traced process (the tracee) stops at the points its tracer asked for --
 * system-call entry and exit, signal delivery, fork and exec -- and the
 * tracer learns about each stop through wait4(), inspects the tracee's
 * registers and memory, and resumes it.  See proc/ptrace.c.
 */
#ifndef PROC_PTRACE_H
#define PROC_PTRACE_H

#include "kernel/interrupts.h"
#include "kernel/types.h"

struct proc;

/* Why a tracee stopped (Linux's numbers): the tracer's wait status has
 * status >> 8 == (SIGTRAP | event << 8).  Also the `event` argument below. */
#define PTRACE_EVENT_FORK 1
#define PTRACE_EVENT_VFORK 2
#define PTRACE_EVENT_CLONE 3
#define PTRACE_EVENT_EXEC 4

/* The process that traces p (NULL if none). */
struct proc *ptrace_tracer(const struct proc *p);
/* A traced process is about to get `sig`: stop and let the tracer decide.
 * Returns the signal to deliver (0: none). */
int ptrace_signal_stop(struct trap_frame *frame, int sig);
/* System-call entry and exit stops (kernel/syscall.c). */
void ptrace_syscall_entry(struct trap_frame *frame);
void ptrace_syscall_exit(struct trap_frame *frame);
/* fork/vfork/clone made `child` (not yet running): if our tracer asked to
 * follow this kind of fork, the child starts traced by it, with SIGSTOP. */
void ptrace_fork_attach(struct proc *child, int event);
/* After the child is running: the tracer sees a PTRACE_EVENT stop in the parent. */
void ptrace_fork_event(int child_pid, int event);
/* execve succeeded: SIGTRAP (or PTRACE_EVENT_EXEC) for a traced process. */
void ptrace_exec_event(void);
/* p is exiting with `status`: tell its tracer, and set its own tracees free. */
void ptrace_exit(struct proc *p, int status);
/* For the tracer's wait4: does it trace a process matching `pid`, and has one stopped? */
bool ptrace_has_tracees_matching(struct proc *tracer, int pid);
int ptrace_wait_report(struct proc *tracer, int pid, int *status_out);

long sys_ptrace(long request, long pid, u64 addr, u64 data);

#endif
