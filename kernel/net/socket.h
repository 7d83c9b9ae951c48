/*
 * socket.h - the family-independent socket layer: the contract between the
 * socket system calls (kernel/net/socket.c) and each address family
 * (AF_UNIX in kernel/net/unix/, AF_INET in kernel/net/inet/).
 *
 *   fd --> struct file --> inode (S_IFSOCK, SOCKFS_DEV) --> struct socket
 *              (file_ops: socket_fops)                      | type, state
 *                                                           | ops --> proto_ops of the family
 *                                                           | private --> family's own data
 *                                                           | wait (everyone sleeps here)
 *
 * A socket is a file: read/write/close/poll/select/epoll/fstat/dup/fork all
 * work on it through socket_fops, which turn read into ->recvmsg, write into
 * ->sendmsg, poll into ->poll and the last close into ->release.  st_mode is
 * S_IFSOCK and /proc/<pid>/fd/N reads "socket:[ino]" (lsof's type "sock").
 *
 * Who does what:
 *   the socket layer  checks descriptors (EBADF, ENOTSOCK), copies every
 *                     user structure (sockaddr, msghdr, iovec array, control
 *                     data, option values) into the kernel and results back
 *                     out (EFAULT), validates lengths and flags common to all
 *                     families (EINVAL), answers the generic SOL_SOCKET
 *                     options, turns -EPIPE into SIGPIPE unless MSG_NOSIGNAL,
 *                     and makes files and descriptors (SOCK_CLOEXEC,
 *                     SOCK_NONBLOCK, EMFILE).
 *   a family          checks its own address format (EINVAL, EAFNOSUPPORT),
 *                     keeps its state machine, moves data between its
 *                     buffers and the user's iovecs (socket_msg_copy_*), and
 *                     blocks on sock->wait unless told not to.
 *
 * Concurrency: sprout's kernel code is not preempted (sched/sched.h), so a
 * family's code runs undisturbed until it sleeps.  Interrupt handlers (a
 * network card) may run at any time: state they touch must be changed with
 * interrupts off (irq_save/irq_restore), and they may call socket_wake().
 * A family's ops may sleep (WAIT_EVENT on sock->wait) except ->poll and
 * ->release, which must not.
 */
#ifndef KERNEL_NET_SOCKET_H
#define KERNEL_NET_SOCKET_H

#include "kernel/errno.h"
#include "kernel/list.h"
#include "kernel/types.h"
#include "sched/wait.h"

struct file;
struct inode;
struct poll_table;
struct textbuf;

/* Address families (Linux values). */
#define AF_UNSPEC 0
#define AF_UNIX 1
#define AF_LOCAL AF_UNIX
#define AF_INET 2
#define AF_INET6 10
#define AF_NETLINK 16
#define AF_PACKET 17
#define AF_MAX 46

/* Socket types; the flags may be or-ed into socket()'s type argument. */
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define SOCK_SEQPACKET 5
#define SOCK_TYPE_MASK 0xf
#define SOCK_NONBLOCK 00004000 /* = O_NONBLOCK */
#define SOCK_CLOEXEC 02000000  /* = O_CLOEXEC */

/* send/recv flags */
#define MSG_OOB 0x1
#define MSG_PEEK 0x2
#define MSG_DONTROUTE 0x4
#define MSG_CTRUNC 0x8
#define MSG_TRUNC 0x20
#define MSG_DONTWAIT 0x40
#define MSG_EOR 0x80
#define MSG_WAITALL 0x100
#define MSG_NOSIGNAL 0x4000
#define MSG_CMSG_CLOEXEC 0x40000000

/* shutdown() */
#define SHUT_RD 0
#define SHUT_WR 1
#define SHUT_RDWR 2
/* bits of socket.shutdown */
#define RCV_SHUTDOWN 1
#define SEND_SHUTDOWN 2

/* setsockopt levels and SOL_SOCKET options (Linux x86-64 values) */
#define SOL_SOCKET 1
#define SOL_IP 0
#define SOL_TCP 6
#define SOL_UDP 17
#define SO_DEBUG 1
#define SO_REUSEADDR 2
#define SO_TYPE 3
#define SO_ERROR 4
#define SO_DONTROUTE 5
#define SO_BROADCAST 6
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_KEEPALIVE 9
#define SO_OOBINLINE 10
#define SO_LINGER 13
#define SO_REUSEPORT 15
#define SO_PASSCRED 16
#define SO_PEERCRED 17
#define SO_RCVLOWAT 18
#define SO_SNDLOWAT 19
#define SO_RCVTIMEO 20
#define SO_SNDTIMEO 21
#define SO_ACCEPTCONN 30
#define SO_PROTOCOL 38
#define SO_DOMAIN 39

/* Bounds on SO_SNDBUF / SO_RCVBUF (bytes; Linux doubles the value set). */
#define SOCKET_BUFFER_DEFAULT (64 * 1024)
#define SOCKET_BUFFER_MIN 2048
#define SOCKET_BUFFER_MAX (4 * 1024 * 1024)
/* The largest backlog listen() keeps (Linux's somaxconn). */
#define SOCKET_BACKLOG_MAX 4096

/* Linux's struct sockaddr and the largest address (sockaddr_storage). */
typedef u16 sa_family_t;
struct sockaddr {
    sa_family_t sa_family;
    char sa_data[14];
};
#define SOCKADDR_MAX 128
struct sockaddr_storage {
    sa_family_t ss_family;
    char data[SOCKADDR_MAX - sizeof(sa_family_t)];
};

/* Linux's struct ucred (SO_PEERCRED, SCM_CREDENTIALS). */
struct ucred {
    i32 pid;
    u32 uid, gid;
};

/* Linux's struct linger (SO_LINGER). */
struct linger {
    i32 l_onoff, l_linger;
};

/* An iovec as the user gave it: base is a *user* pointer. */
struct user_iovec {
    void *base;
    u64 len;
};

/*
 * One sendmsg/recvmsg (also send, recv, sendto, recvfrom, read, write), as
 * the socket layer hands it to a family.  Everything here is a kernel copy
 * except the iovec bases, which are user pointers: move data with
 * socket_msg_copy_from_user()/socket_msg_copy_to_user(), which walk the
 * iovecs and advance the cursor.
 */
struct socket_msg {
    struct user_iovec *iov; /* kernel copy of the user's iovec array */
    int iovcnt;
    int iov_index; /* cursor: the next byte goes to/from iov[iov_index].base + iov_offset */
    u64 iov_offset;
    u64 length;   /* total bytes in all iovecs (<= SSIZE_MAX, checked) */
    int flags;    /* MSG_*: the caller's flags; MSG_DONTWAIT is set when the file is
                     O_NONBLOCK, so a family tests only this bit */
    u64 deadline; /* jiffies: when a blocking wait gives up (SO_RCVTIMEO / SO_SNDTIMEO);
                     0: never.  SOCKET_WAIT below honours it. */
    /* sendmsg: the destination (namelen 0: none given).
     * recvmsg: the family writes the source here and sets namelen (0: none). */
    struct sockaddr_storage name;
    int namelen;
    /* sendmsg: the ancillary data (kernel copy; NULL/0 when none).
     * recvmsg: a kernel buffer of control_len bytes for the family to fill
     * with cmsgs; it sets control_used.  The layer copies it out. */
    void *control;
    u64 control_len, control_used;
    int out_flags; /* recvmsg: the family sets MSG_TRUNC / MSG_CTRUNC / MSG_EOR */
};

/* Copy up to `size` bytes between a kernel buffer and the message's user
 * iovecs at its cursor, advancing the cursor.  Returns bytes copied (less
 * than size only when the iovecs are full) or -EFAULT if nothing could be
 * copied.  May sleep (page faults, swap-in): see recv_lock in struct socket. */
long socket_msg_copy_from_user(struct socket_msg *msg, void *kernel_dest, u64 size);
long socket_msg_copy_to_user(struct socket_msg *msg, const void *kernel_src, u64 size);
/* Bytes the iovecs can still give or take from the cursor on. */
u64 socket_msg_remaining(const struct socket_msg *msg);

/* Life of a connection-oriented socket, as far as the layer cares.  A
 * family keeps a finer state machine of its own (TCP's) in ->private. */
enum socket_state {
    SS_UNCONNECTED, /* fresh, or bound */
    SS_LISTENING,   /* listen() succeeded */
    SS_CONNECTING,  /* a non-blocking connect is in progress */
    SS_CONNECTED,
    SS_DISCONNECTED, /* was connected; the peer or the family ended it */
};

struct socket;

/*
 * What a family does.  The socket layer calls these with arguments already
 * copied into the kernel and checked as described above.  Return 0 (or a
 * byte count) or -errno (Linux's errno for the situation).  Entries may be
 * NULL: the layer then answers -EOPNOTSUPP (listen/accept on a datagram
 * family, ...), -ENOPROTOOPT (options) or a sensible default (poll).
 */
struct proto_ops {
    int family; /* AF_* */

    /* The last descriptor is closed (or an unaccepted connection is thrown
     * away): tell the peer, free ->private.  Must not sleep; must not fail.
     * The layer frees the struct socket afterwards. */
    void (*release)(struct socket *sock);

    /* addr is a kernel copy of addrlen bytes, 2 <= addrlen <= SOCKADDR_MAX.
     * The family checks addr->sa_family (-EAFNOSUPPORT or -EINVAL as Linux)
     * and the length. -EADDRINUSE when the name is taken, -EINVAL when the
     * socket is already bound. */
    int (*bind)(struct socket *sock, const struct sockaddr *addr, int addrlen);

    /* Connect to addr (as for bind).  Blocks until connected unless
     * nonblock: then -EINPROGRESS and the result is announced through
     * poll (POLLOUT) and SO_ERROR (sock->error).  -ECONNREFUSED when nobody
     * listens, -EISCONN when already connected, -EALREADY when a
     * non-blocking connect is still in progress.  Datagram sockets set
     * their default destination. */
    int (*connect)(struct socket *sock, const struct sockaddr *addr, int addrlen, bool nonblock);

    /* backlog is already clamped to 0..SOCKET_BACKLOG_MAX.  Sets
     * sock->state = SS_LISTENING.  Called again on a listening socket it
     * only changes the backlog. */
    int (*listen)(struct socket *sock, int backlog);

    /* Take the next completed connection off the queue: a socket made
     * with socket_alloc() (no file yet; the layer wraps it in one and
     * installs the descriptor -- if that fails it calls socket_free(),
     * i.e. ->release, on it).  Blocks unless nonblock (-EAGAIN).
     * -EINVAL when sock is not listening. */
    int (*accept)(struct socket *sock, struct socket **accepted, bool nonblock);

    /* Send / receive one message; see struct socket_msg.  Return bytes
     * sent/received (0 for end of file on a stream) or -errno: -EAGAIN
     * when MSG_DONTWAIT and nothing can move, -EPIPE when the sending side
     * is shut down or the peer is gone (the layer raises SIGPIPE),
     * -ENOTCONN, -EDESTADDRREQ, -EMSGSIZE, -ECONNRESET.  Sleep with
     * SOCKET_WAIT(sock, ..., msg->deadline, ...) and, if nothing moved,
     * return what it returns (-EAGAIN at the SO_*TIMEO deadline, -ERESTARTSYS). */
    long (*sendmsg)(struct socket *sock, struct socket_msg *msg);
    long (*recvmsg)(struct socket *sock, struct socket_msg *msg);

    /* how is RCV_SHUTDOWN, SEND_SHUTDOWN or both (bits, already checked).
     * When it returns 0 the layer records it in sock->shutdown; the family
     * tells the peer (FIN) and wakes sleepers.  -ENOTCONN if unconnected
     * (as TCP; AF_UNIX answers 0 there, as Linux). */
    int (*shutdown)(struct socket *sock, int how);

    /* Write the socket's own (peer == false) or its peer's address into
     * *addr; return its length (the layer copies out and truncates), or
     * -ENOTCONN for a peer that is not there. */
    int (*getname)(struct socket *sock, struct sockaddr_storage *addr, bool peer);

    /* Options the layer does not answer itself (any level but SOL_SOCKET,
     * and SOL_SOCKET ones it does not know, e.g. SO_PEERCRED).  The value
     * is a kernel copy of at most 256 bytes; for get, *len holds the
     * buffer size on entry and the length written on return.
     * -ENOPROTOOPT for an unknown option, -EINVAL for a bad length. */
    int (*setsockopt)(struct socket *sock, int level, int name, const void *value, int len);
    int (*getsockopt)(struct socket *sock, int level, int name, void *value, int *len);

    /* Which POLL* events hold now; call poll_wait(table, &sock->wait)
     * (kernel/fs/poll.h) first so poll/select/epoll learn of changes.
     * Must not sleep.  NULL: POLLIN|POLLOUT always. */
    u32 (*poll)(struct socket *sock, struct poll_table *table);

    /* Optional: FIONREAD/SIOCINQ, SIOCOUTQ...; -ENOTTY when unknown. */
    long (*ioctl)(struct socket *sock, u64 command, u64 arg);
};

struct socket {
    /* Fixed at creation: */
    int family, type, protocol; /* type is SOCK_STREAM/DGRAM/SEQPACKET, without flags */
    const struct proto_ops *ops;
    struct inode *inode; /* S_IFSOCK inode; its number is the "socket:[N]" id */

    /* Changed by the family (the layer reads them): */
    enum socket_state state;
    int error;     /* pending asynchronous error as a negative errno (-ECONNREFUSED,
                      -ECONNRESET), 0 if none: SO_ERROR reads and clears it; a
                      family's recvmsg reports it once when no data waits */
    u32 shutdown;  /* RCV_SHUTDOWN | SEND_SHUTDOWN: this end stopped reading/writing */
    void *private; /* the family's data (unix_sock, inet_sock...) */

    /* Owned by the layer (families read them): */
    struct file *file; /* the open file, NULL while waiting in an accept queue.  Its
                          flags' O_NONBLOCK is the authority on blocking mode. */
    bool reuseaddr, keepalive;
    u32 sndbuf, rcvbuf;        /* SO_SNDBUF / SO_RCVBUF (bytes a family should buffer) */
    struct linger linger;      /* SO_LINGER, stored and reported */
    u64 rcvtimeo, sndtimeo;    /* SO_RCVTIMEO / SO_SNDTIMEO in ns; 0: wait forever */
    struct ucred creds;        /* who created it (pid, uid, gid): SO_PEERCRED's source */
    struct list_node all_node; /* on the list socket_for_each() walks */
    bool released;             /* ->release has run */

    /* Everyone who waits on this socket sleeps here: readers, writers,
     * accept, connect, poll/select and epoll.  Call socket_wake() after
     * any change a sleeper might wait for. */
    struct wait_queue wait;

    /* copy_*_user may sleep (a page on swap is read back, or reclaim runs),
     * and while it sleeps another process sharing this socket runs.  A family
     * holds recv_lock from choosing what to read until it has consumed it, and
     * send_lock from measuring the room until it has queued the data, so that
     * no other reader or writer moves the queue under a copy.  Never hold them
     * while waiting for data or room (a non-blocking caller would wait too). */
    struct sleep_lock recv_lock, send_lock;
};

/* A family's constructor: socket() calls it with a zeroed socket whose
 * family, type (flags removed, 0..10) and protocol are set.  It sets sock->ops and sock->private,
 * or returns -EPROTONOSUPPORT / -ESOCKTNOSUPPORT / -ENOMEM.  socketpair() is `create` twice then
 * ->pair (below); a family without socketpair leaves pair NULL (-EOPNOTSUPP). */
struct socket_family {
    int family; /* AF_* */
    const char *name;
    int (*create)(struct socket *sock, int protocol);
    /* Connect two fresh sockets of this family to each other (socketpair). */
    int (*pair)(struct socket *a, struct socket *b);
};

/*
 * Make a family known to socket()/socketpair().  Called once at boot, from
 * net_init() in kernel/net/socket.c (a family adds one line there).  0, or
 * -EEXIST / -EINVAL.
 */
int socket_register_family(const struct socket_family *family);

/* Boot: register the families (AF_UNIX, AF_INET...). */
void net_init(void);

/*
 * A new socket of `family`'s kind without a file (for accept queues): type
 * and protocol as given, ops as given, creds of the current process,
 * default buffer sizes, one reference held by the caller.  NULL when out of
 * memory.  The family fills ->private.  Process context only (it allocates
 * and links the socket into the list socket_for_each walks, with interrupts
 * on): a family that learns of a connection in an interrupt handler queues
 * that fact and makes the socket later, e.g. in ->accept.
 */
struct socket *socket_alloc(int family, int type, int protocol, const struct proto_ops *ops);
/* Free a socket that never got a file (->release is called first). */
void socket_free(struct socket *sock);

/*
 * Sleep on sock->wait until `condition` holds (checked with interrupts off,
 * so no wakeup is lost).  0; -EAGAIN when `deadline` (jiffies, 0: none)
 * passed first -- what Linux answers when SO_RCVTIMEO/SO_SNDTIMEO expire;
 * -ERESTARTSYS for a signal (or -EINTR if a timeout was set, as Linux).
 */
#define SOCKET_WAIT(sock, channel, deadline, condition)                                            \
    ({                                                                                             \
        int socket_wait_error_ = 0;                                                                \
        u64 socket_wait_deadline_ = (deadline);                                                    \
        bool socket_wait_irq_ = irq_save();                                                        \
        while (!(condition)) {                                                                     \
            socket_wait_error_ = sleep_on(&(sock)->wait, (channel), socket_wait_deadline_);        \
            if (socket_wait_error_)                                                                \
                break;                                                                             \
        }                                                                                          \
        irq_restore(socket_wait_irq_);                                                             \
        socket_wait_error_ == -ETIMEDOUT             ? -EAGAIN                                     \
        : socket_wait_error_ &&socket_wait_deadline_ ? -EINTR                                      \
        : socket_wait_error_                         ? -ERESTARTSYS                                \
                                                     : 0;                                                                  \
    })

/* Wake everyone waiting on the socket (readers, writers, poll, epoll).
 * Safe in interrupt handlers. */
void socket_wake(struct socket *sock);

/* Is the open file a socket?  Its socket (NULL if not). */
bool file_is_socket(const struct file *file);
struct socket *socket_of_file(const struct file *file);

/* Each socket in existence (for /proc/net/ *), in creation order; stop by
 * returning false. */
void socket_for_each(bool (*visit)(struct socket *sock, void *arg), void *arg);

/* The socket system calls (kernel/net/socket.c, kernel/net/socket_msg.c). */
long sys_socket(int family, int type, int protocol);
long sys_socketpair(int family, int type, int protocol, int *user_fds);
long sys_bind(int fd, const void *user_addr, int addrlen);
long sys_listen(int fd, int backlog);
long sys_accept(int fd, void *user_addr, int *user_addrlen);
long sys_accept4(int fd, void *user_addr, int *user_addrlen, int flags);
long sys_connect(int fd, const void *user_addr, int addrlen);
long sys_sendto(int fd, const void *buf, size_t len, int flags, const void *user_addr, int addrlen);
long sys_recvfrom(int fd, void *buf, size_t len, int flags, void *user_addr, int *user_addrlen);
long sys_sendmsg(int fd, const void *user_msghdr, int flags);
long sys_recvmsg(int fd, void *user_msghdr, int flags);
long sys_shutdown(int fd, int how);
long sys_getsockname(int fd, void *user_addr, int *user_addrlen);
long sys_getpeername(int fd, void *user_addr, int *user_addrlen);
long sys_setsockopt(int fd, int level, int name, const void *user_value, int len);
long sys_getsockopt(int fd, int level, int name, void *user_value, int *user_len);

#endif
