/* sys_signal.h - the signal system calls (proc/sys_signal.c). */
#ifndef PROC_SYS_SIGNAL_H
#define PROC_SYS_SIGNAL_H

#include "kernel/types.h"

long sys_rt_sigaction(int sig, const void *act, void *oldact, size_t sigsetsize);
long sys_rt_sigprocmask(int how, const u64 *set, u64 *oldset, size_t sigsetsize);
long sys_rt_sigpending(u64 *set, size_t sigsetsize);
long sys_rt_sigsuspend(const u64 *mask, size_t sigsetsize);
long sys_kill(int pid, int sig);
long sys_tkill(int tid, int sig);
long sys_rt_sigqueueinfo(int pid, int sig, const void *info);
long sys_rt_tgsigqueueinfo(int tgid, int tid, int sig, const void *info);
long sys_tgkill(int tgid, int tid, int sig);
long sys_pause(void);
long sys_sigaltstack(const void *ss, void *old_ss);
long sys_rt_sigtimedwait(const u64 *set, void *info, const void *timeout, size_t sigsetsize);

#endif
