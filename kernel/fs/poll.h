/*
 * poll.h - waiting for any of several files at once (poll, and the wait
 * behind blocking reads of pipes and terminals).
 *
 * A file's ->poll(file, table) reports which events hold now and, when a
 * table is given, calls poll_wait() for each wait queue that will announce
 * a change.  sys_poll() then sleeps until one of those queues is woken.
 */
#ifndef KERNEL_FS_POLL_H
#define KERNEL_FS_POLL_H

#include "sched/wait.h"

struct pollfd { /* Linux's struct pollfd */
    i32 fd;
    i16 events;
    i16 revents;
};

struct poll_table {
    int count, capacity;
    /* Optional: the waiters registered get this wake function and private
     * pointer instead of waking the current process (epoll's persistent
     * registrations, see struct waiter). */
    void (*wake)(struct waiter *waiter);
    void *private;
    struct poll_entry {
        struct wait_queue *queue;
        struct waiter waiter;
    } * entries;
};

/* Register the current process on `queue` for this poll (NULL table: do nothing). */
void poll_wait(struct poll_table *table, struct wait_queue *queue);
/* Take the process off every queue it registered on, and free the entries. */
void poll_table_release(struct poll_table *table);

/* Wait until one of the (kernel copies of) fds is ready: at once if no_wait,
 * else until `deadline` (jiffies; 0: no limit).  Sets revents; returns how
 * many are ready, 0 at the deadline, or -ERESTARTNOHAND for a signal.
 * Used by poll, ppoll, select and pselect6.  May sleep. */
long poll_kernel(struct pollfd *fds, u64 nfds, bool no_wait, u64 deadline);

/* ppoll's and pselect6's temporary signal mask: read it (NULL: none; the
 * size must be 8), install it for the wait, and put the old one back --
 * after the handler when the wait was interrupted. */
long poll_sigmask_from_user(const void *sigmask, size_t sigsetsize, u64 *mask);
void poll_sigmask_set(u64 mask);
void poll_sigmask_restore(long result);

long sys_poll(void *fds, u64 nfds, int timeout_ms);
long sys_ppoll(void *fds, u64 nfds, const void *timeout, const void *sigmask, size_t sigsetsize);
/* select.c */
long sys_select(int n, void *in, void *out, void *ex, void *timeout);
long sys_pselect6(int n, void *in, void *out, void *ex, void *timeout, void *sig);

#endif
