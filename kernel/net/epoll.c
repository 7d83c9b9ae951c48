/*
 * epoll.c - an interest list kept in the kernel, so that a server with
 * thousands of connections does not hand them all to poll() on every turn.
 *
 *   epoll file --> struct epoll: items (one per watched (file, fd)), wait
 *                     |
 *                     +--> epitem: events wanted, user data, triggered
 *                            |
 *                            +--> poll_table: waiters on the file's wait
 *                                 queues, whose wake() sets `triggered` and
 *                                 wakes epoll_wait
 *
 * epoll_ctl(ADD) asks the file's ->poll once with a poll_table whose
 * waiters stay registered (their wake function is item_woken).  epoll_wait
 * then asks each item's file which events hold now:
 *   level-triggered  an item is reported while its events hold;
 *   edge-triggered   only if the file announced a change since the item was
 *                    last reported (`triggered`);
 *   EPOLLONESHOT     once, then disabled until EPOLL_CTL_MOD re-arms it.
 * Reported items move to the back of the list, so a small maxevents still
 * visits every ready item in turn.
 */
#include "kernel/net/epoll.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/poll.h"
#include "kernel/fs/vfs.h"
#include "kernel/list.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/kheap.h"
#include "proc/proc.h"
#include "sched/wait.h"

#define EPOLL_MAX_EVENTS (0x7fffffff / 12) /* Linux's bound on maxevents */

struct epoll_event { /* Linux's, packed on x86-64: 12 bytes */
    u32 events;
    u64 data;
} __attribute__((packed));

struct epoll {
    struct list items;
    struct wait_queue wait; /* epoll_wait sleepers, and pollers of the epoll file itself */
    u64 wakeups;            /* changes seen by item_woken; a sleeper sleeps only if unchanged */
};

struct epitem {
    struct list_node node;     /* on epoll.items */
    struct list_node all_node; /* on all_items, for epoll_file_closed */
    struct epoll *ep;
    struct file *file; /* not referenced: closing the file removes the item */
    int fd;
    u32 events; /* wanted, with EPOLLET / EPOLLONESHOT */
    u64 data;
    bool triggered; /* edge-triggered: a change was announced since the last report */
    bool disabled;  /* EPOLLONESHOT fired */
    struct poll_table table;
};

static struct list all_items = LIST_INIT(all_items);
static const struct file_ops epoll_fops;

static struct epoll *epoll_of(struct file *file)
{
    return file && file->ops == &epoll_fops ? file->private : NULL;
}

/* A watched file's wait queue was woken (interrupts are off). */
static void item_woken(struct waiter *waiter)
{
    struct epitem *item = waiter->private;
    item->triggered = true;
    item->ep->wakeups++;
    wake_up(&item->ep->wait);
}

static u32 item_ready(struct epitem *item)
{
    u32 events = item->file->ops->poll(item->file, NULL);
    return events & (item->events | POLLERR | POLLHUP);
}

static void item_free(struct epitem *item)
{
    poll_table_release(&item->table);
    list_remove(&item->node);
    list_remove(&item->all_node);
    item->file->epoll_watchers--;
    kfree(item);
}

void epoll_file_closed(struct file *file)
{
    struct epitem *item, *next;
    list_for_each_entry_safe (item, next, &all_items, all_node)
        if (item->file == file)
            item_free(item);
}

/* --- the epoll file ------------------------------------------------------------------- */

static u32 epoll_poll(struct file *file, struct poll_table *table)
{
    struct epoll *ep = file->private;
    poll_wait(table, &ep->wait);
    struct epitem *item;
    list_for_each_entry (item, &ep->items, node)
        if (!item->disabled && item_ready(item) && (!(item->events & EPOLLET) || item->triggered))
            return POLLIN | POLLRDNORM;
    return 0;
}

static void epoll_release(struct file *file)
{
    struct epoll *ep = file->private;
    while (!list_empty(&ep->items))
        item_free(list_entry(ep->items.head.next, struct epitem, node));
    wake_up(&ep->wait);
    kfree(ep);
}

static const struct file_ops epoll_fops = {
    .poll = epoll_poll,
    .release = epoll_release,
    .seekable = false,
};

static const struct inode_ops epoll_inode_ops = {0};

long sys_epoll_create1(int flags)
{
    if (flags & ~EPOLL_CLOEXEC)
        return -EINVAL;
    struct epoll *ep = kzalloc(sizeof *ep);
    struct inode *inode =
        ep ? inode_alloc(ANON_INODE_DEV, 0600, &epoll_inode_ops, &epoll_fops) : NULL;
    if (!inode) {
        kfree(ep);
        return -ENOMEM;
    }
    inode->ino = vfs_next_ino();
    list_init(&ep->items);
    wait_queue_init(&ep->wait);
    long error;
    struct file *file = file_open_inode(inode, O_RDWR, "anon_inode:[eventpoll]", &error);
    inode_put(inode);
    if (!file) {
        kfree(ep);
        return error;
    }
    file->private = ep;
    int fd = fd_install(file, 0, flags & EPOLL_CLOEXEC);
    if (fd < 0)
        file_put(file);
    return fd;
}

long sys_epoll_create(int size) { return size <= 0 ? -EINVAL : sys_epoll_create1(0); }

/* --- epoll_ctl -------------------------------------------------------------------------- */

static struct epitem *find_item(struct epoll *ep, struct file *file, int fd)
{
    struct epitem *item;
    list_for_each_entry (item, &ep->items, node)
        if (item->file == file && item->fd == fd)
            return item;
    return NULL;
}

/* Would watching `target` from `ep` make a loop (epoll instances watching each other)? */
static bool makes_loop(struct epoll *ep, struct epoll *target, int depth)
{
    if (target == ep || depth > 4)
        return true; /* Linux also refuses nesting deeper than a few levels */
    struct epitem *item;
    list_for_each_entry (item, &target->items, node) {
        struct epoll *inner = epoll_of(item->file);
        if (inner && makes_loop(ep, inner, depth + 1))
            return true;
    }
    return false;
}

static long item_add(struct epoll *ep, struct file *file, int fd, const struct epoll_event *ev)
{
    struct epitem *item = kzalloc(sizeof *item);
    if (!item)
        return -ENOMEM;
    item->ep = ep;
    item->file = file;
    item->fd = fd;
    item->events = ev->events;
    item->data = ev->data;
    item->triggered = true; /* what holds now counts as a change */
    item->table.wake = item_woken;
    item->table.private = item;
    list_push_back(&ep->items, &item->node);
    list_push_back(&all_items, &item->all_node);
    file->epoll_watchers++;
    file->ops->poll(file, &item->table); /* stays registered until the item goes */
    if (item_ready(item)) {
        ep->wakeups++;
        wake_up(&ep->wait);
    }
    return 0;
}

long sys_epoll_ctl(int epfd, int op, int fd, const void *user_event)
{
    /* The event first, as Linux: the copy may sleep (a page on swap), and
     * another thread could close either descriptor meanwhile. */
    struct epoll_event ev = {0};
    if (op != EPOLL_CTL_DEL && copy_from_user(&ev, user_event, sizeof ev))
        return -EFAULT;
    struct file *epfile = fd_get(epfd), *file = fd_get(fd);
    if (!epfile || !file)
        return -EBADF;
    struct epoll *ep = epoll_of(epfile);
    if (!ep || file == epfile)
        return -EINVAL;
    if (!file->ops || !file->ops->poll)
        return -EPERM; /* regular files are always ready: Linux refuses them */
    if ((ev.events & EPOLLEXCLUSIVE) && op != EPOLL_CTL_ADD)
        return -EINVAL;
    struct epitem *item = find_item(ep, file, fd);
    switch (op) {
    case EPOLL_CTL_ADD:
        if (item)
            return -EEXIST;
        if (epoll_of(file) && makes_loop(ep, epoll_of(file), 0))
            return -ELOOP;
        return item_add(ep, file, fd, &ev);
    case EPOLL_CTL_DEL:
        if (!item)
            return -ENOENT;
        item_free(item);
        return 0;
    case EPOLL_CTL_MOD:
        if (!item)
            return -ENOENT;
        item->events = ev.events;
        item->data = ev.data;
        item->disabled = false; /* re-arms EPOLLONESHOT */
        item->triggered = true;
        if (item_ready(item)) {
            ep->wakeups++;
            wake_up(&ep->wait);
        }
        return 0;
    default:
        return -EINVAL;
    }
}

/* --- epoll_wait -------------------------------------------------------------------------- */

/* Collect up to max ready events into out[]; their items move to the back. */
static int collect(struct epoll *ep, struct epoll_event *out, int max)
{
    int n = 0;
    struct list reported = LIST_INIT(reported);
    struct epitem *item, *next;
    list_for_each_entry_safe (item, next, &ep->items, node) {
        if (n == max)
            break;
        if (item->disabled)
            continue;
        u32 events = item_ready(item);
        if (!events || ((item->events & EPOLLET) && !item->triggered))
            continue;
        out[n++] = (struct epoll_event){events, item->data};
        item->triggered = false;
        if (item->events & EPOLLONESHOT)
            item->disabled = true;
        list_remove(&item->node);
        list_push_back(&reported, &item->node);
    }
    while (!list_empty(&reported)) {
        struct list_node *node = reported.head.next;
        list_remove(node);
        list_push_back(&ep->items, node);
    }
    return n;
}

long sys_epoll_wait(int epfd, void *user_events, int maxevents, int timeout_ms)
{
    struct file *file = fd_get(epfd);
    if (!file)
        return -EBADF;
    struct epoll *ep = epoll_of(file);
    if (!ep || maxevents <= 0 || maxevents > EPOLL_MAX_EVENTS)
        return -EINVAL;
    if (!user_range_ok(user_events, (size_t)maxevents * sizeof(struct epoll_event)))
        return -EFAULT;
    int max = MIN(maxevents, 256); /* one call reports at most this many */
    struct epoll_event *events = kmalloc((size_t)max * sizeof *events);
    if (!events)
        return -ENOMEM;
    u64 deadline = timeout_ms > 0 ? deadline_after_ns((u64)timeout_ms * 1000000) : 0;
    file_get(file); /* another thread's close must not free ep under us */
    long result;
    for (;;) {
        u64 seen = ep->wakeups;
        result = collect(ep, events, max);
        if (result > 0 || timeout_ms == 0)
            break;
        if (deadline && jiffies >= deadline)
            break;
        bool irq = irq_save();
        int error = 0;
        if (ep->wakeups == seen)
            error = sleep_on(&ep->wait, "epoll_wait", deadline);
        irq_restore(irq);
        if (error == -EINTR) {
            result = -EINTR; /* epoll_wait is never restarted, as on Linux */
            break;
        }
    }
    if (result > 0 && copy_to_user(user_events, events, (size_t)result * sizeof *events))
        result = -EFAULT;
    file_put(file);
    kfree(events);
    return result;
}

long sys_epoll_pwait(int epfd, void *user_events, int maxevents, int timeout_ms,
                     const void *sigmask, size_t sigsetsize)
{
    u64 mask;
    long error = poll_sigmask_from_user(sigmask, sigsetsize, &mask);
    if (error)
        return error;
    if (sigmask)
        poll_sigmask_set(mask);
    long result = sys_epoll_wait(epfd, user_events, maxevents, timeout_ms);
    if (sigmask)
        poll_sigmask_restore(result == -EINTR ? -ERESTARTNOHAND : result);
    return result;
}
