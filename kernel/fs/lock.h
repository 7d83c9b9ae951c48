/*
 * lock.h - advisory file locks: fcntl record locks and flock (see lock.c).
 */
#ifndef KERNEL_FS_LOCK_H
#define KERNEL_FS_LOCK_H

#include "kernel/types.h"

struct file;
struct inode;

enum lock_command { LOCK_CMD_GET, LOCK_CMD_SET, LOCK_CMD_SET_WAIT };

/* fcntl(F_GETLK / F_SETLK / F_SETLKW) on `file` with a user struct flock.
 * May sleep (F_SETLKW).  0 or -EAGAIN, -EDEADLK, -EBADF, -EINVAL, -EFAULT ... */
long lock_fcntl(struct file *file, int command, void *user_flock);
/* The process `pid` closed a descriptor of `inode`: its record locks there go. */
void lock_release_posix(struct inode *inode, int pid);
/* The process `pid` is exiting: every record lock it holds goes. */
void lock_release_process(int pid);
/* The last descriptor of an open file is gone: its flock locks go. */
void lock_release_file(struct file *file);

long sys_flock(int fd, int operation);

#endif
