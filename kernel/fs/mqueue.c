/*
 * mqueue.c - POSIX message queues (mq_open, mq_send, mq_receive, mq_notify).
 *
 * A message queue is a named list of messages kept in the kernel, ordered
 * by priority (highest first; equal priorities in the order they came):
 *
 *     mq_open("/jobs", O_CREAT|O_RDWR, 0600, &{maxmsg 10, msgsize 64}) -> fd
 *     mq_send(fd, "hello", 5, 3)      blocks while the queue is full
 *     mq_receive(fd, buf, 64, &prio)  blocks while it is empty; "hello", 3
 *
 * Each queue is an inode of this small file system, mounted at
 * /dev/mqueue as on Linux: `ls /dev/mqueue` lists the queues, `cat` one
 * shows its size and notification, `rm` removes the name.  A descriptor from
 * mq_open is an ordinary open file of that inode (close-on-exec, as Linux
 * makes it), so it can be polled.  A removed queue lives on until its last
 * descriptor is closed.
 *
 * mq_notify: one process may ask for a signal when a message arrives in
 * the empty queue while nobody is blocked receiving.  The signal carries
 * si_code SI_MESGQ and the sigev_value it asked for; the registration is
 * then gone.
 *
 * Every queue and message is changed with interrupts off (one CPU).
 */
#include "kernel/fs/mqueue.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/poll.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/sys_time.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/kheap.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "sched/wait.h"

#define MQ_NAME_MAX 255
#define MQ_PRIO_MAX 32768
#define MQ_DEFAULT_MAXMSG 10    /* Linux's /proc/sys/fs/mqueue/msg_default */
#define MQ_DEFAULT_MSGSIZE 8192 /* ... msgsize_default */
#define MQ_HARD_MAXMSG 65536    /* ... the hard ceilings for root */
#define MQ_HARD_MSGSIZE (16 << 20)
#define MQ_MAX_QUEUES 256 /* ... queues_max */

#define SIGEV_SIGNAL 0
#define SIGEV_NONE 1
#define SIGEV_THREAD 2
#define SI_MESGQ (-3)

struct mq_attr { /* Linux's struct mq_attr */
    i64 mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs;
    i64 reserved[4];
};

struct mq_sigevent {   /* the part of struct sigevent mq_notify reads */
    u64 value;         /* sigev_value */
    i32 signo, notify; /* sigev_signo, sigev_notify */
};

struct message {
    struct list_node node;
    u32 priority;
    size_t size;
    u8 data[];
};

struct mqueue {
    struct list_node node; /* in `queues` while it has a name */
    char name[MQ_NAME_MAX + 1];
    struct inode *inode;
    i64 maxmsg, msgsize, count;
    u64 bytes;            /* QSIZE: message bytes queued */
    struct list messages; /* highest priority first */
    struct wait_queue readers, writers;
    /* Held by a receiver from choosing the first message until it is taken
     * off: the copy to the user's buffer may sleep (a page on swap), and
     * another receiver must not free the message under it. */
    struct sleep_lock receive_lock;
    int receivers_waiting;
    int notify_pid; /* 0: no registration */
    struct mq_sigevent notify;
};

static struct list queues = LIST_INIT(queues);
static int queue_count;
static struct inode *mqueue_root;
static const struct file_ops mqueue_fops;
static const struct inode_ops mqueue_file_ops;

static struct mqueue *queue_by_name(const char *name)
{
    struct mqueue *q;
    list_for_each_entry (q, &queues, node)
        if (strcmp(q->name, name) == 0)
            return q;
    return NULL;
}

/* The queue behind descriptor fd, or NULL (not open, or not a queue). */
static struct mqueue *queue_of_fd(int fd, struct file **file_out)
{
    struct file *file = fd_get(fd);
    if (!file || file->ops != &mqueue_fops)
        return NULL;
    *file_out = file;
    return file->inode->data;
}

/* --- the file system at /dev/mqueue -------------------------------------- */

static struct inode *mqueue_lookup(struct inode *dir, const char *name)
{
    bool irq = irq_save();
    struct mqueue *q = queue_by_name(name);
    if (q)
        inode_get(q->inode);
    irq_restore(irq);
    return q ? q->inode : NULL;
}

static int mqueue_readdir(struct inode *dir, u64 *position, struct dir_sink *sink)
{
    if (!dir_emit_dots(dir, dir->covered ? dir->covered : dir, position, sink))
        return 0;
    for (;;) {
        struct mqueue *q, *found = NULL;
        u64 k = 2;
        list_for_each_entry (q, &queues, node) {
            if (k++ == *position) {
                found = q;
                break;
            }
        }
        if (!found || !sink->emit(sink, found->name, found->inode->ino, DT_REG))
            return 0;
        (*position)++;
    }
}

/* Remove the name; the queue lives on while descriptors hold its inode. */
static int mqueue_unlink(struct inode *dir, const char *name)
{
    bool irq = irq_save();
    struct mqueue *q = queue_by_name(name);
    if (q) {
        list_remove(&q->node);
        queue_count--;
    }
    irq_restore(irq);
    if (!q)
        return -ENOENT;
    q->inode->nlink = 0;
    inode_put(q->inode); /* the directory's reference */
    return 0;
}

static int mqueue_no_create(struct inode *d, const char *n, u32 m, struct inode **c)
{
    return -EPERM; /* queues are made by mq_open */
}
static int mqueue_no_mkdir(struct inode *d, const char *n, u32 m) { return -EPERM; }
static int mqueue_no_symlink(struct inode *d, const char *n, const char *t) { return -EPERM; }
static int mqueue_no_rmdir(struct inode *d, const char *n) { return -ENOTDIR; }
static int mqueue_no_rename(struct inode *a, const char *b, struct inode *c, const char *d)
{
    return -EPERM;
}

static const struct inode_ops mqueue_dir_ops = {
    .lookup = mqueue_lookup,
    .readdir = mqueue_readdir,
    .create = mqueue_no_create,
    .mkdir = mqueue_no_mkdir,
    .symlink = mqueue_no_symlink,
    .unlink = mqueue_unlink,
    .rmdir = mqueue_no_rmdir,
    .rename = mqueue_no_rename,
};

static void queue_free(struct inode *inode)
{
    struct mqueue *q = inode->data;
    struct message *m, *tmp;
    list_for_each_entry_safe (m, tmp, &q->messages, node) {
        list_remove(&m->node);
        kfree(m);
    }
    kfree(q);
}

static const struct inode_ops mqueue_file_ops = {.release = queue_free};

/* Reading a queue's file shows its state, in Linux's format. */
static long mqueue_read(struct file *file, void *buf, size_t size, u64 *offset)
{
    struct mqueue *q = file->inode->data;
    char text[128];
    bool irq = irq_save();
    int length = snprintf(
        text, sizeof text, "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n", q->bytes,
        q->notify_pid ? q->notify.notify : 0,
        q->notify_pid && q->notify.notify == SIGEV_SIGNAL ? q->notify.signo : 0, q->notify_pid);
    irq_restore(irq);
    if (*offset >= (u64)length)
        return 0;
    size_t n = MIN(size, (size_t)length - *offset);
    if (copy_to_user(buf, text + *offset, n) < 0)
        return -EFAULT;
    *offset += n;
    return (long)n;
}

static u32 mqueue_poll(struct file *file, struct poll_table *table)
{
    struct mqueue *q = file->inode->data;
    poll_wait(table, &q->readers);
    poll_wait(table, &q->writers);
    u32 events = 0;
    if (q->count > 0)
        events |= POLLIN | POLLRDNORM;
    if (q->count < q->maxmsg)
        events |= POLLOUT | POLLWRNORM;
    return events;
}

static void mqueue_release_file(struct file *file)
{
    /* The registering process's descriptor is gone: so is its registration. */
    struct mqueue *q = file->inode->data;
    if (q->notify_pid == current->pid)
        q->notify_pid = 0;
}

static const struct file_ops mqueue_fops = {
    .read = mqueue_read,
    .poll = mqueue_poll,
    .release = mqueue_release_file,
};

static long dir_read(struct file *f, void *buf, size_t size, u64 *offset) { return -EISDIR; }
static const struct file_ops mqueue_dir_fops = {.read = dir_read, .seekable = true};

void mqueue_mount(void)
{
    struct inode *dir = NULL;
    if (vfs_lookup("/dev/mqueue", vfs_root, 0, &dir) < 0)
        panic("mqueue: no /dev/mqueue to mount on");
    vfs_mount(dir, mqueue_fs_root());
    inode_put(dir);
}

struct inode *mqueue_fs_root(void)
{
    if (!mqueue_root) {
        mqueue_root = inode_alloc(MQUEUE_DEV, S_IFDIR | 01777, &mqueue_dir_ops, &mqueue_dir_fops);
        if (!mqueue_root)
            panic("mqueue: out of memory");
        mqueue_root->nlink = 2;
    }
    return mqueue_root;
}

/* --- mq_open, mq_unlink --------------------------------------------------- */

static long name_from_user(char name[MQ_NAME_MAX + 1], const char *user_name)
{
    long length = strncpy_from_user(name, user_name, MQ_NAME_MAX + 1);
    if (length < 0)
        return length; /* -EFAULT, or -ENAMETOOLONG past 255 bytes */
    if (length == 0)
        return -ENOENT;
    if (strchr(name, '/'))
        return -EACCES; /* Linux: a name is one component */
    return 0;
}

static struct mqueue *queue_create(const char *name, u32 mode, const struct mq_attr *attr,
                                   long *error)
{
    i64 maxmsg = attr ? attr->mq_maxmsg : MQ_DEFAULT_MAXMSG;
    i64 msgsize = attr ? attr->mq_msgsize : MQ_DEFAULT_MSGSIZE;
    if (maxmsg <= 0 || msgsize <= 0 || maxmsg > MQ_HARD_MAXMSG || msgsize > MQ_HARD_MSGSIZE) {
        *error = -EINVAL;
        return NULL;
    }
    if (queue_count >= MQ_MAX_QUEUES) {
        *error = -ENOSPC;
        return NULL;
    }
    struct mqueue *q = kzalloc(sizeof *q);
    struct inode *inode = inode_alloc(MQUEUE_DEV, S_IFREG | (mode & 07777 & ~current->umask),
                                      &mqueue_file_ops, &mqueue_fops);
    if (!q || !inode) {
        kfree(q);
        if (inode)
            inode_put(inode);
        *error = -ENOMEM;
        return NULL;
    }
    strlcpy(q->name, name, sizeof q->name);
    q->inode = inode;
    q->maxmsg = maxmsg;
    q->msgsize = msgsize;
    list_init(&q->messages);
    wait_queue_init(&q->readers);
    sleep_lock_init(&q->receive_lock, "mq_receive");
    wait_queue_init(&q->writers);
    inode->data = q;
    inode->nlink = 1;
    list_push_back(&queues, &q->node); /* the directory keeps inode's first reference */
    queue_count++;
    return q;
}

long sys_mq_open(const char *user_name, int flags, u32 mode, const void *user_attr)
{
    char name[MQ_NAME_MAX + 1];
    long error = name_from_user(name, user_name);
    if (error)
        return error;
    struct mq_attr attr;
    if ((flags & O_CREAT) && user_attr && copy_from_user(&attr, user_attr, sizeof attr) < 0)
        return -EFAULT;
    if ((flags & O_ACCMODE) == O_ACCMODE)
        return -EINVAL;
    bool irq = irq_save();
    struct mqueue *q = queue_by_name(name);
    if (q && (flags & O_CREAT) && (flags & O_EXCL))
        error = -EEXIST;
    else if (!q && !(flags & O_CREAT))
        error = -ENOENT;
    else if (!q)
        q = queue_create(name, mode, user_attr ? &attr : NULL, &error);
    if (q && !error)
        inode_get(q->inode); /* for the open file */
    irq_restore(irq);
    if (error)
        return error;
    long open_error;
    struct file *file =
        file_open_inode(q->inode, (u32)flags & (O_ACCMODE | O_NONBLOCK), NULL, &open_error);
    inode_put(q->inode); /* the file holds its own */
    if (!file)
        return open_error;
    int fd = fd_install(file, 0, true); /* close-on-exec, as Linux */
    if (fd < 0)
        file_put(file);
    return fd;
}

long sys_mq_unlink(const char *user_name)
{
    char name[MQ_NAME_MAX + 1];
    long error = name_from_user(name, user_name);
    return error ? error : mqueue_unlink(mqueue_fs_root(), name);
}

/* --- sending and receiving ---------------------------------------------------- */

/* The deadline (jiffies) for an absolute CLOCK_REALTIME timeout; 0: none. */
static long deadline_from_user(const void *abs_timeout, u64 *deadline)
{
    *deadline = 0;
    if (!abs_timeout)
        return 0;
    i64 abs_ns;
    long error = timespec_from_user(abs_timeout, &abs_ns);
    if (error)
        return error;
    u64 now = realtime_ns();
    *deadline = (u64)abs_ns > now ? deadline_after_ns((u64)abs_ns - now) : jiffies;
    if (*deadline == 0)
        *deadline = 1;
    return 0;
}

static void notify_arrival(struct mqueue *q)
{
    if (!q->notify_pid || q->receivers_waiting)
        return;
    struct proc *p = proc_find(q->notify_pid);
    if (p && q->notify.notify == SIGEV_SIGNAL) {
        struct pending_info info = {
            .code = SI_MESGQ, .pid = current->pid, .value = q->notify.value};
        signal_send(p, q->notify.signo, &info);
    }
    q->notify_pid = 0; /* one notification per registration */
}

static long queue_send(struct mqueue *q, struct file *file, const void *user_msg, size_t size,
                       u32 priority, const void *abs_timeout)
{
    if (priority >= MQ_PRIO_MAX)
        return -EINVAL;
    if ((i64)size > q->msgsize)
        return -EMSGSIZE;
    struct message *m = kmalloc(sizeof *m + size);
    if (!m)
        return -ENOMEM;
    if (copy_from_user(m->data, user_msg, size) < 0) {
        kfree(m);
        return -EFAULT;
    }
    m->priority = priority;
    m->size = size;
    list_node_init(&m->node);
    u64 deadline = 0;
    long result = 0;
    bool irq = irq_save();
    while (q->count >= q->maxmsg) {
        if (file->flags & O_NONBLOCK) {
            result = -EAGAIN;
            break;
        }
        if (!deadline && abs_timeout && (result = deadline_from_user(abs_timeout, &deadline)))
            break;
        int error = sleep_on(&q->writers, "mq_send", deadline);
        if (error) {
            result = error == -ETIMEDOUT ? -ETIMEDOUT : -ERESTARTSYS;
            break;
        }
    }
    if (result == 0) {
        /* After every message of the same or a higher priority. */
        struct message *after;
        list_for_each_entry (after, &q->messages, node)
            if (after->priority < priority)
                break;
        list_insert_before(&after->node, &m->node);
        bool was_empty = q->count == 0;
        q->count++;
        q->bytes += size;
        m = NULL;
        if (was_empty)
            notify_arrival(q);
        wake_up(&q->readers);
    }
    irq_restore(irq);
    kfree(m);
    return result;
}

static long queue_receive(struct mqueue *q, struct file *file, void *user_buf, size_t size,
                          u32 *user_priority, const void *abs_timeout)
{
    if ((i64)size < q->msgsize)
        return -EMSGSIZE;
    u64 deadline = 0;
    for (;;) {
        long result = 0;
        bool irq = irq_save();
        while (q->count == 0) {
            if (file->flags & O_NONBLOCK) {
                result = -EAGAIN;
                break;
            }
            if (!deadline && abs_timeout && (result = deadline_from_user(abs_timeout, &deadline)))
                break;
            q->receivers_waiting++;
            int error = sleep_on(&q->readers, "mq_receive", deadline);
            q->receivers_waiting--;
            if (error) {
                result = error == -ETIMEDOUT ? -ETIMEDOUT : -ERESTARTSYS;
                break;
            }
        }
        irq_restore(irq);
        if (result)
            return result;
        sleep_lock_acquire(&q->receive_lock);
        if (q->count == 0) { /* another receiver took it while we waited for the lock */
            sleep_lock_release(&q->receive_lock);
            continue;
        }
        /* Copy out before taking the message off: a bad buffer loses nothing. */
        struct message *m = list_first_entry(&q->messages, struct message, node);
        if (copy_to_user(user_buf, m->data, m->size) < 0 ||
            (user_priority && copy_to_user(user_priority, &m->priority, sizeof m->priority) < 0)) {
            result = -EFAULT;
        } else {
            irq = irq_save();
            list_remove(&m->node);
            q->count--;
            q->bytes -= m->size;
            irq_restore(irq);
            result = (long)m->size;
            kfree(m);
            wake_up(&q->writers);
        }
        sleep_lock_release(&q->receive_lock);
        return result;
    }
}

/* Both may sleep (for room or a message, or in a copy whose page is on
 * swap): a thread sharing our descriptors must not free the queue by closing
 * the descriptor meanwhile, so the file is pinned for the call. */
long sys_mq_timedsend(int fd, const void *user_msg, size_t size, u32 priority,
                      const void *abs_timeout)
{
    struct file *file;
    struct mqueue *q = queue_of_fd(fd, &file);
    if (!q || (file->flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    file_get(file);
    long result = queue_send(q, file, user_msg, size, priority, abs_timeout);
    file_put(file);
    return result;
}

long sys_mq_timedreceive(int fd, void *user_buf, size_t size, u32 *user_priority,
                         const void *abs_timeout)
{
    struct file *file;
    struct mqueue *q = queue_of_fd(fd, &file);
    if (!q || (file->flags & O_ACCMODE) == O_WRONLY)
        return -EBADF;
    file_get(file);
    long result = queue_receive(q, file, user_buf, size, user_priority, abs_timeout);
    file_put(file);
    return result;
}

/* --- notification and attributes ---------------------------------------------- */

long sys_mq_notify(int fd, const void *user_sigevent)
{
    struct file *file;
    struct mqueue *q = queue_of_fd(fd, &file);
    if (!q)
        return -EBADF;
    struct mq_sigevent event;
    if (user_sigevent) {
        if (copy_from_user(&event, user_sigevent, sizeof event) < 0)
            return -EFAULT;
        if (event.notify == SIGEV_THREAD)
            return -EINVAL; /* needs a helper thread; sprout has no threads yet */
        if (event.notify != SIGEV_SIGNAL && event.notify != SIGEV_NONE)
            return -EINVAL;
        if (event.notify == SIGEV_SIGNAL && (event.signo < 1 || event.signo > NSIG))
            return -EINVAL;
    }
    long result = 0;
    bool irq = irq_save();
    if (!user_sigevent) {
        if (q->notify_pid == current->pid)
            q->notify_pid = 0;
    } else if (q->notify_pid && q->notify_pid != current->pid && proc_find(q->notify_pid)) {
        result = -EBUSY;
    } else {
        q->notify_pid = current->pid;
        q->notify = event;
    }
    irq_restore(irq);
    return result;
}

long sys_mq_getsetattr(int fd, const void *user_new, void *user_old)
{
    struct file *file;
    struct mqueue *q = queue_of_fd(fd, &file);
    if (!q)
        return -EBADF;
    struct mq_attr new_attr;
    if (user_new) {
        if (copy_from_user(&new_attr, user_new, sizeof new_attr) < 0)
            return -EFAULT;
        if (new_attr.mq_flags & ~(i64)O_NONBLOCK)
            return -EINVAL;
    }
    struct mq_attr old = {.mq_flags = file->flags & O_NONBLOCK,
                          .mq_maxmsg = q->maxmsg,
                          .mq_msgsize = q->msgsize,
                          .mq_curmsgs = q->count};
    if (user_old && copy_to_user(user_old, &old, sizeof old) < 0)
        return -EFAULT;
    if (user_new)
        file->flags = (file->flags & ~(u32)O_NONBLOCK) | ((u32)new_attr.mq_flags & O_NONBLOCK);
    return 0;
}
