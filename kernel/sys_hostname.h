/*
 * sys_hostname.h - the machine's name: sethostname(2), and what uname(2)
 * reports as its nodename.  The system-call lab (docs/labs/syscall.md)
 * writes sys_sethostname(); the student edition starts without it.
 */
#ifndef KERNEL_SYS_HOSTNAME_H
#define KERNEL_SYS_HOSTNAME_H

#include "kernel/types.h"

#define HOSTNAME_MAX 64 /* Linux's __NEW_UTS_LEN: the longest name, without its NUL */

/* Copy the current name, NUL-terminated, into out (HOSTNAME_MAX + 1 bytes). */
void hostname_get(char *out);

/* sethostname(name, len): 0, -EINVAL (len < 0 or > HOSTNAME_MAX) or -EFAULT. */
long sys_sethostname(const char *name, int len);

#endif
