/*
 * epoll.h - waiting on many descriptors with a kernel-side interest list
 * (epoll_create1, epoll_ctl, epoll_wait, epoll_pwait), and eventfd.
 */
#ifndef KERNEL_NET_EPOLL_H
#define KERNEL_NET_EPOLL_H

#include "kernel/types.h"

struct file;

/* epoll events (Linux values) beyond POLLIN/POLLOUT/... and the flags */
#define EPOLLRDHUP 0x2000
#define EPOLLEXCLUSIVE (1u << 28)
#define EPOLLWAKEUP (1u << 29)
#define EPOLLONESHOT (1u << 30)
#define EPOLLET (1u << 31)
#define EPOLL_CLOEXEC 02000000
#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3

/* file_put() calls this when a file with epoll_watchers > 0 is closed for
 * the last time: every epoll instance forgets it.  Must not sleep. */
void epoll_file_closed(struct file *file);

long sys_epoll_create(int size);
long sys_epoll_create1(int flags);
long sys_epoll_ctl(int epfd, int op, int fd, const void *user_event);
long sys_epoll_wait(int epfd, void *user_events, int maxevents, int timeout_ms);
long sys_epoll_pwait(int epfd, void *user_events, int maxevents, int timeout_ms,
                     const void *sigmask, size_t sigsetsize);

/* eventfd.c: a counter as a file (read takes it, write adds to it) */
#define EFD_SEMAPHORE 1
#define EFD_CLOEXEC 02000000
#define EFD_NONBLOCK 00004000
long sys_eventfd(u32 initval);
long sys_eventfd2(u32 initval, int flags);

#endif
