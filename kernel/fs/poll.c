/* poll.c - sleep until one of several files is ready (see poll.h). */
#include "kernel/fs/poll.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/param.h"
#include "kernel/sys_time.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/kheap.h"
#include "proc/proc.h"

void poll_wait(struct poll_table *table, struct wait_queue *queue)
{
    if (!table)
        return;
    if (table->count == table->capacity) {
        int capacity = MAX(table->capacity * 2, 8);
        struct poll_entry *entries = kmalloc((size_t)capacity * sizeof *entries);
        if (!entries)
            return; /* we will poll again after the timeout or another wakeup */
        /* Move the registered waiters: their list nodes must be relinked. */
        bool irq = irq_save();
        for (int i = 0; i < table->count; i++) {
            entries[i] = table->entries[i];
            list_remove(&table->entries[i].waiter.node);
            list_push_back(&entries[i].queue->waiters, &entries[i].waiter.node);
        }
        irq_restore(irq);
        kfree(table->entries);
        table->entries = entries;
        table->capacity = capacity;
    }
    struct poll_entry *e = &table->entries[table->count++];
    e->queue = queue;
    e->waiter.proc = current;
    e->waiter.wake = table->wake;
    e->waiter.private = table->private;
    bool irq = irq_save();
    list_push_back(&queue->waiters, &e->waiter.node);
    irq_restore(irq);
}

void poll_table_release(struct poll_table *table)
{
    bool irq = irq_save();
    for (int i = 0; i < table->count; i++)
        list_remove(&table->entries[i].waiter.node);
    irq_restore(irq);
    kfree(table->entries);
    table->entries = NULL;
    table->count = table->capacity = 0;
}

/* Check every descriptor once; register on wait queues when `table` is given. */
static int poll_once(struct pollfd *fds, u64 nfds, struct poll_table *table)
{
    int ready = 0;
    for (u64 i = 0; i < nfds; i++) {
        fds[i].revents = 0;
        if (fds[i].fd < 0)
            continue; /* ignored, by definition */
        struct file *file = fd_get(fds[i].fd);
        u32 events;
        if (!file)
            events = POLLNVAL;
        else if (file->ops && file->ops->poll)
            events = file->ops->poll(file, table);
        else
            events = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM; /* regular files never block */
        events &= (u32)(u16)fds[i].events | POLLERR | POLLHUP | POLLNVAL;
        fds[i].revents = (i16)events;
        if (events)
            ready++;
    }
    return ready;
}

long poll_kernel(struct pollfd *fds, u64 nfds, bool no_wait, u64 deadline)
{
    struct poll_table table = {0};
    long result;
    for (;;) {
        result = poll_once(fds, nfds, no_wait ? NULL : &table);
        if (result > 0 || no_wait)
            break;
        if (deadline && jiffies >= deadline)
            break;
        bool irq = irq_save();
        int error = sleep_on(NULL, "poll", deadline); /* any registered queue wakes us */
        irq_restore(irq);
        poll_table_release(&table);
        if (error == -EINTR) {
            result = -ERESTARTNOHAND;
            break;
        }
    }
    poll_table_release(&table);
    return result;
}

static long do_poll(void *user_fds, u64 nfds, i64 timeout_ms)
{
    if (nfds > current->rlimits[RLIMIT_NOFILE].cur)
        return -EINVAL;
    size_t bytes = nfds * sizeof(struct pollfd);
    struct pollfd *fds = kmalloc(bytes ? bytes : 1);
    if (!fds)
        return -ENOMEM;
    if (copy_from_user(fds, user_fds, bytes) < 0) {
        kfree(fds);
        return -EFAULT;
    }
    u64 deadline = timeout_ms > 0 ? deadline_after_ns((u64)timeout_ms * 1000000) : 0;
    long result = poll_kernel(fds, nfds, timeout_ms == 0, deadline);
    if (result >= 0 && copy_to_user(user_fds, fds, bytes) < 0)
        result = -EFAULT;
    kfree(fds);
    return result;
}

long sys_poll(void *fds, u64 nfds, int timeout_ms) { return do_poll(fds, nfds, timeout_ms); }

long poll_sigmask_from_user(const void *sigmask, size_t sigsetsize, u64 *mask)
{
    if (!sigmask)
        return 0;
    if (sigsetsize != 8)
        return -EINVAL;
    return copy_from_user(mask, sigmask, 8) < 0 ? -EFAULT : 0;
}

void poll_sigmask_set(u64 mask)
{
    struct signal_state *s = &current->signals;
    s->saved_mask = s->blocked;
    s->restore_saved_mask = true;
    s->blocked = mask & ~(SIGMASK(SIGKILL) | SIGMASK(SIGSTOP));
}

void poll_sigmask_restore(long result)
{
    /* Interrupted: the old mask comes back after the handler has run. */
    if (result == -ERESTARTNOHAND)
        return;
    struct signal_state *s = &current->signals;
    s->blocked = s->saved_mask;
    s->restore_saved_mask = false;
}

long sys_ppoll(void *fds, u64 nfds, const void *timeout, const void *sigmask, size_t sigsetsize)
{
    i64 ms = -1;
    if (timeout) {
        i64 ns;
        long error = timespec_from_user(timeout, &ns);
        if (error)
            return error;
        ms = (ns + 999999) / 1000000; /* round up: never wake early */
    }
    u64 mask;
    long error = poll_sigmask_from_user(sigmask, sigsetsize, &mask);
    if (error)
        return error;
    if (sigmask)
        poll_sigmask_set(mask);
    long r = do_poll(fds, nfds, ms);
    if (sigmask)
        poll_sigmask_restore(r);
    return r;
}
