/*
 * pipe.c - a pipe is a ring buffer with two ends.
 *
 *        write end                                   read end
 *   writer ---> [ . . . d a t a . . . . . . . . . . ] ---> reader
 *                       ^head    count bytes
 *
 * A reader sleeps while the buffer is empty and gets 0 (end of file) once
 * every write end is closed.  A writer sleeps while the buffer is full and
 * gets SIGPIPE/EPIPE once every read end is closed.  Writes of at most
 * PIPE_BUF bytes are never split between readers (atomic).
 */
#include "kernel/fs/pipe.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/poll.h"
#include "kernel/fs/syscalls_fs.h"
#include "kernel/fs/vfs.h"
#include "kernel/param.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/kheap.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "sched/sched.h"
#include "sched/wait.h"

struct pipe {
    u8 *buffer;
    u32 head, count;        /* data is [head, head+count) modulo PIPE_BUF_SIZE */
    int readers, writers;   /* open ends */
    struct wait_queue wait; /* readers and writers both sleep here */
    /* Held across a copy to or from user memory, which may sleep (a page out
     * on swap is read back): another reader or writer must not move head or
     * count under it. */
    struct sleep_lock copy_lock;
};

static const struct file_ops pipe_fops;
static const struct inode_ops pipe_inode_ops;

bool file_is_pipe(const struct file *file) { return file->ops == &pipe_fops; }
u64 pipe_id(const struct file *file) { return file->inode->ino; }

static struct pipe *pipe_of(struct file *file) { return file->inode->data; }

/* Copy between the ring and user memory; returns bytes moved or -EFAULT. */
static long ring_copy(struct pipe *p, u8 *user, size_t n, bool into_ring)
{
    size_t done = 0;
    while (done < n) {
        u32 at = into_ring ? (p->head + p->count) % PIPE_BUF_SIZE : p->head;
        size_t chunk = MIN(n - done, (size_t)(PIPE_BUF_SIZE - at));
        int error = into_ring ? copy_from_user(p->buffer + at, user + done, chunk)
                              : copy_to_user(user + done, p->buffer + at, chunk);
        if (error)
            return done ? (long)done : -EFAULT;
        if (into_ring) {
            p->count += (u32)chunk;
        } else {
            p->head = (p->head + (u32)chunk) % PIPE_BUF_SIZE;
            p->count -= (u32)chunk;
        }
        done += chunk;
    }
    return (long)done;
}

static long pipe_read(struct file *file, void *buf, size_t size, u64 *offset)
{
    struct pipe *p = pipe_of(file);
    if (size == 0)
        return 0;
    long n = 0;
    while (n == 0) {
        while (p->count == 0) {
            if (p->writers == 0)
                return 0; /* every writer is gone: end of file */
            if (file->flags & O_NONBLOCK)
                return -EAGAIN;
            int error = WAIT_EVENT(&p->wait, "pipe_read", p->count > 0 || p->writers == 0);
            if (error)
                return -ERESTARTSYS;
        }
        sleep_lock_acquire(&p->copy_lock);
        if (p->count > 0) /* another reader may have emptied it while we waited */
            n = ring_copy(p, buf, MIN(size, (size_t)p->count), false);
        sleep_lock_release(&p->copy_lock);
    }
    if (n > 0)
        wake_up(&p->wait); /* room for writers */
    return n;
}

static long broken_pipe(void)
{
    struct pending_info info = {.code = SI_USER, .pid = current->tgid};
    signal_send(current, SIGPIPE, &info);
    return -EPIPE;
}

static long pipe_write(struct file *file, const void *buf, size_t size, u64 *offset)
{
    struct pipe *p = pipe_of(file);
    size_t done = 0;
    bool atomic = size <= PIPE_BUF;
    while (done < size) {
        if (p->readers == 0)
            return done ? (long)done : broken_pipe();
        u32 space = PIPE_BUF_SIZE - p->count;
        size_t needed = atomic ? size : 1;
        if (space < needed) {
            if (file->flags & O_NONBLOCK)
                return done ? (long)done : -EAGAIN;
            int error = WAIT_EVENT(&p->wait, "pipe_write",
                                   PIPE_BUF_SIZE - p->count >= needed || p->readers == 0);
            if (error)
                return done ? (long)done : -ERESTARTSYS;
            continue;
        }
        sleep_lock_acquire(&p->copy_lock);
        space = PIPE_BUF_SIZE - p->count; /* others may have written while we waited */
        long n = space >= needed
                     ? ring_copy(p, (u8 *)buf + done, MIN(size - done, (size_t)space), true)
                     : 0;
        sleep_lock_release(&p->copy_lock);
        if (n == 0)
            continue;
        if (n < 0)
            return done ? (long)done : n;
        done += (size_t)n;
        wake_up(&p->wait); /* data for readers */
        if (done < size && sched_preempt_point() < 0)
            return (long)done;
    }
    return (long)done;
}

static u32 pipe_poll(struct file *file, struct poll_table *table)
{
    struct pipe *p = pipe_of(file);
    poll_wait(table, &p->wait);
    u32 events = 0;
    if ((file->flags & O_ACCMODE) == O_RDONLY) {
        if (p->count > 0)
            events |= POLLIN | POLLRDNORM;
        if (p->writers == 0)
            events |= POLLHUP;
    } else {
        if (PIPE_BUF_SIZE - p->count >= PIPE_BUF)
            events |= POLLOUT | POLLWRNORM;
        if (p->readers == 0)
            events |= POLLERR;
    }
    return events;
}

/* Every open of an end counts: /proc/<pid>/fd/N can open a pipe a second time. */
static int pipe_open(struct file *file)
{
    struct pipe *p = pipe_of(file);
    u32 mode = file->flags & O_ACCMODE;
    if (mode != O_WRONLY)
        p->readers++;
    if (mode != O_RDONLY)
        p->writers++;
    return 0;
}

static void pipe_release(struct file *file)
{
    struct pipe *p = pipe_of(file);
    u32 mode = file->flags & O_ACCMODE;
    if (mode != O_WRONLY)
        p->readers--;
    if (mode != O_RDONLY)
        p->writers--;
    wake_up(&p->wait); /* the other side sees EOF or EPIPE */
}

static void pipe_inode_release(struct inode *inode)
{
    struct pipe *p = inode->data;
    kfree(p->buffer);
    kfree(p);
}

static const struct file_ops pipe_fops = {
    .open = pipe_open,
    .read = pipe_read,
    .write = pipe_write,
    .poll = pipe_poll,
    .release = pipe_release,
    .seekable = false,
};

static const struct inode_ops pipe_inode_ops = {.release = pipe_inode_release};

long sys_pipe2(int *user_fds, int flags)
{
    if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
        return -EINVAL;
    struct pipe *p = kzalloc(sizeof *p);
    u8 *buffer = kmalloc(PIPE_BUF_SIZE);
    struct inode *inode =
        p && buffer ? inode_alloc(PIPE_DEV, S_IFIFO | 0600, &pipe_inode_ops, &pipe_fops) : NULL;
    if (!inode) {
        kfree(p);
        kfree(buffer);
        return -ENFILE;
    }
    p->buffer = buffer;
    wait_queue_init(&p->wait);
    sleep_lock_init(&p->copy_lock, "pipe_copy");
    inode->data = p;

    long error;
    u32 extra = (u32)flags & O_NONBLOCK;
    struct file *reader = file_open_inode(inode, O_RDONLY | extra, NULL, &error);
    struct file *writer = reader ? file_open_inode(inode, O_WRONLY | extra, NULL, &error) : NULL;
    inode_put(inode); /* the files hold it now */
    if (!writer) {
        file_put(reader);
        return error;
    }
    int fds[2] = {fd_install(reader, 0, flags & O_CLOEXEC), -1};
    if (fds[0] >= 0 && (fds[1] = fd_install(writer, 0, flags & O_CLOEXEC)) >= 0 &&
        copy_to_user(user_fds, fds, sizeof fds) == 0)
        return 0;
    error = fds[0] < 0 ? fds[0] : fds[1] < 0 ? fds[1] : -EFAULT;
    if (fds[0] >= 0)
        fd_close(fds[0]); /* drops reader */
    else
        file_put(reader);
    if (fds[1] >= 0)
        fd_close(fds[1]);
    else
        file_put(writer);
    return error;
}

long sys_pipe(int *fds) { return sys_pipe2(fds, 0); }
