/*
 * permission.h - may the current process read, write or search this inode?
 *
 * The classic Unix check, as Linux's generic_permission(): the mode has
 * three sets of rwx bits; the owner's apply when the filesystem UID owns
 * the file, else the group's when the file's group is the process's
 * filesystem group or a supplementary group, else the others'.  Root gets
 * past the bits through capable(CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH),
 * except that it may execute only a file with at least one x bit.
 */
#ifndef KERNEL_FS_PERMISSION_H
#define KERNEL_FS_PERMISSION_H

#include "kernel/types.h"

#define MAY_EXEC 1  /* execute a file; search (look names up in) a directory */
#define MAY_WRITE 2 /* write a file; add or remove names in a directory */
#define MAY_READ 4  /* read a file; list a directory */

struct inode;

/* 0 if the current process may do everything in `mask` to `inode`, else -EACCES. */
int inode_permission(const struct inode *inode, int mask);

/* Is the current process the inode's owner, or does it have CAP_FOWNER? */
bool inode_owner_or_capable(const struct inode *inode);

/* May the current process remove or rename the entry for `victim` in `dir`?
 * Needs write and search on dir; in a sticky directory (/tmp) also to own
 * the victim or the directory (or CAP_FOWNER).  0, -EACCES or -EPERM. */
int inode_may_delete(const struct inode *dir, const struct inode *victim);

/* The new owner's rules (chown): 0, -EPERM. Clears set-user-ID/-group-ID
 * bits as Linux does; uid/gid (u32)-1 mean unchanged. */
int inode_chown(struct inode *inode, u32 uid, u32 gid);

/* chmod's rules: only the owner (or CAP_FOWNER); a non-member of the file's
 * group loses S_ISGID.  0 or -EPERM; the caller stores the mode. */
int inode_chmod_check(const struct inode *inode, u32 *mode);

/* A write by a process without CAP_FSETID removes the set-user-ID bit (and
 * set-group-ID when group-executable), so a modified program cannot keep
 * running as its owner. */
void inode_kill_suid(struct inode *inode);

/* The owner of a new `inode` made in `dir`: inode_alloc gave it the
 * creator's filesystem IDs; in a set-group-ID directory it takes the
 * directory's group instead, a new subdirectory keeps the bit, and a new
 * group-executable set-group-ID file of a group the creator is not in loses
 * it (without CAP_FSETID), as Linux's inode_init_owner. */
void inode_init_owner(struct inode *inode, const struct inode *dir);

#endif
