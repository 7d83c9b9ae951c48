/* exec.h - replacing a process's program: execve. */
#ifndef PROC_EXEC_H
#define PROC_EXEC_H

#include "kernel/types.h"

long sys_execve(const char *path, const char *const *argv, const char *const *envp);
/* execve from inside the kernel, with NULL-terminated arrays of kernel
 * strings (for PID 1).  0 on success: the caller's trap frame now enters the
 * new program; or an error with nothing changed.  Process context only. */
int exec_from_kernel(const char *path, const char *const *argv, const char *const *envp);

#endif
