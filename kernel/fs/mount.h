/*
 * mount.h - mount, umount2, sync and friends, and the table /proc/mounts
 * shows (kernel/fs/mount.c).
 */
#ifndef KERNEL_FS_MOUNT_H
#define KERNEL_FS_MOUNT_H

#include "kernel/lib/textbuf.h"
#include "kernel/types.h"

struct proc;

long sys_mount(const char *source, const char *target, const char *fstype, u64 flags,
               const void *data);
long sys_umount2(const char *target, int flags);
long sys_sync(void);
long sys_syncfs(int fd);
long sys_fsync(int fd);
long sys_fdatasync(int fd);

/* /proc/mounts, in Linux's format: "device mountpoint type options 0 0". */
void procfs_show_mounts(struct textbuf *out, struct proc *unused);

struct mnt_ns;
struct inode;
/* What is mounted on `dir` in the current process's mount namespace only, or NULL (namei.c). */
struct inode *mount_ns_lookup(struct inode *dir);
/* A new mount namespace starts with the mounts of the one it was made from (proc/ns.c). */
void mount_ns_copy(struct mnt_ns *to, const struct mnt_ns *from);
/* A mount namespace is freed: let go of its mounts. */
void mount_ns_release(struct mnt_ns *ns);
long sys_pivot_root(const char *new_root, const char *put_old);

/* Write every mounted disk file system back (poweroff, the sync call). */
void mount_sync_all(void);

#endif
