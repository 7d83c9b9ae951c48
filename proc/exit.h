/* exit.h - how processes end, and how parents learn about it. */
#ifndef PROC_EXIT_H
#define PROC_EXIT_H

#include "kernel/types.h"

struct proc;

/* Wait-status encodings (Linux, as decoded by WIFEXITED & co). */
#define W_EXITCODE(code) (((code)&0xFF) << 8)
#define W_STOPCODE(sig) (((sig) << 8) | 0x7F)
#define W_CONTINUED 0xFFFF
#define WCOREFLAG 0x80 /* with a signal number: a core file was written (proc/coredump.c) */

/*
 * End the current process with wait status `status`: release its memory and
 * files, give its children to init, become a zombie, tell the parent.
 * Never returns.
 */
NORETURN void proc_exit(int status);

/* Tell p's parent that p exited, stopped or continued (SIGCHLD + wake wait4). */
void proc_notify_parent(struct proc *p, int code, int status);

/* The vfork parent of p may continue (p called execve or exited). */
void proc_vfork_release(struct proc *p);
/* Free every zombie child of `self` (a dying namespace's PID 1: proc/ns_pid.c). */
void proc_reap_zombie_children(struct proc *self);

long sys_exit(int code);
long sys_exit_group(int code);
long sys_wait4(int pid, int *status, int options, void *rusage);
/* waitid: wait4 with a choice of events, WNOWAIT, and a siginfo_t answer. */
long sys_waitid(int idtype, int id, void *infop, int options, void *rusage);

#endif
