/*
 * inet_stream.c - TCP sockets: the socket layer's calls on top of tcp.c.
 *
 * Each call takes interrupts off to talk to the core (net_enter), and
 * leaves it before touching user memory or sleeping.  The core reports
 * every change through tcp_sock.notify, which lands in inet_stream_notify:
 * it moves a connection error into sock->error (what SO_ERROR reads) and
 * wakes sock->wait, where readers, writers, accept, connect and poll sleep.
 */
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/poll.h"
#include "kernel/net/inet/af_inet.h"
#include "kernel/net/inet/net_env.h"
#include "kernel/net/inet/netns.h"
#include "kernel/net/inet/tcp.h"
#include "kernel/uaccess.h"
#include "sched/wait.h"

static struct tcp_sock *tcp_of(struct socket *sock) { return sock->private; }

/* Called by the core, interrupts off. */
static void inet_stream_notify(void *owner)
{
    struct socket *sock = owner;
    struct tcp_sock *ts = sock->private;
    if (ts && ts->error) {
        sock->error = -tcp_take_error(ts);
        if (sock->state == SS_CONNECTING || sock->state == SS_CONNECTED)
            sock->state = SS_DISCONNECTED;
    }
    socket_wake(sock);
}

static void inet_stream_attach(struct socket *sock, struct tcp_sock *ts)
{
    sock->private = ts;
    ts->owner = sock;
    ts->notify = inet_stream_notify;
    ts->owner_reuseaddr = &sock->reuseaddr;
    ts->owner_keepalive = &sock->keepalive;
    ts->owner_pid = (u32)sock->creds.pid;
}

static void inet_stream_release(struct socket *sock)
{
    struct tcp_sock *ts = tcp_of(sock);
    if (!ts)
        return;                   /* an accept() that failed before it had a connection */
    struct net_ns *net = ts->net; /* ts may be freed below */
    bool irq = net_enter();
    if (sock->linger.l_onoff && sock->linger.l_linger == 0 && ts->state != TCP_LISTEN &&
        ts->state != TCP_CLOSED && ts->state != TCP_SYN_SENT) {
        /* SO_LINGER with a zero timeout: abort with RST instead of FIN. */
        tcp_send_control(ts, TCP_RST | TCP_ACK, ts->snd_nxt);
        ts->notify = NULL;
        ts->owner_reuseaddr = NULL;
        ts->owner_keepalive = NULL;
        ts->orphan = true;
        tcp_abort(ts, ECONNRESET);
    } else {
        tcp_close(ts);
    }
    net_leave(irq);
    inet_net_put(net);
}

static int inet_stream_bind(struct socket *sock, const struct sockaddr *addr, int addrlen)
{
    u32 ip;
    u16 port;
    int error = inet_addr_from(addr, addrlen, &ip, &port);
    if (error)
        return error;
    bool irq = net_enter();
    error = tcp_of(sock)->state == TCP_CLOSED ? tcp_bind(tcp_of(sock), ip, port) : -EINVAL;
    net_leave(irq);
    return error;
}

static int inet_stream_connect(struct socket *sock, const struct sockaddr *addr, int addrlen,
                               bool nonblock)
{
    u32 ip;
    u16 port;
    int error = inet_dest_from(addr, addrlen, &ip, &port);
    if (error)
        return error;
    struct tcp_sock *ts = tcp_of(sock);
    bool irq = net_enter();
    if (sock->state == SS_CONNECTING && ts->state == TCP_SYN_SENT) {
        error = nonblock ? -EALREADY : 0; /* a blocking call waits for the first */
    } else if (sock->state == SS_CONNECTING && ts->state != TCP_CLOSED) {
        sock->state = SS_CONNECTED; /* a non-blocking connect finished: say so once */
        net_leave(irq);
        return 0;
    } else if (sock->state == SS_DISCONNECTED && ts->state == TCP_CLOSED) {
        error = -ECONNABORTED; /* Linux does not reconnect a failed TCP socket either */
        if (sock->error)
            error = sock->error, sock->error = 0;
    } else {
        tcp_set_buffer_sizes(ts, sock->sndbuf, sock->rcvbuf);
        error = tcp_connect(ts, ip, port);
        if (!error)
            sock->state = SS_CONNECTING;
    }
    net_leave(irq);
    if (error)
        return error;
    if (nonblock)
        return -EINPROGRESS; /* as Linux, even when loopback finished at once */
    if (WAIT_EVENT(&sock->wait, "connect", ts->state != TCP_SYN_SENT))
        return -ERESTARTSYS;
    irq = net_enter();
    if (sock->error) {
        error = sock->error;
        sock->error = 0;
    } else if (ts->state == TCP_CLOSED) {
        error = -ECONNREFUSED;
    } else {
        sock->state = SS_CONNECTED;
    }
    net_leave(irq);
    return error;
}

static int inet_stream_listen(struct socket *sock, int backlog)
{
    bool irq = net_enter();
    tcp_set_buffer_sizes(tcp_of(sock), sock->sndbuf, sock->rcvbuf); /* children inherit them */
    int error = tcp_listen(tcp_of(sock), backlog);
    net_leave(irq);
    if (!error)
        sock->state = SS_LISTENING;
    return error;
}

static int inet_stream_accept(struct socket *sock, struct socket **accepted, bool nonblock)
{
    struct tcp_sock *ts = tcp_of(sock);
    if (ts->state != TCP_LISTEN)
        return -EINVAL;
    struct socket *new_sock = socket_alloc(AF_INET, SOCK_STREAM, IPPROTO_TCP, &inet_stream_ops);
    if (!new_sock)
        return -ENOMEM;
    for (;;) {
        bool irq = net_enter();
        struct tcp_sock *child = ts->state == TCP_LISTEN ? tcp_accept(ts) : NULL;
        if (child) {
            inet_stream_attach(new_sock, child);
            ns_get(&child->net->common); /* the same namespace as its listener */
            new_sock->state = SS_CONNECTED;
            new_sock->reuseaddr = sock->reuseaddr;
            new_sock->keepalive = sock->keepalive; /* inherited, as Linux */
            new_sock->sndbuf = sock->sndbuf;
            new_sock->rcvbuf = sock->rcvbuf;
            net_leave(irq);
            *accepted = new_sock;
            if (child->error || child->state != TCP_ESTABLISHED)
                inet_stream_notify(new_sock); /* reset before accept: the error waits */
            return 0;
        }
        bool listening = ts->state == TCP_LISTEN;
        net_leave(irq);
        int error = !listening ? -EINVAL
                    : nonblock ? -EAGAIN
                               : WAIT_EVENT(&sock->wait, "accept",
                                            tcp_readable(ts) || ts->state != TCP_LISTEN);
        if (error) {
            socket_free(new_sock);
            return error == -EINTR ? -ERESTARTSYS : error;
        }
    }
}

/*
 * The data moves straight between the user's buffers and the connection's
 * rings: a send copies into the free space after the send ring's bytes and
 * then queues it (tcp_send_commit), a receive copies out of the receive
 * ring and then consumes.  The copies run with interrupts on, since they may
 * sleep (a page on swap); sock->send_lock and sock->recv_lock keep another
 * writer or reader of the socket out of the same space meanwhile, and the
 * core only appends after a receive ring's bytes and only drops from the
 * front of a send ring, so neither moves what is being copied.
 */
static long inet_stream_sendmsg(struct socket *sock, struct socket_msg *msg)
{
    struct tcp_sock *ts = tcp_of(sock);
    long sent = 0;
    while (sent < (long)msg->length) {
        sleep_lock_acquire(&sock->send_lock);
        bool irq = net_enter();
        long error = 0;
        u8 *room = NULL;
        u32 space = 0;
        if (sock->error) {
            error = sock->error;
            sock->error = 0;
        } else if (sock->shutdown & SEND_SHUTDOWN || ts->fin_queued) {
            error = -EPIPE;
        } else if (ts->state == TCP_ESTABLISHED || ts->state == TCP_CLOSE_WAIT) {
            space = tcp_ring_free_span(&ts->sbuf, &room);
        } else if (ts->state == TCP_CLOSED || ts->state == TCP_LISTEN) {
            error = -EPIPE; /* as Linux, even if it never was connected */
        } else if (ts->state != TCP_SYN_SENT && ts->state != TCP_SYN_RECEIVED) {
            error = -EPIPE;
        }
        net_leave(irq);
        if (error || space == 0)
            sleep_lock_release(&sock->send_lock);
        if (error) {
            if (!sent)
                sent = error;
            break;
        }
        if (space == 0) {
            if (msg->flags & MSG_DONTWAIT) {
                if (!sent)
                    sent = -EAGAIN;
                break;
            }
            error = SOCKET_WAIT(sock, "tcp_send", msg->deadline,
                                sock->error || (tcp_writable(ts) && ts->state != TCP_SYN_SENT));
            if (error) {
                if (!sent)
                    sent = error; /* -EAGAIN at SO_SNDTIMEO, -ERESTARTSYS, -EINTR */
                break;
            }
            continue;
        }
        u32 chunk = (u32)MIN((u64)space, msg->length - (u64)sent);
        long copied = socket_msg_copy_from_user(msg, room, chunk);
        if (copied <= 0) {
            sleep_lock_release(&sock->send_lock);
            if (!sent)
                sent = -EFAULT;
            break;
        }
        irq = net_enter();
        int n = tcp_send_commit(ts, (u32)copied); /* the state may have changed meanwhile */
        net_leave(irq);
        sleep_lock_release(&sock->send_lock);
        if (n < 0) {
            if (!sent)
                sent = n;
            break;
        }
        sent += n;
    }
    return sent;
}

static long inet_stream_recvmsg(struct socket *sock, struct socket_msg *msg)
{
    struct tcp_sock *ts = tcp_of(sock);
    bool peek = msg->flags & MSG_PEEK, wait_all = msg->flags & MSG_WAITALL;
    long got = 0;
    while (got < (long)msg->length) {
        /* From choosing the bytes to consuming them: the copy may sleep
         * (swap-in), and another reader must not take the same bytes. */
        sleep_lock_acquire(&sock->recv_lock);
        bool irq = net_enter();
        int n;
        u8 *data = NULL;
        if (ts->rbuf.len > 0 && ts->state != TCP_LISTEN) {
            n = (int)tcp_ring_data_span(&ts->rbuf, &data); /* up to where the ring wraps */
        } else if (got > 0 && !wait_all) {
            n = -EAGAIN; /* return what we have; an error or the end waits for the next call */
        } else if (sock->error) {
            n = sock->error;
            sock->error = 0;
        } else if (sock->shutdown & RCV_SHUTDOWN) {
            n = 0;
        } else {
            n = tcp_recv(ts, NULL, 1, true); /* nothing queued: 0 at the end, -EAGAIN, -errno */
        }
        net_leave(irq);
        if (n > 0) {
            u32 want = (u32)MIN((u64)n, msg->length - (u64)got);
            long copied = socket_msg_copy_to_user(msg, data, want);
            if (copied > 0 && !peek) {
                irq = net_enter();
                tcp_recv_consume(ts, (u32)copied);
                net_leave(irq);
            }
            sleep_lock_release(&sock->recv_lock);
            if (copied <= 0) {
                if (!got)
                    got = -EFAULT;
                break;
            }
            got += copied;
            if (peek)
                break;
            continue; /* more after the ring wraps, or (MSG_WAITALL) later */
        }
        sleep_lock_release(&sock->recv_lock);
        if (n == -EAGAIN && (got == 0 || wait_all) && !(msg->flags & MSG_DONTWAIT)) {
            int error =
                SOCKET_WAIT(sock, "tcp_recv", msg->deadline, tcp_readable(ts) || sock->error);
            if (error) {
                if (!got)
                    got = error; /* -EAGAIN at SO_RCVTIMEO, -ERESTARTSYS, -EINTR */
                break;
            }
            continue;
        }
        if (got == 0)
            got = n; /* 0 (end of stream), -EAGAIN, -ECONNRESET, -ENOTCONN */
        break;
    }
    return got;
}

static int inet_stream_shutdown(struct socket *sock, int how)
{
    int tcp_how = how == (RCV_SHUTDOWN | SEND_SHUTDOWN) ? 2 : how == RCV_SHUTDOWN ? 0 : 1;
    bool irq = net_enter();
    int error = tcp_shutdown(tcp_of(sock), tcp_how);
    net_leave(irq);
    socket_wake(sock);
    return error;
}

static int inet_stream_getname(struct socket *sock, struct sockaddr_storage *addr, bool peer)
{
    struct tcp_sock *ts = tcp_of(sock);
    if (peer) {
        if (ts->state == TCP_LISTEN || ts->state == TCP_CLOSED || ts->state == TCP_SYN_SENT)
            return -ENOTCONN;
        return inet_addr_to(addr, ts->remote_addr, ts->remote_port);
    }
    return inet_addr_to(addr, ts->local_addr, ts->local_port);
}

static int inet_stream_setsockopt(struct socket *sock, int level, int name, const void *value,
                                  int len)
{
    if (level != SOL_TCP)
        return -ENOPROTOOPT;
    if (len < (int)sizeof(int))
        return -EINVAL;
    int v = *(const int *)value;
    switch (name) {
    case TCP_NODELAY: {
        bool irq = net_enter();
        tcp_of(sock)->nodelay = v != 0;
        tcp_output(tcp_of(sock)); /* anything Nagle held back goes now */
        net_leave(irq);
        return 0;
    }
    case TCP_KEEPIDLE:
    case TCP_KEEPINTVL:
        if (v < 1 || v > TCP_KEEP_MAX_SECONDS)
            return -EINVAL;
        if (name == TCP_KEEPIDLE)
            tcp_of(sock)->keep_idle_s = (u32)v;
        else
            tcp_of(sock)->keep_intvl_s = (u32)v;
        return 0;
    case TCP_KEEPCNT:
        if (v < 1 || v > TCP_KEEP_MAX_PROBES)
            return -EINVAL;
        tcp_of(sock)->keep_cnt = (u32)v;
        return 0;
    default:
        return -ENOPROTOOPT;
    }
}

/* The head of Linux's struct tcp_info (getsockopt TCP_INFO), as far as
 * sprout keeps the numbers: a caller's longer struct gets the rest zeroed. */
struct tcp_info_k {
    u8 state, ca_state, retransmits, probes, backoff, options;
    u8 wscale; /* snd_wscale in the low 4 bits, rcv_wscale in the high 4 */
    u8 app_limited;
    u32 rto, ato, snd_mss, rcv_mss; /* rto in microseconds */
    u32 unacked, sacked, lost, retrans, fackets;
    u32 last_data_sent, last_ack_sent, last_data_recv, last_ack_recv;
    u32 pmtu, rcv_ssthresh, rtt, rttvar, snd_ssthresh, snd_cwnd, advmss, reordering;
    u32 rcv_rtt, rcv_space, total_retrans;
};

#define TCPI_OPT_WSCALE 4

static int inet_stream_tcp_info(struct tcp_sock *ts, void *value, int *len)
{
    struct tcp_info_k info = {0};
    bool irq = net_enter();
    info.state = (u8)ts->state;
    info.retransmits = (u8)MIN(ts->retries, 255u);
    if (ts->wscale_ok && ts->state != TCP_SYN_SENT) {
        info.options = TCPI_OPT_WSCALE;
        info.wscale = (u8)(ts->snd_wscale | ts->rcv_wscale << 4);
    }
    info.rto = ts->rto_ms * 1000;
    info.snd_mss = ts->snd_mss;
    info.rcv_mss = ts->adv_mss;
    info.unacked = ts->snd_max - ts->snd_una;
    info.pmtu = ts->adv_mss + TCP_IP_HEADERS_LEN; /* the route's MTU (at most 65535) */
    info.rtt = ts->srtt_ms * 1000;
    info.rttvar = ts->rttvar_ms * 1000;
    info.snd_ssthresh =
        ts->ssthresh == TCP_SSTHRESH_INFINITE ? 0x7fffffff : ts->ssthresh / MAX(ts->snd_mss, 1);
    info.snd_cwnd = ts->cwnd / MAX(ts->snd_mss, 1); /* in segments, as Linux */
    info.advmss = ts->adv_mss;
    info.rcv_space = ts->rbuf.size;
    net_leave(irq);
    *len = MIN(*len, (int)sizeof info);
    memcpy(value, &info, (size_t)*len);
    return 0;
}

static int inet_stream_getsockopt(struct socket *sock, int level, int name, void *value, int *len)
{
    if (level != SOL_TCP)
        return -ENOPROTOOPT;
    if (name == TCP_INFO)
        return inet_stream_tcp_info(tcp_of(sock), value, len);
    if (*len < (int)sizeof(int))
        return -EINVAL;
    int v;
    switch (name) {
    case TCP_NODELAY:
        v = tcp_of(sock)->nodelay;
        break;
    case TCP_MAXSEG:
        v = tcp_of(sock)->snd_mss;
        break;
    case TCP_KEEPIDLE:
        v = (int)tcp_of(sock)->keep_idle_s;
        break;
    case TCP_KEEPINTVL:
        v = (int)tcp_of(sock)->keep_intvl_s;
        break;
    case TCP_KEEPCNT:
        v = (int)tcp_of(sock)->keep_cnt;
        break;
    default:
        return -ENOPROTOOPT;
    }
    *(int *)value = v;
    *len = sizeof(int);
    return 0;
}

static u32 inet_stream_poll(struct socket *sock, struct poll_table *table)
{
    poll_wait(table, &sock->wait);
    struct tcp_sock *ts = tcp_of(sock);
    bool irq = irq_save();
    u32 events = 0;
    if (tcp_readable(ts))
        events |= POLLIN | POLLRDNORM;
    if (ts->state != TCP_LISTEN && ts->state != TCP_SYN_SENT && ts->state != TCP_SYN_RECEIVED &&
        tcp_writable(ts) && (ts->state != TCP_CLOSED || sock->error))
        events |= POLLOUT | POLLWRNORM;
    if (sock->error)
        events |= POLLERR;
    if ((ts->state == TCP_CLOSED && sock->state != SS_UNCONNECTED) ||
        (ts->fin_received && ts->fin_queued))
        events |= POLLHUP;
    if (ts->state == TCP_CLOSED && sock->state == SS_UNCONNECTED)
        events |= POLLOUT | POLLWRNORM | POLLHUP; /* as Linux for a fresh socket */
    irq_restore(irq);
    return events;
}

static long inet_stream_ioctl(struct socket *sock, u64 command, u64 arg)
{
    int v;
    if (command == FIONREAD)
        v = (int)tcp_of(sock)->rbuf.len;
    else if (command == SIOCOUTQ)
        v = (int)tcp_of(sock)->sbuf.len;
    else
        return inet_ioctl_common(sock, command, arg); /* SIOCGIF*: ifconfig */
    return copy_to_user((void *)arg, &v, sizeof v) ? -EFAULT : 0;
}

const struct proto_ops inet_stream_ops = {
    .family = AF_INET,
    .release = inet_stream_release,
    .bind = inet_stream_bind,
    .connect = inet_stream_connect,
    .listen = inet_stream_listen,
    .accept = inet_stream_accept,
    .sendmsg = inet_stream_sendmsg,
    .recvmsg = inet_stream_recvmsg,
    .shutdown = inet_stream_shutdown,
    .getname = inet_stream_getname,
    .setsockopt = inet_stream_setsockopt,
    .getsockopt = inet_stream_getsockopt,
    .poll = inet_stream_poll,
    .ioctl = inet_stream_ioctl,
};

int inet_stream_create(struct socket *sock)
{
    struct net_ns *net = inet_net_get();
    bool irq = net_enter();
    struct tcp_sock *ts = tcp_sock_create(net);
    net_leave(irq);
    if (!ts) {
        inet_net_put(net);
        return -ENOMEM;
    }
    sock->ops = &inet_stream_ops;
    inet_stream_attach(sock, ts);
    return 0;
}
