/*
 * ns.c - namespaces: creating them at clone and unshare, joining one with
 * setns, and freeing each when its last user goes (see ns.h).
 *
 * Linux's rules, which a test checks one by one:
 *   - a new namespace needs CAP_SYS_ADMIN (EPERM): sprout has no user
 *     namespaces, so an unprivileged process cannot make any;
 *   - CLONE_NEWPID or CLONE_NEWUSER with CLONE_THREAD, and CLONE_NEWNS with
 *     CLONE_FS, are EINVAL: a thread shares what the flag would split;
 *   - unshare(CLONE_NEWPID) moves the caller's *children* into the new
 *     namespace (the caller's own PID cannot change); its first child is PID 1.
 */
#include "proc/ns.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/procfs.h"
#include "kernel/lib/string.h"
#include "kernel/net/inet/netns.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/kheap.h"
#include "proc/cred.h"
#include "proc/fork.h"
#include "proc/proc.h"
#include "proc/thread.h"

/* Linux numbers its first namespaces from 0xF0000000 down (PROC_*_INIT_INO). */
#define INIT_IPC_INUM 0xEFFFFFFFu
#define INIT_UTS_INUM 0xEFFFFFFEu
#define INIT_PID_INUM 0xEFFFFFFCu
#define INIT_MNT_INUM 0xF0000000u

static struct uts_ns init_uts_ns = {{NS_UTS, 1, INIT_UTS_INUM}, "sprout", "(none)"};
struct mnt_ns init_mnt_ns = {{NS_MNT, 1, INIT_MNT_INUM}, {{NULL, NULL}}};
static struct ipc_ns init_ipc_ns = {{NS_IPC, 1, INIT_IPC_INUM}};
struct pid_ns init_pid_ns = {{NS_PID, 1, INIT_PID_INUM}, 0, NULL, NULL, false, 0};

static u32 next_inum = INIT_MNT_INUM + 1;

const char *ns_type_name(enum ns_type type)
{
    static const char *const names[NS_TYPES] = {"uts", "pid", "mnt", "ipc", "net"};
    return type < NS_TYPES ? names[type] : "?";
}

void ns_get(struct ns_common *ns)
{
    bool irq = irq_save();
    ns->refs++;
    irq_restore(irq);
}

void ns_put(struct ns_common *ns)
{
    while (ns) {
        bool irq = irq_save();
        bool last = --ns->refs == 0;
        irq_restore(irq);
        if (!last)
            return;
        struct ns_common *parent = NULL;
        if (ns->type == NS_PID && ((struct pid_ns *)ns)->parent)
            parent = &((struct pid_ns *)ns)->parent->common; /* our reference to it */
        if (ns->type == NS_MNT)
            mount_ns_release((struct mnt_ns *)ns); /* its own mounts go with it */
        if (ns->type == NS_NET) {
            bool off = irq_save();               /* the network core runs with interrupts off */
            net_ns_release((struct net_ns *)ns); /* its orphaned connections */
            irq_restore(off);
        }
        kfree(ns);
        ns = parent; /* a loop, not recursion: PID namespaces nest */
    }
}

static void *ns_alloc(enum ns_type type, size_t size)
{
    struct ns_common *ns = kzalloc(size);
    if (!ns)
        return NULL;
    bool irq = irq_save();
    *ns = (struct ns_common){type, 1, next_inum++};
    irq_restore(irq);
    return ns;
}

void ns_init_proc(struct proc *p)
{
    p->ns = (struct ns_set){&init_uts_ns, &init_mnt_ns, &init_ipc_ns, &init_pid_ns, &init_net_ns};
    ns_get(&init_net_ns.common);
    ns_get(&init_uts_ns.common);
    ns_get(&init_mnt_ns.common);
    ns_get(&init_ipc_ns.common);
    ns_get(&init_pid_ns.common);
    p->pid_ns = &init_pid_ns;
    ns_get(&init_pid_ns.common);
    p->ns_pids[0] = p->pid;
}

void ns_release_proc(struct proc *p)
{
    struct ns_common *held[] = {
        p->ns.uts ? &p->ns.uts->common : NULL,
        p->ns.mnt ? &p->ns.mnt->common : NULL,
        p->ns.ipc ? &p->ns.ipc->common : NULL,
        p->ns.pid_for_children ? &p->ns.pid_for_children->common : NULL,
        p->ns.net ? &p->ns.net->common : NULL,
        p->pid_ns ? &p->pid_ns->common : NULL,
    };
    p->ns = (struct ns_set){0};
    p->pid_ns = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(held); i++)
        ns_put(held[i]);
}

struct ns_common *ns_of(struct proc *p, enum ns_type type)
{
    switch (type) {
    case NS_UTS:
        return &p->ns.uts->common;
    case NS_PID:
        return &p->pid_ns->common;
    case NS_MNT:
        return &p->ns.mnt->common;
    case NS_NET:
        return &p->ns.net->common;
    default:
        return &p->ns.ipc->common;
    }
}

int ns_check_clone(u64 flags)
{
    if ((flags & (CLONE_NEWPID | CLONE_NEWUSER)) && (flags & CLONE_THREAD))
        return -EINVAL;
    if ((flags & CLONE_NEWNS) && (flags & CLONE_FS))
        return -EINVAL;
    if (flags & (CLONE_NEWUSER | CLONE_NEWCGROUP))
        return -EINVAL; /* kinds sprout does not have */
    if ((flags & CLONE_NS_FLAGS) && !capable(CAP_SYS_ADMIN))
        return -EPERM;
    /* A thread must be in the namespace its PIDs come from. */
    if ((flags & CLONE_THREAD) && current->ns.pid_for_children != current->pid_ns)
        return -EINVAL;
    return 0;
}

/*
 * Fill `out` with the namespaces `flags` asks for, new ones made from `from`'s,
 * the rest shared.  Every pointer in `out` holds a reference.  0 or -ENOMEM.
 */
static int ns_copy(struct ns_set *out, const struct ns_set *from, u64 flags)
{
    *out = *from;
    if (flags & CLONE_NEWUTS) {
        struct uts_ns *uts = ns_alloc(NS_UTS, sizeof *uts);
        if (!uts)
            return -ENOMEM;
        bool irq = irq_save();
        memcpy(uts->hostname, from->uts->hostname, sizeof uts->hostname);
        memcpy(uts->domainname, from->uts->domainname, sizeof uts->domainname);
        irq_restore(irq);
        out->uts = uts;
    }
    if ((flags & CLONE_NEWNS) && (out->mnt = ns_alloc(NS_MNT, sizeof *out->mnt)))
        mount_ns_copy(out->mnt, from->mnt); /* a copy of the mounts it sees */
    if (flags & CLONE_NEWIPC)
        out->ipc = ns_alloc(NS_IPC, sizeof *out->ipc);
    if ((flags & CLONE_NEWNET) && (out->net = ns_alloc(NS_NET, sizeof *out->net)))
        net_ns_init(out->net); /* only a loopback, down */
    if (flags & CLONE_NEWPID) {
        struct pid_ns *parent = from->pid_for_children;
        struct pid_ns *pid =
            parent->level + 1 < PID_NS_LEVELS ? ns_alloc(NS_PID, sizeof *pid) : NULL;
        if (pid) {
            pid->level = parent->level + 1;
            pid->parent = parent;
            ns_get(&parent->common);
        }
        out->pid_for_children = pid;
    }
    bool failed = !out->uts || !out->mnt || !out->ipc || !out->pid_for_children || !out->net;
    /* Take a reference to each shared one (new ones came with theirs). */
    if (!(flags & CLONE_NEWUTS) && out->uts)
        ns_get(&out->uts->common);
    if (!(flags & CLONE_NEWNS) && out->mnt)
        ns_get(&out->mnt->common);
    if (!(flags & CLONE_NEWIPC) && out->ipc)
        ns_get(&out->ipc->common);
    if (!(flags & CLONE_NEWPID) && out->pid_for_children)
        ns_get(&out->pid_for_children->common);
    if (!(flags & CLONE_NEWNET) && out->net)
        ns_get(&out->net->common);
    if (failed) {
        ns_put(out->uts ? &out->uts->common : NULL);
        ns_put(out->mnt ? &out->mnt->common : NULL);
        ns_put(out->ipc ? &out->ipc->common : NULL);
        ns_put(out->pid_for_children ? &out->pid_for_children->common : NULL);
        ns_put(out->net ? &out->net->common : NULL);
        *out = (struct ns_set){0};
        return -ENOMEM;
    }
    return 0;
}

int ns_fork(struct proc *child, struct proc *parent, u64 flags)
{
    ns_release_proc(child); /* the first namespaces proc_alloc gave it */
    int error = ns_copy(&child->ns, &parent->ns, flags & CLONE_NS_FLAGS);
    if (error)
        return error;
    return pid_ns_attach(child, child->ns.pid_for_children);
}

void domainname_get(char *out)
{
    bool irq = irq_save();
    memcpy(out, current->ns.uts->domainname, UTS_NAME_LEN + 1);
    irq_restore(irq);
}

/* setdomainname(name, len): sethostname's rules (kernel/sys_hostname.c), for uname's domainname. */
long sys_setdomainname(const char *name, int len)
{
    char copy[UTS_NAME_LEN + 1];
    if (!capable(CAP_SYS_ADMIN))
        return -EPERM;
    if (len < 0 || len > UTS_NAME_LEN)
        return -EINVAL;
    if (len > 0 && copy_from_user(copy, name, (size_t)len) < 0)
        return -EFAULT;
    memset(copy + len, 0, sizeof copy - (size_t)len);
    bool irq = irq_save();
    memcpy(current->ns.uts->domainname, copy, sizeof copy);
    irq_restore(irq);
    return 0;
}

long sys_unshare(u64 flags)
{
    /* Flags sprout knows; sharing flags on their own ask for nothing new. */
    u64 known = CLONE_NS_FLAGS | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_VM | CLONE_THREAD |
                CLONE_SYSVSEM | CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWCGROUP;
    if (flags & ~known)
        return -EINVAL;
    if (flags & (CLONE_NEWUSER | CLONE_NEWCGROUP))
        return -EINVAL;
    /* Unsharing what threads share is only possible for a single thread. */
    bool alone = current->group->live == 1;
    if ((flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM)) && !alone)
        return -EINVAL;
    /* A new mount namespace means a root and cwd of our own, which threads share. */
    if ((flags & (CLONE_NEWNS | CLONE_FS)) && !alone)
        return -EINVAL;
    if ((flags & CLONE_NS_FLAGS) && !capable(CAP_SYS_ADMIN))
        return -EPERM;
    if (!(flags & CLONE_NS_FLAGS))
        return 0;
    /* As Linux's copy_pid_ns: one pending PID namespace at a time. */
    if ((flags & CLONE_NEWPID) && current->ns.pid_for_children != current->pid_ns)
        return -EINVAL;
    struct ns_set fresh;
    int error = ns_copy(&fresh, &current->ns, flags & CLONE_NS_FLAGS);
    if (error)
        return error;
    struct ns_set old = current->ns;
    current->ns = fresh;
    ns_put(&old.uts->common);
    ns_put(&old.mnt->common);
    ns_put(&old.ipc->common);
    ns_put(&old.pid_for_children->common);
    ns_put(&old.net->common);
    return 0;
}

long ns_enter(struct ns_common *ns)
{
    if (!capable(CAP_SYS_ADMIN))
        return -EPERM;
    struct ns_set *set = &current->ns;
    struct ns_common *old;
    if (ns->type == NS_MNT && current->group->live > 1)
        return -EINVAL; /* Linux: a mount namespace is for a single thread */
    if (ns->type == NS_PID) {
        /* A PID namespace is for our children, and only ours or one below it. */
        struct pid_ns *up = container_of(ns, struct pid_ns, common);
        while (up && up != current->pid_ns)
            up = up->parent;
        if (!up)
            return -EINVAL;
    }
    ns_get(ns);
    switch (ns->type) {
    case NS_UTS:
        old = &set->uts->common;
        set->uts = container_of(ns, struct uts_ns, common);
        break;
    case NS_MNT:
        old = &set->mnt->common;
        set->mnt = container_of(ns, struct mnt_ns, common);
        break;
    case NS_IPC:
        old = &set->ipc->common;
        set->ipc = container_of(ns, struct ipc_ns, common);
        break;
    case NS_NET:
        old = &set->net->common;
        set->net = container_of(ns, struct net_ns, common);
        break;
    default:
        old = &set->pid_for_children->common;
        set->pid_for_children = container_of(ns, struct pid_ns, common);
        break;
    }
    ns_put(old);
    return 0;
}

/* setns(fd, nstype): fd is an open /proc/<pid>/ns/<kind>; nstype 0 or its CLONE_NEW* flag. */
long sys_setns(int fd, int nstype)
{
    static const int flag_of[NS_TYPES] = {CLONE_NEWUTS, CLONE_NEWPID, CLONE_NEWNS, CLONE_NEWIPC,
                                          CLONE_NEWNET};
    struct file *file = fd_get(fd);
    if (!file)
        return -EBADF;
    struct ns_common *ns = procfs_ns_of(file->inode);
    if (!ns)
        return -EINVAL; /* not a namespace file (Linux: EINVAL too) */
    if (nstype != 0 && nstype != flag_of[ns->type])
        return -EINVAL;
    return ns_enter(ns);
}
