/*
 * sys_sched.c - scheduler system calls.
 *
 * The Linux interface to scheduling that sprout's policies understand is
 * the nice value: setpriority/getpriority (and nice(), built on them).
 * Every process is SCHED_OTHER in Linux's terms; which algorithm runs it is
 * sprout's boot option sched=, shown in /proc/sched.  A process's tickets
 * (lottery, stride) are set through /proc/<pid>/sched.
 */
#include "sched/sys_sched.h"
#include "kernel/errno.h"
#include "kernel/uaccess.h"
#include "proc/proc.h"
#include "sched/sched.h"

#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2
#define SCHED_OTHER 0
#define SCHED_FIFO 1
#define SCHED_RR 2
#define SCHED_BATCH 3
#define SCHED_IDLE 5

/* Apply fn to every process `which`/`who` names; the count, or -ESRCH/-EINVAL. */
static long for_each_target(int which, int who, void (*fn)(struct proc *p, void *arg), void *arg)
{
    if (which != PRIO_PROCESS && which != PRIO_PGRP && which != PRIO_USER)
        return -EINVAL;
    struct proc *self = current;
    long count = 0;
    struct proc *p;
    list_for_each_entry (p, &all_procs, all_node) {
        if (p->state == PROC_ZOMBIE)
            continue;
        bool match = which == PRIO_PROCESS ? p->pid == (who ? who : self->pid)
                     : which == PRIO_PGRP  ? p->pgid == (who ? who : self->pgid)
                                           : p->cred.uid == (who ? (u32)who : self->cred.uid);
        if (match) {
            fn(p, arg);
            count++;
        }
    }
    return count ? count : -ESRCH;
}

static void lowest_nice(struct proc *p, void *arg)
{
    int *best = arg;
    if (p->sched.nice < *best)
        *best = p->sched.nice;
}

/* Like Linux, the raw system call returns 20 - nice (1..40), never negative;
 * the C library turns it back into a nice value. */
long sys_getpriority(int which, int who)
{
    int best = 20;
    long r = for_each_target(which, who, lowest_nice, &best);
    return r < 0 ? r : 20 - best;
}

struct renice {
    int nice;
    long error; /* the last refusal, as Linux reports it */
};

/* Linux's rules: another user's process needs CAP_SYS_NICE, and so does a
 * lower nice value (more CPU) than the process has now. */
static void set_nice(struct proc *p, void *arg)
{
    struct renice *r = arg;
    const struct cred *me = &current->cred;
    if (p->cred.uid != me->euid && p->cred.euid != me->euid && !capable(CAP_SYS_NICE))
        r->error = -EPERM;
    else if (r->nice < p->sched.nice && !capable(CAP_SYS_NICE))
        r->error = -EACCES;
    else
        sched_set_nice(p, r->nice);
}

long sys_setpriority(int which, int who, int nice)
{
    if (nice < -20)
        nice = -20; /* out-of-range values are clamped, as Linux does */
    if (nice > 19)
        nice = 19;
    struct renice r = {nice, 0};
    long count = for_each_target(which, who, set_nice, &r);
    return count < 0 ? count : r.error;
}

static struct proc *target(int pid)
{
    if (pid < 0)
        return NULL;
    return pid == 0 ? current : proc_find_vnr(pid);
}

long sys_sched_getscheduler(int pid)
{
    if (pid < 0)
        return -EINVAL;
    return target(pid) ? SCHED_OTHER : -ESRCH;
}

long sys_sched_setscheduler(int pid, int policy, const void *param)
{
    if (pid < 0 || !param)
        return -EINVAL;
    if (!target(pid))
        return -ESRCH;
    int priority;
    if (copy_from_user(&priority, param, sizeof priority) < 0)
        return -EFAULT;
    if (policy == SCHED_OTHER || policy == SCHED_BATCH || policy == SCHED_IDLE)
        return priority == 0 ? 0 : -EINVAL;
    if (policy == SCHED_FIFO || policy == SCHED_RR)
        return -EPERM; /* real-time classes: choose a policy with sched= instead */
    return -EINVAL;
}

long sys_sched_getparam(int pid, void *param)
{
    if (pid < 0 || !param)
        return -EINVAL;
    if (!target(pid))
        return -ESRCH;
    int priority = 0;
    return copy_to_user(param, &priority, sizeof priority) < 0 ? -EFAULT : 0;
}

long sys_sched_setparam(int pid, const void *param)
{
    return sys_sched_setscheduler(pid, SCHED_OTHER, param);
}

long sys_sched_get_priority_max(int policy)
{
    return policy == SCHED_FIFO || policy == SCHED_RR                               ? 99
           : policy == SCHED_OTHER || policy == SCHED_BATCH || policy == SCHED_IDLE ? 0
                                                                                    : -EINVAL;
}

long sys_sched_get_priority_min(int policy)
{
    return policy == SCHED_FIFO || policy == SCHED_RR                               ? 1
           : policy == SCHED_OTHER || policy == SCHED_BATCH || policy == SCHED_IDLE ? 0
                                                                                    : -EINVAL;
}

long sys_sched_rr_get_interval(int pid, void *interval)
{
    if (pid < 0)
        return -EINVAL;
    if (!target(pid))
        return -ESRCH;
    u64 ms = sched_quantum_ms();
    i64 ts[2] = {(i64)(ms / 1000), (i64)(ms % 1000) * 1000000};
    return copy_to_user(interval, ts, sizeof ts) < 0 ? -EFAULT : 0;
}

/* sprout has one CPU: every process may run on CPU 0 only. */
long sys_sched_setaffinity(int pid, size_t size, const void *mask)
{
    /* As Linux: the mask is read first, then the thread is looked up; a mask
     * without an online CPU (here: without CPU 0) is EINVAL. */
    u64 cpus = 0;
    size_t length = size < sizeof cpus ? size : sizeof cpus;
    if (length && copy_from_user(&cpus, mask, length) < 0)
        return -EFAULT;
    if (!target(pid))
        return -ESRCH;
    return (cpus & 1) ? 0 : -EINVAL;
}

long sys_sched_getaffinity(int pid, size_t size, void *mask)
{
    if (pid < 0 || !target(pid))
        return pid < 0 ? -EINVAL : -ESRCH;
    if (size < 8 || (size & 7))
        return -EINVAL;
    u64 cpu0 = 1;
    if (clear_user(mask, size) < 0 || copy_to_user(mask, &cpu0, sizeof cpu0) < 0)
        return -EFAULT;
    return 8;
}
