/*
 * signal.c - sending, blocking and delivering signals.
 *
 * Sending (signal_send) only marks a signal pending and wakes the target if
 * it sleeps.  Delivery (signal_deliver) happens on the target's way back to
 * user mode -- after a system call *and* after an interrupt, so even a
 * process spinning in `while (1)` receives signals at its next timer tick.
 * Handler frames follow Linux's x86-64 `struct rt_sigframe` (signal_frame.c).
 */
#include "proc/signal.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "mm/kheap.h"
#include "proc/coredump.h"
#include "proc/exit.h"
#include "proc/posix_timer.h"
#include "proc/proc.h"
#include "proc/ptrace.h"
#include "proc/signal_frame.h"
#include "proc/thread.h"
#include "sched/sched.h"

enum default_action { TERMINATE, CORE, IGNORE, STOP, CONTINUE };

static enum default_action default_action(int sig)
{
    switch (sig) {
    case SIGQUIT:
    case SIGILL:
    case SIGTRAP:
    case SIGABRT:
    case SIGBUS:
    case SIGFPE:
    case SIGSEGV:
    case SIGXCPU:
    case SIGXFSZ:
    case SIGSYS:
        return CORE; /* terminate, leaving a core file (proc/coredump.c) */
    case SIGCHLD:
    case SIGURG:
    case SIGWINCH:
        return IGNORE;
    case SIGSTOP:
    case SIGTSTP:
    case SIGTTIN:
    case SIGTTOU:
        return STOP;
    case SIGCONT:
        return CONTINUE;
    default:
        return TERMINATE; /* HUP INT KILL USR1 USR2 PIPE ALRM TERM ... and real-time signals */
    }
}

#define UNBLOCKABLE (SIGMASK(SIGKILL) | SIGMASK(SIGSTOP))
#define STOP_SIGNALS (SIGMASK(SIGSTOP) | SIGMASK(SIGTSTP) | SIGMASK(SIGTTIN) | SIGMASK(SIGTTOU))

static const char *const names[32] = {
    "0",         "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",   "SIGTRAP", "SIGABRT", "SIGBUS",
    "SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",  "SIGPIPE", "SIGALRM", "SIGTERM",
    "SIGSTKFLT", "SIGCHLD", "SIGCONT",   "SIGSTOP", "SIGTSTP",  "SIGTTIN", "SIGTTOU", "SIGURG",
    "SIGXCPU",   "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",   "SIGPWR",  "SIGSYS",
};

const char *signal_name(int sig) { return sig > 0 && sig < 32 ? names[sig] : "SIGRT"; }

/* Die of `sig`'s default action.  The wait status says "core dumped" (0x80)
 * only if the core file was really written, as on Linux. */
static NORETURN void die_of_signal(int sig, const struct pending_info *info,
                                   const struct trap_frame *frame)
{
    int status = sig;
    if (default_action(sig) == CORE && coredump_write(sig, info, frame))
        status |= WCOREFLAG;
    proc_group_exit(status); /* a fatal signal ends every thread of the process */
}

int signal_init(struct signal_state *s)
{
    memset(s, 0, sizeof *s);
    s->hand = kzalloc(sizeof *s->hand);
    if (!s->hand)
        return -ENOMEM;
    s->hand->refs = 1;
    s->actions = s->hand->actions;
    return 0;
}

static void sighand_put(struct sighand *hand)
{
    if (hand && --hand->refs == 0)
        kfree(hand);
}

void signal_share_handlers(struct signal_state *child, const struct signal_state *parent)
{
    sighand_put(child->hand);
    child->hand = parent->hand;
    child->hand->refs++;
    child->actions = child->hand->actions;
}

void signal_dequeue(struct signal_state *s, int sig)
{
    if (sig >= 32 && s->rt_queued[sig - 32] > 0)
        s->rt_queued[sig - 32]--; /* more instances wait: stays pending */
    else
        s->pending &= ~SIGMASK(sig);
}
void signal_cleanup(struct signal_state *s)
{
    s->pending = 0;
    sighand_put(s->hand);
    s->hand = NULL;
    s->actions = NULL;
}

void signal_fork(struct signal_state *child, const struct signal_state *parent)
{
    /* (the child's table was made by signal_init in proc_alloc) */
    child->blocked = parent->blocked;
    memcpy(child->actions, parent->actions, sizeof child->hand->actions);
    child->altstack_sp = parent->altstack_sp;
    child->altstack_size = parent->altstack_size;
    child->altstack_flags = parent->altstack_flags;
}

void signal_exec(struct signal_state *s)
{
    if (s->hand->refs > 1) { /* still shared (a CLONE_SIGHAND sibling lives on): unshare */
        struct sighand *copy = kmalloc(sizeof *copy);
        if (copy) {
            *copy = *s->hand;
            copy->refs = 1;
            s->hand->refs--;
            s->hand = copy;
            s->actions = copy->actions;
        }
    }
    for (int sig = 1; sig <= NSIG; sig++) {
        struct k_sigaction *a = &s->actions[sig - 1];
        if (a->handler != SIG_IGN)
            *a = (struct k_sigaction){0}; /* a handler's code is gone with the old program */
    }
    s->altstack_sp = s->altstack_size = 0;
    s->altstack_flags = 0;
}

u64 signal_pending_set(const struct proc *p)
{
    return p->signals.pending | (p->group ? p->group->shared_pending : 0);
}

struct pending_info signal_take(struct proc *p, int sig)
{
    struct pending_info info;
    if (p->signals.pending & SIGMASK(sig)) {
        info = p->signals.info[sig - 1];
        signal_dequeue(&p->signals, sig);
    } else {
        p->group->shared_pending &= ~SIGMASK(sig);
        info = p->group->shared_info[sig - 1];
    }
    if (info.code == SI_TIMER) /* its timer may queue the next one; si_overrun */
        posix_timer_signal_taken(p, &info);
    return info;
}

bool signal_pending(const struct proc *p)
{
    /* signal_pending_set's sum, written out: every sleep asks this. */
    u64 pending = p->signals.pending | (p->group ? p->group->shared_pending : 0);
    return (pending & ~(p->signals.blocked & ~UNBLOCKABLE)) != 0 || p->signals.group_stop;
}

static bool kills_by_default(const struct proc *p, int sig)
{
    enum default_action d = default_action(sig);
    return p->signals.actions[sig - 1].handler == SIG_DFL && (d == TERMINATE || d == CORE);
}

bool signal_fatal_pending(const struct proc *p)
{
    if (p->signals.pending & SIGMASK(SIGKILL))
        return true;
    u64 deliverable = p->signals.pending & ~p->signals.blocked;
    for (int sig = 1; sig <= NSIG; sig++)
        if ((deliverable & SIGMASK(sig)) && kills_by_default(p, sig))
            return true;
    return false;
}

/* Would the signal be thrown away on arrival? (ignored, by handler or by default) */
static bool ignored(const struct proc *p, int sig)
{
    if (sig == SIGKILL || sig == SIGSTOP || p->signals.traced)
        return false;
    /* As Linux: a blocked signal stays pending (sigpending shows it), since the
     * handler may be different by the time it is unblocked. */
    if (p->signals.blocked & SIGMASK(sig))
        return false;
    u64 handler = p->signals.actions[sig - 1].handler;
    if (handler == SIG_IGN)
        return true;
    return handler == SIG_DFL && (default_action(sig) == IGNORE || sig == SIGCONT);
}

/* SIGCONT's immediate effect: a stopped process runs again, whatever its
 * handler -- every thread of it; its parent hears it once, from the leader. */
static void continue_process(struct proc *p)
{
    struct proc *t;
    list_for_each_entry (t, &p->group->threads, thread_node) {
        t->signals.pending &= ~STOP_SIGNALS;
        t->signals.group_stop = 0;
        if (t->state == PROC_STOPPED && !t->signals.traced) {
            t->signals.continued = true;
            t->signals.stop_reported = false;
            sched_make_ready(t);
            if (t->parent && t == thread_group_reporter(t->group)) /* the process, once */
                proc_notify_parent(t->group->leader, CLD_CONTINUED, SIGCONT);
        }
    }
}

/* A thread takes a stop signal: the whole process stops.  Tell the other
 * threads to stop too, waking any that sleep so they notice.  IRQs off. */
static void stop_other_threads(struct proc *self, int sig)
{
    struct proc *t;
    list_for_each_entry (t, &self->group->threads, thread_node) {
        if (t == self || t->state == PROC_ZOMBIE || t->state == PROC_STOPPED)
            continue;
        t->signals.group_stop = sig;
        if (t->state == PROC_BLOCKED)
            sched_make_ready(t);
    }
}

int signal_send(struct proc *p, int sig, const struct pending_info *info)
{
    if (sig < 1 || sig > NSIG)
        return -EINVAL;
    bool irq = irq_save();
    struct proc *target = thread_group_pick(p, sig);
    if (!target && !ignored(p, sig)) { /* every thread blocks it: the process keeps it */
        p->group->shared_pending |= SIGMASK(sig);
        p->group->shared_info[sig - 1] = info ? *info : (struct pending_info){.code = SI_KERNEL};
    }
    irq_restore(irq);
    return target ? signal_send_thread(target, sig, info) : 0;
}

int signal_send_thread(struct proc *p, int sig, const struct pending_info *info)
{
    if (sig < 1 || sig > NSIG)
        return -EINVAL;
    bool irq = irq_save();
    if (p->state == PROC_ZOMBIE)
        goto out;
    if (sig == SIGCONT)
        continue_process(p);
    if (STOP_SIGNALS & SIGMASK(sig))
        p->signals.pending &= ~SIGMASK(SIGCONT);
    if (ignored(p, sig))
        goto out;

    /* Standard signals do not queue: a second one while pending merges with the
     * first.  Real-time signals (32 and up) count every instance. */
    if (sig >= 32 && (p->signals.pending & SIGMASK(sig)) && p->signals.rt_queued[sig - 32] < 255)
        p->signals.rt_queued[sig - 32]++;
    p->signals.pending |= SIGMASK(sig);
    p->signals.info[sig - 1] = info ? *info : (struct pending_info){.code = SI_KERNEL};

    /* Wake the target so it notices: a sleeper's call ends with EINTR; a
     * stopped process must run to die from SIGKILL. */
    bool unblocked = !(p->signals.blocked & SIGMASK(sig)) || (UNBLOCKABLE & SIGMASK(sig));
    if (p->state == PROC_BLOCKED && unblocked)
        sched_make_ready(p);
    else if (p->state == PROC_STOPPED && sig == SIGKILL)
        sched_make_ready(p);
out:
    irq_restore(irq);
    return 0;
}

void signal_force_fault(int sig, int code, u64 address)
{
    struct proc *p = current;
    struct k_sigaction *a = &p->signals.actions[sig - 1];
    /* A fault the program cannot handle (blocked or ignored) would only fault
     * again on return: make it fatal, as Linux does. */
    if ((p->signals.blocked & SIGMASK(sig)) || a->handler == SIG_IGN) {
        p->signals.blocked &= ~SIGMASK(sig);
        a->handler = SIG_DFL;
    }
    struct pending_info info = {.code = code, .pid = 0, .value = address};
    signal_send_thread(p, sig, &info); /* the faulting thread itself */
}

/* Stop the current process (SIGSTOP, SIGTSTP...) until SIGCONT or SIGKILL. */
static void stop_self(int sig)
{
    struct proc *self = current;
    bool irq = irq_save();
    stop_other_threads(self, sig);
    self->signals.stop_signal = sig;
    self->signals.stop_reported = true;
    self->signals.continued = false;
    self->state = PROC_STOPPED;
    if (self->parent && self == thread_group_reporter(self->group)) /* the process, once */
        proc_notify_parent(self->group->leader, CLD_STOPPED, sig);
    schedule(); /* until continue_process() or SIGKILL makes us ready */
    irq_restore(irq);
}

/* A system call interrupted by a signal: return EINTR, or run it again. */
static void handle_syscall_restart(struct trap_frame *frame, const struct k_sigaction *action)
{
    if (frame->vector != VEC_SYSCALL || frame->orig_rax == (u64)-1)
        return;
    i64 ret = (i64)frame->rax;
    bool handler = action != NULL;
    bool restart = false;
    if (ret == -ERESTARTNOINTR)
        restart = true;
    else if (ret == -ERESTARTSYS)
        restart = !handler || (action->flags & SA_RESTART);
    else if (ret == -ERESTARTNOHAND)
        restart = !handler;
    else
        return;
    if (restart) {
        frame->rax = frame->orig_rax;
        frame->rip -= 2; /* back over the 2-byte `syscall` instruction */
        frame->rcx = frame->rip;
    } else {
        frame->rax = (u64)-EINTR;
    }
    frame->orig_rax = (u64)-1; /* handled: do not restart twice */
}

void signal_deliver(struct trap_frame *frame)
{
    struct proc *self = current;
    for (;;) {
        cli();
        if (self->signals.group_stop) { /* another thread stopped the process */
            int stop = self->signals.group_stop;
            self->signals.group_stop = 0;
            sti();
            stop_self(stop);
            continue;
        }
        u64 deliverable = signal_pending_set(self) & ~(self->signals.blocked & ~UNBLOCKABLE);
        if (!deliverable)
            break;
        int sig = __builtin_ctzll(deliverable) + 1;
        /* Faults first: they concern the instruction that just failed. */
        for (int s = 1; s <= 31; s++)
            if ((deliverable & SIGMASK(s)) &&
                (s == SIGSEGV || s == SIGBUS || s == SIGILL || s == SIGFPE || s == SIGTRAP)) {
                sig = s;
                break;
            }
        if (deliverable & SIGMASK(SIGKILL))
            sig = SIGKILL;
        struct pending_info info = signal_take(self, sig);
        sti();

        if (self->signals.traced && sig != SIGKILL) {
            sig = ptrace_signal_stop(frame, sig);
            if (sig == 0)
                continue; /* the tracer suppressed it */
        }
        struct k_sigaction *action = &self->signals.actions[sig - 1];
        if (sig == SIGKILL || action->handler == SIG_DFL) {
            switch (default_action(sig)) {
            case IGNORE:
            case CONTINUE:
                continue;
            case STOP:
                stop_self(sig);
                continue;
            case TERMINATE:
            case CORE:
                die_of_signal(sig, &info, frame);
            }
        }
        if (action->handler == SIG_IGN)
            continue;

        /* Run the handler: the frame on the user stack makes it return into
         * rt_sigreturn, which restores everything saved here. */
        handle_syscall_restart(frame, action);
        u64 old_mask =
            self->signals.restore_saved_mask ? self->signals.saved_mask : self->signals.blocked;
        self->signals.restore_saved_mask = false;
        if (signal_frame_setup(frame, sig, action, &info, old_mask) < 0) {
            /* The stack is unusable: the process cannot handle anything. */
            struct pending_info segv = {.code = SI_KERNEL};
            die_of_signal(SIGSEGV, &segv, frame);
        }
        self->signals.blocked |= action->mask & ~UNBLOCKABLE;
        if (!(action->flags & SA_NODEFER))
            self->signals.blocked |= SIGMASK(sig);
        if (action->flags & SA_RESETHAND)
            *action = (struct k_sigaction){0};
        return;
    }
    sti();
    /* No handler ran: calls cut short by an ignored or stopping signal start over. */
    handle_syscall_restart(frame, NULL);
    if (self->signals.restore_saved_mask) {
        self->signals.restore_saved_mask = false;
        self->signals.blocked = self->signals.saved_mask;
    }
}
