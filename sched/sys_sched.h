/* sys_sched.h - scheduler system calls (priorities come with the coursework policies). */
#ifndef SCHED_SYS_SCHED_H
#define SCHED_SYS_SCHED_H

#include "kernel/types.h"

long sys_sched_getaffinity(int pid, size_t size, void *mask);

#endif
