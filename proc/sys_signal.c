/* sys_signal.c - sigaction, sigprocmask, kill and friends. */
#include "proc/sys_signal.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/sys_time.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "proc/signal_frame.h"
#include "proc/thread.h"

#define UNBLOCKABLE (SIGMASK(SIGKILL) | SIGMASK(SIGSTOP))
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

long sys_rt_sigaction(int sig, const void *act, void *oldact, size_t sigsetsize)
{
    if (sigsetsize != sizeof(u64) || sig < 1 || sig > NSIG)
        return -EINVAL;
    struct signal_state *s = &current->signals;
    struct k_sigaction new_action;
    if (act && copy_from_user(&new_action, act, sizeof new_action) < 0)
        return -EFAULT;
    if (act && (sig == SIGKILL || sig == SIGSTOP))
        return -EINVAL; /* these two cannot be caught or ignored */
    if (oldact && copy_to_user(oldact, &s->actions[sig - 1], sizeof new_action) < 0)
        return -EFAULT;
    if (act) {
        new_action.mask &= ~UNBLOCKABLE;
        s->actions[sig - 1] = new_action;
        /* Setting SIG_IGN discards a pending instance (POSIX). */
        if (new_action.handler == SIG_IGN) {
            s->pending &= ~SIGMASK(sig);
            current->group->shared_pending &= ~SIGMASK(sig);
            if (sig >= 32)
                s->rt_queued[sig - 32] = 0;
        }
    }
    return 0;
}

long sys_rt_sigprocmask(int how, const u64 *set, u64 *oldset, size_t sigsetsize)
{
    if (sigsetsize != sizeof(u64))
        return -EINVAL;
    struct signal_state *s = &current->signals;
    u64 old = s->blocked, mask = 0;
    if (set) {
        if (copy_from_user(&mask, set, sizeof mask) < 0)
            return -EFAULT;
        if (how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
            return -EINVAL;
    }
    if (oldset && copy_to_user(oldset, &old, sizeof old) < 0)
        return -EFAULT;
    if (!set)
        return 0;
    if (how == SIG_BLOCK)
        s->blocked |= mask;
    else if (how == SIG_UNBLOCK)
        s->blocked &= ~mask;
    else
        s->blocked = mask;
    s->blocked &= ~UNBLOCKABLE;
    return 0; /* newly unblocked signals are delivered on the way out */
}

long sys_rt_sigpending(u64 *set, size_t sigsetsize)
{
    if (sigsetsize > sizeof(u64))
        return -EINVAL;
    u64 pending = signal_pending_set(current) & current->signals.blocked;
    return copy_to_user(set, &pending, sigsetsize) < 0 ? -EFAULT : 0;
}

/* Sleep until a signal that is not ignored arrives. */
static long wait_for_signal(const char *channel)
{
    bool irq = irq_save();
    while (!signal_pending(current))
        sleep_on(NULL, channel, 0);
    irq_restore(irq);
    return -ERESTARTNOHAND; /* EINTR after a handler ran; restarted otherwise */
}

long sys_rt_sigsuspend(const u64 *user_mask, size_t sigsetsize)
{
    if (sigsetsize != sizeof(u64))
        return -EINVAL;
    u64 mask;
    if (copy_from_user(&mask, user_mask, sizeof mask) < 0)
        return -EFAULT;
    struct signal_state *s = &current->signals;
    s->saved_mask = s->blocked;
    s->restore_saved_mask = true; /* the old mask returns after the handler */
    s->blocked = mask & ~UNBLOCKABLE;
    return wait_for_signal("sigsuspend");
}

long sys_pause(void) { return wait_for_signal("pause"); }

/*
 * init only receives the signals it has a handler for: with the default
 * action, even SIGKILL and SIGSTOP, a signal sent to it from user space is
 * dropped and the sender is told it was sent (kill returns 0), as on Linux
 * (SIGNAL_UNKILLABLE).  The system cannot lose PID 1 to a mistyped kill.
 */
static bool init_drops(const struct proc *p, int sig)
{
    if (p->signals.actions[sig - 1].handler != SIG_DFL)
        return false;
    if (p == init_proc)
        return true;
    /* A PID namespace's PID 1 is as safe from its own namespace; from the one
     * above, SIGKILL and SIGSTOP go through (box stop's last resort). */
    if (pid_ns_is_reaper(p))
        return (sig != SIGKILL && sig != SIGSTOP) || pid_nr_ns(current, p->pid_ns) != 0;
    return false;
}

/* Linux's check_kill_permission: the UIDs must match (cred.h), or we have
 * CAP_KILL; SIGCONT may also go to any process of our session. */
static bool may_signal(const struct proc *p, int sig)
{
    return cred_may_signal(p) || (sig == SIGCONT && p->sid == current->sid);
}

/* Send to one process, as the current process; 0 or -ESRCH/-EPERM. */
static long send_one(struct proc *p, int sig)
{
    if (p->state == PROC_ZOMBIE && sig && p->group->live == 0)
        return 0; /* nothing happens, but the process exists */
    if (!may_signal(p, sig))
        return -EPERM;
    if (sig == 0)
        return 0; /* kill(pid, 0): "does it exist, and may I signal it?" */
    if (init_drops(p, sig))
        return 0;
    struct pending_info info = {
        .code = SI_USER, .pid = tgid_vnr(current), .uid = current->cred.uid};
    return signal_send(p, sig, &info);
}

long sys_kill(int pid, int sig)
{
    if (sig < 0 || sig > NSIG)
        return -EINVAL;
    if (pid > 0) {
        struct proc *p = proc_find_vnr(pid); /* the PID in our namespace */
        return p ? send_one(p, sig) : -ESRCH;
    }
    if (pid == INT32_MIN)
        return -ESRCH;
    /* pid 0: our process group; -1: everyone but init and us; < -1: group -pid.
     * Only processes our PID namespace can see (proc/ns_pid.c). */
    int group = current->pgid;
    if (pid < -1) {
        struct proc *leader = proc_find_vnr(-pid);
        group = leader ? leader->pid : (pid_ns_current()->level ? -1 : -pid);
    }
    bool found = false, sent = false;
    struct proc *p;
    list_for_each_entry (p, &all_procs, all_node) {
        if (!pid_visible(p))
            continue;
        bool match = pid == -1 ? (p != init_proc && p != pid_ns_current()->reaper &&
                                  p->tgid != current->tgid && p->pid != 0)
                               : p->pgid == group;
        if (match && (p->state != PROC_ZOMBIE || p->group->live > 0) &&
            p->pid == p->tgid) { /* once per process */
            found = true;
            sent |= send_one(p, sig) == 0;
        }
    }
    /* As Linux: a group none of whose members we may signal is EPERM;
     * kill(-1) just skips those. */
    if (!found)
        return -ESRCH;
    return sent || pid == -1 ? 0 : -EPERM;
}

long sys_tgkill(int tgid, int tid, int sig)
{
    if (sig < 0 || sig > NSIG || tid <= 0 || (tgid != -1 && tgid <= 0))
        return -EINVAL;
    struct proc *p = proc_find_vnr(tid);
    if (!p || (tgid != -1 && tgid != tgid_vnr(p)))
        return -ESRCH;
    if (p->state != PROC_ZOMBIE && !may_signal(p, sig))
        return -EPERM;
    if (sig == 0 || init_drops(p, sig))
        return 0;
    struct pending_info info = {
        .code = SI_TKILL, .pid = tgid_vnr(current), .uid = current->cred.uid};
    return signal_send_thread(p, sig, &info); /* to that thread, not any of its process */
}

long sys_tkill(int tid, int sig) { return sys_tgkill(-1, tid, sig); }

/* The first fields of a user's siginfo_t that sigqueue fills. */
struct queued_siginfo {
    i32 si_signo, si_errno, si_code, pad;
    i32 si_pid;
    u32 si_uid;
    u64 si_value;
};

/*
 * rt_sigqueueinfo / rt_tgsigqueueinfo: send a signal with a siginfo of the
 * caller's making -- sigqueue() puts a value in si_value that the handler
 * (SA_SIGINFO) receives.  As Linux: to another process only with a
 * negative si_code (SI_QUEUE...), so nobody can pose as the kernel or kill().
 */
static long queue_info(int tgid, int tid, int sig, const void *user_info)
{
    struct queued_siginfo qi;
    if (sig < 0 || sig > NSIG)
        return -EINVAL;
    if (copy_from_user(&qi, user_info, sizeof qi) < 0)
        return -EFAULT;
    if ((qi.si_code >= 0 || qi.si_code == SI_TKILL) && tid != pid_vnr(current))
        return -EPERM;
    struct proc *p = proc_find_vnr(tid);
    if (!p || p->state == PROC_ZOMBIE || (tgid != -1 && tgid != tid))
        return -ESRCH;
    if (!may_signal(p, sig))
        return -EPERM;
    if (sig == 0)
        return 0;
    struct pending_info info = {
        .code = qi.si_code, .pid = qi.si_pid, .uid = qi.si_uid, .value = qi.si_value};
    return signal_send(p, sig, &info);
}

long sys_rt_sigqueueinfo(int pid, int sig, const void *info)
{
    if (pid <= 0)
        return -ESRCH; /* Linux: a process, not a group */
    return queue_info(-1, pid, sig, info);
}

long sys_rt_tgsigqueueinfo(int tgid, int tid, int sig, const void *info)
{
    if (tgid <= 0 || tid <= 0)
        return -EINVAL;
    return queue_info(tgid, tid, sig, info);
}

#define SS_ONSTACK 1
#define SS_DISABLE 2
#define MINSIGSTKSZ 2048

struct user_stack {
    u64 sp;
    i32 flags;
    u32 pad;
    u64 size;
};

long sys_sigaltstack(const void *user_ss, void *user_old)
{
    struct signal_state *s = &current->signals;
    u64 rsp = current->tf->rsp;
    bool on_stack =
        s->altstack_size && rsp > s->altstack_sp && rsp <= s->altstack_sp + s->altstack_size;
    if (user_old) {
        struct user_stack old = {s->altstack_sp,
                                 (i32)(on_stack           ? SS_ONSTACK
                                       : s->altstack_size ? 0
                                                          : SS_DISABLE),
                                 0, s->altstack_size};
        if (copy_to_user(user_old, &old, sizeof old) < 0)
            return -EFAULT;
    }
    if (!user_ss)
        return 0;
    struct user_stack ss;
    if (copy_from_user(&ss, user_ss, sizeof ss) < 0)
        return -EFAULT;
    if (on_stack)
        return -EPERM; /* cannot change the stack we are running on */
    if (ss.flags & ~(SS_DISABLE | SS_ONSTACK))
        return -EINVAL;
    if (ss.flags & SS_DISABLE) {
        s->altstack_sp = s->altstack_size = 0;
        s->altstack_flags = SS_DISABLE;
        return 0;
    }
    if (ss.size < MINSIGSTKSZ)
        return -ENOMEM;
    s->altstack_sp = ss.sp;
    s->altstack_size = ss.size;
    s->altstack_flags = 0;
    return 0;
}

long sys_rt_sigtimedwait(const u64 *user_set, void *user_info, const void *timeout,
                         size_t sigsetsize)
{
    if (sigsetsize != sizeof(u64))
        return -EINVAL;
    u64 set;
    if (copy_from_user(&set, user_set, sizeof set) < 0)
        return -EFAULT;
    set &= ~UNBLOCKABLE;
    u64 deadline = 0;
    if (timeout) {
        i64 ns;
        long error = timespec_from_user(timeout, &ns);
        if (error)
            return error;
        deadline = deadline_after_ns((u64)ns);
    }
    struct signal_state *s = &current->signals;
    bool irq = irq_save();
    /* Wait with the awaited signals unblocked, so their arrival wakes us. */
    u64 saved = s->blocked;
    s->blocked &= ~set;
    while (!(signal_pending_set(current) & set) && !(signal_pending_set(current) & ~s->blocked)) {
        if (timeout && jiffies >= deadline)
            break;
        if (sleep_on(NULL, "sigtimedwait", timeout ? deadline : 0) == -ETIMEDOUT)
            break;
    }
    s->blocked = saved;
    u64 ready = signal_pending_set(current) & set;
    if (!ready) {
        irq_restore(irq);
        return (signal_pending_set(current) & ~s->blocked) ? -EINTR : -EAGAIN;
    }
    int sig = __builtin_ctzll(ready) + 1;
    struct pending_info taken = signal_take(current, sig);
    irq_restore(irq);
    if (user_info) {
        u8 info[128];
        signal_fill_siginfo(info, sig, &taken);
        if (copy_to_user(user_info, info, sizeof info) < 0)
            return -EFAULT;
    }
    return sig;
}
