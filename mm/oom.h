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

/* Total size of p's regions in KiB (ps's VSZ, /proc status VmSize). */
u64 mm_total_kib(const struct proc *p);

#endif
