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

struct poll_table {
    int count, capacity;
    struct poll_entry {
        struct wait_queue *queue;
        struct waiter waiter;
    } *entries;
};

/* Register the current process on `queue` for this poll (NULL table: do nothing). */
void poll_wait(struct poll_table *table, struct wait_queue *queue);
/* Take the process off every queue it registered on, and free the entries. */
void poll_table_release(struct poll_table *table);

long sys_poll(void *fds, u64 nfds, int timeout_ms);
long sys_ppoll(void *fds, u64 nfds, const void *timeout, const void *sigmask, size_t sigsetsize);

#endif
