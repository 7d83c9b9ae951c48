/*
 * eventfd.c - a 64-bit counter as a file: write(8 bytes) adds to it,
 * read(8 bytes) takes it all (or, with EFD_SEMAPHORE, takes 1).  A reader
 * blocks while it is 0; a writer while the sum would pass 2^64-2.  Event
 * loops use it to wake themselves from another process or a thread; poll,
 * select and epoll see POLLIN while the count is not 0.
 */
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/poll.h"
#include "kernel/fs/vfs.h"
#include "kernel/net/epoll.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/kheap.h"
#include "sched/wait.h"

#define EVENTFD_MAX 0xfffffffffffffffeull

struct eventfd {
    u64 count;
    bool semaphore;
    struct wait_queue wait; /* readers and writers */
};

static struct eventfd *eventfd_of(struct file *file) { return file->private; }

static long eventfd_read(struct file *file, void *buf, size_t size, u64 *offset)
{
    struct eventfd *e = eventfd_of(file);
    if (size < sizeof(u64))
        return -EINVAL;
    while (e->count == 0) {
        if (file->flags & O_NONBLOCK)
            return -EAGAIN;
        if (WAIT_EVENT(&e->wait, "eventfd_read", e->count > 0))
            return -ERESTARTSYS;
    }
    /* Take the value before the copy: the copy may sleep (a page on swap),
     * and another reader would otherwise take the same count and subtract it
     * twice.  A bad buffer loses the value, as on Linux. */
    u64 value = e->semaphore ? 1 : e->count;
    e->count -= value;
    wake_up(&e->wait);
    if (copy_to_user(buf, &value, sizeof value))
        return -EFAULT;
    return sizeof value;
}

static long eventfd_write(struct file *file, const void *buf, size_t size, u64 *offset)
{
    struct eventfd *e = eventfd_of(file);
    u64 value;
    if (size < sizeof value)
        return -EINVAL;
    if (copy_from_user(&value, buf, sizeof value))
        return -EFAULT;
    if (value == ~0ull)
        return -EINVAL;
    while (EVENTFD_MAX - e->count < value) {
        if (file->flags & O_NONBLOCK)
            return -EAGAIN;
        if (WAIT_EVENT(&e->wait, "eventfd_write", EVENTFD_MAX - e->count >= value))
            return -ERESTARTSYS;
    }
    e->count += value;
    wake_up(&e->wait);
    return sizeof value;
}

static u32 eventfd_poll(struct file *file, struct poll_table *table)
{
    struct eventfd *e = eventfd_of(file);
    poll_wait(table, &e->wait);
    u32 events = 0;
    if (e->count > 0)
        events |= POLLIN | POLLRDNORM;
    if (e->count < EVENTFD_MAX)
        events |= POLLOUT | POLLWRNORM;
    return events;
}

static void eventfd_release(struct file *file) { kfree(file->private); }

static const struct file_ops eventfd_fops = {
    .read = eventfd_read,
    .write = eventfd_write,
    .poll = eventfd_poll,
    .release = eventfd_release,
    .seekable = false,
};

static const struct inode_ops eventfd_inode_ops = {0};

long sys_eventfd2(u32 initval, int flags)
{
    if (flags & ~(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK))
        return -EINVAL;
    struct eventfd *e = kzalloc(sizeof *e);
    struct inode *inode =
        e ? inode_alloc(ANON_INODE_DEV, 0600, &eventfd_inode_ops, &eventfd_fops) : NULL;
    if (!inode) {
        kfree(e);
        return -ENOMEM;
    }
    inode->ino = vfs_next_ino();
    e->count = initval;
    e->semaphore = flags & EFD_SEMAPHORE;
    wait_queue_init(&e->wait);
    long error;
    struct file *file =
        file_open_inode(inode, O_RDWR | ((u32)flags & O_NONBLOCK), "anon_inode:[eventfd]", &error);
    inode_put(inode);
    if (!file) {
        kfree(e);
        return error;
    }
    file->private = e;
    int fd = fd_install(file, 0, flags & EFD_CLOEXEC);
    if (fd < 0)
        file_put(file);
    return fd;
}

long sys_eventfd(u32 initval) { return sys_eventfd2(initval, 0); }
