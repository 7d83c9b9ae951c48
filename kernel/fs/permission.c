/* permission.c - file-mode checks against the current process's credentials (see permission.h). */
#include "kernel/fs/permission.h"
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "proc/cred.h"
#include "proc/proc.h"

int inode_permission(const struct inode *inode, int mask)
{
    const struct cred *c = &current->cred;
    u32 mode = inode->mode;
    u32 bits = c->fsuid == inode->uid         ? (mode >> 6) & 7
               : cred_in_group(c, inode->gid) ? (mode >> 3) & 7
                                              : mode & 7;
    if ((bits & (u32)mask) == (u32)mask)
        return 0;
    bool dir = S_ISDIR(mode);
    /* Root: anything, but execute only what someone may execute. */
    if (capable(CAP_DAC_OVERRIDE) && (dir || !(mask & MAY_EXEC) || (mode & 0111)))
        return 0;
    if (capable(CAP_DAC_READ_SEARCH) && !(mask & MAY_WRITE) && (dir || !(mask & MAY_EXEC)))
        return 0;
    return -EACCES;
}

bool inode_owner_or_capable(const struct inode *inode)
{
    return current->cred.fsuid == inode->uid || capable(CAP_FOWNER);
}

int inode_may_delete(const struct inode *dir, const struct inode *victim)
{
    int error = inode_permission(dir, MAY_WRITE | MAY_EXEC);
    if (error)
        return error;
    if ((dir->mode & S_ISVTX) && victim && current->cred.fsuid != victim->uid &&
        current->cred.fsuid != dir->uid && !capable(CAP_FOWNER))
        return -EPERM;
    return 0;
}

int inode_chown(struct inode *inode, u32 uid, u32 gid)
{
    const struct cred *c = &current->cred;
    bool uid_change = uid != ID_INVALID && uid != inode->uid;
    bool gid_change = gid != ID_INVALID && gid != inode->gid;
    if (!capable(CAP_CHOWN)) {
        /* The owner may give the file to one of its own groups, nothing else. */
        if (uid_change || (uid != ID_INVALID && c->fsuid != inode->uid))
            return -EPERM;
        if (gid_change && (c->fsuid != inode->uid || !cred_in_group(c, gid)))
            return -EPERM;
        if (gid != ID_INVALID && !gid_change && c->fsuid != inode->uid)
            return -EPERM;
    }
    if (uid != ID_INVALID)
        inode->uid = uid;
    if (gid != ID_INVALID)
        inode->gid = gid;
    /* Linux: chown of a non-directory always drops set-user-ID, and
     * set-group-ID when group-executable, even when done by root. */
    if (!S_ISDIR(inode->mode)) {
        inode->mode &= ~(u32)S_ISUID;
        if (inode->mode & S_IXGRP)
            inode->mode &= ~(u32)S_ISGID;
    }
    inode->ctime = vfs_now();
    return 0;
}

int inode_chmod_check(const struct inode *inode, u32 *mode)
{
    if (!inode_owner_or_capable(inode))
        return -EPERM;
    if ((*mode & S_ISGID) && !cred_in_group(&current->cred, inode->gid) && !capable(CAP_FSETID))
        *mode &= ~(u32)S_ISGID;
    return 0;
}

void inode_init_owner(struct inode *inode, const struct inode *dir)
{
    if (!current || !dir || !(dir->mode & S_ISGID))
        return;
    inode->gid = dir->gid;
    if (S_ISDIR(inode->mode))
        inode->mode |= S_ISGID;
    else if (S_ISREG(inode->mode) && (inode->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) &&
             !cred_in_group(&current->cred, inode->gid) && !capable(CAP_FSETID))
        inode->mode &= ~(u32)S_ISGID;
}

void inode_kill_suid(struct inode *inode)
{
    if (!inode || !S_ISREG(inode->mode) || capable(CAP_FSETID))
        return;
    u32 kill = S_ISUID;
    if ((inode->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
        kill |= S_ISGID;
    if (inode->mode & kill)
        inode->mode &= ~kill;
}
