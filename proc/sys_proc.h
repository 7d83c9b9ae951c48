/* sys_proc.h - system calls about the process itself: ids, groups, limits, usage. */
#ifndef PROC_SYS_PROC_H
#define PROC_SYS_PROC_H

#include "kernel/types.h"

long sys_getpid(void);
long sys_getppid(void);
long sys_gettid(void);
long sys_getuid(void);
long sys_geteuid(void);
long sys_getgid(void);
long sys_getegid(void);
long sys_setuid(u32 uid);
long sys_setgid(u32 gid);
long sys_getgroups(int size, u32 *list);
long sys_getresuid(u32 *ruid, u32 *euid, u32 *suid);
long sys_getresgid(u32 *rgid, u32 *egid, u32 *sgid);
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
