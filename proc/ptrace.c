/*
 * ptrace.c - one process watching another: the mechanism behind strace.
 *
 * The tracee runs normally until it reaches a point its tracer asked about:
 *
 *   syscall-stop   entering or leaving a system call (after PTRACE_SYSCALL)
 *   signal-stop    a signal is about to be delivered
 *   event-stop     fork, vfork or clone just made a child (PTRACE_O_TRACE*)
 *
 * There it stops (state STOPPED, shown as 't' by ps) and the tracer learns
 * of it through wait4(), which reports the stop as a wait status.  While it
 * is stopped the tracer may read its registers (PTRACE_GETREGS) and memory
 * (PTRACE_PEEKDATA), then let it go on with PTRACE_SYSCALL or PTRACE_CONT,
 * deciding which signal (if any) it receives.
 *
 * sprout implements the subset strace needs; a process becomes traced by
 * asking (PTRACE_TRACEME: its parent traces it), by being forked by a
 * tracee whose tracer follows forks, or by PTRACE_ATTACH (strace -p) from a
 * process that may inspect it: the same real user as all of its user and
 * group IDs (so not a set-user-ID program), or CAP_SYS_PTRACE.
 */
#include "proc/ptrace.h"
#include "kernel/errno.h"
#include "kernel/gdt.h"
#include "kernel/lib/string.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/layout.h"
#include "mm/vm.h"
#include "proc/cred.h"
#include "proc/exit.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "sched/sched.h"

#define PTRACE_TRACEME 0
#define PTRACE_PEEKTEXT 1
#define PTRACE_PEEKDATA 2
#define PTRACE_PEEKUSER 3
#define PTRACE_POKEUSER 6
#define PTRACE_CONT 7
#define PTRACE_KILL 8
#define PTRACE_GETREGS 12
#define PTRACE_SETREGS 13
#define PTRACE_ATTACH 16
#define PTRACE_DETACH 17
#define PTRACE_SYSCALL 24
#define PTRACE_SETOPTIONS 0x4200
#define PTRACE_GETEVENTMSG 0x4201

#define PTRACE_O_TRACESYSGOOD 0x01
#define PTRACE_O_TRACEFORK 0x02
#define PTRACE_O_TRACEVFORK 0x04
#define PTRACE_O_TRACECLONE 0x08
#define PTRACE_O_TRACEEXEC 0x10
#define PTRACE_O_ALL 0x1F

struct proc *ptrace_tracer(const struct proc *p) { return p->tracer; }

static void attach(struct proc *tracee, struct proc *tracer, u32 options)
{
    tracee->tracer = tracer;
    tracee->signals.traced = true;
    tracee->ptrace_options = options;
    tracee->ptrace_syscalls = false;
    list_push_back(&tracer->tracees, &tracee->tracee_node);
}

static void detach(struct proc *tracee)
{
    if (!tracee->tracer)
        return;
    list_remove(&tracee->tracee_node);
    tracee->tracer = NULL;
    tracee->signals.traced = false;
    tracee->ptrace_syscalls = false;
}

/*
 * Stop the current (traced) process and tell the tracer; `code` is what
 * its wait4 will see as WSTOPSIG (with an event in the bits above).
 * Returns the signal the tracer passed when resuming us.
 */
static int ptrace_stop(int code)
{
    struct proc *self = current;
    bool irq = irq_save();
    if (!self->tracer || (self->signals.pending & SIGMASK(SIGKILL))) {
        irq_restore(irq);
        return 0;
    }
    self->ptrace_resume_signal = 0;
    self->signals.stop_signal = code;
    self->signals.stop_reported = true;
    self->state = PROC_STOPPED;
    proc_notify_parent(self, CLD_TRAPPED, code & 0x7F);
    schedule(); /* until the tracer resumes us, or SIGKILL */
    irq_restore(irq);
    return self->ptrace_resume_signal;
}

int ptrace_signal_stop(struct trap_frame *frame, int sig)
{
    (void)frame;
    return ptrace_stop(sig);
}

static int syscall_stop_code(const struct proc *p)
{
    return SIGTRAP | ((p->ptrace_options & PTRACE_O_TRACESYSGOOD) ? 0x80 : 0);
}

void ptrace_syscall_entry(struct trap_frame *frame)
{
    struct proc *self = current;
    if (!self->ptrace_syscalls)
        return;
    ptrace_stop(syscall_stop_code(self));
    if (signal_fatal_pending(self)) {
        frame->orig_rax = (u64)-1; /* killed while stopped: do not run the call */
        frame->rax = (u64)-EINTR;
    }
}

void ptrace_syscall_exit(struct trap_frame *frame)
{
    struct proc *self = current;
    if (self->ptrace_syscalls)
        ptrace_stop(syscall_stop_code(self));
}

static u32 option_for(int event)
{
    return event == PTRACE_EVENT_FORK    ? PTRACE_O_TRACEFORK
           : event == PTRACE_EVENT_VFORK ? PTRACE_O_TRACEVFORK
                                         : PTRACE_O_TRACECLONE;
}

void ptrace_fork_attach(struct proc *child, int event)
{
    struct proc *self = current;
    if (!self->tracer || !(self->ptrace_options & option_for(event)))
        return;
    attach(child, self->tracer, self->ptrace_options);
    child->signals.pending |= SIGMASK(SIGSTOP); /* it stops before running any code */
    child->signals.info[SIGSTOP - 1] = (struct pending_info){.code = SI_KERNEL};
}

void ptrace_fork_event(int child_pid, int event)
{
    struct proc *self = current;
    if (!self->tracer || !(self->ptrace_options & option_for(event)))
        return;
    self->ptrace_message = (u64)child_pid;
    ptrace_stop(SIGTRAP | (event << 8));
}

void ptrace_exec_event(void)
{
    struct proc *self = current;
    if (!self->tracer)
        return;
    if (self->ptrace_options & PTRACE_O_TRACEEXEC) {
        self->ptrace_message = (u64)self->pid;
        ptrace_stop(SIGTRAP | (PTRACE_EVENT_EXEC << 8));
    } else {
        signal_send(self, SIGTRAP, NULL); /* the classic notice that exec happened */
    }
}

/* Does the tracer's wait4 see t through its children list?  A thread's parent
 * is its process's parent, but only the process (its leader) is a child. */
static bool is_child_of(const struct proc *t, const struct proc *tracer)
{
    return t->parent == tracer && t->pid == t->tgid;
}

void ptrace_exit(struct proc *p, int status)
{
    bool irq = irq_save();
    /* Our tracees carry on untraced; a stopped one is let go. */
    struct proc *tracee, *tmp;
    list_for_each_entry_safe (tracee, tmp, &p->tracees, tracee_node) {
        bool stopped = tracee->state == PROC_STOPPED;
        detach(tracee);
        if (stopped)
            sched_make_ready(tracee);
    }
    /* A tracer that is not our parent still hears how we ended. */
    struct proc *tracer = p->tracer;
    if (tracer && !is_child_of(p, tracer) &&
        tracer->ptrace_exit_count < (int)ARRAY_SIZE(tracer->ptrace_exits)) {
        tracer->ptrace_exits[tracer->ptrace_exit_count++] =
            (struct ptrace_exit_report){p->pid, status};
        wake_up(&tracer->child_wait);
    }
    detach(p);
    irq_restore(irq);
}

static bool pid_matches(const struct proc *tracer, int traced_pid, int traced_pgid, int pid)
{
    return pid == -1 || pid == traced_pid || (pid == 0 && traced_pgid == tracer->pgid) ||
           (pid < -1 && traced_pgid == -pid);
}

bool ptrace_has_tracees_matching(struct proc *tracer, int pid)
{
    struct proc *t;
    list_for_each_entry (t, &tracer->tracees, tracee_node) {
        if (!is_child_of(t, tracer) && pid_matches(tracer, t->pid, t->pgid, pid))
            return true;
    }
    for (int i = 0; i < tracer->ptrace_exit_count; i++)
        if (pid == -1 || pid == tracer->ptrace_exits[i].pid)
            return true;
    return false;
}

/* For wait4: a stop or death of a tracee that is not our child.  Returns its
 * PID (status stored), 0 if none, or -EFAULT. */
int ptrace_wait_report(struct proc *tracer, int pid, int *status_out)
{
    struct proc *t;
    list_for_each_entry (t, &tracer->tracees, tracee_node) {
        if (is_child_of(t, tracer) || !pid_matches(tracer, t->pid, t->pgid, pid))
            continue;
        if (t->state == PROC_STOPPED && t->signals.stop_reported) {
            int status = W_STOPCODE(t->signals.stop_signal);
            if (status_out && copy_to_user(status_out, &status, sizeof status) < 0)
                return -EFAULT;
            t->signals.stop_reported = false;
            return t->pid;
        }
    }
    for (int i = 0; i < tracer->ptrace_exit_count; i++) {
        struct ptrace_exit_report r = tracer->ptrace_exits[i];
        if (pid != -1 && pid != r.pid)
            continue;
        if (status_out && copy_to_user(status_out, &r.status, sizeof r.status) < 0)
            return -EFAULT;
        memmove(&tracer->ptrace_exits[i], &tracer->ptrace_exits[i + 1],
                (size_t)(tracer->ptrace_exit_count - i - 1) * sizeof r);
        tracer->ptrace_exit_count--;
        return r.pid;
    }
    return 0;
}

/* Linux's struct user_regs_struct for x86-64. */
struct user_regs {
    u64 r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    u64 rax, rcx, rdx, rsi, rdi, orig_rax;
    u64 rip, cs, eflags, rsp, ss;
    u64 fs_base, gs_base, ds, es, fs, gs;
};

static struct user_regs regs_of(const struct proc *t)
{
    const struct trap_frame *f = t->tf;
    return (struct user_regs){
        f->r15,    f->r14, f->r13, f->r12,     f->rbp, f->rbx, f->r11,      f->r10, f->r9,
        f->r8,     f->rax, f->rcx, f->rdx,     f->rsi, f->rdi, f->orig_rax, f->rip, f->cs,
        f->rflags, f->rsp, f->ss,  t->fs_base, 0,      f->ss,  f->ss,       0,      0,
    };
}

static long get_regs(struct proc *t, void *user_regs)
{
    struct user_regs r = regs_of(t);
    return copy_to_user(user_regs, &r, sizeof r) < 0 ? -EFAULT : 0;
}

/* The RFLAGS bits a tracer may change (Linux's FLAG_MASK): the arithmetic
 * flags, TF, DF, RF and AC.  IF, IOPL and the rest stay the kernel's. */
#define PTRACE_RFLAGS_MASK 0x50DD5ull

#define REG(field) offsetof(struct user_regs, field)

/*
 * Check one register value from a tracer, and store it if `store`.  Values
 * that would reach the CPU in a dangerous form are refused with -EIO, as by
 * Linux's putreg(): a code or stack selector other than the user's own, a
 * data selector that is not ring 3, an FS base outside user space.  A bad
 * rip is accepted: the way back to user mode turns it into SIGSEGV.
 */
static long put_reg(struct proc *t, size_t offset, u64 value, bool store)
{
    struct trap_frame *f = t->tf;
    switch (offset) {
    case REG(cs):
        return value == GDT_USER_CODE ? 0 : -EIO;
    case REG(ss):
        return value == GDT_USER_DATA ? 0 : -EIO;
    case REG(ds):
    case REG(es):
    case REG(fs):
    case REG(gs):
        /* sprout keeps no such selectors: a valid one is accepted and ignored. */
        return value == 0 || (value & 3) == 3 ? 0 : -EIO;
    case REG(gs_base):
        return value == 0 ? 0 : -EIO; /* the kernel keeps GS for itself */
    case REG(fs_base):
        if (!is_user_address(value))
            return -EIO;
        if (store)
            t->fs_base = value; /* loaded into the MSR when t next runs */
        return 0;
    case REG(eflags):
        if (store)
            f->rflags = (f->rflags & ~PTRACE_RFLAGS_MASK) | (value & PTRACE_RFLAGS_MASK);
        return 0;
    case REG(rip):
        if (store)
            f->rip = value;
        return 0;
    case REG(rsp):
        if (store)
            f->rsp = value;
        return 0;
    default:
        /* r15 ... orig_rax: the same order at the start of both structs. */
        if (offset > REG(orig_rax) || offset % 8 != 0)
            return -EIO;
        if (store)
            ((u64 *)f)[offset / 8] = value;
        return 0;
    }
}

/* PTRACE_SETREGS: every field is checked before any is changed. */
static long set_regs(struct proc *t, const void *user_regs)
{
    u64 r[sizeof(struct user_regs) / 8];
    if (copy_from_user(r, user_regs, sizeof r) < 0)
        return -EFAULT;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < ARRAY_SIZE(r); i++) {
            long error = put_reg(t, i * 8, r[i], pass == 1);
            if (error)
                return error;
        }
    return 0;
}

/* PTRACE_PEEKUSER / POKEUSER: one register of struct user (the regs part only). */
static long peek_user(struct proc *t, u64 offset, u64 *out)
{
    if (offset % 8 != 0 || offset >= sizeof(struct user_regs))
        return -EIO;
    struct user_regs r = regs_of(t);
    return copy_to_user(out, (u8 *)&r + offset, sizeof(u64)) < 0 ? -EFAULT : 0;
}

static long poke_user(struct proc *t, u64 offset, u64 value)
{
    if (offset % 8 != 0 || offset >= sizeof(struct user_regs))
        return -EIO;
    return put_reg(t, offset, value, true); /* it checks before it stores */
}

static long resume(struct proc *t, u64 signal, bool syscalls)
{
    if (signal > NSIG)
        return -EIO;
    t->ptrace_resume_signal = (int)signal;
    t->ptrace_syscalls = syscalls;
    t->signals.stop_reported = false;
    sched_make_ready(t);
    return 0;
}

long sys_ptrace(long request, long pid, u64 addr, u64 data)
{
    struct proc *self = current;
    if (request == PTRACE_TRACEME) {
        if (self->tracer || !self->parent)
            return -EPERM;
        attach(self, self->parent, 0);
        return 0;
    }
    struct proc *t = proc_find_vnr((int)pid);
    if (request == PTRACE_ATTACH) {
        if (!t || t->state == PROC_ZOMBIE || t->state == PROC_CREATED)
            return -ESRCH;
        /* Linux: not our own thread group, not one already traced; sprout
         * also keeps init (pid 1) and kernel threads out of reach. */
        if (t->tgid == self->tgid || t->tracer || t->pid == 1 || !t->mm || !cred_may_inspect(t))
            return -EPERM;
        attach(t, self, 0);
        signal_send(t, SIGSTOP, NULL); /* its first stop, which the tracer waits for */
        return 0;
    }
    if (!t || t->tracer != self)
        return -ESRCH; /* not ours to trace */
    if (request == PTRACE_KILL) {
        signal_send(t, SIGKILL, NULL);
        return 0;
    }
    if (t->state != PROC_STOPPED)
        return -ESRCH; /* the other requests need it stopped */
    switch (request) {
    case PTRACE_PEEKTEXT:
    case PTRACE_PEEKDATA: {
        u64 word;
        if (!t->mm || vm_access(t->mm, addr, &word, sizeof word, VM_ACCESS_READ) < 0)
            return -EIO;
        return copy_to_user((void *)data, &word, sizeof word) < 0 ? -EFAULT : 0;
    }
    case PTRACE_GETREGS:
        return get_regs(t, (void *)data);
    case PTRACE_SETREGS:
        return set_regs(t, (const void *)data);
    case PTRACE_PEEKUSER:
        return peek_user(t, addr, (u64 *)data);
    case PTRACE_POKEUSER:
        return poke_user(t, addr, data);
    case PTRACE_SETOPTIONS:
        if (data & ~(u64)PTRACE_O_ALL)
            return -EINVAL;
        t->ptrace_options = (u32)data;
        return 0;
    case PTRACE_GETEVENTMSG:
        return copy_to_user((void *)data, &t->ptrace_message, sizeof t->ptrace_message) < 0
                   ? -EFAULT
                   : 0;
    case PTRACE_DETACH: { /* let it go on untraced, with `data` as its signal */
        long error = resume(t, data, false);
        if (!error)
            detach(t);
        return error;
    }
    case PTRACE_CONT:
        return resume(t, data, false);
    case PTRACE_SYSCALL:
        return resume(t, data, true);
    default:
        return -EIO;
    }
}
