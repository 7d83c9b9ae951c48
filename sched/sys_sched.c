/* sys_sched.c - scheduler system calls. */
#include "sched/sys_sched.h"
#include "kernel/errno.h"
#include "kernel/uaccess.h"
#include "proc/proc.h"

/* sprout has one CPU: every process may run on CPU 0 only. */
long sys_sched_getaffinity(int pid, size_t size, void *mask)
{
    if (pid != 0 && !proc_find(pid))
        return -ESRCH;
    if (size < 8 || (size & 7))
        return -EINVAL;
    u64 cpu0 = 1;
    if (clear_user(mask, size) < 0 || copy_to_user(mask, &cpu0, sizeof cpu0) < 0)
        return -EFAULT;
    return 8;
}
