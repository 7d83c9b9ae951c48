/*
 * procfs.h - reading /proc in Linux's text formats.
 *
 * Every tool that looks at processes (ps, top, pmap, lsof, pstree, free,
 * uptime) reads the same few files.  This module turns their text into C
 * structs.  It is split in two halves on purpose:
 *
 *   procfs_parse_*()  take the text of a file as a string and never touch
 *                     the file system, so unit tests feed them canned text;
 *   procfs_read*()    are thin wrappers that read a file into a buffer.
 *
 * Errors are values: parsers return 0 or -EINVAL for text they do not
 * understand (never crash on it), readers return a length or -errno.
 * The formats are those of Linux, described in `man 5 proc`; sprout's
 * kernel produces the same text, so these tools run unchanged on both.
 */
#ifndef USER_LIB_PROCFS_H
#define USER_LIB_PROCFS_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Buffer sizes that hold each file whole, on Linux too (where /proc/stat
 * has a long "intr" line and status a long "Mems_allowed" line).
 */
#define PROCFS_LINE_SIZE 1024      /* /proc/PID/stat, uptime, loadavg, fdinfo */
#define PROCFS_TEXT_SIZE 8192      /* /proc/PID/status, meminfo, cmdline */
#define PROCFS_BIG_TEXT_SIZE 65536 /* /proc/stat */

/* --- per-process files: procfs_pid.c ---------------------------------- */

#define PROCFS_COMM_MAX 64 /* Linux limits comm to 16 (with NUL); keep room */

/* /proc/PID/stat: one line, "pid (comm) state" then numbers (man 5 proc). */
struct proc_stat {
    int pid;
    char comm[PROCFS_COMM_MAX]; /* may contain spaces and ')' */
    char state;                 /* R running, S sleeping, D disk, Z zombie, T stopped, I idle */
    int ppid, pgrp, session;
    int tty_nr;                        /* device number of the controlling tty, 0 if none */
    int tpgid;                         /* foreground process group of that tty, -1 if none */
    unsigned long long minflt, majflt; /* page faults: without / with disk reads (swap-in) */
    unsigned long long utime, stime;   /* CPU time in clock ticks (user, kernel) */
    long priority, nice, num_threads;
    unsigned long long starttime; /* ticks after boot when the process started */
    unsigned long long vsize;     /* virtual memory size in bytes */
    long long rss;                /* resident set size in pages */
    int processor;                /* the CPU it runs or last ran on (field 39), or -1 */
};

/* Parses the text of /proc/PID/stat.  Returns 0 or -EINVAL. */
int procfs_parse_pid_stat(const char *text, struct proc_stat *stat);

/* The line after `line` in a text, or NULL if `line` is the last one. */
const char *procfs_next_line(const char *line);

/*
 * "Key:<spaces or tabs>value" files (/proc/PID/status, /proc/meminfo,
 * /proc/PID/fdinfo/N).  procfs_key_value() copies the value of the first
 * line whose key is exactly `key` (truncated to size-1 bytes) and returns
 * 0, or -ENOENT if there is no such line.  procfs_key_number() reads the
 * number the value starts with ("1608 kB" -> 1608, "0\t0\t0\t0" -> 0) in
 * the given base (10, or 8 for fdinfo flags); -EINVAL if it is no number.
 */
int procfs_key_value(const char *text, const char *key, char *value, size_t size);
int procfs_key_number(const char *text, const char *key, int base, unsigned long long *number);

/*
 * /proc/PID/cmdline holds the arguments separated (and ended) by NUL bytes.
 * Joins the `length` bytes of `data` with spaces into `out` (always
 * NUL-terminated, truncated to size-1), replacing unprintable bytes by '?'
 * so a hostile argument cannot send escape codes to the terminal.
 * Returns the length of `out`; 0 means no arguments (a zombie or a kernel
 * thread: ps then shows [comm] instead).
 */
size_t procfs_join_cmdline(const char *data, size_t length, char *out, size_t size);

/* One line of /proc/PID/maps: "start-end perms offset major:minor inode   path". */
struct proc_map {
    unsigned long long start, end; /* [start, end) */
    char perms[5];                 /* "r-xp": read, write, execute, p(rivate) or s(hared) */
    unsigned long long offset;     /* offset into the file */
    unsigned dev_major, dev_minor;
    unsigned long long inode; /* 0 for anonymous memory */
    char path[256];           /* "/bin/sh", "[heap]", "[stack]" or "" (anonymous) */
};

/* Parses one line of /proc/PID/maps (with or without its '\n').  0 or -EINVAL. */
int procfs_parse_maps_line(const char *line, struct proc_map *map);

/* Names a tty from stat's tty_nr: "?" (none), "console", "ttyS0", "tty1", "pts/3". */
void procfs_tty_name(int tty_nr, char *name, size_t size);

/*
 * The access mode of an open file from the "flags:" line of
 * /proc/PID/fdinfo/N (octal open() flags): 'r', 'w' or 'u' (read and
 * write) as lsof shows it, or 0 if the text has no flags line.
 */
char procfs_fdinfo_access(const char *fdinfo_text);

/*
 * /proc/PID/sched: what the scheduler knows about one process, as
 * "key: value" lines.  sprout-only (Linux's file has another format), so
 * the tools that use it must cope with its absence.  Times are in clock
 * ticks of `hz` per second.
 */
struct proc_sched {
    char policy[32];                           /* the active policy's name: "rr", "mlfq", ... */
    long nice;                                 /* -20 .. 19 */
    unsigned long long tickets;                /* lottery/stride share */
    long level;                                /* MLFQ queue (0 is the top) */
    unsigned long long run_ticks;              /* ticks spent on the CPU */
    unsigned long long wait_ticks;             /* ticks spent ready but not running */
    unsigned long long times_scheduled;        /* how often it was picked */
    unsigned long long voluntary, involuntary; /* switches: it blocked / it was preempted */
    long long response_ticks;                  /* from creation to first run; -1: not run yet */
    unsigned long long turnaround_ticks;       /* from creation to exit (or to now) */
    long hz;
};

/* Parses /proc/PID/sched.  Returns 0, or -EINVAL if a field is missing. */
int procfs_parse_pid_sched(const char *text, struct proc_sched *sched);

/* --- system-wide files: procfs_system.c -------------------------------- */

/* /proc/meminfo, every value in KiB. */
struct meminfo {
    unsigned long long total, free, available; /* MemTotal, MemFree, MemAvailable */
    unsigned long long buffers, cached;        /* Buffers, Cached */
    unsigned long long shared, reclaimable;    /* Shmem, SReclaimable */
    unsigned long long swap_total, swap_free;  /* SwapTotal, SwapFree */
};

/*
 * Parses /proc/meminfo.  MemTotal and MemFree are required (-EINVAL
 * without them); a missing optional line counts as 0, except MemAvailable
 * which is then estimated as free + buffers + cached.
 */
int procfs_parse_meminfo(const char *text, struct meminfo *info);

/* /proc/uptime: "seconds-since-boot idle-seconds".  0 or -EINVAL. */
int procfs_parse_uptime(const char *text, double *uptime_seconds);

/* /proc/loadavg: "0.05 0.27 0.18 2/82 12809". */
struct loadavg {
    double one, five, fifteen; /* run-queue length averaged over 1, 5, 15 min */
    int running, total;        /* runnable tasks / all tasks */
    int last_pid;              /* the PID most recently handed out */
};
int procfs_parse_loadavg(const char *text, struct loadavg *load);

#define PROCFS_MAX_CPUS 16 /* cpuN lines of /proc/stat kept; more are ignored */

/* Ticks a CPU (or all of them) spent in each state since boot: a "cpu" line. */
struct cpu_times {
    unsigned long long user, nice, system, idle;
};

/* The counters of /proc/stat that the tools show ("name value" lines). */
struct system_stat {
    struct cpu_times all;                  /* the "cpu" line (optional, else zeros) */
    int cpus;                              /* cpuN lines kept in cpu[] */
    struct cpu_times cpu[PROCFS_MAX_CPUS]; /* cpu[N]: the "cpuN" line */
    unsigned long long context_switches;   /* ctxt: since boot */
    unsigned long long forks;              /* processes: created since boot */
    int procs_running, procs_blocked;      /* procs_running, procs_blocked (optional) */
    long long boot_time;                   /* btime: seconds since 1970 (optional, else 0) */
};
/* Parses /proc/stat.  ctxt, processes and procs_running are required. */
int procfs_parse_system_stat(const char *text, struct system_stat *stat);

/* --- reading the files: procfs_read.c ---------------------------------- */

/*
 * Reads a whole file (up to size-1 bytes) into buf and NUL-terminates it.
 * Returns the number of bytes read or -errno.  /proc files are generated
 * when read, so we read in a loop until read() returns 0.
 */
ssize_t procfs_read(const char *path, char *buf, size_t size);

/* The same for /proc/PID/NAME ("stat", "status", "cmdline", "fdinfo/3"...). */
ssize_t procfs_read_pid(int pid, const char *name, char *buf, size_t size);

/*
 * Lists the numeric entries of a directory, sorted: the PIDs in /proc or
 * the open descriptors in /proc/PID/fd.  Stores a malloc'ed array in
 * *numbers (the caller frees it) and returns the count, or -errno.
 */
int procfs_list_numbers(const char *dir, int **numbers);
int procfs_list_pids(int **pids);

/* A directory entry name as a number: "123" -> 123, anything else -> -1. */
int procfs_name_to_number(const char *name);

/* The target of the symlink /proc/PID/fd/FD ("/dev/console", "pipe:[7]"). */
ssize_t procfs_read_fd_link(int pid, int fd, char *target, size_t size);

/*
 * When the system booted, in seconds since 1970: btime from /proc/stat,
 * or now minus /proc/uptime if there is no btime.  Returns 0 or -errno.
 */
int procfs_boot_time(long long *boot_time);

#endif
