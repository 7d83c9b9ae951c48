/*
 * proctable.h - a snapshot of every process, read from /proc.
 *
 * ps, top and pstree all start the same way: list the numeric entries of
 * /proc and read each process's stat, status and cmdline.  A process can
 * exit between the listing and the reading; it is then simply left out,
 * as if the snapshot had been taken a moment later.
 */
#ifndef USER_LIB_PROCTABLE_H
#define USER_LIB_PROCTABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "user/lib/procfs.h"

/* What the tools know about one process. */
struct process {
    struct proc_stat stat;                   /* /proc/PID/stat */
    unsigned uid;                            /* status "Uid:" (the real user id) */
    unsigned long long voluntary_switches;   /* status "voluntary_ctxt_switches" */
    unsigned long long involuntary_switches; /* status "nonvoluntary_ctxt_switches" */
    char *cmdline;                           /* arguments joined by spaces, "" if none */
};

struct proc_table {
    struct process *procs; /* sorted by PID */
    int count;
};

/*
 * Reads one process.  Returns 0, or -errno if its stat file cannot be read
 * or parsed (it has exited).  status and cmdline are optional: missing
 * values stay 0 and "".  Free p->cmdline with free().
 */
int proctable_read_process(int pid, struct process *p);

/* Reads every process in /proc into a table.  Returns 0 or -errno. */
int proctable_read(struct proc_table *table);
/* The same, one entry per thread (from /proc/PID/task): stat.pid is the
 * thread's ID, the table sorted by it (top -H). */
int proctable_read_threads(struct proc_table *table);
void proctable_free(struct proc_table *table);

/* The process with this PID, or NULL. */
const struct process *proctable_find(const struct proc_table *table, int pid);

/*
 * How ps shows a command.  With full_command, the arguments, or "[comm]"
 * when there are none (a kernel thread or a zombie, whose memory is gone);
 * otherwise just comm.  Zombies get " <defunct>" appended.
 */
void proctable_command(const struct process *p, bool full_command, char *out, size_t size);

#endif
