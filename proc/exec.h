/* exec.h - replacing a process's program: execve and the first process. */
#ifndef PROC_EXEC_H
#define PROC_EXEC_H

#include "kernel/types.h"

long sys_execve(const char *path, const char *const *argv, const char *const *envp);

#endif
