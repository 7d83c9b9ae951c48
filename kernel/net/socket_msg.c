/*
 * socket_msg.c - moving data through sockets (send, recv, sendto,
 * recvfrom, sendmsg, recvmsg, and read/write on a socket) and socket options.
 *
 * The user's struct msghdr, its iovec array and its control data are copied
 * into the kernel here; the data itself moves later, straight between the
 * family's buffers and the user's iovecs (socket_msg_copy_*).
 */
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/lib/string.h"
#include "kernel/net/socket.h"
#include "kernel/net/socket_internal.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "mm/kheap.h"
#include "proc/proc.h"
#include "proc/signal.h"

#define IOV_MAX 1024     /* Linux's UIO_MAXIOV */
#define CONTROL_MAX 4096 /* ancillary data accepted per sendmsg (Linux: optmem_max 20480) */
#define OPTION_MAX 256   /* option values copied in */
#define SSIZE_MAX 0x7fffffffffffffffull

/* --- walking the iovecs -------------------------------------------------------- */

static long msg_copy(struct socket_msg *msg, void *kernel, u64 size, bool from_user)
{
    u64 done = 0;
    while (done < size && msg->iov_index < msg->iovcnt) {
        struct user_iovec *v = &msg->iov[msg->iov_index];
        u64 chunk = MIN(size - done, v->len - msg->iov_offset);
        u8 *user = (u8 *)v->base + msg->iov_offset;
        int error = from_user ? copy_from_user((u8 *)kernel + done, user, chunk)
                              : copy_to_user(user, (const u8 *)kernel + done, chunk);
        if (error)
            return done ? (long)done : -EFAULT;
        done += chunk;
        msg->iov_offset += chunk;
        if (msg->iov_offset == v->len) {
            msg->iov_index++;
            msg->iov_offset = 0;
        }
    }
    return (long)done;
}

long socket_msg_copy_from_user(struct socket_msg *msg, void *kernel_dest, u64 size)
{
    return msg_copy(msg, kernel_dest, size, true);
}

long socket_msg_copy_to_user(struct socket_msg *msg, const void *kernel_src, u64 size)
{
    return msg_copy(msg, (void *)kernel_src, size, false);
}

u64 socket_msg_remaining(const struct socket_msg *msg)
{
    u64 left = 0;
    for (int i = msg->iov_index; i < msg->iovcnt; i++)
        left += msg->iov[i].len - (i == msg->iov_index ? msg->iov_offset : 0);
    return left;
}

/* --- one transfer ---------------------------------------------------------------- */

/* Total length of the iovecs; -EINVAL if it overflows ssize_t, as Linux. */
static long iov_total(const struct user_iovec *iov, int iovcnt, u64 *total)
{
    *total = 0;
    for (int i = 0; i < iovcnt; i++) {
        if (iov[i].len > SSIZE_MAX || *total + iov[i].len > SSIZE_MAX)
            return -EINVAL;
        *total += iov[i].len;
    }
    return 0;
}

static long do_transfer(struct socket *sock, struct socket_msg *msg, bool sending)
{
    if (socket_nonblocking(sock))
        msg->flags |= MSG_DONTWAIT;
    u64 timeout = sending ? sock->sndtimeo : sock->rcvtimeo;
    msg->deadline = timeout ? deadline_after_ns(timeout) : 0;
    long error = iov_total(msg->iov, msg->iovcnt, &msg->length);
    if (error < 0)
        return error;
    long (*op)(struct socket *, struct socket_msg *) =
        sending ? sock->ops->sendmsg : sock->ops->recvmsg;
    if (!op)
        return -EOPNOTSUPP;
    /* The family may sleep (for data, or in a copy whose page is on swap):
     * a thread sharing our descriptors must not free the socket by closing
     * its descriptor meanwhile.  The last put, if that happened, is ours. */
    struct file *file = sock->file;
    if (file)
        file_get(file);
    long result = op(sock, msg);
    file_put(file);
    if (result == -EPIPE && sending && !(msg->flags & MSG_NOSIGNAL)) {
        struct pending_info info = {.code = SI_USER, .pid = current->tgid};
        signal_send(current, SIGPIPE, &info);
    }
    return result;
}

long socket_transfer(struct file *file, struct user_iovec *iov, int iovcnt, int flags, bool sending,
                     struct socket_msg *msg_out)
{
    struct socket *sock = socket_of_file(file);
    struct socket_msg msg = {.iov = iov, .iovcnt = iovcnt, .flags = flags};
    long result = do_transfer(sock, &msg, sending);
    if (msg_out)
        *msg_out = msg;
    return result;
}

static struct socket *lookup(int fd, long *error) { return socket_lookup(fd, error); }

long sys_sendto(int fd, const void *buf, size_t len, int flags, const void *user_addr, int addrlen)
{
    long error;
    struct socket *sock = lookup(fd, &error);
    if (!sock)
        return error;
    struct user_iovec iov = {(void *)buf, len};
    struct socket_msg msg = {.iov = &iov, .iovcnt = 1, .flags = flags};
    if (user_addr) {
        if ((error = socket_addr_from_user(&msg.name, user_addr, addrlen)) < 0)
            return error;
        msg.namelen = addrlen;
    }
    return do_transfer(sock, &msg, true);
}

long sys_recvfrom(int fd, void *buf, size_t len, int flags, void *user_addr, int *user_addrlen)
{
    long error;
    struct socket *sock = lookup(fd, &error);
    if (!sock)
        return error;
    struct user_iovec iov = {buf, len};
    struct socket_msg msg = {.iov = &iov, .iovcnt = 1, .flags = flags};
    long result = do_transfer(sock, &msg, false);
    if (result >= 0 && user_addr &&
        (error = socket_addr_to_user(&msg.name, msg.namelen, user_addr, user_addrlen)) < 0)
        return error;
    return result;
}

/* --- sendmsg / recvmsg ------------------------------------------------------------- */

struct user_msghdr { /* Linux's struct msghdr */
    void *name;
    i32 namelen;
    i32 pad0;
    struct user_iovec *iov;
    u64 iovlen;
    void *control;
    u64 controllen;
    i32 flags;
    i32 pad1;
};

/* Copy the header and the iovec array in; *iov is kmalloc'ed (free it). */
static long msghdr_from_user(struct user_msghdr *hdr, const void *user_msghdr,
                             struct user_iovec **iov)
{
    *iov = NULL;
    if (copy_from_user(hdr, user_msghdr, sizeof *hdr))
        return -EFAULT;
    if (hdr->iovlen > IOV_MAX)
        return -EMSGSIZE;
    if (hdr->iovlen == 0)
        return 0;
    *iov = kmalloc(hdr->iovlen * sizeof **iov);
    if (!*iov)
        return -ENOMEM;
    if (copy_from_user(*iov, hdr->iov, hdr->iovlen * sizeof **iov)) {
        kfree(*iov);
        *iov = NULL;
        return -EFAULT;
    }
    return 0;
}

/*
 * The socket at `fd` and the message the user's header describes: *hdr copied in, msg->iov a
 * kmalloc'ed copy of the iovec array (the caller frees it).  NULL, with *error, on failure.
 */
static struct socket *msg_begin(int fd, const void *user_msghdr, int flags, struct user_msghdr *hdr,
                                struct socket_msg *msg, long *error)
{
    struct socket *sock = lookup(fd, error);
    if (!sock)
        return NULL;
    struct user_iovec *iov;
    if ((*error = msghdr_from_user(hdr, user_msghdr, &iov)) < 0)
        return NULL;
    *msg = (struct socket_msg){.iov = iov, .iovcnt = (int)hdr->iovlen, .flags = flags};
    return sock;
}

long sys_sendmsg(int fd, const void *user_msghdr, int flags)
{
    long error;
    struct user_msghdr hdr;
    struct socket_msg msg;
    struct socket *sock = msg_begin(fd, user_msghdr, flags, &hdr, &msg, &error);
    if (!sock)
        return error;
    if (hdr.name && hdr.namelen) {
        if ((error = socket_addr_from_user(&msg.name, hdr.name, hdr.namelen)) < 0)
            goto out_free_iov;
        msg.namelen = hdr.namelen;
    }
    if (hdr.controllen) {
        error = -ENOBUFS;
        if (hdr.controllen > CONTROL_MAX || !(msg.control = kmalloc(hdr.controllen)))
            goto out_free_iov;
        error = -EFAULT;
        if (copy_from_user(msg.control, hdr.control, hdr.controllen))
            goto out_free_control;
        msg.control_len = hdr.controllen;
    }
    error = do_transfer(sock, &msg, true);
out_free_control:
    kfree(msg.control);
out_free_iov:
    kfree(msg.iov);
    return error;
}

long sys_recvmsg(int fd, void *user_msghdr, int flags)
{
    long error;
    struct user_msghdr hdr;
    struct socket_msg msg;
    struct socket *sock = msg_begin(fd, user_msghdr, flags, &hdr, &msg, &error);
    if (!sock)
        return error;
    if (hdr.name && hdr.namelen < 0) {
        error = -EINVAL;
        goto out_free_iov;
    }
    if (hdr.control && hdr.controllen) {
        msg.control_len = MIN(hdr.controllen, (u64)CONTROL_MAX);
        error = -ENOMEM;
        if (!(msg.control = kzalloc(msg.control_len)))
            goto out_free_iov;
    }
    long result = do_transfer(sock, &msg, false);
    error = result;
    if (result < 0)
        goto out_free_control;
    /* Write back what Linux writes: namelen, controllen, flags. */
    struct user_msghdr *out = user_msghdr;
    i32 namelen = 0;
    if (hdr.name && hdr.namelen) {
        namelen = MIN(msg.namelen, hdr.namelen);
        if (namelen > 0 && copy_to_user(hdr.name, &msg.name, (size_t)namelen))
            goto out_fault;
        namelen = msg.namelen;
    }
    u64 controllen = msg.control_used;
    if (controllen && copy_to_user(hdr.control, msg.control, controllen))
        goto out_fault;
    i32 out_flags = msg.out_flags;
    if (copy_to_user(&out->namelen, &namelen, sizeof namelen) ||
        copy_to_user(&out->controllen, &controllen, sizeof controllen) ||
        copy_to_user(&out->flags, &out_flags, sizeof out_flags))
        goto out_fault;
    error = result;
    goto out_free_control;
out_fault:
    error = -EFAULT;
out_free_control:
    kfree(msg.control);
out_free_iov:
    kfree(msg.iov);
    return error;
}

/* --- options ------------------------------------------------------------------------- */

static u32 clamp_buffer(int value)
{
    i64 doubled = (i64)value * 2; /* Linux doubles it for bookkeeping, and reports that */
    if (doubled < SOCKET_BUFFER_MIN)
        return SOCKET_BUFFER_MIN;
    if (doubled > SOCKET_BUFFER_MAX)
        return SOCKET_BUFFER_MAX;
    return (u32)doubled;
}

struct timeval_k { /* Linux's struct timeval (SO_RCVTIMEO, SO_SNDTIMEO) */
    i64 sec, usec;
};

static int set_timeout(u64 *timeout_ns, const void *value, int len)
{
    struct timeval_k tv;
    if (len < (int)sizeof tv)
        return -EINVAL;
    memcpy(&tv, value, sizeof tv);
    if (tv.usec < 0 || tv.usec >= 1000000)
        return -EDOM;
    if (tv.sec < 0)
        tv.sec = tv.usec = 0; /* Linux takes a negative time as "no timeout" */
    if (tv.sec > 100000000)
        tv.sec = 100000000; /* about 3 years: long enough to mean forever */
    *timeout_ns = (u64)tv.sec * 1000000000ull + (u64)tv.usec * 1000ull;
    return 0;
}

static void get_timeout(u64 timeout_ns, void *value, int *len)
{
    struct timeval_k tv = {(i64)(timeout_ns / 1000000000ull),
                           (i64)(timeout_ns % 1000000000ull / 1000)};
    *len = MIN(*len, (int)sizeof tv);
    memcpy(value, &tv, (size_t)*len);
}

/* The generic SOL_SOCKET options; 1 when `name` is not one of them. */
static int set_generic(struct socket *sock, int name, const void *value, int len)
{
    if (name == SO_RCVTIMEO)
        return set_timeout(&sock->rcvtimeo, value, len);
    if (name == SO_SNDTIMEO)
        return set_timeout(&sock->sndtimeo, value, len);
    if (name == SO_LINGER) {
        if (len < (int)sizeof(struct linger))
            return -EINVAL;
        memcpy(&sock->linger, value, sizeof sock->linger);
        sock->linger.l_onoff = sock->linger.l_onoff != 0;
        return 0;
    }
    int v;
    switch (name) {
    case SO_REUSEADDR:
    case SO_KEEPALIVE:
    case SO_SNDBUF:
    case SO_RCVBUF:
    case SO_REUSEPORT:
    case SO_BROADCAST:
    case SO_DEBUG:
    case SO_OOBINLINE:
    case SO_PASSCRED:
        if (len < (int)sizeof(int))
            return -EINVAL;
        memcpy(&v, value, sizeof v);
        break;
    case SO_TYPE:
    case SO_ERROR:
    case SO_PEERCRED:
    case SO_ACCEPTCONN:
    case SO_PROTOCOL:
    case SO_DOMAIN:
        return -ENOPROTOOPT; /* read-only */
    default:
        return 1;
    }
    if (name == SO_REUSEADDR)
        sock->reuseaddr = v != 0;
    else if (name == SO_KEEPALIVE)
        sock->keepalive = v != 0;
    else if (name == SO_SNDBUF)
        sock->sndbuf = clamp_buffer(v);
    else if (name == SO_RCVBUF)
        sock->rcvbuf = clamp_buffer(v);
    /* the others are accepted and have no effect in sprout */
    return 0;
}

static int get_generic(struct socket *sock, int name, void *value, int *len)
{
    int v;
    switch (name) {
    case SO_LINGER:
        *len = MIN(*len, (int)sizeof sock->linger);
        memcpy(value, &sock->linger, (size_t)*len);
        return 0;
    case SO_RCVTIMEO:
        get_timeout(sock->rcvtimeo, value, len);
        return 0;
    case SO_SNDTIMEO:
        get_timeout(sock->sndtimeo, value, len);
        return 0;
    case SO_REUSEADDR:
        v = sock->reuseaddr;
        break;
    case SO_KEEPALIVE:
        v = sock->keepalive;
        break;
    case SO_SNDBUF:
        v = (int)sock->sndbuf;
        break;
    case SO_RCVBUF:
        v = (int)sock->rcvbuf;
        break;
    case SO_TYPE:
        v = sock->type;
        break;
    case SO_PROTOCOL:
        v = sock->protocol;
        break;
    case SO_DOMAIN:
        v = sock->family;
        break;
    case SO_ACCEPTCONN:
        v = sock->state == SS_LISTENING;
        break;
    case SO_ERROR:
        v = -sock->error;
        sock->error = 0;
        break;
    default:
        return 1;
    }
    *len = MIN(*len, (int)sizeof v);
    memcpy(value, &v, (size_t)*len);
    return 0;
}

long sys_setsockopt(int fd, int level, int name, const void *user_value, int len)
{
    long error;
    struct socket *sock = lookup(fd, &error);
    if (!sock)
        return error;
    if (len < 0)
        return -EINVAL;
    u8 value[OPTION_MAX];
    int copied = MIN(len, OPTION_MAX);
    if (copied && copy_from_user(value, user_value, (size_t)copied))
        return -EFAULT;
    if (level == SOL_SOCKET) {
        int r = set_generic(sock, name, value, copied);
        if (r <= 0)
            return r;
    }
    if (!sock->ops->setsockopt)
        return -ENOPROTOOPT;
    return sock->ops->setsockopt(sock, level, name, value, copied);
}

long sys_getsockopt(int fd, int level, int name, void *user_value, int *user_len)
{
    long error;
    struct socket *sock = lookup(fd, &error);
    if (!sock)
        return error;
    int len;
    if (copy_from_user(&len, user_len, sizeof len))
        return -EFAULT;
    if (len < 0)
        return -EINVAL;
    u8 value[OPTION_MAX];
    memset(value, 0, sizeof value);
    len = MIN(len, OPTION_MAX);
    int r = 1;
    if (level == SOL_SOCKET)
        r = get_generic(sock, name, value, &len);
    if (r == 1)
        r = sock->ops->getsockopt ? sock->ops->getsockopt(sock, level, name, value, &len)
                                  : -ENOPROTOOPT;
    if (r < 0)
        return r;
    if (len && copy_to_user(user_value, value, (size_t)len))
        return -EFAULT;
    return copy_to_user(user_len, &len, sizeof len) ? -EFAULT : 0;
}
