/*
 * sys_cred.c - the set*id and get*id system calls, with Linux's rules.
 *
 * An unprivileged process (no CAP_SETUID) may only shuffle the IDs it
 * already has: each new real, effective or saved UID must be one of its
 * current real, effective or saved UIDs (setreuid is a little stricter
 * about the real one).  (u32)-1 means "leave this one unchanged".  The
 * filesystem UID follows the effective one on every change.  Groups work
 * the same with CAP_SETGID.
 */
#include "proc/sys_cred.h"
#include "kernel/errno.h"
#include "kernel/uaccess.h"
#include "proc/cred.h"
#include "proc/proc.h"

/* The user-ID half and the group-ID half of a cred, seen the same way. */
struct id_set {
    u32 *real, *effective, *saved, *fs;
};

static struct id_set user_ids(struct cred *c)
{
    return (struct id_set){&c->uid, &c->euid, &c->suid, &c->fsuid};
}
static struct id_set group_ids(struct cred *c)
{
    return (struct id_set){&c->gid, &c->egid, &c->sgid, &c->fsgid};
}

static bool is_one_of(const struct id_set *ids, u32 id)
{
    return id == *ids->real || id == *ids->effective || id == *ids->saved;
}

static long set_id(struct id_set ids, int cap, u32 id)
{
    if (id == ID_INVALID)
        return -EINVAL;
    if (capable(cap)) {
        *ids.real = *ids.effective = *ids.saved = *ids.fs = id;
    } else if (id == *ids.real || id == *ids.saved) {
        *ids.effective = *ids.fs = id;
    } else {
        return -EPERM;
    }
    return 0;
}

static long set_re_id(struct id_set ids, int cap, u32 real, u32 effective)
{
    bool privileged = capable(cap);
    u32 old_real = *ids.real;
    if (real != ID_INVALID && !privileged && real != *ids.real && real != *ids.effective)
        return -EPERM;
    if (effective != ID_INVALID && !privileged && !is_one_of(&ids, effective))
        return -EPERM;
    if (real != ID_INVALID)
        *ids.real = real;
    if (effective != ID_INVALID)
        *ids.effective = effective;
    /* As Linux: the saved ID follows the effective one when the real one is
     * set, or the effective one becomes something other than the old real. */
    if (real != ID_INVALID || (effective != ID_INVALID && effective != old_real))
        *ids.saved = *ids.effective;
    *ids.fs = *ids.effective;
    return 0;
}

static long set_res_id(struct id_set ids, int cap, u32 real, u32 effective, u32 saved)
{
    if (!capable(cap) && ((real != ID_INVALID && !is_one_of(&ids, real)) ||
                          (effective != ID_INVALID && !is_one_of(&ids, effective)) ||
                          (saved != ID_INVALID && !is_one_of(&ids, saved))))
        return -EPERM;
    if (real != ID_INVALID)
        *ids.real = real;
    if (effective != ID_INVALID)
        *ids.effective = effective;
    if (saved != ID_INVALID)
        *ids.saved = saved;
    *ids.fs = *ids.effective;
    return 0;
}

/* setfsuid/setfsgid return the old value whether or not they changed it. */
static long set_fs_id(struct id_set ids, int cap, u32 id)
{
    u32 old = *ids.fs;
    if (id != ID_INVALID && (capable(cap) || is_one_of(&ids, id) || id == *ids.fs))
        *ids.fs = id;
    return old;
}

static long get_res_id(struct id_set ids, u32 *real, u32 *effective, u32 *saved)
{
    if (copy_to_user(real, ids.real, 4) < 0 || copy_to_user(effective, ids.effective, 4) < 0 ||
        copy_to_user(saved, ids.saved, 4) < 0)
        return -EFAULT;
    return 0;
}

long sys_getuid(void) { return current->cred.uid; }
long sys_geteuid(void) { return current->cred.euid; }
long sys_getgid(void) { return current->cred.gid; }
long sys_getegid(void) { return current->cred.egid; }

/* A user-ID call, then Linux's capability fix-ups if it changed anything. */
#define WITH_CAP_FIXUP(call)                                                                       \
    ({                                                                                             \
        struct cred old_ = current->cred;                                                          \
        long result_ = (call);                                                                     \
        if (result_ == 0)                                                                          \
            cred_fix_setuid(&current->cred, &old_);                                                \
        result_;                                                                                   \
    })

long sys_setuid(u32 uid)
{
    return WITH_CAP_FIXUP(set_id(user_ids(&current->cred), CAP_SETUID, uid));
}
long sys_setgid(u32 gid) { return set_id(group_ids(&current->cred), CAP_SETGID, gid); }
long sys_setreuid(u32 ruid, u32 euid)
{
    return WITH_CAP_FIXUP(set_re_id(user_ids(&current->cred), CAP_SETUID, ruid, euid));
}
long sys_setregid(u32 rgid, u32 egid)
{
    return set_re_id(group_ids(&current->cred), CAP_SETGID, rgid, egid);
}
long sys_setresuid(u32 ruid, u32 euid, u32 suid)
{
    return WITH_CAP_FIXUP(set_res_id(user_ids(&current->cred), CAP_SETUID, ruid, euid, suid));
}
long sys_setresgid(u32 rgid, u32 egid, u32 sgid)
{
    return set_res_id(group_ids(&current->cred), CAP_SETGID, rgid, egid, sgid);
}
long sys_getresuid(u32 *ruid, u32 *euid, u32 *suid)
{
    return get_res_id(user_ids(&current->cred), ruid, euid, suid);
}
long sys_getresgid(u32 *rgid, u32 *egid, u32 *sgid)
{
    return get_res_id(group_ids(&current->cred), rgid, egid, sgid);
}
long sys_setfsuid(u32 uid)
{
    long old = set_fs_id(user_ids(&current->cred), CAP_SETUID, uid);
    cred_fix_setfsuid(&current->cred, (u32)old);
    return old;
}
long sys_setfsgid(u32 gid) { return set_fs_id(group_ids(&current->cred), CAP_SETGID, gid); }

long sys_getgroups(int size, u32 *list)
{
    const struct cred *c = &current->cred;
    if (size < 0)
        return -EINVAL;
    if (size == 0)
        return c->ngroups; /* just "how many?" */
    if ((u32)size < c->ngroups)
        return -EINVAL;
    if (c->ngroups && copy_to_user(list, c->groups, c->ngroups * sizeof(u32)) < 0)
        return -EFAULT;
    return c->ngroups;
}

/* Linux allows NGROUPS_MAX groups; sprout keeps CRED_GROUPS, and more is EINVAL. */
long sys_setgroups(int size, const u32 *list)
{
    if (!capable(CAP_SETGID))
        return -EPERM;
    if (size < 0 || size > CRED_GROUPS)
        return -EINVAL;
    u32 groups[CRED_GROUPS];
    if (size && copy_from_user(groups, list, (size_t)size * sizeof(u32)) < 0)
        return -EFAULT;
    struct cred *c = &current->cred;
    for (int i = 0; i < size; i++)
        c->groups[i] = groups[i];
    c->ngroups = (u32)size;
    return 0;
}

/*
 * capget/capset: Linux's header {version, pid} and, for version 3 (and the
 * deprecated 2), two {effective, permitted, inheritable} words: capabilities
 * 0-31, then 32-63.  Version 1 has one word.  An unknown version is EINVAL,
 * and the kernel writes the version it prefers back into the header.
 */
#define CAP_VERSION_1 0x19980330u
#define CAP_VERSION_2 0x20071026u
#define CAP_VERSION_3 0x20080522u

struct cap_header {
    u32 version;
    int pid;
};
struct cap_data {
    u32 effective, permitted, inheritable;
};

/* How many cap_data words the header's version uses, or -EINVAL/-EFAULT. */
static long cap_words(struct cap_header *user_header)
{
    u32 version;
    if (copy_from_user(&version, &user_header->version, sizeof version) < 0)
        return -EFAULT;
    if (version == CAP_VERSION_1)
        return 1;
    if (version == CAP_VERSION_2 || version == CAP_VERSION_3)
        return 2;
    version = CAP_VERSION_3;
    if (copy_to_user(&user_header->version, &version, sizeof version) < 0)
        return -EFAULT;
    return -EINVAL;
}

long sys_capget(struct cap_header *header, struct cap_data *data)
{
    long words = cap_words(header);
    if (!data) /* asking which version the kernel wants: not an error */
        return words == -EINVAL ? 0 : words < 0 ? words : 0;
    if (words < 0)
        return words;
    int pid;
    if (copy_from_user(&pid, &header->pid, sizeof pid) < 0)
        return -EFAULT;
    if (pid < 0)
        return -EINVAL;
    const struct proc *p = pid == 0 ? current : proc_find(pid);
    if (!p || p->state == PROC_CREATED)
        return -ESRCH;
    const struct cred *c = &p->cred;
    struct cap_data out[2];
    for (int i = 0; i < 2; i++)
        out[i] = (struct cap_data){(u32)(c->cap_effective >> (32 * i)),
                                   (u32)(c->cap_permitted >> (32 * i)),
                                   (u32)(c->cap_inheritable >> (32 * i))};
    if (copy_to_user(data, out, (size_t)words * sizeof out[0]) < 0)
        return -EFAULT;
    return 0;
}

/* Is every capability of `a` also in `b`? */
static bool cap_subset(u64 a, u64 b) { return (a & ~b) == 0; }

long sys_capset(struct cap_header *header, const struct cap_data *data)
{
    long words = cap_words(header);
    if (words < 0)
        return words;
    int pid;
    if (copy_from_user(&pid, &header->pid, sizeof pid) < 0)
        return -EFAULT;
    if (pid != 0 && pid != current->tgid && pid != current->pid)
        return -EPERM; /* Linux: only one's own sets */
    struct cap_data in[2] = {{0, 0, 0}, {0, 0, 0}};
    if (copy_from_user(in, data, (size_t)words * sizeof in[0]) < 0)
        return -EFAULT;
    u64 effective = ((u64)in[1].effective << 32 | in[0].effective) & CAP_FULL_SET;
    u64 permitted = ((u64)in[1].permitted << 32 | in[0].permitted) & CAP_FULL_SET;
    u64 inheritable = ((u64)in[1].inheritable << 32 | in[0].inheritable) & CAP_FULL_SET;
    struct cred *c = &current->cred;
    /* Linux's cap_capset: inheritable only from what one has (or anything
     * with CAP_SETPCAP) and never beyond the bounding set; permitted can
     * only shrink; effective must be permitted. */
    if (!capable(CAP_SETPCAP) && !cap_subset(inheritable, c->cap_inheritable | c->cap_permitted))
        return -EPERM;
    if (!cap_subset(inheritable, c->cap_inheritable | c->cap_bset))
        return -EPERM;
    if (!cap_subset(permitted, c->cap_permitted) || !cap_subset(effective, permitted))
        return -EPERM;
    c->cap_effective = effective;
    c->cap_permitted = permitted;
    c->cap_inheritable = inheritable;
    return 0;
}

/* prctl's bounding-set questions: PR_CAPBSET_READ, PR_CAPBSET_DROP. */
long cred_prctl_capbset(bool drop, u64 cap)
{
    if (cap > CAP_LAST_CAP)
        return -EINVAL;
    if (!drop)
        return (current->cred.cap_bset & CAP_BIT(cap)) != 0;
    if (!capable(CAP_SETPCAP))
        return -EPERM;
    current->cred.cap_bset &= ~CAP_BIT(cap);
    return 0;
}
