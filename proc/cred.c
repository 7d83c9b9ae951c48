/* cred.c - user and group IDs of a process, and capable() (see cred.h). */
#include "proc/cred.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "proc/proc.h"

/* The capabilities that follow the filesystem UID rather than the effective
 * one (Linux's CAP_FS_SET: cleared when fsuid leaves 0, restored when it returns). */
#define CAP_FS_SET                                                                                 \
    (CAP_BIT(CAP_CHOWN) | CAP_BIT(CAP_DAC_OVERRIDE) | CAP_BIT(CAP_DAC_READ_SEARCH) |               \
     CAP_BIT(CAP_FOWNER) | CAP_BIT(CAP_FSETID) | CAP_BIT(CAP_MKNOD) | CAP_BIT(CAP_MAC_OVERRIDE))

bool cred_has_cap(const struct cred *cred, int cap)
{
    return cap >= 0 && cap <= CAP_LAST_CAP && (cred->cap_effective & CAP_BIT(cap));
}

bool capable(int cap) { return cred_has_cap(&current->cred, cap); }

void cred_init_root(struct cred *cred)
{
    memset(cred, 0, sizeof *cred);
    cred->cap_permitted = cred->cap_effective = cred->cap_bset = CAP_FULL_SET;
}

void cred_fix_setuid(struct cred *cred, const struct cred *old)
{
    bool had_root = old->uid == 0 || old->euid == 0 || old->suid == 0;
    if (had_root && cred->uid != 0 && cred->euid != 0 && cred->suid != 0)
        cred->cap_permitted = cred->cap_effective = 0; /* no way back to 0: all gone */
    if (old->euid == 0 && cred->euid != 0)
        cred->cap_effective = 0;
    if (old->euid != 0 && cred->euid == 0)
        cred->cap_effective = cred->cap_permitted;
}

void cred_fix_setfsuid(struct cred *cred, u32 old_fsuid)
{
    if (old_fsuid == 0 && cred->fsuid != 0)
        cred->cap_effective &= ~CAP_FS_SET;
    if (old_fsuid != 0 && cred->fsuid == 0)
        cred->cap_effective |= cred->cap_permitted & CAP_FS_SET;
}

bool cred_in_group(const struct cred *cred, u32 gid)
{
    if (gid == cred->fsgid)
        return true;
    for (u32 i = 0; i < cred->ngroups; i++)
        if (cred->groups[i] == gid)
            return true;
    return false;
}

bool cred_may_signal(const struct proc *target)
{
    const struct cred *me = &current->cred, *t = &target->cred;
    if (target == current || capable(CAP_KILL))
        return true;
    return me->euid == t->suid || me->euid == t->uid || me->uid == t->suid || me->uid == t->uid;
}

bool cred_may_inspect(const struct proc *target)
{
    const struct cred *me = &current->cred, *t = &target->cred;
    if (target == current || capable(CAP_SYS_PTRACE))
        return true;
    return me->uid == t->uid && me->uid == t->euid && me->uid == t->suid && me->gid == t->gid &&
           me->gid == t->egid && me->gid == t->sgid;
}

void cred_exec(struct cred *cred, u32 mode, u32 uid, u32 gid, bool traced)
{
    u64 old_permitted = cred->cap_permitted;
    if (!traced && S_ISREG(mode)) {
        if (mode & S_ISUID)
            cred->euid = uid;
        if ((mode & S_ISGID) && (mode & S_IXGRP)) /* setgid without group x: a lock mark */
            cred->egid = gid;
    }
    cred->suid = cred->fsuid = cred->euid;
    cred->sgid = cred->fsgid = cred->egid;
    /* No file capabilities: root gets the bounding set (plus what it chose
     * to inherit), effective only when the effective UID is 0; anyone else
     * gets nothing.  A weak tracer's tracee gains no capability either. */
    if (cred->euid == 0 || cred->uid == 0)
        cred->cap_permitted = cred->cap_bset | cred->cap_inheritable;
    else
        cred->cap_permitted = 0;
    if (traced)
        cred->cap_permitted &= old_permitted;
    cred->cap_effective = cred->euid == 0 ? cred->cap_permitted : 0;
}
