/* sys_proc.c - who am I, who is my parent, what may I use (see sys_proc.h). */
#include "proc/sys_proc.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "kernel/timer.h"
#include "kernel/tty.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/layout.h"
#include "mm/vm.h"
#include "proc/ns.h"
#include "proc/proc.h"
#include "proc/sys_cred.h"
#include "proc/thread.h"
#include "sched/sched.h"

/* The process's ID is its thread group's; each thread has its own TID.  All of
 * them as the caller's PID namespace numbers them (proc/ns_pid.c): a parent
 * outside the namespace is 0, as on Linux. */
/* The call benchmarks time: the usual case (the process's leader in the
 * caller's own PID namespace) without the calls through tgid_vnr. */
long sys_getpid(void)
{
    struct proc *self = current, *leader = self->group ? self->group->leader : self;
    if (leader->pid_ns && leader->pid_ns == self->pid_ns)
        return leader->ns_pids[self->pid_ns->level];
    return tgid_vnr(self);
}
long sys_getppid(void)
{
    struct proc *parent = current->group->leader->parent;
    return parent ? tgid_vnr(parent) : 0;
}
long sys_gettid(void) { return pid_vnr(current); }

static struct proc *find_or_self(int pid) { return pid == 0 ? current : proc_find_vnr(pid); }

/* A process group or session ID (the kernel's number: its leader's PID) as the
 * caller's namespace numbers it, and back; 0 / -1 when it has no number there. */
static int group_id_vnr(int id)
{
    if (pid_ns_current()->level == 0)
        return id;
    return pid_vnr(proc_find(id));
}

static int group_id_from_vnr(int nr)
{
    if (pid_ns_current()->level == 0)
        return nr;
    struct proc *p = proc_find_vnr(nr);
    return p ? p->pid : -1;
}

long sys_getpgid(int pid)
{
    struct proc *p = find_or_self(pid);
    return p ? group_id_vnr(p->pgid) : -ESRCH;
}

long sys_getpgrp(void) { return group_id_vnr(current->pgid); }

long sys_getsid(int pid)
{
    struct proc *p = find_or_self(pid);
    return p ? group_id_vnr(p->sid) : -ESRCH;
}

/* Move a process into a process group (job control: one group per pipeline). */
long sys_setpgid(int pid, int pgid)
{
    if (pgid < 0)
        return -EINVAL;
    struct proc *self = current, *p = find_or_self(pid);
    if (!p || (p != self && p->parent != self))
        return -ESRCH; /* only ourselves or our children */
    if (p != self && p->did_exec)
        return -EACCES; /* a child that has exec'd chooses its own group */
    if (p->sid != self->sid)
        return -EPERM;
    if (p->pid == p->sid)
        return -EPERM; /* a session leader stays in its own group */
    if (pgid == 0)
        pgid = p->pid;
    else if ((pgid = group_id_from_vnr(pgid)) < 0)
        return -EPERM; /* no such group in our namespace */
    if (pgid != p->pid) {
        bool exists = false;
        struct proc *q;
        list_for_each_entry (q, &all_procs, all_node) {
            if (q->pgid == pgid && q->sid == self->sid)
                exists = true;
        }
        if (!exists)
            return -EPERM;
    }
    p->pgid = pgid;
    return 0;
}

long sys_setsid(void)
{
    struct proc *self = current, *q;
    list_for_each_entry (q, &all_procs, all_node) {
        if (q->pgid == self->pid)
            return -EPERM; /* already a group leader: cannot start a session */
    }
    self->sid = self->pgid = self->pid;
    return group_id_vnr(self->sid);
}

/* --- resource limits ------------------------------------------------------------- */

long sys_prlimit64(int pid, int resource, const void *new_limit, void *old_limit)
{
    if (resource < 0 || resource >= RLIM_NLIMITS)
        return -EINVAL;
    struct proc *p = find_or_self(pid);
    if (!p)
        return -ESRCH;
    if (!cred_may_inspect(p) && !capable(CAP_SYS_RESOURCE))
        return -EPERM; /* another user's process */
    struct rlimit value;
    if (new_limit) {
        if (copy_from_user(&value, new_limit, sizeof value) < 0)
            return -EFAULT;
        if (value.cur > value.max)
            return -EINVAL;
        if (value.max > p->rlimits[resource].max && !capable(CAP_SYS_RESOURCE))
            return -EPERM; /* only root raises a hard limit */
        /* Not even root has more descriptors than NR_OPEN (Linux's fs.nr_open). */
        if (resource == RLIMIT_NOFILE && value.max > NR_OPEN)
            return -EPERM;
    }
    if (old_limit && copy_to_user(old_limit, &p->rlimits[resource], sizeof value) < 0)
        return -EFAULT;
    if (new_limit)
        p->rlimits[resource] = value;
    return 0;
}

long sys_getrlimit(int resource, void *rlim) { return sys_prlimit64(0, resource, NULL, rlim); }
long sys_setrlimit(int resource, const void *rlim)
{
    return sys_prlimit64(0, resource, rlim, NULL);
}

/* --- usage ---------------------------------------------------------------------- */

#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1 /* the calling thread alone */

struct rusage {
    i64 utime_sec, utime_usec, stime_sec, stime_usec;
    i64 maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock;
    i64 msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
};

long sys_getrusage(int who, void *usage)
{
    struct proc *p = current, *leader = p->group->leader;
    if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
        return -EINVAL;
    u64 u = leader->cutime_ticks, s = leader->cstime_ticks; /* children are the process's */
    if (who == RUSAGE_SELF)
        thread_group_cputime(p, &u, &s);
    else if (who == RUSAGE_THREAD)
        sched_cputime(p, &u, &s);
    struct rusage r;
    memset(&r, 0, sizeof r);
    u64 us = 1000000 / HZ;
    r.utime_sec = (i64)(u * us / 1000000), r.utime_usec = (i64)(u * us % 1000000);
    r.stime_sec = (i64)(s * us / 1000000), r.stime_usec = (i64)(s * us % 1000000);
    if (who != RUSAGE_CHILDREN) {
        r.maxrss = p->mm ? (i64)(p->mm->rss * 4) : 0;
        r.minflt = (i64)p->min_flt;
        r.majflt = (i64)p->maj_flt;
        r.nvcsw = (i64)p->nvcsw;
        r.nivcsw = (i64)p->nivcsw;
    }
    return copy_to_user(usage, &r, sizeof r) < 0 ? -EFAULT : 0;
}

long sys_times(void *buf)
{
    struct proc *leader = current->group->leader;
    u64 utime, stime;
    thread_group_cputime(current, &utime, &stime);
    i64 t[4] = {(i64)utime, (i64)stime, (i64)leader->cutime_ticks, (i64)leader->cstime_ticks};
    if (buf && copy_to_user(buf, t, sizeof t) < 0)
        return -EFAULT;
    return (long)jiffies;
}

/* --- odds and ends musl needs at start-up -------------------------------------------- */

long sys_set_tid_address(int *tidptr)
{
    current->clear_child_tid = (u64)tidptr;
    return current->pid;
}

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

long sys_arch_prctl(int code, u64 addr)
{
    switch (code) {
    case ARCH_SET_FS:
        if (!is_user_address(addr) && addr != 0)
            return -EPERM; /* a kernel or non-canonical address would fault later */
        current->fs_base = addr;
        wrmsr(MSR_FS_BASE, addr);
        return 0;
    case ARCH_GET_FS: {
        u64 fs = rdmsr(MSR_FS_BASE);
        return copy_to_user((void *)addr, &fs, sizeof fs) < 0 ? -EFAULT : 0;
    }
    case ARCH_SET_GS:
    case ARCH_GET_GS:
        return -EINVAL; /* the kernel keeps GS for itself */
    default:
        return -EINVAL;
    }
}

#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define PR_CAPBSET_READ 23
#define PR_CAPBSET_DROP 24

long sys_prctl(int option, u64 arg2, u64 arg3, u64 arg4, u64 arg5)
{
    char name[PROC_NAME_LEN];
    switch (option) {
    case PR_SET_NAME: {
        long len = strncpy_from_user(name, (const char *)arg2, sizeof name);
        if (len == -EFAULT)
            return -EFAULT;
        proc_set_name(current, name); /* too long: truncated, like Linux */
        return 0;
    }
    case PR_GET_NAME:
        return copy_to_user((void *)arg2, current->name, sizeof current->name) < 0 ? -EFAULT : 0;
    case PR_CAPBSET_READ:
    case PR_CAPBSET_DROP:
        return cred_prctl_capbset(option == PR_CAPBSET_DROP, arg2);
    default:
        return -EINVAL;
    }
}

long sys_sched_yield(void)
{
    sched_yield_current();
    return 0;
}
