/*
 * ptrace.c - process tracing.
 *
 * Until the ptrace system call is implemented no process is ever traced,
 * so these hooks have nothing to do: they keep the tracing points in
 * signal delivery, system calls, fork, exec, exit and wait4 in place.
 */
#include "proc/ptrace.h"
#include "proc/proc.h"

struct proc *ptrace_tracer(const struct proc *p) { return NULL; }
int ptrace_signal_stop(struct trap_frame *frame, int sig) { return sig; }
void ptrace_syscall_entry(struct trap_frame *frame) {}
void ptrace_syscall_exit(struct trap_frame *frame) {}
void ptrace_fork_event(struct proc *child, int event) {}
void ptrace_exec_event(void) {}
void ptrace_exit(struct proc *p) {}
bool ptrace_has_tracees_matching(struct proc *tracer, int pid) { return false; }
int ptrace_wait_report(struct proc *tracer, int pid, int *status_out) { return 0; }
