/*
 * af_unix.c - AF_UNIX sockets: creating them, their names, connecting,
 * listening, accepting and closing.  Moving data: unix_msg.c.
 *
 * Names.  A socket binds to a path ("/tmp/s": bind makes an S_IFSOCK node
 * in the file system, which stays until unlinked; binding to an existing
 * name is EADDRINUSE) or to an abstract name (sun_path[0] == '\0': the
 * bytes that follow, up to addrlen, exist only while the socket does).
 * connect() finds the bound socket through the list of bound sockets:
 * by inode for paths, by bytes for abstract names.  As on Linux, abstract
 * names belong to a network namespace (compared by its number, which is
 * never reused): a box has its own; paths follow the file system.
 *
 * Connections.  connect() on a stream (or seqpacket) socket makes the
 * server's end at once -- an "embryo" socket, queued on the listener until
 * accept() hands it out -- so the client may write before the server
 * accepts, as on Linux.  A full queue makes connect() wait (EAGAIN when
 * non-blocking).
 */
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/poll.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/lib/textbuf.h"
#include "kernel/net/unix/unix.h"
#include "kernel/net/unix/unix_internal.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "mm/kheap.h"
#include "proc/ns.h"
#include "proc/proc.h"

static struct list bound_sockets = LIST_INIT(bound_sockets);
static u32 autobind_next = 1;

static bool is_stream(const struct socket *sock) { return sock->type != SOCK_DGRAM; }

static int unix_create(struct socket *sock, int protocol)
{
    if (protocol != 0 && protocol != AF_UNIX)
        return -EPROTONOSUPPORT;
    if (sock->type == SOCK_RAW)
        sock->type = SOCK_DGRAM; /* Linux does the same */
    if (sock->type == SOCK_DGRAM)
        sock->ops = &unix_dgram_ops;
    else if (sock->type == SOCK_STREAM || sock->type == SOCK_SEQPACKET)
        sock->ops = &unix_stream_ops;
    else
        return -ESOCKTNOSUPPORT;
    struct unix_sock *u = kzalloc(sizeof *u);
    if (!u)
        return -ENOMEM;
    u->sock = sock;
    u->net_inum = ns_of(current, NS_NET)->inum;
    list_init(&u->queue);
    list_init(&u->accept_queue);
    list_node_init(&u->bound_node);
    list_node_init(&u->queue_node);
    sock->private = u;
    return 0;
}

static void connect_pair(struct unix_sock *a, struct unix_sock *b)
{
    a->peer = b;
    b->peer = a;
    a->peer_creds = b->sock->creds;
    b->peer_creds = a->sock->creds;
    a->has_peer_creds = b->has_peer_creds = true;
    a->sock->state = b->sock->state = SS_CONNECTED;
}

static int unix_pair(struct socket *a, struct socket *b)
{
    connect_pair(unix_of(a), unix_of(b));
    return 0;
}

/* --- names ------------------------------------------------------------------------ */

/* Check a sockaddr_un and give its meaningful length: for a path, up to
 * and including the NUL (as Linux reports it); for an abstract name, all of it. */
static int check_addr(const struct sockaddr *addr, int addrlen, struct sockaddr_un *out)
{
    if (addrlen < (int)sizeof(sa_family_t) || addrlen > (int)sizeof(struct sockaddr_un) ||
        addr->sa_family != AF_UNIX)
        return -EINVAL;
    memset(out, 0, sizeof *out);
    memcpy(out, addr, (size_t)addrlen);
    if (addrlen == sizeof(sa_family_t) || out->sun_path[0] == '\0')
        return addrlen; /* unnamed (autobind) or abstract */
    size_t len = strnlen(out->sun_path, UNIX_PATH_MAX);
    if (len == UNIX_PATH_MAX)
        return -EINVAL; /* no room for the NUL */
    return (int)(sizeof(sa_family_t) + len + 1);
}

static struct unix_sock *find_abstract(const struct sockaddr_un *addr, int addrlen, u32 net_inum)
{
    struct unix_sock *u;
    list_for_each_entry (u, &bound_sockets, bound_node)
        if (!u->path_inode && u->net_inum == net_inum && u->addrlen == addrlen &&
            memcmp(&u->addr, addr, (size_t)addrlen) == 0)
            return u;
    return NULL;
}

struct unix_sock *unix_find(const struct sockaddr *addr, int addrlen, int *error)
{
    struct sockaddr_un name;
    int len = check_addr(addr, addrlen, &name);
    if (len < 0 || len == (int)sizeof(sa_family_t)) {
        *error = -EINVAL;
        return NULL;
    }
    if (name.sun_path[0] == '\0') {
        struct unix_sock *u = find_abstract(&name, len, ns_of(current, NS_NET)->inum);
        *error = u ? 0 : -ECONNREFUSED;
        return u;
    }
    struct inode *inode;
    *error = vfs_lookup(name.sun_path, current->cwd, LOOKUP_FOLLOW, &inode);
    if (*error < 0)
        return NULL;
    struct unix_sock *u, *found = NULL;
    list_for_each_entry (u, &bound_sockets, bound_node)
        if (u->path_inode == inode)
            found = u;
    inode_put(inode);
    *error = found ? 0 : -ECONNREFUSED;
    return found;
}

/* Linux's unix_node_fops: opening a socket's path is ENXIO. */
static int socket_node_open(struct file *file) { return -ENXIO; }
static const struct file_ops socket_node_fops = {.open = socket_node_open};

static int bind_path(struct unix_sock *u, const struct sockaddr_un *name)
{
    struct inode *dir, *node;
    char last[256];
    int error = vfs_lookup_parent(name->sun_path, current->cwd, &dir, last);
    if (error < 0)
        return error;
    if (!S_ISDIR(dir->mode))
        error = -ENOTDIR;
    else if (!dir->ops->create)
        error = -EPERM;
    else if (last[0] == '\0')
        error = -EADDRINUSE;
    else
        error = dir->ops->create(dir, last, 0777 & ~current->umask, &node);
    inode_put(dir);
    if (error == -EEXIST)
        return -EADDRINUSE;
    if (error < 0)
        return error;
    node->mode = S_IFSOCK | (node->mode & 07777);
    node->fops = &socket_node_fops;
    u->path_inode = node; /* keeps the reference create gave us */
    return 0;
}

int unix_autobind(struct unix_sock *u)
{
    struct sockaddr_un name = {.sun_family = AF_UNIX};
    for (int tries = 0; tries < 0x100000; tries++) {
        snprintf(name.sun_path + 1, 6, "%05x", autobind_next & 0xfffff);
        autobind_next++;
        if (!find_abstract(&name, 8, u->net_inum))
            break;
    }
    u->addr = name;
    u->addrlen = 8; /* family, NUL, five hex digits: Linux's autobind names */
    list_push_back(&bound_sockets, &u->bound_node);
    return 0;
}

static int unix_bind(struct socket *sock, const struct sockaddr *addr, int addrlen)
{
    struct unix_sock *u = unix_of(sock);
    struct sockaddr_un name;
    int len = check_addr(addr, addrlen, &name);
    if (len < 0)
        return len;
    if (u->addrlen) { /* already bound; Linux tries to make the path first */
        struct inode *existing;
        if (name.sun_path[0] && vfs_lookup(name.sun_path, current->cwd, 0, &existing) == 0) {
            inode_put(existing);
            return -EADDRINUSE;
        }
        return -EINVAL;
    }
    if (len == (int)sizeof(sa_family_t))
        return unix_autobind(u);
    if (name.sun_path[0] == '\0') {
        if (find_abstract(&name, len, u->net_inum))
            return -EADDRINUSE;
    } else {
        int error = bind_path(u, &name);
        if (error < 0)
            return error;
    }
    u->addr = name;
    u->addrlen = len;
    list_push_back(&bound_sockets, &u->bound_node);
    return 0;
}

static int unix_getname(struct socket *sock, struct sockaddr_storage *addr, bool peer)
{
    struct unix_sock *u = unix_of(sock);
    if (peer) {
        if (!u->peer)
            return -ENOTCONN;
        u = u->peer;
    }
    if (!u->addrlen) {
        addr->ss_family = AF_UNIX;
        return sizeof(sa_family_t);
    }
    memcpy(addr, &u->addr, (size_t)u->addrlen);
    return u->addrlen;
}

/* --- connecting ------------------------------------------------------------------- */

static bool queue_full(const struct unix_sock *listener)
{
    return listener->pending > listener->backlog;
}

static int stream_connect(struct socket *sock, const struct sockaddr *addr, int addrlen,
                          bool nonblock)
{
    struct unix_sock *u = unix_of(sock);
    if (sock->state == SS_LISTENING)
        return -EINVAL;
    if (sock->state == SS_CONNECTED)
        return -EISCONN;
    for (;;) {
        int error;
        struct unix_sock *listener = unix_find(addr, addrlen, &error);
        if (!listener)
            return error;
        if (listener->sock->type != sock->type)
            return -EPROTOTYPE;
        if (listener->sock->state != SS_LISTENING)
            return -ECONNREFUSED;
        if (!queue_full(listener)) {
            struct socket *embryo = socket_alloc(AF_UNIX, sock->type, 0, NULL);
            if (!embryo)
                return -ENOMEM;
            if ((error = unix_create(embryo, 0)) < 0) {
                socket_free(embryo);
                return error;
            }
            struct unix_sock *e = unix_of(embryo);
            e->addr = listener->addr;
            e->addrlen = listener->addrlen;
            connect_pair(u, e);
            u->peer_creds = listener->sock->creds;
            e->listener = listener;
            list_push_back(&listener->accept_queue, &e->queue_node);
            listener->pending++;
            socket_wake(listener->sock);
            return 0;
        }
        if (nonblock)
            return -EAGAIN;
        /* Sleep on the listener's queue; its socket stays allocated while we hold the inode. */
        struct socket *ls = listener->sock;
        inode_get(ls->inode);
        error = WAIT_EVENT(&ls->wait, "unix_connect",
                           ls->released || ls->state != SS_LISTENING || !queue_full(unix_of(ls)));
        inode_put(ls->inode);
        if (error)
            return -ERESTARTSYS;
    }
}

static int dgram_connect(struct socket *sock, const struct sockaddr *addr, int addrlen,
                         bool nonblock)
{
    struct unix_sock *u = unix_of(sock);
    if (addrlen >= (int)sizeof(sa_family_t) && addr->sa_family == AF_UNSPEC) {
        u->peer = NULL; /* dissolve the association */
        u->has_peer_creds = false;
        sock->state = SS_UNCONNECTED;
        return 0;
    }
    int error;
    struct unix_sock *other = unix_find(addr, addrlen, &error);
    if (!other)
        return error;
    if (other->sock->type != SOCK_DGRAM)
        return -EPROTOTYPE;
    u->peer = other;
    u->peer_gone = false;
    u->peer_creds = other->sock->creds;
    u->has_peer_creds = true;
    sock->state = SS_CONNECTED;
    return 0;
}

static int unix_listen(struct socket *sock, int backlog)
{
    struct unix_sock *u = unix_of(sock);
    if (!u->addrlen || sock->state == SS_CONNECTED || u->peer_gone)
        return -EINVAL;
    u->backlog = backlog;
    if (sock->state != SS_LISTENING) {
        sock->state = SS_LISTENING;
        u->peer_creds = sock->creds; /* Linux: a listener's SO_PEERCRED is its own */
        u->has_peer_creds = true;
    }
    socket_wake(sock); /* connectors waiting for room */
    return 0;
}

static int unix_accept(struct socket *sock, struct socket **accepted, bool nonblock)
{
    struct unix_sock *u = unix_of(sock);
    if (sock->state != SS_LISTENING)
        return -EINVAL;
    if (list_empty(&u->accept_queue)) {
        if (nonblock)
            return -EAGAIN;
        u64 deadline = sock->rcvtimeo ? deadline_after_ns(sock->rcvtimeo) : 0;
        int error = SOCKET_WAIT(sock, "unix_accept", deadline,
                                !list_empty(&u->accept_queue) || sock->state != SS_LISTENING);
        if (error)
            return error;
        if (sock->state != SS_LISTENING)
            return -EINVAL;
    }
    struct unix_sock *e = list_entry(u->accept_queue.head.next, struct unix_sock, queue_node);
    list_remove(&e->queue_node);
    list_node_init(&e->queue_node);
    e->listener = NULL;
    u->pending--;
    socket_wake(sock); /* room for a waiting connect */
    *accepted = e->sock;
    return 0;
}

static int unix_shutdown(struct socket *sock, int how)
{
    struct unix_sock *u = unix_of(sock);
    if (u->peer && is_stream(sock)) {
        /* What this end stops sending, the peer stops receiving, and vice versa. */
        struct socket *peer = u->peer->sock;
        if (how & SEND_SHUTDOWN)
            peer->shutdown |= RCV_SHUTDOWN;
        if (how & RCV_SHUTDOWN)
            peer->shutdown |= SEND_SHUTDOWN;
        socket_wake(peer);
    }
    return 0;
}

/* --- closing -------------------------------------------------------------------------- */

static bool forget_peer(struct socket *other, void *gone)
{
    struct unix_sock *o = other->family == AF_UNIX ? other->private : NULL;
    if (o && o->peer == gone) {
        o->peer = NULL;
        o->peer_gone = true;
        if (is_stream(other))
            other->shutdown |= RCV_SHUTDOWN | SEND_SHUTDOWN;
        socket_wake(other);
    }
    return true;
}

static void unix_release(struct socket *sock)
{
    struct unix_sock *u = unix_of(sock);
    if (!u)
        return;
    if (u->addrlen)
        list_remove(&u->bound_node);
    if (u->path_inode)
        inode_put(u->path_inode);
    while (!list_empty(&u->accept_queue)) {
        struct unix_sock *e = list_entry(u->accept_queue.head.next, struct unix_sock, queue_node);
        list_remove(&e->queue_node);
        list_node_init(&e->queue_node);
        e->listener = NULL;
        if (e->peer)
            e->peer->sock->error = -ECONNRESET; /* never accepted: a reset, as Linux */
        socket_free(e->sock);
    }
    if (u->listener) { /* an embryo thrown away before accept */
        list_remove(&u->queue_node);
        u->listener->pending--;
    }
    /* Closing with unread data resets the connection: the peer's next read
     * (once its own queue is empty) fails with ECONNRESET, as on Linux. */
    if (u->peer && is_stream(sock) && !list_empty(&u->queue))
        u->peer->sock->error = -ECONNRESET;
    sock->private = NULL; /* forget_peer must not find us */
    if (is_stream(sock)) {
        if (u->peer) /* connections are pairs: only the peer points here */
            forget_peer(u->peer->sock, u);
    } else {
        socket_for_each(forget_peer, u); /* any datagram socket may have connected to us */
    }
    while (!list_empty(&u->queue)) {
        struct unix_skb *skb = list_entry(u->queue.head.next, struct unix_skb, node);
        list_remove(&skb->node);
        unix_skb_free(skb);
    }
    if (u->spare)
        unix_skb_free(u->spare);
    kfree(u);
}

/* --- options and poll --------------------------------------------------------------- */

static int unix_getsockopt(struct socket *sock, int level, int name, void *value, int *len)
{
    struct unix_sock *u = unix_of(sock);
    if (level != SOL_SOCKET || name != SO_PEERCRED)
        return -ENOPROTOOPT;
    if (*len < 0)
        return -EINVAL;
    struct ucred none = {.pid = 0, .uid = (u32)-1, .gid = (u32)-1};
    struct ucred *c = u->has_peer_creds ? &u->peer_creds : &none;
    *len = MIN(*len, (int)sizeof *c);
    memcpy(value, c, (size_t)*len);
    return 0;
}

static int unix_setsockopt(struct socket *sock, int level, int name, const void *value, int len)
{
    return -ENOPROTOOPT;
}

#define POLLRDHUP 0x2000

static u32 unix_poll(struct socket *sock, struct poll_table *table)
{
    struct unix_sock *u = unix_of(sock);
    poll_wait(table, &sock->wait);
    if (!u)
        return POLLNVAL;
    if (sock->state == SS_LISTENING)
        return list_empty(&u->accept_queue) ? 0 : POLLIN | POLLRDNORM;
    u32 events = sock->error ? POLLERR : 0;
    if (!list_empty(&u->queue))
        events |= POLLIN | POLLRDNORM;
    if (sock->shutdown & RCV_SHUTDOWN)
        events |= POLLIN | POLLRDNORM | POLLRDHUP;
    if ((sock->shutdown & (RCV_SHUTDOWN | SEND_SHUTDOWN)) == (RCV_SHUTDOWN | SEND_SHUTDOWN))
        events |= POLLHUP;
    if (is_stream(sock) && sock->state != SS_CONNECTED)
        events |= POLLHUP; /* never connected */
    struct unix_sock *peer = u->peer;
    if (peer && !is_stream(sock))
        poll_wait(table, &peer->sock->wait); /* datagram senders wait on the receiver */
    if (is_stream(sock)) {
        if (peer && peer->queued_bytes < peer->sock->rcvbuf && !(sock->shutdown & SEND_SHUTDOWN))
            events |= POLLOUT | POLLWRNORM;
    } else if (!peer || peer->queued_count < UNIX_DGRAM_QLEN) {
        events |= POLLOUT | POLLWRNORM;
    }
    return events;
}

#define FIONREAD 0x541B
static long unix_ioctl(struct socket *sock, u64 command, u64 arg)
{
    struct unix_sock *u = unix_of(sock);
    if (command != FIONREAD)
        return -ENOTTY;
    int n = (int)u->queued_bytes;
    if (!is_stream(sock) && !list_empty(&u->queue))
        n = (int)list_entry(u->queue.head.next, struct unix_skb, node)->len;
    return copy_to_user((void *)arg, &n, sizeof n) ? -EFAULT : 0;
}

const struct proto_ops unix_stream_ops = {
    .family = AF_UNIX,
    .release = unix_release,
    .bind = unix_bind,
    .connect = stream_connect,
    .listen = unix_listen,
    .accept = unix_accept,
    .sendmsg = unix_sendmsg,
    .recvmsg = unix_recvmsg,
    .shutdown = unix_shutdown,
    .getname = unix_getname,
    .setsockopt = unix_setsockopt,
    .getsockopt = unix_getsockopt,
    .poll = unix_poll,
    .ioctl = unix_ioctl,
};

const struct proto_ops unix_dgram_ops = {
    .family = AF_UNIX,
    .release = unix_release,
    .bind = unix_bind,
    .connect = dgram_connect,
    .sendmsg = unix_sendmsg,
    .recvmsg = unix_recvmsg,
    .shutdown = unix_shutdown,
    .getname = unix_getname,
    .setsockopt = unix_setsockopt,
    .getsockopt = unix_getsockopt,
    .poll = unix_poll,
    .ioctl = unix_ioctl,
};

/* --- /proc/net/unix ------------------------------------------------------------------- */

#define SO_ACCEPTCON_FLAG 0x10000 /* Linux's __SO_ACCEPTCON: a listening socket */
enum { LINUX_SS_UNCONNECTED = 1, LINUX_SS_CONNECTING, LINUX_SS_CONNECTED };

static bool show_one(struct socket *sock, void *arg)
{
    struct textbuf *out = arg;
    struct unix_sock *u = sock->family == AF_UNIX ? sock->private : NULL;
    if (!u)
        return true;
    /* Linux's St column: a socket with a file is connected or not; an
     * embryo in an accept queue (no file yet) shows as connecting. */
    int state = sock->state == SS_CONNECTED
                    ? (sock->file ? LINUX_SS_CONNECTED : LINUX_SS_CONNECTING)
                    : LINUX_SS_UNCONNECTED;
    /* Num is the kernel address, hidden as Linux hides it (kptr_restrict). */
    textbuf_printf(out, "%016x: %08X %08X %08X %04X %02X %5lu", 0, sock->file ? 2 : 1, 0,
                   sock->state == SS_LISTENING ? SO_ACCEPTCON_FLAG : 0, sock->type, state,
                   sock->inode->ino);
    if (u->addrlen > (int)sizeof(sa_family_t)) {
        char path[UNIX_PATH_MAX + 2] = " ";
        int len = u->addr.sun_path[0] ? (int)strlen(u->addr.sun_path)
                                      : u->addrlen - (int)sizeof(sa_family_t);
        for (int i = 0; i < len; i++)
            path[1 + i] = u->addr.sun_path[i] ? u->addr.sun_path[i] : '@';
        path[1 + len] = '\0';
        textbuf_printf(out, "%s", path);
    }
    textbuf_printf(out, "\n");
    return true;
}

void unix_proc_show(struct textbuf *out, struct proc *p)
{
    textbuf_printf(out, "Num       RefCount Protocol Flags    Type St Inode Path\n");
    socket_for_each(show_one, out);
}

static const struct socket_family unix_family = {
    .family = AF_UNIX,
    .name = "unix",
    .create = unix_create,
    .pair = unix_pair,
};

void unix_init(void) { socket_register_family(&unix_family); }
