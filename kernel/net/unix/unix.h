/*
 * unix.h - AF_UNIX sockets: local stream, datagram and seqpacket sockets,
 * named by a path in the file system or by an abstract name.
 */
#ifndef KERNEL_NET_UNIX_UNIX_H
#define KERNEL_NET_UNIX_UNIX_H

#include "kernel/types.h"

struct textbuf;

/* Register AF_UNIX with the socket layer (net_init). */
void unix_init(void);

/* /proc/net/unix: one line per AF_UNIX socket, in Linux's format. */
struct proc;
void unix_proc_show(struct textbuf *out, struct proc *p);

#endif
