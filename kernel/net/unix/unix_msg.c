/*
 * unix_msg.c - moving data between AF_UNIX sockets, and passing open files
 * with SCM_RIGHTS.
 *
 * A send copies the user's bytes into a struct unix_skb and appends it to
 * the receiver's queue.  Streams may split a write into several skbs and
 * a read may gather several; datagrams and seqpackets are one skb each,
 * read whole (the rest of a datagram that does not fit is dropped: MSG_TRUNC).
 *
 * Who sleeps where: a stream reader sleeps on its own socket, a stream
 * writer on its own socket too (the reader wakes its peer after making
 * room).  A datagram sender whose receiver's queue is full sleeps on the
 * receiver's socket.
 */
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/lib/string.h"
#include "kernel/net/unix/unix_internal.h"
#include "kernel/fs/vfs.h"
#include "mm/kheap.h"
#include "proc/proc.h"
#include "sched/sched.h"

#define SCM_RIGHTS 1
#define SKB_MAX (64 * 1024) /* the largest piece a stream write is cut into */

struct cmsghdr { /* Linux's */
    u64 len;
    i32 level, type;
};
#define CMSG_ALIGN(len) (((len) + 7) & ~(u64)7)
#define CMSG_HDR_LEN sizeof(struct cmsghdr)

static bool is_stream(const struct socket *sock) { return sock->type == SOCK_STREAM; }

void unix_skb_free(struct unix_skb *skb)
{
    for (int i = 0; i < skb->nfiles; i++)
        file_put(skb->files[i]);
    kfree(skb->files);
    kfree(skb);
}

/* The files an SCM_RIGHTS control message names, each with a reference
 * (*files kmalloc'ed).  -EINVAL for malformed control data, -EBADF. */
static int scm_take_files(const struct socket_msg *msg, struct file ***files, int *nfiles)
{
    *files = NULL;
    *nfiles = 0;
    u64 at = 0;
    while (at + CMSG_HDR_LEN <= msg->control_len) {
        struct cmsghdr h;
        memcpy(&h, (u8 *)msg->control + at, sizeof h);
        if (h.len < CMSG_HDR_LEN || h.len > msg->control_len - at)
            return -EINVAL;
        if (h.level != SOL_SOCKET || h.type != SCM_RIGHTS)
            return -EINVAL; /* sprout passes only descriptors */
        u64 count = (h.len - CMSG_HDR_LEN) / sizeof(int);
        if (*nfiles + count > SCM_MAX_FD || *files)
            return -EINVAL;
        if (count == 0) {
            at += CMSG_ALIGN(h.len);
            continue;
        }
        *files = kzalloc(count * sizeof **files);
        if (!*files)
            return -ENOMEM;
        const int *fds = (const int *)((u8 *)msg->control + at + CMSG_HDR_LEN);
        for (u64 i = 0; i < count; i++) {
            struct file *f = fd_get(fds[i]);
            if (!f)
                return -EBADF;
            file_get(f);
            (*files)[(*nfiles)++] = f;
        }
        at += CMSG_ALIGN(h.len);
    }
    return 0;
}

static void put_files(struct file **files, int nfiles)
{
    for (int i = 0; i < nfiles; i++)
        file_put(files[i]);
    kfree(files);
}

/* Install the skb's files as descriptors of the receiver and describe them
 * in the control buffer; what does not fit is closed and MSG_CTRUNC set. */
static void scm_give_files(struct socket_msg *msg, struct unix_skb *skb)
{
    u64 room = msg->control_len - msg->control_used;
    int fit = room >= CMSG_HDR_LEN + sizeof(int) ? (int)((room - CMSG_HDR_LEN) / sizeof(int)) : 0;
    int *fds = (int *)((u8 *)msg->control + msg->control_used + CMSG_HDR_LEN);
    int given = 0;
    for (int i = 0; i < skb->nfiles; i++) {
        int fd = -1;
        if (given < fit)
            fd = fd_install(skb->files[i], 0, msg->flags & MSG_CMSG_CLOEXEC);
        if (fd < 0) {
            file_put(skb->files[i]);
            msg->out_flags |= MSG_CTRUNC;
        } else {
            fds[given++] = fd;
        }
    }
    if (given) {
        struct cmsghdr h = {CMSG_HDR_LEN + (u64)given * sizeof(int), SOL_SOCKET, SCM_RIGHTS};
        memcpy((u8 *)msg->control + msg->control_used, &h, sizeof h);
        msg->control_used += MIN(CMSG_ALIGN(h.len), room);
    }
    kfree(skb->files);
    skb->files = NULL;
    skb->nfiles = 0;
}

/* A new skb holding `len` bytes copied from the message, for the socket
 * `to` (a stream's peer: its spare skb is taken if it is big enough). */
static long make_skb(struct unix_sock *u, struct unix_sock *to, struct socket_msg *msg, u64 len,
                     struct unix_skb **out)
{
    struct unix_skb *skb = NULL;
    if (to && to->spare && to->spare->capacity >= len) {
        skb = to->spare;
        to->spare = NULL;
    } else {
        if (to && to->spare) { /* too small: the next skb read takes its place */
            unix_skb_free(to->spare);
            to->spare = NULL;
        }
        skb = kmalloc(sizeof *skb + len);
        if (!skb)
            return -ENOBUFS;
        skb->capacity = len;
    }
    u64 capacity = skb->capacity;
    memset(skb, 0, sizeof *skb);
    skb->capacity = capacity;
    skb->len = len;
    skb->creds = u->sock->creds;
    skb->from = u->addr;
    skb->fromlen = u->addrlen;
    long n = socket_msg_copy_from_user(msg, skb->data, len);
    if (n < 0 || (u64)n != len) {
        kfree(skb);
        return -EFAULT;
    }
    *out = skb;
    return 0;
}

static void enqueue(struct unix_sock *to, struct unix_skb *skb, struct file **files, int nfiles)
{
    skb->files = files;
    skb->nfiles = nfiles;
    list_push_back(&to->queue, &skb->node);
    to->queued_bytes += skb->len;
    to->queued_count++;
    socket_wake(to->sock);
}

/* --- sending ------------------------------------------------------------------------ */

static long stream_send(struct unix_sock *u, struct socket_msg *msg, struct file **files,
                        int nfiles)
{
    struct socket *sock = u->sock;
    bool packet = sock->type == SOCK_SEQPACKET;
    if (msg->namelen)
        return sock->state == SS_CONNECTED ? -EISCONN : -EOPNOTSUPP;
    if (packet && msg->length > sock->sndbuf)
        return -EMSGSIZE;
    u64 sent = 0;
    do {
        struct unix_sock *peer = u->peer;
        if (!peer)
            return sent ? (long)sent : u->peer_gone ? -EPIPE : -ENOTCONN;
        if ((sock->shutdown & SEND_SHUTDOWN) || (peer->sock->shutdown & RCV_SHUTDOWN))
            return sent ? (long)sent : -EPIPE;
        u64 space =
            peer->sock->rcvbuf > peer->queued_bytes ? peer->sock->rcvbuf - peer->queued_bytes : 0;
        u64 want = packet ? msg->length : MIN(msg->length - sent, (u64)SKB_MAX);
        if (space == 0 || (packet && space < want)) {
            if (msg->flags & MSG_DONTWAIT)
                return sent ? (long)sent : -EAGAIN;
            int error = SOCKET_WAIT(sock, "unix_send", msg->deadline,
                                    !u->peer || (sock->shutdown & SEND_SHUTDOWN) ||
                                        u->peer->queued_bytes + (packet ? want : 1) <=
                                            u->peer->sock->rcvbuf);
            if (error)
                return sent ? (long)sent : error;
            continue;
        }
        u64 len = packet ? want : MIN(want, space);
        struct unix_skb *skb;
        long error = make_skb(u, peer, msg, len, &skb);
        if (error < 0)
            return sent ? (long)sent : error;
        if (!u->peer) { /* the peer left while we copied (a page fault slept) */
            kfree(skb);
            return sent ? (long)sent : -EPIPE;
        }
        enqueue(u->peer, skb, sent ? NULL : files, sent ? 0 : nfiles);
        sent += len;
        if (sent < msg->length && sched_preempt_point() < 0)
            break;
    } while (sent < msg->length);
    return (long)sent;
}

static long dgram_send(struct unix_sock *u, struct socket_msg *msg, struct file **files, int nfiles)
{
    struct unix_sock *to = u->peer;
    int error;
    if (msg->namelen) {
        if (!(to = unix_find((struct sockaddr *)&msg->name, msg->namelen, &error)))
            return error;
    } else if (!to) {
        return u->peer_gone ? -ECONNREFUSED : -ENOTCONN;
    }
    if (to->sock->type != SOCK_DGRAM)
        return -EPROTOTYPE;
    if (to->peer && to->peer != u)
        return -EPERM; /* it only talks to the socket it connected to */
    if (msg->length > u->sock->sndbuf)
        return -EMSGSIZE;
    struct socket *dest = to->sock;
    while (to->queued_count >= UNIX_DGRAM_QLEN) {
        if (msg->flags & MSG_DONTWAIT)
            return -EAGAIN;
        inode_get(dest->inode); /* keep the socket while we sleep on it */
        error = SOCKET_WAIT(dest, "unix_dgram_send", msg->deadline,
                            dest->released || unix_of(dest)->queued_count < UNIX_DGRAM_QLEN);
        bool gone = dest->released;
        inode_put(dest->inode);
        if (gone)
            return -ECONNREFUSED;
        if (error)
            return error;
    }
    struct unix_skb *skb;
    inode_get(dest->inode); /* the copy may sleep, and the receiver may close meanwhile */
    long result = make_skb(u, NULL, msg, msg->length, &skb);
    bool gone = dest->released;
    inode_put(dest->inode);
    if (result < 0)
        return result;
    if (gone) {
        kfree(skb);
        return -ECONNREFUSED;
    }
    enqueue(to, skb, files, nfiles);
    return (long)skb->len;
}

long unix_sendmsg(struct socket *sock, struct socket_msg *msg)
{
    struct unix_sock *u = unix_of(sock);
    if (msg->flags & MSG_OOB)
        return -EOPNOTSUPP;
    if (sock->type != SOCK_DGRAM && (sock->shutdown & SEND_SHUTDOWN))
        return -EPIPE;
    struct file **files;
    int nfiles;
    int error = scm_take_files(msg, &files, &nfiles);
    if (error < 0) {
        put_files(files, nfiles);
        return error;
    }
    long result = sock->type == SOCK_DGRAM ? dgram_send(u, msg, files, nfiles)
                                           : stream_send(u, msg, files, nfiles);
    if (result <= 0 && files) /* not handed to a receiver */
        put_files(files, nfiles);
    return result;
}

/* --- receiving ------------------------------------------------------------------------ */

/* Wait for something in the queue; 0, 1 for end of file, or -errno
 * (a pending error first, then -EAGAIN, also when SO_RCVTIMEO expires,
 * or -ERESTARTSYS / -EINTR for a signal). */
static int wait_for_data(struct unix_sock *u, struct socket_msg *msg)
{
    struct socket *sock = u->sock;
    while (list_empty(&u->queue)) {
        if (sock->error) { /* a pending error (ECONNRESET) is reported once */
            int error = sock->error;
            sock->error = 0;
            return error;
        }
        if (sock->shutdown & RCV_SHUTDOWN)
            return 1;
        if (sock->type != SOCK_DGRAM && (u->peer_gone || !u->peer))
            return 1;
        if (msg->flags & MSG_DONTWAIT)
            return -EAGAIN;
        int error = SOCKET_WAIT(sock, "unix_recv", msg->deadline,
                                !list_empty(&u->queue) || (sock->shutdown & RCV_SHUTDOWN) ||
                                    sock->error || (sock->type != SOCK_DGRAM && !u->peer));
        if (error)
            return error;
    }
    return 0;
}

static void dequeue(struct unix_sock *u, struct unix_skb *skb)
{
    list_remove(&skb->node);
    u->queued_count--;
    u->queued_bytes -= skb->len - skb->consumed;
    unix_skb_free(skb);
}

static void wake_writers(struct unix_sock *u)
{
    socket_wake(u->sock); /* datagram senders sleep on the receiver */
    if (u->peer)
        socket_wake(u->peer->sock);
}

/*
 * The copies below may sleep (a page of the caller's buffer is on swap), and
 * another process reading the same socket may then run: each holds
 * sock->recv_lock from picking the skb at the head until it has consumed it,
 * so no one frees or advances an skb under someone else's copy.  The lock is
 * taken after wait_for_data, so the queue is checked again under it.
 */
static long packet_recv_locked(struct unix_sock *u, struct socket_msg *msg)
{
    if (list_empty(&u->queue))
        return -EAGAIN; /* another reader took it while we waited for the lock */
    struct unix_skb *skb = list_entry(u->queue.head.next, struct unix_skb, node);
    u64 n = MIN(skb->len, msg->length);
    long copied = socket_msg_copy_to_user(msg, skb->data, n);
    if (copied < 0 || (u64)copied != n)
        return -EFAULT;
    if (skb->len > n)
        msg->out_flags |= MSG_TRUNC;
    if (skb->fromlen) {
        memcpy(&msg->name, &skb->from, (size_t)skb->fromlen);
        msg->namelen = skb->fromlen;
    }
    long result = (msg->flags & MSG_TRUNC) ? (long)skb->len : (long)n;
    if (!(msg->flags & MSG_PEEK)) {
        if (skb->nfiles)
            scm_give_files(msg, skb);
        dequeue(u, skb);
        wake_writers(u);
    }
    return result;
}

static long packet_recv(struct unix_sock *u, struct socket_msg *msg)
{
    for (;;) {
        int status = wait_for_data(u, msg);
        if (status)
            return status < 0 ? status : 0;
        sleep_lock_acquire(&u->sock->recv_lock);
        long result = packet_recv_locked(u, msg);
        sleep_lock_release(&u->sock->recv_lock);
        if (result != -EAGAIN)
            return result;
    }
}

/* MSG_PEEK on a stream: copy what is queued, across writes, consuming nothing. */
static long stream_peek(struct unix_sock *u, struct socket_msg *msg)
{
    u64 copied = 0;
    for (bool emptied = true; emptied;) {
        int status = wait_for_data(u, msg);
        if (status)
            return status < 0 ? status : 0;
        /* Senders only append, and readers wait for the lock: the skb we
         * copy from and the next one stay while the copy sleeps. */
        sleep_lock_acquire(&u->sock->recv_lock);
        emptied = list_empty(&u->queue); /* by another reader while we waited for the lock */
        struct unix_skb *skb;
        list_for_each_entry (skb, &u->queue, node) {
            if (copied == msg->length || (copied && skb->nfiles))
                break;
            u64 n = MIN(skb->len - skb->consumed, msg->length - copied);
            long got = socket_msg_copy_to_user(msg, skb->data + skb->consumed, n);
            if (got < 0 || (u64)got != n) {
                sleep_lock_release(&u->sock->recv_lock);
                return copied ? (long)copied : -EFAULT;
            }
            copied += n;
        }
        sleep_lock_release(&u->sock->recv_lock);
    }
    return (long)copied;
}

/* Copy from the skb at the head and consume what was copied; recv_lock held.
 * Bytes copied, -EAGAIN for an empty queue, -EFAULT; *stop: the skb's
 * descriptors must wait for the next call. */
static long stream_recv_one(struct unix_sock *u, struct socket_msg *msg, u64 copied, bool *stop)
{
    if (list_empty(&u->queue))
        return -EAGAIN;
    struct unix_skb *skb = list_entry(u->queue.head.next, struct unix_skb, node);
    *stop = copied && skb->nfiles; /* descriptors come with the first byte of their write */
    if (*stop)
        return 0;
    u64 n = MIN(skb->len - skb->consumed, msg->length - copied);
    long got = socket_msg_copy_to_user(msg, skb->data + skb->consumed, n);
    if (got < 0 || (u64)got != n)
        return -EFAULT;
    if (skb->nfiles)
        scm_give_files(msg, skb);
    skb->consumed += n;
    u->queued_bytes -= n;
    if (skb->consumed == skb->len) {
        list_remove(&skb->node);
        u->queued_count--;
        if (!u->spare && !skb->files)
            u->spare = skb; /* for the next write to us (make_skb) */
        else
            unix_skb_free(skb);
    }
    return (long)n;
}

static long stream_recv(struct unix_sock *u, struct socket_msg *msg)
{
    if (u->sock->state != SS_CONNECTED)
        return -EINVAL;
    if (msg->flags & MSG_PEEK)
        return stream_peek(u, msg);
    u64 copied = 0;
    while (copied < msg->length) {
        if (copied && (list_empty(&u->queue) && !(msg->flags & MSG_WAITALL)))
            break;
        struct socket_msg wait_msg = *msg;
        if (copied)
            wait_msg.flags &= ~MSG_DONTWAIT; /* WAITALL: keep going */
        int status = wait_for_data(u, copied ? &wait_msg : msg);
        if (status)
            return copied ? (long)copied : status < 0 ? status : 0;
        sleep_lock_acquire(&u->sock->recv_lock); /* see packet_recv_locked */
        bool stop = false;
        long got = stream_recv_one(u, msg, copied, &stop);
        sleep_lock_release(&u->sock->recv_lock);
        if (got == -EAGAIN)
            continue; /* another reader emptied the queue while we waited for the lock */
        if (got < 0)
            return copied ? (long)copied : got;
        if (stop)
            break;
        copied += (u64)got;
        wake_writers(u);
    }
    return (long)copied;
}

long unix_recvmsg(struct socket *sock, struct socket_msg *msg)
{
    struct unix_sock *u = unix_of(sock);
    if (msg->flags & MSG_OOB)
        return -EOPNOTSUPP;
    if (sock->state == SS_LISTENING)
        return -EINVAL;
    if (is_stream(sock))
        return stream_recv(u, msg);
    if (sock->type == SOCK_SEQPACKET && sock->state != SS_CONNECTED)
        return -EINVAL;
    return packet_recv(u, msg);
}
