/* sys_misc.h - system calls about the machine: uname, reboot, syslog, sysinfo, getrandom. */
#ifndef KERNEL_SYS_MISC_H
#define KERNEL_SYS_MISC_H

#include "kernel/types.h"

long sys_uname(void *buf);
long sys_reboot(int magic1, int magic2, int command, void *arg);
long sys_syslog(int type, char *buf, int len);
long sys_sysinfo(void *info);
long sys_getrandom(void *buf, size_t count, u32 flags);

#endif
