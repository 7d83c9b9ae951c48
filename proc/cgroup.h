/*
 * cgroup.h - control groups (version 2): the process side.
 *
 * A control group is a set of processes with limits on what they may use
 * together.  Groups form one tree; every process is in exactly one group
 * (the root "/" at boot), its children start in the same one, and moving a
 * process is writing its PID to a group's cgroup.procs.  A limit set on a
 * group holds for it and everything below it:
 *
 *   /                 (root: no limits)
 *   +-- demo          pids.max 20, memory.max 32M, cpu.max "50000 100000"
 *       +-- web       pids.max 5   (a fork in web needs room in web AND demo)
 *
 * Three controllers, each enabled for a group's children by the group's
 * cgroup.subtree_control (the root enables all three at boot):
 *   pids    fork/clone fails with EAGAIN when a group is at pids.max
 *   memory  user pages are charged (mm/memcg.c); past memory.max the group's
 *           own OOM killer picks a victim inside the group (mm/oom.c)
 *   cpu     a group that used its quota of cpu.max in the current period is
 *           not picked until the next period (sched/sched.c asks
 *           cgroup_cpu_throttled); cpu.weight scales cfs's weights and rr's slice
 *
 * The files live in kernel/fs/cgroupfs/ (the cgroup2 file system mounted at
 * /sys/fs/cgroup); this file keeps the tree, the membership and the counters.
 * Everything here runs with interrupts off while it changes the tree or a
 * counter (one CPU: that is the lock).
 */
#ifndef PROC_CGROUP_H
#define PROC_CGROUP_H

#include "kernel/lib/textbuf.h"
#include "kernel/list.h"
#include "kernel/types.h"
#include "mm/memcg.h"

struct proc;
struct inode;

/* Controllers, as bits of subtree_control. */
#define CGROUP_CPU 1
#define CGROUP_MEMORY 2
#define CGROUP_PIDS 4
#define CGROUP_ALL_CONTROLLERS (CGROUP_CPU | CGROUP_MEMORY | CGROUP_PIDS)

#define CGROUP_NAME_MAX 64
#define CGROUP_NO_LIMIT (~0ull) /* "max" */
#define CGROUP_DEFAULT_PERIOD_US 100000
#define CGROUP_DEFAULT_WEIGHT 100

struct cgroup {
    /* --- the tree: changed by mkdir/rmdir --------------------------------- */
    char name[CGROUP_NAME_MAX];
    char *path;               /* "/demo/web" (kmalloc'd; "/" for the root) */
    struct cgroup *parent;    /* NULL for the root; referenced */
    struct list children;     /* linked by sibling */
    struct list_node sibling; /* in parent->children */
    int refs;                 /* the tree's link, each task in it, each child, open files */
    bool removed;             /* rmdir done: only references keep it */
    struct inode *dir;        /* its directory in the cgroup2 file system */
    u32 subtree_control;      /* controllers enabled for the children */

    /* --- membership -------------------------------------------------------- */
    int nr_tasks;     /* live tasks (threads) in this group itself */
    int nr_populated; /* ... in it and in its descendants (cgroup.events "populated") */

    /* --- pids -------------------------------------------------------------- */
    u64 pids_max;        /* CGROUP_NO_LIMIT: "max" */
    u64 pids_current;    /* live tasks here and below */
    u64 pids_events_max; /* forks refused because of this group's limit */

    /* --- memory: the counters live in mm/ (charged from the page allocator) */
    struct memcg memcg;

    /* --- cpu (times in nanoseconds; the files speak microseconds) ---------- */
    u64 cpu_quota_ns; /* per period; CGROUP_NO_LIMIT: "max" */
    u64 cpu_period_ns;
    u64 cpu_weight;         /* 1..10000, 100 by default */
    u64 usage_ns;           /* CPU time used by its tasks and its descendants' */
    u64 period_start_ns;    /* when the current period began */
    u64 period_used_ns;     /* used in the current period */
    bool throttled;         /* the quota is used up until the period ends */
    u64 throttled_since_ns; /* when it was throttled */
    u64 nr_periods, nr_throttled, throttled_ns;
};

/* The root group, "/": every process at boot. */
extern struct cgroup cgroup_root;

/* Set up the root group (and put the idle process in it).  Once, at boot. */
void cgroup_init(struct proc *idle);

/* A new child `name` of `parent` (referenced once, by the tree), or an
 * ERR_PTR: -ENOMEM, -ENOSPC (too many memory groups), -ENOENT (the parent
 * was removed).  May sleep (allocates). */
struct cgroup *cgroup_create(struct cgroup *parent, const char *name);
/* rmdir: -EBUSY while it has live tasks or children.  The struct lives on
 * while references remain (zombies, open files). */
int cgroup_remove(struct cgroup *cg);
void cgroup_get(struct cgroup *cg);
void cgroup_put(struct cgroup *cg);
/* The child of `parent` named `name` (not referenced), or NULL. */
struct cgroup *cgroup_child(struct cgroup *parent, const char *name);

/* Does `cg`'s parent enable `controller` for it (the controller's files exist)? */
bool cgroup_controller_on(const struct cgroup *cg, u32 controller);
/* cgroup.subtree_control: "+pids -cpu ..." -- 0, -EINVAL (unknown, or not
 * available from the parent), -EBUSY (a non-root group with tasks of its own). */
int cgroup_set_subtree_control(struct cgroup *cg, const char *text);
/* Write the controller names in `mask` ("cpu memory pids") to out. */
void cgroup_show_controllers(struct textbuf *out, u32 mask);

/* --- processes -------------------------------------------------------------- */

/* fork/clone: `child` joins `parent`'s group.  -EAGAIN when the group or an
 * ancestor is at its pids.max (the group's "max" event counted).  Interrupts any. */
int cgroup_fork(struct proc *child, struct proc *parent);
/* The task exits (becomes a zombie): it no longer counts as a task of its group. */
void cgroup_exit(struct proc *p);
/* The task is freed (proc_free): drop its reference on the group. */
void cgroup_release(struct proc *p);
/* Writing `pid` to dst's cgroup.procs: move every thread of that process
 * (0: the writer's).  -ESRCH (no such live process), -EACCES (may not write
 * the cgroup.procs of the common ancestor of its group and dst), -EPERM (not
 * root and not the target's owner), -EBUSY (dst has controllers enabled for children and
 * is not the root: "no internal processes"), -ENOENT (dst was removed). */
int cgroup_move_process(struct cgroup *dst, int pid);
/* The thread a process is listed and moved by: its first live thread (the
 * main thread unless that one has exited), or NULL when all have exited. */
struct proc *cgroup_process_thread(struct proc *p);
/* The memory group new pages of p's memory are charged to (exec's new mm). */
struct memcg *cgroup_memcg(const struct proc *p);
/* /proc/<pid>/cgroup: "0::/demo". */
void cgroup_show_proc(struct textbuf *out, struct proc *p);
/* Send SIGKILL to every process of the group and its descendants (cgroup.kill). */
void cgroup_kill(struct cgroup *cg);

/* --- cpu: called by the scheduler core, interrupts off -------------------- */

/* p ran for `ns`: add it to its groups' usage and quotas.  True if a group
 * of p's just used up its quota (p should be preempted). */
bool cgroup_cpu_charge(struct proc *p, u64 ns);
/* Is p's group or an ancestor throttled for the rest of its period? */
bool cgroup_cpu_throttled(struct proc *p);
/* How many groups are throttled (0: no process is; no need to ask). */
extern int cgroup_cpu_throttled_groups;
/* cpu.weight changed, or p moved: tell p's scheduling entity. */
void cgroup_cpu_update_weight(struct proc *p);

#endif
