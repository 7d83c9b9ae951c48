/*
 * fork.c - a new process as a copy of its parent.
 *
 * fork() duplicates the caller: a new PID and kernel stack, a copy of the
 * address space (sharing private frames copy-on-write, mm/vm.c), the same open
 * files, handlers and limits.  Both processes return from the same system
 * call: the parent gets the child's PID, the child gets 0.
 */
#include "proc/fork.h"
#include "kernel/errno.h"
#include "kernel/fpu.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/layout.h"
#include "mm/vm.h"
#include "proc/cgroup.h"
#include "proc/exit.h"
#include "proc/ns.h"
#include "proc/proc.h"
#include "proc/ptrace.h"
#include "proc/thread.h"
#include "sched/deadline.h"
#include "sched/sched.h"

u64 forks_total;

/*
 * Where every new process starts running, the first time schedule()
 * switches to it: context_switch() "returns" here on the child's fresh
 * kernel stack.  Interrupts are off (we came through schedule()) and no
 * lock is held.  The child's user registers are already in its trap frame
 * (a copy of its parent's, with rax = 0), so all that is left is the normal
 * way back to user mode.
 */
static NORETURN void fork_return(void)
{
    sti();
    exit_to_user(current->tf);
    trap_return(current->tf);
}

static long do_fork(u64 flags, u64 child_stack, int *parent_tid, int *child_tid, u64 tls)
{
    struct proc *parent = current;
    /* Linux's rules: a thread shares the handlers, and shared handlers need
     * shared memory (a handler is an address in it). */
    if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
        return -EINVAL;
    if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
        return -EINVAL;
    long ns_error = ns_check_clone(flags); /* CLONE_NEW*: proc/ns.c */
    if (ns_error)
        return ns_error;
    /* init's threads would be unkillable siblings of PID 1 (Linux refuses too). */
    if ((flags & (CLONE_THREAD | CLONE_PARENT)) && parent == init_proc)
        return -EINVAL;
    /* The TLS pointer goes into the FS base MSR at every switch to the child:
     * a kernel or non-canonical address would fault there (as arch_prctl). */
    /* No new thread for a process that is being torn down (exit_group, execve). */
    if ((flags & CLONE_THREAD) && (parent->group->exiting || parent->group->execing))
        return -EINTR;
    if ((flags & CLONE_SETTLS) && !is_user_address(tls))
        return -EPERM;
    if ((u64)proc_count() >= parent->rlimits[RLIMIT_NPROC].cur && parent != init_proc)
        return -EAGAIN;
    /* Linux: a SCHED_DEADLINE task forks only with SCHED_FLAG_RESET_ON_FORK
     * (the child then starts as a normal task): its reservation is its own. */
    if (sched_is_deadline(&parent->sched) && !(parent->sched.dl_flags & SCHED_FLAG_RESET_ON_FORK))
        return -EAGAIN;

    struct proc *child = proc_alloc();
    if (IS_ERR(child))
        return PTR_ERR(child);
    long error = cgroup_fork(child, parent); /* pids.max: EAGAIN */
    if (error)
        goto out_free_proc;
    error = -ENOMEM;
    if (flags & CLONE_VM) {
        child->mm = parent->mm; /* vfork: borrow the parent's memory until execve */
        mm_get(child->mm);
    } else if (!(child->mm = mm_fork(parent->mm))) {
        goto out_free_proc;
    }
    if (flags & CLONE_FILES) {
        child->files = parent->files; /* one table: an open in one is seen by the other */
        fd_table_get(child->files);
    } else if (!(child->files = fd_table_fork(parent->files))) {
        goto out_put_mm;
    }

    if ((error = ns_fork(child, parent, flags)) < 0)
        goto out_put_files;
    error = -ENOMEM;
    proc_set_name(child, parent->name);
    child->cwd = parent->cwd;
    inode_get(child->cwd);
    if ((child->root = parent->root))
        inode_get(child->root);
    child->umask = parent->umask;
    child->prof_session = parent->prof_session; /* a profiled program's children are too */
    child->cred = parent->cred;
    memcpy(child->rlimits, parent->rlimits, sizeof child->rlimits);
    child->pgid = parent->pgid;
    child->sid = parent->sid;
    signal_fork(&child->signals, &parent->signals);
    if (flags & CLONE_SIGHAND)
        signal_share_handlers(&child->signals, &parent->signals);
    for (int sig = 1; (flags & CLONE_CLEAR_SIGHAND) && sig <= NSIG; sig++)
        if (child->signals.actions[sig - 1].handler != SIG_IGN) /* caught: back to default */
            child->signals.actions[sig - 1] = (struct k_sigaction){0};
    if ((flags & (CLONE_VM | CLONE_VFORK)) == CLONE_VM)
        child->signals.altstack_sp = child->signals.altstack_size = 0; /* not on our stack */
    child->fs_base = (flags & CLONE_SETTLS) ? tls : rdmsr(MSR_FS_BASE);
    fpu_save(child->fpu); /* the parent's live FPU registers */

    *child->tf = *parent->tf;
    child->tf->rax = 0; /* fork() returns 0 in the child */
    if (child_stack)
        child->tf->rsp = child_stack;
    proc_prepare_first_switch(child, fork_return);

    /* The child's TID as its parent sees it, and as it sees itself. */
    int parent_view = pid_vnr(child), child_view = pid_nr_ns(child, child->pid_ns);
    if ((flags & CLONE_PARENT_SETTID) && parent_tid)
        copy_to_user(parent_tid, &parent_view, sizeof parent_view);
    if ((flags & CLONE_CHILD_SETTID) && child_tid)
        copy_to_user(child_tid, &child_view, sizeof child_view); /* shared or COW memory */
    if (flags & CLONE_CHILD_CLEARTID)
        child->clear_child_tid = (u64)child_tid;

    child->running_since_ns = uptime_ns();
    struct proc *leader = parent->group->leader;
    if (flags & CLONE_THREAD) {
        /* A new thread of our process: same tgid, and no child of anyone --
         * its process's parent is its parent, and nobody waits for it. */
        thread_group_leave(child);
        thread_group_join(child, parent->group);
        child->parent = leader->parent;
    } else {
        proc_set_parent(child, leader); /* children belong to the process */
    }
    if (flags & CLONE_FS) { /* one working directory and umask for both */
        bool irq = irq_save();
        list_insert_before(&parent->fs_peer, &child->fs_peer);
        irq_restore(irq);
    }
    sched_fork(parent, child);
    forks_total++;
    int event = (flags & CLONE_VFORK)          ? PTRACE_EVENT_VFORK
                : (flags & CSIGNAL) == SIGCHLD ? PTRACE_EVENT_FORK
                                               : PTRACE_EVENT_CLONE;
    ptrace_fork_attach(child, event);
    int pid = parent_view; /* what fork returns: the PID in our namespace */
    if (flags & CLONE_VFORK) {
        child->vfork_parent = parent;
        parent->vfork_released = false;
    }
    sched_make_ready(child);
    ptrace_fork_event(pid, event);

    if (flags & CLONE_VFORK) {
        /* The child runs on our memory until it execs or exits.  Wait for
         * that, deaf to every signal but SIGKILL: a handler must not run on
         * memory the child is using.  Other signals stay pending. */
        u64 saved_mask = parent->signals.blocked;
        parent->signals.blocked = ~SIGMASK(SIGKILL);
        WAIT_EVENT(&parent->child_wait, "vfork", parent->vfork_released);
        parent->signals.blocked = saved_mask;
    }
    return pid;

out_put_files:
    fd_table_put(child->files);
    child->files = NULL;
out_put_mm:
    mm_put(child->mm);
out_free_proc:
    child->mm = NULL;
    proc_free(child);
    return error;
}

long sys_fork(void) { return do_fork(SIGCHLD, 0, NULL, NULL, 0); }

long sys_vfork(void) { return do_fork(CLONE_VM | CLONE_VFORK | SIGCHLD, 0, NULL, NULL, 0); }

long sys_clone(u64 flags, u64 stack, int *parent_tid, int *child_tid, u64 tls)
{
    return do_fork(flags & 0xffffffffull, stack, parent_tid, child_tid, tls); /* 32-bit flags */
}

/* Linux's struct clone_args: 64 bytes in its first version, 88 now. */
struct clone_args {
    u64 flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls; /* v0 */
    u64 set_tid, set_tid_size;                                                    /* v1 */
    u64 cgroup;                                                                   /* v2 */
};
#define CLONE_ARGS_SIZE_VER0 64

long sys_clone3(const void *user_args, size_t size)
{
    struct clone_args a = {0};
    if (size > PAGE_SIZE)
        return -E2BIG;
    if (size < CLONE_ARGS_SIZE_VER0)
        return -EINVAL;
    if (copy_from_user(&a, user_args, MIN(size, sizeof a)) < 0)
        return -EFAULT;
    /* A newer program's larger struct is fine if what we do not know is zero. */
    for (size_t at = sizeof a; at < size; at += 8) {
        u64 word = 0;
        size_t n = MIN(8, size - at);
        if (copy_from_user(&word, (const u8 *)user_args + at, n) < 0)
            return -EFAULT;
        if (word)
            return -E2BIG;
    }
    /* Linux's checks (clone3_args_valid): the exit signal has its own field. */
    if ((a.flags & CSIGNAL) || (a.exit_signal & ~(u64)CSIGNAL) || a.exit_signal > NSIG)
        return -EINVAL;
    if ((a.flags >> 32) & ~(CLONE_CLEAR_SIGHAND >> 32))
        return -EINVAL; /* flags sprout does not know (CLONE_INTO_CGROUP ...) */
    if ((a.flags & CLONE_SIGHAND) && (a.flags & CLONE_CLEAR_SIGHAND))
        return -EINVAL;
    if ((a.flags & (CLONE_THREAD | CLONE_PARENT)) && a.exit_signal)
        return -EINVAL;
    if (!a.stack != !a.stack_size)
        return -EINVAL;
    if (a.set_tid || a.set_tid_size || (a.flags & CLONE_PIDFD))
        return -EINVAL; /* choosing PIDs and pidfds: not in sprout */
    u64 stack_top = a.stack ? a.stack + a.stack_size : 0;
    return do_fork(a.flags | a.exit_signal, stack_top, (int *)a.parent_tid, (int *)a.child_tid,
                   a.tls);
}
