/*
 * exit.c - dying and being waited for.
 *
 * A process that exits gives back almost everything at once (memory, files)
 * but not its PID and exit status: it stays a *zombie* in the process table
 * until its parent calls wait4() to learn how it ended.  If the parent dies
 * first, the children become *orphans* and init (PID 1) adopts them; init
 * waits for its children forever, so orphans never stay zombies.
 */
#include "proc/exit.h"
#include "proc/cgroup.h"
#include "proc/futex.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/lock.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/pagetable.h"
#include "mm/vm.h"
#include "proc/itimer.h"
#include "proc/ns.h"
#include "proc/posix_timer.h"
#include "proc/proc.h"
#include "proc/ptrace.h"
#include "proc/signal.h"
#include "proc/thread.h"
#include "sched/sched.h"
#include "sched/trace.h"

#define WNOHANG 1
#define WUNTRACED 2
#define WCONTINUED 8
#define WNOTHREAD 0x20000000
#define WALL 0x40000000
#define WCLONE 0x80000000

void proc_notify_parent(struct proc *p, int code, int status)
{
    /* Tracing stops go to the tracer; exits and job-control events to the parent. */
    struct proc *parent = code == CLD_TRAPPED ? ptrace_tracer(p) : p->parent;
    if (!parent)
        return;
    const struct k_sigaction *a = &parent->signals.actions[SIGCHLD - 1];
    bool stop_or_continue = code == CLD_STOPPED || code == CLD_CONTINUED;
    if (!(stop_or_continue && (a->flags & SA_NOCLDSTOP))) {
        struct pending_info info = {
            .code = code, .pid = p->pid, .uid = p->cred.uid, .value = (u64)status};
        signal_send(parent, SIGCHLD, &info);
    }
    wake_up(&parent->child_wait);
}

void proc_vfork_release(struct proc *p)
{
    struct proc *parent = p->vfork_parent;
    if (!parent)
        return;
    p->vfork_parent = NULL;
    parent->vfork_released = true;
    wake_up(&parent->child_wait);
}

/* Give every child of `dying` to init, or to the PID 1 of its namespace
 * (proc/ns_pid.c); wake the adopter if one of them is already a zombie. */
static void reparent_children(struct proc *dying)
{
    struct proc *reaper = pid_ns_reaper_for(dying);
    bool zombie_adopted = false;
    struct proc *child, *tmp;
    list_for_each_entry_safe (child, tmp, &dying->children, sibling) {
        if (child->vfork_parent == dying)
            child->vfork_parent = NULL;
        proc_set_parent(child, reaper);
        if (child->state == PROC_ZOMBIE)
            zombie_adopted = true;
    }
    if (zombie_adopted)
        wake_up(&reaper->child_wait);
}

static void consume_event(struct proc *self, struct proc *child);

void proc_reap_zombie_children(struct proc *self)
{
    struct proc *child, *tmp;
    list_for_each_entry_safe (child, tmp, &self->children, sibling) {
        if (child->state == PROC_ZOMBIE && child->group->live == 0 && !child->tracer)
            consume_event(self, child);
    }
}

/*
 * The current thread lets go of what it shares with its process: descriptor
 * table, directory, address space.  Each is reference-counted, so the last
 * thread to leave frees it.
 */
static void thread_release_resources(struct proc *self)
{
    thread_exit_notify(self); /* clear_child_tid, robust mutexes: needs the mm */
    fd_table_put(self->files);
    self->files = NULL;
    bool irq_fs = irq_save();
    list_remove(&self->fs_peer); /* no longer moved by a CLONE_FS peer's chdir */
    irq_restore(irq_fs);
    if (self->cwd)
        inode_put(self->cwd);
    self->cwd = NULL;

    /* Leave the address space before giving it back. */
    bool irq = irq_save();
    pagetable_activate(kernel_pml4);
    irq_restore(irq);
    struct mm *mm = self->mm;
    self->mm = NULL;
    mm_put(mm);
    proc_vfork_release(self);
}

/*
 * The last thread of a process is gone: the process itself dies.  `leader`
 * (which may be the current thread, or a zombie already) becomes the zombie
 * its parent's wait4 will report, with wait status `status`.  Interrupts off.
 */
static void process_exit(struct proc *leader, int status)
{
    ptrace_exit(leader, status);
    itimer_cancel(leader);
    posix_timers_release(leader->group);
    lock_release_process(leader->tgid);
    pid_ns_reaper_exit(leader); /* a namespace's PID 1: everyone inside gets SIGKILL */
    reparent_children(leader);
    leader->exit_status = status;
    leader->exit_time = jiffies;
    /* A parent that ignores SIGCHLD does not wait: let init collect us. */
    struct proc *parent = leader->parent;
    if (parent && parent != init_proc &&
        (parent->signals.actions[SIGCHLD - 1].handler == SIG_IGN ||
         (parent->signals.actions[SIGCHLD - 1].flags & SA_NOCLDWAIT))) {
        proc_set_parent(leader, init_proc);
        leader->autoreap = true;
        wake_up(&parent->child_wait); /* a wait4 there may now find no children: ECHILD */
    }
    leader->state = PROC_ZOMBIE;
    int code = (status & 0x7F) == 0 ? CLD_EXITED : (status & WCOREFLAG) ? CLD_DUMPED : CLD_KILLED;
    proc_notify_parent(leader, code, code == CLD_EXITED ? (status >> 8) & 0xFF : status & 0x7F);
}

void proc_exit(int status)
{
    struct proc *self = current;
    struct thread_group *group = self->group;
    if (self == init_proc && group->live == 1)
        panic("Attempted to kill init! (exit status %#x)", status);

    thread_release_resources(self);
    if (group->live == 1 && pid_ns_is_reaper(group->leader))
        pid_ns_zap(group->leader); /* a namespace's PID 1: everyone inside dies first */

    bool irq = irq_save();
    self->exit_status = status;
    self->exit_time = jiffies;
    bool last = --group->live == 0;
    if (group->execing && group->live == 1)
        wake_up_process(group->execing); /* the last other thread is gone */
    struct proc *leader = group->leader;
    if (last) /* the process ends: exit_group's status, or the leader's own */
        process_exit(leader, group->exiting   ? group->exit_status
                             : leader == self ? status
                                              : leader->exit_status);
    if (self != leader) {
        /* A thread other than the leader: nobody waits for it; free it once
         * we are off its stack. */
        thread_account_exit(self);
        ptrace_exit(self, status); /* a tracer following threads (strace -f) hears of it */
        list_remove(&self->thread_node);
        thread_queue_dead(self);
        self->autoreap = true; /* proc_find no longer sees it */
        if (list_node_linked(&self->sibling))
            list_remove(&self->sibling);
        self->parent = NULL;
    }
    cgroup_exit(self); /* no longer one of its group's tasks */
    self->state = PROC_ZOMBIE;
    futex_pi_owner_exited(self); /* its PI locks go to their waiters (OWNER_DIED) */
    sched_trace(TRACE_EXIT, self, NULL, 0);
    schedule(); /* a zombie never runs again */
    irq_restore(irq);
    panic("zombie %d was scheduled", self->pid);
}

/* exit ends the calling thread; exit_group (what exit(3) calls) the whole process. */
long sys_exit(int code) { proc_exit(W_EXITCODE(code)); }
long sys_exit_group(int code) { proc_group_exit(W_EXITCODE(code)); }

static bool wait_matches(const struct proc *self, const struct proc *child, int pid)
{
    if (pid > 0)
        return tgid_vnr(child) == pid; /* the PID as the caller's namespace numbers it */
    if (pid == -1)
        return true;
    if (pid == 0)
        return child->pgid == self->pgid;
    if (pid_ns_current()->level > 0) /* -pid is a group as our namespace numbers it */
        return pid_vnr(proc_find(child->pgid)) == -pid;
    return child->pgid == -pid;
}

/* Linux's struct rusage: two timevals and fourteen longs. */
struct rusage {
    i64 utime_sec, utime_usec, stime_sec, stime_usec;
    i64 maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock;
    i64 msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
};

static void fill_rusage(struct rusage *r, u64 utime, u64 stime, const struct proc *p)
{
    memset(r, 0, sizeof *r);
    u64 us_per_tick = 1000000 / HZ;
    r->utime_sec = (i64)(utime * us_per_tick / 1000000);
    r->utime_usec = (i64)(utime * us_per_tick % 1000000);
    r->stime_sec = (i64)(stime * us_per_tick / 1000000);
    r->stime_usec = (i64)(stime * us_per_tick % 1000000);
    r->minflt = (i64)p->min_flt;
    r->majflt = (i64)p->maj_flt;
    r->nvcsw = (i64)p->nvcsw;
    r->nivcsw = (i64)p->nivcsw;
}

/* Which events a wait asks for. */
struct wait_wants {
    bool exited, stopped, continued;
};

/* What a wait would learn of `child` now: true and its wait status, or false. */
static bool child_event(const struct proc *self, const struct proc *child, struct wait_wants wants,
                        int *status)
{
    if (child->state == PROC_ZOMBIE && child->group->live == 0) {
        *status = child->exit_status;
        return wants.exited;
    }
    /* The leader exited but other threads run: they stop and continue for it. */
    child = thread_group_reporter(child->group);
    if (!child)
        return false;
    if (child->state == PROC_STOPPED && child->signals.stop_reported &&
        (child->tracer ? child->tracer == self : wants.stopped)) {
        /* (a traced child's stops are its tracer's business, not ours) */
        *status = W_STOPCODE(child->signals.stop_signal);
        return true;
    }
    if (wants.continued && child->signals.continued) {
        *status = W_CONTINUED;
        return true;
    }
    return false;
}

/* The event has been reported: reap a zombie, or mark the stop/continue seen. */
static void consume_event(struct proc *self, struct proc *child)
{
    if (child->state == PROC_ZOMBIE && child->group->live == 0) {
        u64 utime, stime;
        thread_group_cputime(child, &utime, &stime);
        self->cutime_ticks += utime + child->cutime_ticks;
        self->cstime_ticks += stime + child->cstime_ticks;
        proc_free(child);
        return;
    }
    child = thread_group_reporter(child->group); /* (the leader, if it still runs) */
    if (!child)
        return;
    if (child->state == PROC_STOPPED) {
        child->signals.stop_reported = false;
    } else {
        child->signals.continued = false;
    }
}

static long rusage_to_user(void *rusage_out, const struct proc *child)
{
    u64 utime, stime;
    thread_group_cputime(child, &utime, &stime);
    struct rusage r;
    fill_rusage(&r, utime + child->cutime_ticks, stime + child->cstime_ticks, child);
    return copy_to_user(rusage_out, &r, sizeof r) < 0 ? -EFAULT : 0;
}

/* Report one event of `child` to wait4's caller: its PID, 0 if none, or -EFAULT. */
static int report(struct proc *self, struct proc *child, int options, int *status_out,
                  void *rusage_out)
{
    struct wait_wants wants = {true, options & WUNTRACED, options & WCONTINUED};
    int status;
    if (!child_event(self, child, wants, &status))
        return 0;
    /* Write the results first: a bad pointer gives EFAULT and loses nothing. */
    if (status_out && copy_to_user(status_out, &status, sizeof status) < 0)
        return -EFAULT;
    if (rusage_out && rusage_to_user(rusage_out, child) < 0)
        return -EFAULT;
    int pid = tgid_vnr(child);
    consume_event(self, child);
    return pid;
}

long sys_wait4(int pid, int *status, int options, void *rusage)
{
    if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE))
        return -EINVAL;
    if (pid == INT32_MIN)
        return -ESRCH;
    thread_reap_dead();
    /* Children belong to the process: any of its threads may wait for them. */
    struct proc *self = current->group->leader;
    for (;;) {
        bool have_children = false;
        struct proc *child, *tmp;
        list_for_each_entry_safe (child, tmp, &self->children, sibling) {
            if (!wait_matches(self, child, pid))
                continue;
            have_children = true;
            int result = report(self, child, options, status, rusage);
            if (result != 0)
                return result;
        }
        have_children |= ptrace_has_tracees_matching(self, pid);
        int traced = ptrace_wait_report(self, pid, status);
        if (traced != 0)
            return traced;
        if (!have_children)
            return -ECHILD;
        if (options & WNOHANG)
            return 0;
        bool irq = irq_save();
        int error = sleep_on(&self->child_wait, "wait4", 0);
        irq_restore(irq);
        if (error)
            return -ERESTARTSYS;
    }
}

/* --- waitid ------------------------------------------------------------ */

enum { P_ALL = 0, P_PID = 1, P_PGID = 2 };
#define WSTOPPED 2
#define WEXITED 4
#define WNOWAIT 0x01000000

/* The part of Linux's 128-byte siginfo_t that waitid fills (SIGCHLD's fields). */
struct waitid_info {
    i32 si_signo, si_errno, si_code, pad;
    i32 si_pid;
    u32 si_uid;
    i32 si_status;
    i32 pad2;
    i64 si_utime, si_stime;
    u8 rest[128 - 48];
};

static void fill_waitid_info(struct waitid_info *info, const struct proc *child, int status)
{
    memset(info, 0, sizeof *info);
    info->si_signo = SIGCHLD;
    info->si_pid = tgid_vnr(child);
    if (status == W_CONTINUED) {
        info->si_code = CLD_CONTINUED;
        info->si_status = SIGCONT;
    } else if ((status & 0xff) == 0x7f) {
        info->si_code = child->tracer ? CLD_TRAPPED : CLD_STOPPED;
        info->si_status = (status >> 8) & 0xff;
    } else if ((status & 0x7f) == 0) {
        info->si_code = CLD_EXITED;
        info->si_status = (status >> 8) & 0xff;
    } else {
        info->si_code = (status & 0x80) ? CLD_DUMPED : CLD_KILLED;
        info->si_status = status & 0x7f;
    }
    u64 utime, stime;
    thread_group_cputime(child, &utime, &stime);
    info->si_utime = (i64)utime;
    info->si_stime = (i64)stime;
}

/*
 * waitid(idtype, id, infop, options, rusage): wait4 with a choice of events
 * (WEXITED, WSTOPPED, WCONTINUED; at least one), WNOWAIT to leave the child
 * waitable, and the answer in a siginfo_t.  Returns 0; with WNOHANG and
 * nothing to report, 0 and a siginfo of zeros.
 */
long sys_waitid(int idtype, int id, void *infop, int options, void *rusage)
{
    if (options &
        ~(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | WNOTHREAD | WALL | WCLONE))
        return -EINVAL;
    if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
        return -EINVAL;
    int pid;
    switch (idtype) {
    case P_ALL:
        pid = -1;
        break;
    case P_PID:
        if (id <= 0)
            return -EINVAL;
        pid = id;
        break;
    case P_PGID:
        if (id < 0)
            return -EINVAL;
        pid = id == 0 ? 0 : -id;
        break;
    default:
        return -EINVAL;
    }
    struct wait_wants wants = {options & WEXITED, options & WSTOPPED, options & WCONTINUED};
    struct proc *self = current->group->leader;
    struct waitid_info info;
    for (;;) {
        bool have_children = false;
        struct proc *child, *tmp;
        list_for_each_entry_safe (child, tmp, &self->children, sibling) {
            int status;
            if (!wait_matches(self, child, pid))
                continue;
            have_children = true;
            if (!child_event(self, child, wants, &status))
                continue;
            fill_waitid_info(&info, child, status);
            if (infop && copy_to_user(infop, &info, sizeof info) < 0)
                return -EFAULT;
            if (rusage && rusage_to_user(rusage, child) < 0)
                return -EFAULT;
            if (!(options & WNOWAIT))
                consume_event(self, child);
            return 0;
        }
        if (!have_children)
            return -ECHILD;
        if (options & WNOHANG) {
            memset(&info, 0, sizeof info);
            if (infop && copy_to_user(infop, &info, sizeof info) < 0)
                return -EFAULT;
            return 0;
        }
        bool irq = irq_save();
        int error = sleep_on(&self->child_wait, "waitid", 0);
        irq_restore(irq);
        if (error)
            return -ERESTARTSYS;
    }
}
