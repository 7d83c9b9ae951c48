/*
 * sys_sched.c - scheduler system calls.
 *
 * The Linux interface to scheduling that sprout's policies understand is
 * the nice value: setpriority/getpriority (and nice(), built on them).
 * A process is SCHED_OTHER in Linux's terms, and which algorithm runs it is
 * sprout's boot option sched=, shown in /proc/sched; or it is SCHED_DEADLINE
 * (sched_setattr: a runtime every period, due within a deadline), which the
 * policies edf and rm honour (docs/labs/edf.md).  As on Linux, a deadline
 * task may fork only if it set SCHED_FLAG_RESET_ON_FORK (EAGAIN otherwise),
 * and its child starts as a normal task.  A process's tickets
 * (lottery, stride) are set through /proc/<pid>/sched.
 */
#include "sched/sys_sched.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/uaccess.h"
#include "proc/proc.h"
#include "kernel/param.h"
#include "sched/deadline.h"
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

/* sched_setaffinity on another user's process needs CAP_SYS_NICE (Linux's rule). */
static bool may_change(const struct proc *p)
{
    const struct cred *me = &current->cred;
    return p->cred.uid == me->euid || p->cred.euid == me->euid || capable(CAP_SYS_NICE);
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
    struct proc *p = target(pid);
    if (!p)
        return -ESRCH;
    return sched_is_deadline(&p->sched) ? SCHED_DEADLINE : SCHED_OTHER;
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
    if (policy == SCHED_OTHER || policy == SCHED_BATCH || policy == SCHED_IDLE) {
        if (priority != 0)
            return -EINVAL;
        struct proc *p = target(pid);
        if (sched_is_deadline(&p->sched)) { /* back from SCHED_DEADLINE */
            if (!capable(CAP_SYS_NICE) && p->cred.uid != current->cred.euid &&
                p->cred.euid != current->cred.euid)
                return -EPERM;
            sched_set_normal(p);
        }
        return 0;
    }
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

/* The CPUs a process may run on: all that schedule (CPU 0 alone unless smp=on). */
long sys_sched_setaffinity(int pid, size_t size, const void *mask)
{
    /* As Linux: the mask is read first, then the thread is looked up; a mask
     * without a CPU that runs processes is EINVAL. */
    u64 wanted = 0;
    size_t length = size < sizeof wanted ? size : sizeof wanted;
    if (length && copy_from_user(&wanted, mask, length) < 0)
        return -EFAULT;
    struct proc *p = target(pid);
    if (!p)
        return -ESRCH;
    if (p != current && !may_change(p))
        return -EPERM;
    return sched_set_affinity(p, wanted);
}

long sys_sched_getaffinity(int pid, size_t size, void *mask)
{
    if (pid < 0 || !target(pid))
        return pid < 0 ? -EINVAL : -ESRCH;
    if (size < 8 || (size & 7))
        return -EINVAL;
    u64 allowed = sched_affinity(target(pid));
    if (clear_user(mask, size) < 0 || copy_to_user(mask, &allowed, sizeof allowed) < 0)
        return -EFAULT;
    return 8;
}

/* Linux's struct sched_attr (include/uapi/linux/sched/types.h).  A caller
 * says how big its copy is in `size`; VER0 ends before the utilisation
 * clamps.  Times are nanoseconds. */
struct sched_attr {
    u32 size;
    u32 sched_policy;
    u64 sched_flags;
    i32 sched_nice;
    u32 sched_priority;                              /* SCHED_FIFO, SCHED_RR */
    u64 sched_runtime, sched_deadline, sched_period; /* SCHED_DEADLINE */
    u32 sched_util_min, sched_util_max;              /* VER1 */
};
#define SCHED_ATTR_SIZE_VER0 48
#define SCHED_ATTR_SIZE_VER1 56
#define SCHED_FLAG_KEEP_POLICY 0x08
#define SCHED_FLAG_KEEP_PARAMS 0x10
#define SCHED_FLAG_UTIL_CLAMP 0x60
#define SCHED_FLAG_ALL 0x7f
#define UTIL_CLAMP_MAX 1024

/*
 * Copy a sched_attr in, Linux's way: the size comes first (0 means VER0);
 * a size below VER0 or above a page is E2BIG, and so is a bigger struct
 * than ours unless its extra bytes are zero -- in both cases our size is
 * written back so the caller can retry.
 */
static long copy_attr(struct sched_attr *attr, const void *uattr)
{
    u32 size;
    if (copy_from_user(&size, uattr, sizeof size) < 0)
        return -EFAULT;
    if (size == 0)
        size = SCHED_ATTR_SIZE_VER0;
    if (size < SCHED_ATTR_SIZE_VER0 || size > PAGE_SIZE)
        goto too_big;
    memset(attr, 0, sizeof *attr);
    if (copy_from_user(attr, uattr, MIN(size, sizeof *attr)) < 0)
        return -EFAULT;
    for (u32 at = sizeof *attr; at < size; at += 8) {
        u8 rest[8] = {0};
        u32 chunk = MIN(size - at, sizeof rest);
        if (copy_from_user(rest, (const u8 *)uattr + at, chunk) < 0)
            return -EFAULT;
        for (u32 i = 0; i < chunk; i++)
            if (rest[i])
                goto too_big;
    }
    attr->size = size;
    if ((attr->sched_flags & SCHED_FLAG_UTIL_CLAMP) && size < SCHED_ATTR_SIZE_VER1)
        return -EINVAL;
    return 0;
too_big:
    size = sizeof *attr;
    copy_to_user((u8 *)uattr, &size, sizeof size);
    return -E2BIG;
}

static bool valid_policy(u32 policy)
{
    return policy == SCHED_OTHER || policy == SCHED_FIFO || policy == SCHED_RR ||
           policy == SCHED_BATCH || policy == SCHED_IDLE || policy == SCHED_DEADLINE;
}

/* Linux's __sched_setscheduler checks, in its order: EINVAL, then EPERM,
 * then (for SCHED_DEADLINE) admission's EBUSY. */
static long set_attr(struct proc *p, struct sched_attr *attr)
{
    if (!valid_policy(attr->sched_policy) || (attr->sched_flags & ~(u64)SCHED_FLAG_ALL))
        return -EINVAL;
    if ((attr->sched_flags & SCHED_FLAG_UTIL_CLAMP) &&
        (attr->sched_util_min > UTIL_CLAMP_MAX || attr->sched_util_max > UTIL_CLAMP_MAX))
        return -EINVAL;
    bool realtime = attr->sched_policy == SCHED_FIFO || attr->sched_policy == SCHED_RR;
    if (attr->sched_priority > 99 || realtime != (attr->sched_priority != 0))
        return -EINVAL;
    bool deadline = attr->sched_policy == SCHED_DEADLINE;
    if (deadline &&
        dl_check_params(attr->sched_runtime, attr->sched_deadline, attr->sched_period) < 0)
        return -EINVAL;
    int nice = MAX(-20, MIN(19, attr->sched_nice));
    const struct cred *me = &current->cred;
    if (!capable(CAP_SYS_NICE)) {
        if (p->cred.uid != me->euid && p->cred.euid != me->euid)
            return -EPERM; /* another user's process */
        if (deadline || realtime)
            return -EPERM; /* real-time classes are root's to give */
        if (nice < p->sched.nice && !(attr->sched_flags & SCHED_FLAG_KEEP_PARAMS))
            return -EPERM;
    }
    if (realtime)
        return -EPERM; /* sprout has no SCHED_FIFO/RR class: choose a policy with sched= */
    if (deadline) {
        struct sched_deadline_params params = {
            attr->sched_runtime, attr->sched_deadline,
            attr->sched_period ? attr->sched_period : attr->sched_deadline, attr->sched_flags};
        return sched_set_deadline(p, &params);
    }
    if (sched_is_deadline(&p->sched))
        sched_set_normal(p);
    if (!(attr->sched_flags & SCHED_FLAG_KEEP_PARAMS))
        sched_set_nice(p, nice);
    return 0;
}

long sys_sched_setattr(int pid, void *uattr, unsigned int flags)
{
    if (!uattr || pid < 0 || flags)
        return -EINVAL;
    struct sched_attr attr;
    long err = copy_attr(&attr, uattr);
    if (err < 0)
        return err;
    if ((i32)attr.sched_policy < 0)
        return -EINVAL;
    struct proc *p = target(pid);
    if (!p)
        return -ESRCH;
    if (attr.sched_flags & SCHED_FLAG_KEEP_POLICY)
        attr.sched_policy = sched_is_deadline(&p->sched) ? SCHED_DEADLINE : SCHED_OTHER;
    if ((attr.sched_flags & SCHED_FLAG_KEEP_PARAMS) && sched_is_deadline(&p->sched) &&
        attr.sched_policy == SCHED_DEADLINE)
        return 0; /* the same policy, the same parameters */
    return set_attr(p, &attr);
}

long sys_sched_getattr(int pid, void *uattr, unsigned int size, unsigned int flags)
{
    if (!uattr || pid < 0 || size > PAGE_SIZE || size < SCHED_ATTR_SIZE_VER0 || flags)
        return -EINVAL;
    struct proc *p = target(pid);
    if (!p)
        return -ESRCH;
    const struct sched_entity *s = &p->sched;
    struct sched_attr attr = {
        .size = MIN(size, sizeof attr),
        .sched_policy = sched_is_deadline(s) ? SCHED_DEADLINE : SCHED_OTHER,
        .sched_nice = s->nice,
        .sched_util_max = UTIL_CLAMP_MAX,
    };
    if (sched_is_deadline(s)) {
        attr.sched_flags = s->dl_flags & SCHED_FLAG_RESET_ON_FORK;
        attr.sched_runtime = s->dl_runtime_ns;
        attr.sched_deadline = s->dl_deadline_ns;
        attr.sched_period = s->dl_period_ns;
    }
    return copy_to_user(uattr, &attr, attr.size) < 0 ? -EFAULT : 0;
}
