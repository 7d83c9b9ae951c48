/* sys_proc.h - system calls about the process itself: ids, groups, limits, usage. */
#ifndef PROC_SYS_PROC_H
#define PROC_SYS_PROC_H

#include "kernel/types.h"

long sys_getpid(void);
long sys_getppid(void);
long sys_gettid(void);
long sys_getpgid(int pid);
long sys_setpgid(int pid, int pgid);
long sys_getpgrp(void);
long sys_setsid(void);
long sys_getsid(int pid);
long sys_getrlimit(int resource, void *rlim);
long sys_setrlimit(int resource, const void *rlim);
long sys_prlimit64(int pid, int resource, const void *new_limit, void *old_limit);
long sys_getrusage(int who, void *usage);
long sys_times(void *buf);
long sys_set_tid_address(int *tidptr);
long sys_arch_prctl(int code, u64 addr);
long sys_prctl(int option, u64 arg2, u64 arg3, u64 arg4, u64 arg5);
long sys_sched_yield(void);

#endif
