/*
 * mqueue.h - POSIX message queues and their file system (see mqueue.c).
 */
#ifndef KERNEL_FS_MQUEUE_H
#define KERNEL_FS_MQUEUE_H

#include "kernel/types.h"

struct inode;

/* The root directory of the queues' file system (made on first use); vfs
 * mounts it at /dev/mqueue. */
struct inode *mqueue_fs_root(void);
/* Mount it on /dev/mqueue (vfs_init, after devfs). */
void mqueue_mount(void);

long sys_mq_open(const char *name, int flags, u32 mode, const void *attr);
long sys_mq_unlink(const char *name);
long sys_mq_timedsend(int fd, const void *msg, size_t size, u32 priority, const void *abs_timeout);
long sys_mq_timedreceive(int fd, void *buf, size_t size, u32 *priority, const void *abs_timeout);
long sys_mq_notify(int fd, const void *sigevent);
long sys_mq_getsetattr(int fd, const void *new_attr, void *old_attr);

#endif
