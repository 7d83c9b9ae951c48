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

long sys_setuid(u32 uid) { return set_id(user_ids(&current->cred), CAP_SETUID, uid); }
long sys_setgid(u32 gid) { return set_id(group_ids(&current->cred), CAP_SETGID, gid); }
long sys_setreuid(u32 ruid, u32 euid)
{
    return set_re_id(user_ids(&current->cred), CAP_SETUID, ruid, euid);
}
long sys_setregid(u32 rgid, u32 egid)
{
    return set_re_id(group_ids(&current->cred), CAP_SETGID, rgid, egid);
}
long sys_setresuid(u32 ruid, u32 euid, u32 suid)
{
    return set_res_id(user_ids(&current->cred), CAP_SETUID, ruid, euid, suid);
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
long sys_setfsuid(u32 uid) { return set_fs_id(user_ids(&current->cred), CAP_SETUID, uid); }
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
