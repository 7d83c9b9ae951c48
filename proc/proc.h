/*
 * proc.h - struct proc: everything the kernel knows about one process.
 *
 * "Static code + RAM allocation + file descriptors + CPU state = the OS
 * process."  Each of those is a field below: mm (the memory, with the code
 * and data loaded from the executable), files (the descriptor table),
 * context and tf (the CPU state), plus the identity and family that make it
 * one process among many.
 *
 * One struct proc is one *thread* (a schedulable task).  A process is a
 * group of them sharing memory, files and handlers: proc/thread.h draws the
 * line between what a thread shares and what it owns.  A single-threaded
 * process is a group of one, and then "process" and "thread" are the same.
 *
 * The life of a process, as its `state` field moves:
 *
 *   [CREATED] --fork done--> [READY] <--schedule()--> [RUNNING]
 *                               ^                         |
 *                               +---- wake_up() ----- [BLOCKED]  (waiting for I/O, a child...)
 *                                                         |
 *                                 exit() -> [ZOMBIE] -> wait4() by the parent frees it
 */
#ifndef PROC_PROC_H
#define PROC_PROC_H

#include "kernel/cpu.h"
#include "kernel/interrupts.h"
#include "kernel/list.h"
#include "kernel/param.h"
#include "kernel/timer.h"
#include "kernel/types.h"
#include "proc/cred.h"
#include "proc/ns.h"
#include "proc/signal.h"
#include "sched/entity.h"
#include "sched/wait.h"

enum proc_state {
    PROC_CREATED, /* being built by fork: not runnable yet */
    PROC_READY,   /* runnable, on the run queue, waiting for the CPU */
    PROC_RUNNING, /* on the CPU (it is `current`) */
    PROC_BLOCKED, /* waiting for an event; wait_channel says which */
    PROC_STOPPED, /* stopped by SIGSTOP/SIGTSTP (job control) or a tracer */
    PROC_ZOMBIE,  /* exited: keeps its PID and exit status until the parent waits */
};

/* Resource limits, Linux's numbering (getrlimit/setrlimit/prlimit64). */
#define RLIMIT_CPU 0
#define RLIMIT_FSIZE 1
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_RSS 5
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS 9
#define RLIM_NLIMITS 16
#define RLIM_INFINITY (~0ull)

struct rlimit {
    u64 cur; /* the soft limit: what is enforced */
    u64 max; /* the hard limit: how far cur may be raised */
};

/* What context_switch() (proc/switch.asm) leaves on a kernel stack. */
struct switch_frame {
    u64 r15;           /*  0 */
    u64 r14, r13, r12; /*  8..24 */
    u64 rbp, rbx;      /* 32, 40 */
    u64 rip;           /* 48: where the process resumes */
};
/* The pop order in proc/switch.asm; `ret` takes rip from the top. */
STATIC_ASSERT_OFFSET(struct switch_frame, r15, 0);
STATIC_ASSERT_OFFSET(struct switch_frame, r14, 8);
STATIC_ASSERT_OFFSET(struct switch_frame, r13, 16);
STATIC_ASSERT_OFFSET(struct switch_frame, r12, 24);
STATIC_ASSERT_OFFSET(struct switch_frame, rbp, 32);
STATIC_ASSERT_OFFSET(struct switch_frame, rbx, 40);
STATIC_ASSERT_OFFSET(struct switch_frame, rip, 48);
_Static_assert(sizeof(struct switch_frame) == 56, "struct switch_frame: six registers and rip");

#define KSTACK_CANARY 0x5350524F55544B53ull /* at the bottom of every kernel stack */

struct mm;
struct fd_table;
struct thread_group;
struct inode;
struct cgroup;

struct proc {
    /* --- identity: set at creation ------------------------------------ */
    int pid;                      /* this thread's ID (gettid); the process's is tgid */
    int tgid;                     /* the thread group's ID: what getpid() returns */
    struct thread_group *group;   /* SHARED: the process this thread belongs to */
    struct list_node thread_node; /* in group->threads */
    char name[PROC_NAME_LEN];     /* the command ("comm"): the executable's file name */
    u64 start_time;               /* jiffies at fork */

    /* --- family: changed by fork, exit and wait, in process context ---- */
    struct proc *parent;
    struct list children;      /* struct proc, linked by sibling */
    struct list_node sibling;  /* in parent->children */
    struct list_node all_node; /* in the list of every process (proc.c) */
    int pgid;                  /* process group (job control) */
    int sid;                   /* session */
    bool did_exec;             /* it has called execve (its parent may no longer move its group) */

    /* --- identity and rights (proc/cred.h): changed only by the process itself */
    struct cred cred;

    /* --- namespaces (proc/ns.h): changed by the process itself (unshare, setns) */
    struct ns_set ns;           /* its UTS, mount, IPC namespaces; its children's PID one */
    struct pid_ns *pid_ns;      /* the PID namespace it is in (counted) */
    int ns_pids[PID_NS_LEVELS]; /* its PID at each level 0..pid_ns->level (0: pid) */
    struct inode *root;         /* chroot: what "/" is for it (counted; NULL: the real root) */

    /* --- scheduling: interrupts off while changing (the run-queue lock) - */
    enum proc_state state;
    struct sched_entity sched; /* run-queue link, time slice, policy fields, statistics */
    const char *wait_channel;  /* while BLOCKED: what for ("wait4", "pipe_read", ...) */
    bool need_resched;         /* preempt at the next return to user mode */

    /* --- CPU state: only the process itself and schedule() touch these -- */
    void *kstack;                             /* KSTACK_SIZE bytes; canary at the bottom */
    struct switch_frame *context;             /* saved kernel registers while not running */
    struct trap_frame *tf;                    /* user registers, at the top of kstack */
    u64 fs_base;                              /* thread pointer (arch_prctl ARCH_SET_FS) */
    u8 fpu[512] __attribute__((aligned(16))); /* user FPU/SSE registers (kernel/fpu.h) */

    /* --- resources: mm, files, cwd SHARED by a process's threads (proc/thread.h);
     *     umask and rlimits are copied to each thread when it is created ---- */
    struct mm *mm;            /* address space (a vfork child shares its parent's) */
    struct fd_table *files;   /* open file descriptors */
    struct inode *cwd;        /* current directory (chdir changes every fs_peer's) */
    u32 umask;                /* (umask changes every fs_peer's too) */
    struct list_node fs_peer; /* ring of the tasks made with CLONE_FS from each other:
                               * they share cwd and umask (interrupts off to change) */
    struct rlimit rlimits[RLIM_NLIMITS];
    struct cgroup *cgroup; /* its control group (proc/cgroup.h; referenced); interrupts off
                            * while changing */
    /* per thread: */
    u64 clear_child_tid;                   /* set_tid_address: zeroed and woken at exit */
    u64 robust_list_head, robust_list_len; /* set_robust_list */

    /* --- signals (proc/signal.c) and the alarm timer (proc/itimer.c) ------ */
    struct signal_state signals;
    struct timer alarm_timer; /* ITIMER_REAL: SIGALRM when it fires */
    u64 alarm_interval;       /* ticks between repeats (0: fires once) */
    struct cpu_itimer {       /* ITIMER_VIRTUAL, ITIMER_PROF: counted down by the
                               * timer interrupt while we run (interrupts off) */
        u64 value, interval;  /* ticks left (0: disarmed), ticks to reload */
    } cpu_itimers[2];

    /* --- tracing (proc/ptrace.c): the tracer changes these while we are stopped */
    struct proc *tracer; /* who traces us (NULL: nobody) */
    struct list tracees; /* the processes we trace (linked by tracee_node) */
    struct list_node tracee_node;
    u32 ptrace_options;         /* PTRACE_O_* */
    bool ptrace_syscalls;       /* resumed with PTRACE_SYSCALL: stop at syscall entry/exit */
    int ptrace_resume_signal;   /* the signal the tracer passed when resuming us */
    u64 ptrace_message;         /* PTRACE_GETEVENTMSG: the new child's PID */
    struct ptrace_exit_report { /* (in the tracer) deaths of tracees that are not our children */
        int pid, status;
    } ptrace_exits[8];
    int ptrace_exit_count;

    /* --- death ----------------------------------------------------------- */
    int exit_status;              /* Linux wait status: (code << 8) or signal number */
    bool autoreap;                /* its parent ignored SIGCHLD: gone at once for everyone
                                   * (proc_find), init frees it later */
    u64 exit_time;                /* jiffies at exit (turnaround = exit_time - start_time) */
    bool exit_reported;           /* a stop/continue already reported to wait4 */
    struct wait_queue child_wait; /* this process sleeps here in wait4 */
    struct proc *vfork_parent;    /* blocked in vfork until we exec or exit */
    bool vfork_released;          /* (in the parent) the vfork child let go of our memory */

    /* --- statistics (getrusage, /proc/<pid>/stat and status) ------------- */
    u64 utime_ticks, stime_ticks; /* CPU time in user and kernel mode */
    u64 cpu_ns, running_since_ns; /* CPU time measured at each switch (CLOCK_PROCESS_CPUTIME_ID) */
    u64 cutime_ticks, cstime_ticks; /* ... of children that were waited for */
    u64 nvcsw, nivcsw;              /* voluntary and involuntary context switches */
    int last_cpu;                   /* the CPU it runs or last ran on (/proc/PID/stat field 39) */
    u64 affinity;                   /* CPUs it may run on (bit n = CPU n); 0 = every CPU */
    u64 min_flt;                    /* page faults served without I/O */
    u64 maj_flt;                    /* page faults that read the disk (swap-in) */
    u64 enosys_logged[8];           /* unimplemented calls already reported */

    /* --- profiling (kernel/prof.c): set by PROF_IOC_START, copied by fork */
    u32 prof_session; /* sampled while this equals the running session's number */
};

/* The process running on the CPU. */
/* The process running on this CPU: each CPU has its own (struct cpu, through GS). */
#define current (this_cpu_running())
/* PID 1, the ancestor of every process; orphans are re-parented to it. */
extern struct proc *init_proc;
/* Every process, in creation order (for /proc, ps, kill -1). */
extern struct list all_procs;

/* Set up the process table and turn the boot thread into the idle process (PID 0). */
struct proc *proc_init_idle(void);

/* A new process with a PID and a kernel stack, state CREATED; NULL or ERR_PTR on failure. */
struct proc *proc_alloc(void);
/* Make the first switch to `p` start in start(), on a fresh kernel stack
 * whose trap frame is already filled in (fork_return, init_first_run). */
void proc_prepare_first_switch(struct proc *p, void (*start)(void));
/* Free what proc_alloc() made (and the PID): for reaped zombies and failed forks. */
void proc_free(struct proc *p);
/* The process with this PID, or NULL. */
struct proc *proc_find(int pid);
/* Give `cpu` (an AP, before it starts) its idle process. */
void proc_init_ap_idle(struct cpu *cpu);
/* The process (idle included, autoreaped too) whose kernel stack starts at `kstack`, or NULL. */
struct proc *proc_find_by_kstack(const void *kstack);
/* Exchange the PIDs of a and b in the PID table (their pid fields already swapped). */
void proc_swap_pids(struct proc *a, struct proc *b);
/* Make `child` a child of `parent`. */
void proc_set_parent(struct proc *child, struct proc *parent);
/* Set the command name shown by ps (truncated to PROC_NAME_LEN-1). */
void proc_set_name(struct proc *p, const char *name);
/* How many processes exist (for fork's RLIMIT_NPROC check and /proc/loadavg). */
int proc_count(void);

/* Low-level PID allocator (proc/pid.c): like Linux, increasing and wrapping. */
int pid_alloc(void);
void pid_free(int pid);
bool pid_in_use(int pid);

/* The context switch (proc/switch.asm): save callee-saved registers on this
 * stack, store the stack pointer in *save, load `load`, restore, return. */
void context_switch(struct switch_frame **save, struct switch_frame *load);

/* The first user process: exec `path` as PID 1, with run=`run` in its
 * environment when the command line has one (proc/init_process.c). */
void proc_start_init(const char *path, const char *run);
/*
 * A kernel thread: a process with no address space that runs start() (which
 * enables interrupts first and never returns) in the kernel, like kswapd0.
 * Its parent is nobody, so init does not wait for it; it never returns to
 * user mode, so signals never act on it.  NULL when out of memory.
 */
struct proc *proc_start_kernel_thread(const char *name, void (*start)(void));

/* Single-letter state as in ps/proc: R, S, T, Z ... */
char proc_state_letter(const struct proc *p);
const char *proc_state_name(const struct proc *p);

#endif
