/* oom.h - the out-of-memory killer. */
#ifndef MM_OOM_H
#define MM_OOM_H

#include "kernel/types.h"

struct proc;

/*
 * Physical memory is exhausted.  Choose a victim by a stated rule -- the
 * process with the most resident memory, never init (PID 1) and never the
 * idle process -- kill it with SIGKILL and log the Linux-style line
 * "Out of memory: Killed process ...".  Returns the victim, or NULL when no
 * process can be chosen.  If a victim is already dying, it is returned
 * again rather than killing a second process.
 */
struct proc *oom_kill(void);

/*
 * A memory cgroup hit its memory.max (mm/memcg.h): the same choice, among the
 * processes whose memory is charged inside `group` only, with the log naming
 * the group ("Memory cgroup out of memory: Killed process ...").  Counts the
 * group's "oom" and "oom_kill" events.  The victim, or NULL.
 */
struct memcg;
struct proc *oom_kill_memcg(struct memcg *group);

/* Total size of p's regions in KiB (ps's VSZ, /proc status VmSize). */
u64 mm_total_kib(const struct proc *p);

#endif
