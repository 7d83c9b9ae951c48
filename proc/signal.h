/*
 * signal.h - signals: Linux's numbers, default actions and frame layout.
 *
 * A signal is a small message to a process: "you were interrupted (SIGINT)",
 * "please stop (SIGTERM)", "you touched bad memory (SIGSEGV)".  Sending one
 * only marks it pending; it takes effect when the target next returns to
 * user mode (signal_deliver, called on every return), where the kernel
 * either applies the default action (terminate, ignore, stop, continue) or
 * runs the process's handler by building a frame on its user stack.
 */
#ifndef PROC_SIGNAL_H
#define PROC_SIGNAL_H

#include "kernel/interrupts.h"
#include "kernel/types.h"

#define NSIG 64 /* signals 1..64; 32..64 are "real-time" */

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPWR 30
#define SIGSYS 31

#define SIGMASK(sig) (1ull << ((sig)-1))

#define SIG_DFL 0ull
#define SIG_IGN 1ull

/* sigaction flags (Linux x86-64 values) */
#define SA_NOCLDSTOP 0x00000001u
#define SA_NOCLDWAIT 0x00000002u
#define SA_SIGINFO 0x00000004u
#define SA_RESTORER 0x04000000u
#define SA_ONSTACK 0x08000000u
#define SA_RESTART 0x10000000u
#define SA_NODEFER 0x40000000u
#define SA_RESETHAND 0x80000000u

/* si_code values */
#define SI_USER 0 /* kill() */
#define SI_KERNEL 0x80
#define SI_QUEUE (-1) /* sigqueue(): si_value is the sender's */
#define SI_TIMER (-2)
#define SI_MESGQ (-3) /* a message arrived (mq_notify) */
#define SI_TKILL (-6) /* tkill()/tgkill() */
#define SEGV_MAPERR 1 /* address not mapped */
#define SEGV_ACCERR 2 /* no permission */
#define ILL_ILLOPN 2
#define FPE_INTDIV 1
#define TRAP_BRKPT 1
#define BUS_ADRERR 2
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_TRAPPED 4
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

/* The kernel's view of a sigaction, as rt_sigaction passes it on x86-64. */
struct k_sigaction {
    u64 handler;  /* SIG_DFL, SIG_IGN or a user function */
    u64 flags;    /* SA_* */
    u64 restorer; /* user code that calls rt_sigreturn (musl's __restore_rt) */
    u64 mask;     /* signals blocked while the handler runs */
};

/* What we remember about a pending signal, for the handler's siginfo. */
struct pending_info {
    int code;  /* si_code */
    int pid;   /* sender (kill), or the child (SIGCHLD) */
    u32 uid;   /* the sender's (the child's) real user ID */
    u64 value; /* si_addr for faults, si_status for SIGCHLD */
};

/* The handlers: shared by the threads of a process (CLONE_SIGHAND), copied by fork. */
struct sighand {
    struct k_sigaction actions[NSIG];
    int refs; /* tasks using this table */
};

/* Everything here is per thread except the handlers table behind `hand`. */
struct signal_state {
    u64 pending;                 /* bit sig-1 set: signal sig is pending (for this thread) */
    u64 blocked;                 /* the signal mask (each thread has its own) */
    struct sighand *hand;        /* the handlers (shared by the thread group) */
    struct k_sigaction *actions; /* = hand->actions, indexed by sig-1 */
    struct pending_info info[NSIG];
    u8 rt_queued[NSIG - 31]; /* real-time signals (32..64) queue: extra instances pending */
    u64 saved_mask;          /* restored after a handler, for rt_sigsuspend */
    bool restore_saved_mask;
    u64 altstack_sp, altstack_size; /* sigaltstack */
    u32 altstack_flags;
    bool traced;        /* under ptrace: signals stop the process first */
    bool stop_reported; /* a stop/continue is waiting for the parent's wait4 */
    int stop_signal;    /* what stopped it (for WSTOPSIG) */
    int group_stop;     /* another thread of the process stopped with this signal: stop too */
    bool continued;     /* SIGCONT arrived since the last wait4 WCONTINUED */
};

struct proc;

/* Empty state with a fresh table of default handlers; -ENOMEM. */
int signal_init(struct signal_state *s);
/* Drop pending signals and this task's reference to the handlers. */
void signal_cleanup(struct signal_state *s);
/* clone(CLONE_SIGHAND): use `parent`'s handler table instead of our own copy. */
void signal_share_handlers(struct signal_state *child, const struct signal_state *parent);

/* Is an unblocked signal waiting for the process (so a sleep should end)? */
bool signal_pending(const struct proc *p);
/* A fatal signal (SIGKILL, or one whose action kills) is pending. */
bool signal_fatal_pending(const struct proc *p);
/* Take one instance of `sig` off the pending set (a real-time one may have more queued). */
void signal_dequeue(struct signal_state *s, int sig);
/* What is pending for thread p: its own signals and its process's shared ones. */
u64 signal_pending_set(const struct proc *p);
/* Take `sig` (pending for p) off the thread's own set or else the process's; its info. */
struct pending_info signal_take(struct proc *p, int sig);

/*
 * Send `sig` to `p` from the kernel or another process.  Applies the
 * immediate effects (SIGKILL and SIGCONT wake the process; SIGCONT discards
 * pending stops and vice versa; ignored signals are dropped).  Returns 0 or
 * -EINVAL.  Interrupts on or off.
 */
int signal_send(struct proc *p, int sig, const struct pending_info *info);
/* The same, to exactly this thread (tgkill, faults); signal_send() sends to
 * the process, which hands it to any of its threads that does not block it. */
int signal_send_thread(struct proc *p, int sig, const struct pending_info *info);
/* A fault in user mode becomes a signal to the current process (SIGSEGV ...). */
void signal_force_fault(int sig, int code, u64 address);

/* Called on every return to user mode: run the default action or set up a
 * handler frame for each deliverable signal.  May not return (the process dies). */
void signal_deliver(struct trap_frame *frame);

/* fork: the child gets a copy of the parent's handlers and its mask, nothing pending. */
void signal_fork(struct signal_state *child, const struct signal_state *parent);
/* execve: caught signals go back to default; ignored ones and the mask stay. */
void signal_exec(struct signal_state *s);

const char *signal_name(int sig);

#endif
