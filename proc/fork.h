/* fork.h - making a new process as a copy of the current one. */
#ifndef PROC_FORK_H
#define PROC_FORK_H

#include "kernel/types.h"

/* clone() flags sprout understands (Linux values). */
#define CSIGNAL 0x000000ff /* the signal sent to the parent at exit (SIGCHLD) */
#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_PTRACE 0x00002000
#define CLONE_VFORK 0x00004000
#define CLONE_PARENT 0x00008000
#define CLONE_THREAD 0x00010000
#define CLONE_NEWNS 0x00020000
#define CLONE_SYSVSEM 0x00040000 /* accepted: sprout has no System V semaphores */
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID 0x01000000
#define CLONE_PIDFD 0x00001000             /* not supported */
#define CLONE_CLEAR_SIGHAND 0x100000000ull /* clone3 only */

/* Processes created since boot (/proc/stat "processes"). */
extern u64 forks_total;

long sys_fork(void);
long sys_vfork(void);
long sys_clone(u64 flags, u64 stack, int *parent_tid, int *child_tid, u64 tls);
/* clone with its arguments in a struct clone_args (Linux's layout, `size` bytes). */
long sys_clone3(const void *args, size_t size);

#endif
