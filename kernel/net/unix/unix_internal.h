/*
 * unix_internal.h - the AF_UNIX socket's private data, shared by
 * af_unix.c (names, connections, lifetime) and unix_msg.c (data, SCM_RIGHTS).
 *
 *   client                        listener (bound to "/tmp/s")
 *   unix_sock --peer--> embryo <-- accept_queue  (connect made the embryo;
 *       ^                |                        accept() hands it out)
 *       +------peer------+
 *
 * A message in flight is a struct unix_skb on the *receiver's* queue: a
 * stream write appends one, a read consumes bytes from the front.
 */
#ifndef KERNEL_NET_UNIX_UNIX_INTERNAL_H
#define KERNEL_NET_UNIX_UNIX_INTERNAL_H

#include "kernel/list.h"
#include "kernel/net/socket.h"

#define UNIX_PATH_MAX 108
#define UNIX_DGRAM_QLEN 64 /* datagrams queued per receiver (Linux: max_dgram_qlen 512) */
#define SCM_MAX_FD 253     /* descriptors per SCM_RIGHTS message, as Linux */

struct sockaddr_un {
    sa_family_t sun_family;
    char sun_path[UNIX_PATH_MAX];
};

struct unix_skb {
    struct list_node node;
    u64 len, consumed;       /* bytes in data[], bytes already read (streams) */
    u64 capacity;            /* bytes data[] has room for */
    struct ucred creds;      /* the sender's */
    struct sockaddr_un from; /* the sender's name (datagrams) */
    int fromlen;
    int nfiles;
    struct file **files; /* SCM_RIGHTS in flight: one reference each */
    u8 data[];
};

struct unix_sock {
    struct socket *sock;
    struct unix_sock *peer; /* stream: the other end; dgram: the default destination */
    bool peer_gone;         /* had a stream peer that closed: EOF / EPIPE */
    struct ucred peer_creds;
    bool has_peer_creds;

    /* The bound name (addrlen 0: none).  A path name also holds its inode. */
    struct sockaddr_un addr;
    int addrlen;
    struct inode *path_inode;
    struct list_node bound_node; /* on the list of bound sockets */
    u32 net_inum; /* its creator's network namespace: abstract names are per namespace */

    /* Data waiting to be read. */
    struct list queue; /* struct unix_skb */
    u64 queued_bytes;
    int queued_count;
    /* A stream skb a read emptied, kept for the next write to this socket:
     * a bulk writer's 64 KiB pieces cost the heap a search of the frame
     * allocator's bitmap and two poisonings of every byte each. */
    struct unix_skb *spare;

    /* Listening: connections not yet accepted (embryos' queue_node). */
    struct list accept_queue;
    int backlog, pending;
    struct list_node queue_node;
    struct unix_sock *listener; /* an embryo: whose queue it is on */
};

static inline struct unix_sock *unix_of(struct socket *sock) { return sock->private; }

extern const struct proto_ops unix_stream_ops, unix_dgram_ops;

/* unix_msg.c */
long unix_sendmsg(struct socket *sock, struct socket_msg *msg);
long unix_recvmsg(struct socket *sock, struct socket_msg *msg);
void unix_skb_free(struct unix_skb *skb);
/* af_unix.c: the bound socket named addr, or NULL with *error set
 * (-ENOENT for a missing path, -ECONNREFUSED for an unused name...). */
struct unix_sock *unix_find(const struct sockaddr *addr, int addrlen, int *error);
int unix_autobind(struct unix_sock *u);

#endif
