/*
 * socket.c - sockets as files, the family table, and the calls that make,
 * name and connect sockets (see socket.h for the contract with families).
 * Moving data and options: socket_msg.c.
 */
#include "kernel/net/socket.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/poll.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/net/inet/af_inet.h"
#include "kernel/net/socket_internal.h"
#include "kernel/net/unix/unix.h"
#include "kernel/uaccess.h"
#include "mm/kheap.h"
#include "proc/proc.h"

static const struct socket_family *families[AF_MAX];
static struct list all_sockets = LIST_INIT(all_sockets);
static const struct file_ops socket_fops;
static const struct inode_ops socket_inode_ops;

int socket_register_family(const struct socket_family *family)
{
    if (family->family <= AF_UNSPEC || family->family >= AF_MAX || !family->create)
        return -EINVAL;
    if (families[family->family])
        return -EEXIST;
    families[family->family] = family;
    return 0;
}

void net_init(void)
{
    unix_init();
    inet_init();
}

/* --- socket objects ------------------------------------------------------------- */

struct socket *socket_alloc(int family, int type, int protocol, const struct proto_ops *ops)
{
    struct socket *sock = kzalloc(sizeof *sock);
    struct inode *inode =
        sock ? inode_alloc(SOCKFS_DEV, S_IFSOCK | 0777, &socket_inode_ops, &socket_fops) : NULL;
    if (!inode) {
        kfree(sock);
        return NULL;
    }
    inode->data = sock;
    inode->ino = vfs_next_ino();
    sock->inode = inode;
    sock->family = family;
    sock->type = type;
    sock->protocol = protocol;
    sock->ops = ops;
    sock->state = SS_UNCONNECTED;
    sock->sndbuf = sock->rcvbuf = SOCKET_BUFFER_DEFAULT;
    /* SO_PEERCRED: the creator's effective IDs, as Linux's cred_to_ucred */
    sock->creds = current ? (struct ucred){current->tgid, current->cred.euid, current->cred.egid}
                          : (struct ucred){0, 0, 0};
    wait_queue_init(&sock->wait);
    sleep_lock_init(&sock->recv_lock, "sock_recv");
    sleep_lock_init(&sock->send_lock, "sock_send");
    list_push_back(&all_sockets, &sock->all_node);
    return sock;
}

static void socket_release(struct socket *sock)
{
    if (sock->released)
        return;
    sock->released = true;
    if (sock->ops && sock->ops->release)
        sock->ops->release(sock);
    sock->private = NULL;
    socket_wake(sock);
}

void socket_free(struct socket *sock)
{
    socket_release(sock);
    inode_put(sock->inode); /* the last reference frees the socket too */
}

static void socket_inode_release(struct inode *inode)
{
    struct socket *sock = inode->data;
    socket_release(sock);
    list_remove(&sock->all_node);
    kfree(sock);
}

void socket_wake(struct socket *sock) { wake_up(&sock->wait); }

bool file_is_socket(const struct file *file) { return file && file->ops == &socket_fops; }

struct socket *socket_of_file(const struct file *file)
{
    return file_is_socket(file) ? file->inode->data : NULL;
}

void socket_for_each(bool (*visit)(struct socket *sock, void *arg), void *arg)
{
    struct socket *sock;
    list_for_each_entry (sock, &all_sockets, all_node)
        if (!visit(sock, arg))
            return;
}

/* --- sockets as files ---------------------------------------------------------- */

/* Opening a socket's inode a second time (/proc/<pid>/fd/N) is ENXIO, as on Linux. */
static int socket_file_open(struct file *file)
{
    struct socket *sock = file->inode->data;
    if (sock->file || sock->released)
        return -ENXIO;
    sock->file = file;
    return 0;
}

static void socket_file_release(struct file *file)
{
    struct socket *sock = file->inode->data;
    socket_release(sock);
    sock->file = NULL;
}

static long socket_file_read(struct file *file, void *buf, size_t size, u64 *offset)
{
    struct user_iovec iov = {buf, size};
    return socket_transfer(file, &iov, 1, 0, false, NULL);
}

static long socket_file_write(struct file *file, const void *buf, size_t size, u64 *offset)
{
    struct user_iovec iov = {(void *)buf, size};
    return socket_transfer(file, &iov, 1, 0, true, NULL);
}

static u32 socket_file_poll(struct file *file, struct poll_table *table)
{
    struct socket *sock = file->inode->data;
    if (!sock->ops || !sock->ops->poll) {
        poll_wait(table, &sock->wait);
        return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
    }
    return sock->ops->poll(sock, table);
}

#define FIONBIO 0x5421
static long socket_file_ioctl(struct file *file, u64 command, u64 arg)
{
    struct socket *sock = file->inode->data;
    if (command == FIONBIO) {
        int on;
        if (copy_from_user(&on, (void *)arg, sizeof on))
            return -EFAULT;
        file->flags = on ? file->flags | O_NONBLOCK : file->flags & ~O_NONBLOCK;
        return 0;
    }
    if (sock->ops && sock->ops->ioctl)
        return sock->ops->ioctl(sock, command, arg);
    return -ENOTTY;
}

static const struct file_ops socket_fops = {
    .open = socket_file_open,
    .read = socket_file_read,
    .write = socket_file_write,
    .poll = socket_file_poll,
    .ioctl = socket_file_ioctl,
    .release = socket_file_release,
    .seekable = false,
};

static const struct inode_ops socket_inode_ops = {.release = socket_inode_release};

int socket_install(struct socket *sock, u32 flags)
{
    long error;
    struct file *file = file_open_inode(sock->inode, O_RDWR | (flags & O_NONBLOCK), NULL, &error);
    inode_put(sock->inode); /* the file holds it now (or, on failure, it is the last) */
    if (!file)
        return (int)error;
    int fd = fd_install(file, 0, flags & O_CLOEXEC);
    if (fd < 0)
        file_put(file);
    return fd;
}

/* The socket behind descriptor fd, or -EBADF / -ENOTSOCK. */
struct socket *socket_lookup(int fd, long *error)
{
    struct file *file = fd_get(fd);
    if (!file) {
        *error = -EBADF;
        return NULL;
    }
    if (!file_is_socket(file)) {
        *error = -ENOTSOCK;
        return NULL;
    }
    return file->inode->data;
}

bool socket_nonblocking(const struct socket *sock)
{
    return sock->file && (sock->file->flags & O_NONBLOCK);
}

/* --- creating sockets ------------------------------------------------------------ */

static long socket_create(int family, int type, int protocol, struct socket **result)
{
    if (family < 0 || family >= AF_MAX || !families[family])
        return -EAFNOSUPPORT;
    int kind = type & SOCK_TYPE_MASK;
    if (type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC))
        return -EINVAL;
    if (kind > 10)
        return -EINVAL; /* beyond Linux's SOCK_MAX; smaller unknown types: the family says */
    struct socket *sock = socket_alloc(family, kind, protocol, NULL);
    if (!sock)
        return -ENOMEM;
    int error = families[family]->create(sock, protocol);
    if (error < 0) {
        sock->ops = NULL; /* nothing to release */
        socket_free(sock);
        return error;
    }
    *result = sock;
    return 0;
}

long sys_socket(int family, int type, int protocol)
{
    struct socket *sock;
    long error = socket_create(family, type, protocol, &sock);
    if (error < 0)
        return error;
    return socket_install(sock, (u32)type & (SOCK_NONBLOCK | SOCK_CLOEXEC));
}

long sys_socketpair(int family, int type, int protocol, int *user_fds)
{
    struct socket *a, *b;
    long error = socket_create(family, type, protocol, &a);
    if (error < 0)
        return error;
    if ((error = socket_create(family, type, protocol, &b)) < 0) {
        socket_free(a);
        return error;
    }
    const struct socket_family *f = families[family];
    error = f->pair ? f->pair(a, b) : -EOPNOTSUPP;
    if (error < 0) {
        socket_free(a);
        socket_free(b);
        return error;
    }
    u32 flags = (u32)type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
    int fds[2];
    fds[0] = socket_install(a, flags);
    if (fds[0] < 0) {
        socket_free(b);
        return fds[0];
    }
    fds[1] = socket_install(b, flags);
    if (fds[1] < 0) {
        fd_close(fds[0]);
        return fds[1];
    }
    if (copy_to_user(user_fds, fds, sizeof fds)) {
        fd_close(fds[0]);
        fd_close(fds[1]);
        return -EFAULT;
    }
    return 0;
}

/* --- addresses -------------------------------------------------------------------- */

long socket_addr_from_user(struct sockaddr_storage *addr, const void *user_addr, int addrlen)
{
    if (addrlen < 0 || addrlen > (int)sizeof *addr)
        return -EINVAL;
    memset(addr, 0, sizeof *addr);
    if (addrlen && copy_from_user(addr, user_addr, (size_t)addrlen))
        return -EFAULT;
    return 0;
}

long socket_addr_to_user(const struct sockaddr_storage *addr, int len, void *user_addr,
                         int *user_addrlen)
{
    int room;
    if (copy_from_user(&room, user_addrlen, sizeof room))
        return -EFAULT;
    if (room < 0)
        return -EINVAL;
    /* Copy what fits (truncated silently), then report the full length. */
    int copied = len < room ? len : room;
    if (copied > 0 && copy_to_user(user_addr, addr, (size_t)copied))
        return -EFAULT;
    return copy_to_user(user_addrlen, &len, sizeof len) ? -EFAULT : 0;
}

/* The socket at `fd` and the address the user passed it, copied in.  NULL, with *error, on failure.
 */
static struct socket *lookup_with_addr(int fd, const void *user_addr, int addrlen,
                                       struct sockaddr_storage *addr, long *error)
{
    struct socket *sock = socket_lookup(fd, error);
    if (sock && (*error = socket_addr_from_user(addr, user_addr, addrlen)) < 0)
        return NULL;
    return sock;
}

long sys_bind(int fd, const void *user_addr, int addrlen)
{
    long error;
    struct sockaddr_storage addr;
    struct socket *sock = lookup_with_addr(fd, user_addr, addrlen, &addr, &error);
    if (!sock)
        return error;
    if (!sock->ops->bind)
        return -EOPNOTSUPP;
    return sock->ops->bind(sock, (struct sockaddr *)&addr, addrlen);
}

long sys_connect(int fd, const void *user_addr, int addrlen)
{
    long error;
    struct sockaddr_storage addr;
    struct socket *sock = lookup_with_addr(fd, user_addr, addrlen, &addr, &error);
    if (!sock)
        return error;
    if (!sock->ops->connect)
        return -EOPNOTSUPP;
    return sock->ops->connect(sock, (struct sockaddr *)&addr, addrlen, socket_nonblocking(sock));
}

long sys_listen(int fd, int backlog)
{
    long error;
    struct socket *sock = socket_lookup(fd, &error);
    if (!sock)
        return error;
    if (!sock->ops->listen)
        return -EOPNOTSUPP;
    if (backlog < 0 || backlog > SOCKET_BACKLOG_MAX)
        backlog = SOCKET_BACKLOG_MAX; /* Linux: negative or too large means the maximum */
    return sock->ops->listen(sock, backlog);
}

long sys_accept4(int fd, void *user_addr, int *user_addrlen, int flags)
{
    if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
        return -EINVAL;
    long error;
    struct socket *sock = socket_lookup(fd, &error);
    if (!sock)
        return error;
    if (!sock->ops->accept)
        return -EOPNOTSUPP;
    int room = 0;
    if (user_addr && copy_from_user(&room, user_addrlen, sizeof room))
        return -EFAULT;
    if (user_addr && room < 0)
        return -EINVAL;
    /* As Linux, which reserves the descriptor first: at the descriptor limit
     * accept fails with EMFILE and the connection stays queued (taking it
     * off the queue and then failing would reset it). */
    if (!fd_has_room())
        return -EMFILE;
    struct socket *accepted;
    if ((error = sock->ops->accept(sock, &accepted, socket_nonblocking(sock))) < 0)
        return error;
    if (user_addr) {
        struct sockaddr_storage addr;
        memset(&addr, 0, sizeof addr);
        int len = accepted->ops->getname ? accepted->ops->getname(accepted, &addr, true) : 0;
        if (len < 0)
            len = 0;
        if ((error = socket_addr_to_user(&addr, len, user_addr, user_addrlen)) < 0) {
            socket_free(accepted); /* Linux loses the connection too */
            return error;
        }
    }
    return socket_install(accepted, (u32)flags);
}

long sys_accept(int fd, void *user_addr, int *user_addrlen)
{
    return sys_accept4(fd, user_addr, user_addrlen, 0);
}

long sys_shutdown(int fd, int how)
{
    long error;
    struct socket *sock = socket_lookup(fd, &error);
    if (!sock)
        return error;
    if (how < SHUT_RD || how > SHUT_RDWR)
        return -EINVAL;
    u32 bits = how == SHUT_RD   ? RCV_SHUTDOWN
               : how == SHUT_WR ? SEND_SHUTDOWN
                                : RCV_SHUTDOWN | SEND_SHUTDOWN;
    if (!sock->ops->shutdown)
        return -EOPNOTSUPP;
    error = sock->ops->shutdown(sock, (int)bits);
    if (error == 0)
        sock->shutdown |= bits;
    socket_wake(sock);
    return error;
}

static long get_name(int fd, void *user_addr, int *user_addrlen, bool peer)
{
    long error;
    struct socket *sock = socket_lookup(fd, &error);
    if (!sock)
        return error;
    int room;
    if (copy_from_user(&room, user_addrlen, sizeof room))
        return -EFAULT;
    if (room < 0)
        return -EINVAL;
    if (!sock->ops->getname)
        return -EOPNOTSUPP;
    struct sockaddr_storage addr;
    memset(&addr, 0, sizeof addr);
    int len = sock->ops->getname(sock, &addr, peer);
    if (len < 0)
        return len;
    return socket_addr_to_user(&addr, len, user_addr, user_addrlen);
}

long sys_getsockname(int fd, void *user_addr, int *user_addrlen)
{
    return get_name(fd, user_addr, user_addrlen, false);
}

long sys_getpeername(int fd, void *user_addr, int *user_addrlen)
{
    return get_name(fd, user_addr, user_addrlen, true);
}
