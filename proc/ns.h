/*
 * ns.h - namespaces: what a process sees of the machine (proc/ns.c, proc/ns_pid.c).
 *
 * A namespace gives the processes inside it their own copy of one global
 * thing.  sprout has five kinds, with Linux's flags and /proc/<pid>/ns names:
 *
 *   CLONE_NEWUTS  uts   the host and domain names (sethostname, uname)
 *   CLONE_NEWPID  pid   process IDs: a process has a PID at every level from
 *                       the first namespace down to its own (proc/ns_pid.c)
 *   CLONE_NEWNS   mnt   the file-system view: mounts made inside it are its
 *                       own (a box's /proc), and pivot_root changes its root
 *   CLONE_NEWIPC  ipc   System V IPC; sprout has none, so it is empty
 *   CLONE_NEWNET  net   interfaces, ports, /proc/net, counters: a network
 *                       stack of its own (kernel/net/inet/netns.h)
 *
 * Mounts made in the first mount namespace are everyone's (the global table,
 * kernel/fs/mount.c); mounts made in another one are its own, and copied to a
 * namespace made from it.  pivot_root works only in a new one.
 *
 * Each process holds a counted reference to one namespace of each kind;
 * clone() with a CLONE_NEW* flag or unshare() makes a new one, setns() joins
 * another, and the last reference to go frees it.  Namespaces change only in
 * process context with interrupts off (one CPU: that is the lock).
 */
#ifndef PROC_NS_H
#define PROC_NS_H

#include "kernel/types.h"

#define CLONE_NEWNS 0x00020000
#define CLONE_NEWCGROUP 0x02000000
#define CLONE_NEWUTS 0x04000000
#define CLONE_NEWIPC 0x08000000
#define CLONE_NEWUSER 0x10000000
#define CLONE_NEWPID 0x20000000
#define CLONE_NEWNET 0x40000000
#define CLONE_NS_FLAGS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET)

#define PID_NS_LEVELS 8 /* how deep PID namespaces nest (Linux: 32) */
#define UTS_NAME_LEN 64 /* host and domain names, without the NUL */

enum ns_type { NS_UTS, NS_PID, NS_MNT, NS_IPC, NS_NET, NS_TYPES };

/* What every namespace starts with. */
struct ns_common {
    enum ns_type type;
    int refs; /* processes (and open /proc/<pid>/ns files) using it */
    u32 inum; /* the number readlink shows: "uts:[4026531838]" */
};

struct uts_ns {
    struct ns_common common;
    char hostname[UTS_NAME_LEN + 1];
    char domainname[UTS_NAME_LEN + 1];
};

struct pid_ns {
    struct ns_common common;
    int level;             /* 0: the first namespace, the one init is in */
    struct pid_ns *parent; /* counted; NULL for level 0 */
    struct proc *reaper;   /* its PID 1, who adopts orphans; NULL before and after */
    bool dead;             /* PID 1 has exited: no new processes (fork: ENOMEM) */
    int last_pid;          /* the most recently allocated PID (levels > 0) */
};

#define MNT_NS_MOUNTS 8 /* mounts made inside one mount namespace */

struct mnt_ns {
    struct ns_common common;
    /* Mounts made inside this namespace, seen by it alone (kernel/fs/mount.c):
     * lookups cross from dir to root.  Each inode counted; dir NULL: free. */
    struct ns_mount {
        struct inode *dir, *root;
    } mounts[MNT_NS_MOUNTS];
};

extern struct mnt_ns init_mnt_ns;

struct ipc_ns {
    struct ns_common common;
};

struct net_ns;

/* A process's namespaces (in struct proc; each pointer counted). */
struct ns_set {
    struct uts_ns *uts;
    struct mnt_ns *mnt;
    struct ipc_ns *ipc;
    struct pid_ns *pid_for_children; /* where its next children get PIDs */
    struct net_ns *net;              /* where its new sockets live (kernel/net/inet/netns.h) */
};

extern struct pid_ns init_pid_ns;

struct proc;

/* Give a new process the first namespaces (proc_alloc; idle and init keep them). */
void ns_init_proc(struct proc *p);
/* clone/fork: is this combination of flags allowed for the caller?  0 or -EINVAL/-EPERM. */
int ns_check_clone(u64 flags);
/* clone/fork: the child's namespaces from its parent's and `flags`, and its PID
 * in each PID namespace level.  0 or -ENOMEM (also: the namespace's PID 1 is gone). */
int ns_fork(struct proc *child, struct proc *parent, u64 flags);
/* Let go of every namespace `p` holds (proc_free). */
void ns_release_proc(struct proc *p);

void ns_get(struct ns_common *ns);
void ns_put(struct ns_common *ns);
/* The namespace of `type` that `p` is in (pid: its own, not for-children). */
struct ns_common *ns_of(struct proc *p, enum ns_type type);
/* "uts", "pid", "mnt", "ipc", "net". */
const char *ns_type_name(enum ns_type type);
/* setns: move the current process into `ns` (an open /proc/<pid>/ns file's namespace). */
long ns_enter(struct ns_common *ns);

/* --- PID namespaces (proc/ns_pid.c) --- */

/* `p`'s PID as seen in `ns`, or 0 if it is not visible there. */
int pid_nr_ns(const struct proc *p, const struct pid_ns *ns);
/* ... of its process (tgid). */
int tgid_nr_ns(const struct proc *p, const struct pid_ns *ns);
/* The PID namespace the current process is in. */
struct pid_ns *pid_ns_current(void);
/* As seen by the current process: p's PID, its process's, its parent's (0 if invisible). */
int pid_vnr(const struct proc *p);
int tgid_vnr(const struct proc *p);
/* The process `nr` names in the current process's PID namespace, or NULL. */
struct proc *proc_find_vnr(int nr);
/* Can the current process see `p` (is p in its namespace or one below)? */
bool pid_visible(const struct proc *p);
/* Give `p` a PID in every namespace from `ns` up to level 1 (level 0 is p->pid). */
int pid_ns_attach(struct proc *p, struct pid_ns *ns);
/* exit: the process that adopts the orphans of `dying`. */
struct proc *pid_ns_reaper_for(struct proc *dying);
/* exit of a namespace's PID 1 (its last thread, process context, may sleep):
 * SIGKILL everyone in the namespace and reap them as they die, as Linux's
 * zap_pid_ns_processes, so that PID 1's parent hears of its exit last. */
void pid_ns_zap(struct proc *leader);
/* exit: `leader` was its namespace's PID 1: the namespace is gone. */
void pid_ns_reaper_exit(struct proc *leader);
/* execve by a thread: it takes over the leader's PIDs (thread.c take_over_leader). */
void pid_ns_swap(struct proc *a, struct proc *b);
/* Is `p` the PID 1 of a namespace other than the first? */
bool pid_ns_is_reaper(const struct proc *p);

/* Copy the caller's UTS domain name, NUL-terminated, into out (UTS_NAME_LEN + 1 bytes). */
void domainname_get(char *out);
long sys_setdomainname(const char *name, int len);
long sys_unshare(u64 flags);
long sys_setns(int fd, int nstype);

#endif
