/*
 * socket_internal.h - helpers shared by the socket layer's own files
 * (socket.c, socket_msg.c) and the epoll/proc code; families use socket.h.
 */
#ifndef KERNEL_NET_SOCKET_INTERNAL_H
#define KERNEL_NET_SOCKET_INTERNAL_H

#include "kernel/net/socket.h"

struct file;

/* The socket behind descriptor fd (no reference), or NULL with *error
 * set to -EBADF / -ENOTSOCK. */
struct socket *socket_lookup(int fd, long *error);
/* Wrap a socket (holding its one inode reference) in a file and install a
 * descriptor; flags: SOCK_NONBLOCK | SOCK_CLOEXEC.  The descriptor, or
 * -errno (the socket is freed then). */
int socket_install(struct socket *sock, u32 flags);
/* Is the socket's file in non-blocking mode? */
bool socket_nonblocking(const struct socket *sock);

/* Copy a user sockaddr of addrlen bytes in (-EINVAL for a bad length,
 * -EFAULT), and one out: at most *user_addrlen bytes, then the full length
 * into *user_addrlen. */
long socket_addr_from_user(struct sockaddr_storage *addr, const void *user_addr, int addrlen);
long socket_addr_to_user(const struct sockaddr_storage *addr, int len, void *user_addr,
                         int *user_addrlen);

/* One send (write) or receive (read) of the iovecs with MSG_* flags;
 * msg_out (may be NULL) receives the name/flags a recvmsg reports.
 * Handles O_NONBLOCK, SIGPIPE and restarts. */
long socket_transfer(struct file *file, struct user_iovec *iov, int iovcnt, int flags, bool sending,
                     struct socket_msg *msg_out);

#endif
