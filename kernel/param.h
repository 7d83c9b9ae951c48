/*
 * param.h - every tunable limit of sprout, in one place.
 *
 * A lab that wants a different quantum, more processes or a smaller pipe
 * changes a number here and rebuilds.  Values follow Linux where Linux has
 * a well-known default, so programs behave the same on both.
 */
#ifndef KERNEL_PARAM_H
#define KERNEL_PARAM_H

/* --- time ------------------------------------------------------------- */
#define HZ 100                /* timer interrupts per second (1 tick = 10 ms) */
#define DEFAULT_QUANTUM_MS 10 /* round-robin time slice; `quantum=` overrides */

/* --- CPUs ------------------------------------------------------------ */
#define MAX_CPUS 16 /* CPUs the kernel brings up (more in the MADT are reported, not started) */

/* --- processes -------------------------------------------------------- */
#define PID_MAX 32768                 /* PIDs are 1 .. PID_MAX-1, then wrap (Linux default) */
#define PID_FIRST_AFTER_WRAP 300      /* like Linux: low PIDs are left to early daemons */
#define KSTACK_SIZE (16 * 1024)       /* each process's kernel stack */
#define KSTACK_GUARD_SIZE (16 * 1024) /* unmapped below each kernel stack: overflows fault */
#define KSTACK_CACHE 4                /* freed kernel stacks kept mapped for the next fork */
#define PROC_NAME_LEN 16              /* the "comm" shown by ps (Linux: 16 with NUL) */
/*
 * RLIMIT_NPROC's default (fork fails with EAGAIN past it), derived from
 * memory as Linux does: Linux lets processes' kernel stacks take at most an
 * eighth of RAM (max_threads = RAM / (8 * THREAD_SIZE)) and gives half of
 * that to each user.  In sprout one process costs the kernel about
 * PROC_MEMORY_COST (kernel stack, page tables, struct proc, a few pages of
 * its own), so the default is RAM / (8 * PROC_MEMORY_COST) / 2 = RAM / 1 MiB,
 * between the bounds below: 256 processes with 256 MiB.  That also bounds
 * how long a fork bomb can make a sleeper wait under round-robin: one turn
 * round the queue is at most 256 * 10 ms = 2.6 s (docs: "Fork bombs").
 */
#define PROC_MEMORY_COST (64 * 1024)
#define NPROC_LIMIT_MIN 32
#define NPROC_LIMIT_MAX 1024
/* RLIMIT_CORE soft limit: unlimited, so every crash leaves a `core` to open in
 * gdb (Linux's default is 0, no cores; `ulimit -c 0` gives that here).  The
 * file is always named `core`, so crashes replace it instead of filling RAM. */
#define DEFAULT_CORE_LIMIT (~0ull)
#define DEFAULT_MEMLOCK_LIMIT (8ull << 20) /* RLIMIT_MEMLOCK: 8 MiB, as Linux (mm/mlock.c) */
/* timer_create: timers one process may have (EAGAIN past it).  Linux bounds
 * them by RLIMIT_SIGPENDING; a fixed number keeps a process from filling
 * the kernel heap with them. */
#define POSIX_TIMER_MAX 64

/* --- memory ----------------------------------------------------------- */
#define PAGE_SIZE 4096
#define PAGE_SHIFT 12
#define USER_STACK_LIMIT (8ul * 1024 * 1024) /* RLIMIT_STACK default: 8 MiB */
#define STACK_GUARD_GAP (1ul * 1024 * 1024)  /* unmapped gap below the stack limit */

/* --- files ------------------------------------------------------------ */
#define NOFILE_SOFT 1024          /* RLIMIT_NOFILE soft limit: EMFILE past it */
#define NOFILE_HARD 4096          /* RLIMIT_NOFILE hard limit */
#define NR_OPEN 65536             /* no RLIMIT_NOFILE above this (Linux: fs.nr_open) */
#define NR_OPEN_FILES_MAX 8192    /* system-wide open files: ENFILE past it */
#define PATH_MAX 4096             /* longest path, with its NUL */
#define NAME_MAX 255              /* longest path component */
#define SYMLOOP_MAX 40            /* symlinks followed in one lookup before ELOOP */
#define PIPE_BUF_SIZE (64 * 1024) /* pipe capacity, as Linux */
#define PIPE_BUF 4096             /* writes up to this size are atomic */

/* --- writeback (kernel/fs/writeback.c): the flusher thread --------------- */
#define DIRTY_WRITEBACK_MS 1000 /* it wakes this often (Linux: dirty_writeback_centisecs, 5 s) */
#define DIRTY_EXPIRE_MS 2000    /* and writes blocks dirty this long (Linux: dirty_expire, 30 s) */

/* --- exec ------------------------------------------------------------- */
#define ARG_MAX (2 * 1024 * 1024)       /* argv + envp bytes (Linux: a quarter of the stack) */
#define MAX_ARG_STRLEN (32 * PAGE_SIZE) /* one argument or environment string */
#define MAX_ARG_STRINGS 0x7FFFFFFF

#endif
