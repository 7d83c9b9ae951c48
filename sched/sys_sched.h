/* sys_sched.h - scheduler system calls: nice values and scheduling information. */
#ifndef SCHED_SYS_SCHED_H
#define SCHED_SYS_SCHED_H

#include "kernel/types.h"

long sys_getpriority(int which, int who);
long sys_setpriority(int which, int who, int nice);
long sys_sched_getscheduler(int pid);
long sys_sched_setscheduler(int pid, int policy, const void *param);
long sys_sched_getparam(int pid, void *param);
long sys_sched_setparam(int pid, const void *param);
long sys_sched_get_priority_max(int policy);
long sys_sched_get_priority_min(int policy);
long sys_sched_rr_get_interval(int pid, void *interval);
long sys_sched_setaffinity(int pid, size_t size, const void *mask);
long sys_sched_getaffinity(int pid, size_t size, void *mask);
long sys_sched_setattr(int pid, void *attr, unsigned int flags);
long sys_sched_getattr(int pid, void *attr, unsigned int size, unsigned int flags);

#endif
