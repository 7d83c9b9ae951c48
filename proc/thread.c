/*
 * thread.c - thread groups: many tasks, one process (see thread.h).
 */
#include "proc/thread.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/kheap.h"
#include "mm/vm.h"
#include "proc/exit.h"
#include "proc/futex.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "sched/sched.h"

/* Threads that exited, waiting to be freed: a task cannot free the kernel
 * stack it is running on, so the next thread_reap_dead() does it. */
static struct list dead_threads = LIST_INIT(dead_threads);

int thread_group_create(struct proc *p)
{
    struct thread_group *group = kzalloc(sizeof *group);
    if (!group)
        return -ENOMEM;
    group->tgid = p->pid;
    group->leader = p;
    list_init(&group->threads);
    list_init(&group->timers);
    p->group = group;
    p->tgid = p->pid;
    list_push_back(&group->threads, &p->thread_node);
    group->live = 1;
    group->refs = 1;
    return 0;
}

void thread_group_join(struct proc *p, struct thread_group *group)
{
    bool irq = irq_save();
    p->group = group;
    p->tgid = group->tgid;
    list_push_back(&group->threads, &p->thread_node);
    group->live++;
    group->refs++;
    irq_restore(irq);
}

void thread_group_leave(struct proc *p)
{
    struct thread_group *group = p->group;
    if (!group)
        return;
    bool irq = irq_save();
    list_remove(&p->thread_node);
    p->group = NULL;
    bool last = --group->refs == 0;
    irq_restore(irq);
    if (last)
        kfree(group);
}

struct proc *thread_group_pick(struct proc *p, int sig)
{
    struct thread_group *group = p->group;
    bool p_blocks = p->signals.blocked & SIGMASK(sig);
    if (!group || (p->state != PROC_ZOMBIE && !p_blocks) || sig == 0)
        return p;
    struct proc *t, *fallback = NULL;
    list_for_each_entry (t, &group->threads, thread_node) {
        if (t->state == PROC_ZOMBIE)
            continue;
        if (!(t->signals.blocked & SIGMASK(sig)))
            return t;
        if (!fallback)
            fallback = t;
    }
    if (group->live > 1 && fallback)
        return NULL; /* all block it: it waits for the process as a whole */
    return fallback ? fallback : p;
}

struct proc *thread_group_reporter(struct thread_group *group)
{
    if (group->leader->state != PROC_ZOMBIE)
        return group->leader;
    struct proc *t;
    list_for_each_entry (t, &group->threads, thread_node)
        if (t->state != PROC_ZOMBIE)
            return t;
    return NULL;
}

/* Linux's struct robust_list_head (set_robust_list), three user pointers. */
struct robust_list_head {
    u64 list;            /* the first held lock's list entry (points back here at the end) */
    i64 futex_offset;    /* from a list entry to its futex word */
    u64 list_op_pending; /* a lock being taken or released right now */
};
#define ROBUST_LIST_LIMIT 2048 /* Linux's bound: a looped list cannot hold us */

/* The lock whose list entry is at `entry` was held by `self`: mark it OWNER_DIED
 * and wake one waiter, so pthread_mutex_lock returns EOWNERDEAD. */
static void robust_release(struct proc *self, u64 entry, i64 offset)
{
    u64 address = entry + (u64)offset;
    u32 word, found;
    if (address & 3 || copy_from_user(&word, (const void *)address, sizeof word) < 0)
        return;
    /* A CAS loop, as Linux's: a waiter on another CPU may set FUTEX_WAITERS
     * in user space between our read and our write. */
    for (;;) {
        if ((word & FUTEX_TID_MASK) != (u32)self->pid)
            return;
        u32 died = (word & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
        if (cmpxchg_user32((u32 *)address, word, died, &found) < 0)
            return;
        if (found == word)
            break;
        word = found;
    }
    if (word & FUTEX_WAITERS)
        futex_wake_address(self->mm, address, 1);
}

static void robust_list_walk(struct proc *self)
{
    struct robust_list_head head;
    if (!self->robust_list_head ||
        copy_from_user(&head, (const void *)self->robust_list_head, sizeof head) < 0)
        return;
    u64 entry = head.list;
    for (int i = 0; i < ROBUST_LIST_LIMIT && entry != self->robust_list_head; i++) {
        u64 next;
        if (copy_from_user(&next, (const void *)entry, sizeof next) < 0)
            return;
        if (entry != head.list_op_pending)
            robust_release(self, entry, head.futex_offset);
        entry = next;
    }
    if (head.list_op_pending)
        robust_release(self, head.list_op_pending, head.futex_offset);
}

void thread_exit_notify(struct proc *self)
{
    if (!self->mm)
        return;
    robust_list_walk(self);
    if (self->clear_child_tid) {
        /* The thread library waits for this word to become 0 (glibc's
         * pthread_join; musl's thread-list lock).  Only when
         * others share the memory: a lone process has nobody to tell. */
        u32 zero = 0;
        void *word = (void *)self->clear_child_tid;
        if (self->mm->users > 1 && copy_to_user(word, &zero, sizeof zero) == 0)
            futex_wake_address(self->mm, self->clear_child_tid, 1);
        self->clear_child_tid = 0;
    }
}

void thread_group_cputime(const struct proc *p, u64 *utime, u64 *stime)
{
    const struct thread_group *group = p->group;
    *utime = group->dead_utime;
    *stime = group->dead_stime;
    bool irq = irq_save();
    struct proc *t;
    list_for_each_entry (t, &group->threads, thread_node) {
        u64 u, s;
        sched_cputime(t, &u, &s);
        *utime += u;
        *stime += s;
    }
    irq_restore(irq);
}

u64 thread_group_runtime_ns(const struct proc *p)
{
    u64 total = p->group->dead_runtime_ns;
    bool irq = irq_save();
    struct proc *t;
    list_for_each_entry (t, &p->group->threads, thread_node)
        total += sched_runtime_ns(t);
    irq_restore(irq);
    return total;
}

void thread_account_exit(struct proc *self)
{
    u64 u, s;
    sched_cputime(self, &u, &s);
    self->group->dead_utime += u;
    self->group->dead_stime += s;
    self->group->dead_runtime_ns += sched_runtime_ns(self);
}

void thread_queue_dead(struct proc *self)
{
    ASSERT(!interrupts_enabled());
    list_push_back(&dead_threads, &self->thread_node); /* (it left its group's list) */
}

void thread_reap_dead(void)
{
    bool irq = irq_save();
    struct proc *p, *tmp;
    list_for_each_entry_safe (p, tmp, &dead_threads, thread_node) {
        if (p == current)
            continue;
        list_remove(&p->thread_node);
        list_node_init(&p->thread_node);
        proc_free(p);
    }
    irq_restore(irq);
}

NORETURN void proc_group_exit(int status)
{
    struct proc *self = current;
    struct thread_group *group = self->group;
    bool irq = irq_save();
    if (group->execing && group->execing != self) {
        irq_restore(irq);
        proc_exit(status); /* killed by another thread's execve: only this thread ends */
    }
    if (!group->exiting) {
        group->exiting = true;
        group->exit_status = status;
        struct proc *t;
        list_for_each_entry (t, &group->threads, thread_node)
            if (t != self && t->state != PROC_ZOMBIE)
                signal_send_thread(t, SIGKILL, NULL);
    }
    irq_restore(irq);
    proc_exit(group->exit_status);
}

/* The current thread (in execve, all others dead) becomes its process's
 * leader: it takes the leader's PID and place in the family.  Interrupts off. */
static void take_over_leader(struct proc *self, struct proc *old)
{
    int tid = self->pid;
    self->pid = old->pid;
    old->pid = tid;
    proc_swap_pids(self, old);
    pid_ns_swap(self, old);
    self->group->leader = self;
    self->start_time = old->start_time;
    self->pgid = old->pgid;
    self->sid = old->sid;
    proc_set_parent(self, old->parent);
    struct proc *child, *tmp;
    list_for_each_entry_safe (child, tmp, &old->children, sibling)
        proc_set_parent(child, self);
    list_remove(&old->sibling);
    list_node_init(&old->sibling);
    old->parent = NULL;
    thread_account_exit(old);
    list_remove(&old->thread_node);
    thread_queue_dead(old);
    old->autoreap = true;
}

int thread_group_exec(void)
{
    struct proc *self = current;
    struct thread_group *group = self->group;
    bool irq = irq_save();
    int error = 0;
    if (group->exiting || group->execing) {
        error = -EINTR; /* another thread is ending the process */
        goto out;
    }
    if (group->live == 1 && group->leader == self)
        goto out;
    group->execing = self;
    struct proc *t;
    list_for_each_entry (t, &group->threads, thread_node)
        if (t != self && t->state != PROC_ZOMBIE)
            signal_send_thread(t, SIGKILL, NULL);
    while (group->live > 1 && error == 0)
        error = sleep_on(NULL, "execve", 0);
    if (error == 0 && group->leader != self)
        take_over_leader(self, group->leader);
    group->execing = NULL;
out:
    irq_restore(irq);
    return error;
}

long sys_set_robust_list(u64 head, u64 length)
{
    if (length != sizeof(struct robust_list_head))
        return -EINVAL;
    current->robust_list_head = head;
    current->robust_list_len = length;
    return 0;
}

long sys_get_robust_list(int tid, u64 *head_out, u64 *length_out)
{
    struct proc *p = tid == 0 ? current : proc_find_vnr(tid);
    if (!p || tid < 0)
        return -ESRCH;
    u64 length = sizeof(struct robust_list_head);
    if (copy_to_user(head_out, &p->robust_list_head, sizeof(u64)) < 0 ||
        copy_to_user(length_out, &length, sizeof length) < 0)
        return -EFAULT;
    return 0;
}

/*
 * rseq (restartable sequences): glibc registers an area for each thread as
 * it starts and carries on without one when the answer is ENOSYS, which is
 * what Linux built without CONFIG_RSEQ answers; sprout has none either.
 * Every program of Debian's calls it, so the log says so once per boot, not
 * once per process as for a call sprout lacks (kernel/syscall.c): a line
 * for each ls in a script told nothing new.
 */
long sys_rseq(u64 area, u32 length, int flags, u32 signature)
{
    static bool reported;
    if (!reported) {
        reported = true;
        pr_warn("sprout: %s[%d] called rseq, which sprout lacks: ENOSYS (said once per boot)\n",
                current->name, current->pid);
    }
    return -ENOSYS;
}
