/* cred.c - user and group IDs of a process, and capable() (see cred.h). */
#include "proc/cred.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "proc/proc.h"

/* The capabilities that follow the filesystem UID rather than the effective
 * one (Linux clears them when fsuid leaves 0, restores them when it returns). */
static bool is_fs_capability(int cap)
{
    return cap == CAP_CHOWN || cap == CAP_DAC_OVERRIDE || cap == CAP_DAC_READ_SEARCH ||
           cap == CAP_FOWNER || cap == CAP_FSETID;
}

bool capable(int cap)
{
    const struct cred *c = &current->cred;
    return (is_fs_capability(cap) ? c->fsuid : c->euid) == 0;
}

void cred_init_root(struct cred *cred) { memset(cred, 0, sizeof *cred); }

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
    if (!traced && S_ISREG(mode)) {
        if (mode & S_ISUID)
            cred->euid = uid;
        if ((mode & S_ISGID) && (mode & S_IXGRP)) /* setgid without group x: a lock mark */
            cred->egid = gid;
    }
    cred->suid = cred->fsuid = cred->euid;
    cred->sgid = cred->fsgid = cred->egid;
}
