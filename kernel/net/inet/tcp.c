/*
 * tcp.c - TCP sockets as the socket layer sees them: creating, binding,
 * listening, connecting, reading, writing and closing (see tcp.h).
 *
 * Every function here runs with interrupts off and never sleeps: when a call
 * cannot finish (no data, no room, handshake not done) it says so (-EAGAIN,
 * or a state to wait for) and the socket layer sleeps until ts->notify.
 */
#include "kernel/net/inet/tcp.h"
#include "kernel/net/inet/ip.h"
#include "kernel/net/inet/net_env.h"
#include "kernel/net/inet/net_stats.h"
#include "kernel/net/inet/netif.h"
#include "kernel/net/inet/netns.h"
#include "kernel/net/inet/ports.h"

struct list tcp_socks = LIST_INIT(tcp_socks);
u64 net_now_ms;

/* --- byte rings ------------------------------------------------------------ */

static bool ring_alloc(struct tcp_ring *ring, u32 size)
{
    if (ring->bytes)
        return true;
    ring->bytes = net_zalloc(size);
    ring->size = ring->bytes ? size : 0;
    ring->start = ring->len = 0;
    return ring->bytes != NULL;
}

/* Forget the bytes but keep the array: a sender may be copying into it. */
static void ring_clear(struct tcp_ring *ring) { ring->start = ring->len = 0; }

static void ring_release(struct tcp_ring *ring)
{
    if (ring->bytes)
        netif_loopback_forget(ring->bytes, ring->size); /* segments pointing into it */
    net_free(ring->bytes);
    ring->bytes = NULL;
    ring->size = ring->start = ring->len = 0;
}

/* Copy between the ring at position pos and a flat buffer, in at most a few
 * contiguous pieces (up to the end of the array, then from its start), not
 * byte by byte with a division each: that loop was 70% of the loopback's
 * TCP throughput (QEMU monitor samples of bench tcp_throughput). */
static void ring_in(struct tcp_ring *ring, u32 pos, const u8 *src, u32 len)
{
    while (len) {
        u32 piece = MIN(len, ring->size - pos);
        net_copy(ring->bytes + pos, src, piece);
        src += piece;
        len -= piece;
        pos = 0;
    }
}

static void ring_out(const struct tcp_ring *ring, u32 pos, u8 *dst, u32 len)
{
    while (len) {
        u32 piece = MIN(len, ring->size - pos);
        net_copy(dst, ring->bytes + pos, piece);
        dst += piece;
        len -= piece;
        pos = 0;
    }
}

u32 tcp_ring_write(struct tcp_ring *ring, const void *data, u32 len)
{
    len = MIN(len, ring->size - ring->len);
    if (len)
        ring_in(ring, (ring->start + ring->len) % ring->size, data, len);
    ring->len += len;
    return len;
}

void tcp_ring_put_at(struct tcp_ring *ring, u32 offset, const void *data, u32 len)
{
    if (offset < ring->size && len)
        ring_in(ring, (ring->start + offset) % ring->size, data, MIN(len, ring->size - offset));
}

void tcp_ring_copy(const struct tcp_ring *ring, u32 offset, void *out, u32 len)
{
    if (len && ring->size)
        ring_out(ring, (ring->start + offset) % ring->size, out, len);
}

u32 tcp_ring_data_span(const struct tcp_ring *ring, u8 **where)
{
    *where = ring->bytes + ring->start;
    return MIN(ring->len, ring->size - ring->start);
}

u32 tcp_ring_span_at(const struct tcp_ring *ring, u32 offset, u8 **where)
{
    if (offset >= ring->len)
        return 0;
    u32 pos = (ring->start + offset) % ring->size;
    *where = ring->bytes + pos;
    return MIN(ring->len - offset, ring->size - pos);
}

u32 tcp_ring_free_span(const struct tcp_ring *ring, u8 **where)
{
    if (ring->len == ring->size) {
        *where = NULL;
        return 0;
    }
    u32 end = (ring->start + ring->len) % ring->size;
    *where = ring->bytes + end;
    return end >= ring->start ? ring->size - end : ring->start - end;
}

void tcp_ring_drop(struct tcp_ring *ring, u32 len)
{
    len = MIN(len, ring->len);
    ring->start = ring->size ? (ring->start + len) % ring->size : 0;
    ring->len -= len;
}

/* --- the table of sockets ---------------------------------------------------- */

const char *tcp_state_name(enum tcp_state state)
{
    static const char *const names[] = {
        [TCP_ESTABLISHED] = "ESTABLISHED",
        [TCP_SYN_SENT] = "SYN_SENT",
        [TCP_SYN_RECEIVED] = "SYN_RECV",
        [TCP_FIN_WAIT_1] = "FIN_WAIT1",
        [TCP_FIN_WAIT_2] = "FIN_WAIT2",
        [TCP_TIME_WAIT] = "TIME_WAIT",
        [TCP_CLOSED] = "CLOSE",
        [TCP_CLOSE_WAIT] = "CLOSE_WAIT",
        [TCP_LAST_ACK] = "LAST_ACK",
        [TCP_LISTEN] = "LISTEN",
        [TCP_CLOSING] = "CLOSING",
    };
    return state >= 1 && state < ARRAY_SIZE(names) ? names[state] : "?";
}

struct tcp_sock *tcp_sock_create(struct net_ns *net)
{
    struct tcp_sock *ts = net_zalloc(sizeof(*ts));
    if (!ts)
        return NULL;
    ts->net = net;
    ts->state = TCP_CLOSED;
    ts->snd_mss = ts->adv_mss = TCP_MSS_DEFAULT; /* until the route is known */
    ts->rto_ms = TCP_RTO_INITIAL_MS;
    ts->keep_idle_s = TCP_KEEPIDLE_DEFAULT;
    ts->keep_intvl_s = TCP_KEEPINTVL_DEFAULT;
    ts->keep_cnt = TCP_KEEPCNT_DEFAULT;
    list_init(&ts->children);
    list_node_init(&ts->child_node);
    list_push_back(&tcp_socks, &ts->node);
    return ts;
}

void tcp_wake(struct tcp_sock *ts)
{
    if (ts->notify)
        ts->notify(ts->owner);
}

void tcp_set_state(struct tcp_sock *ts, enum tcp_state state)
{
    ts->state = state;
    if (state == TCP_TIME_WAIT || state == TCP_CLOSED) {
        /* Nothing more will be sent; unread data stays readable until close.
         * The rings' arrays stay until the socket is closed: its user may be
         * copying into the send ring's free space, or out of the receive
         * ring, with interrupts on (inet_stream.c). */
        if (ts->orphan) {
            ring_release(&ts->sbuf);
            ring_release(&ts->rbuf);
        } else {
            ring_clear(&ts->sbuf);
        }
        ts->rexmit_deadline = 0;
    }
    tcp_wake(ts);
}

/* The exact connection first, then a listener on the port (address or any). */
struct tcp_sock *tcp_lookup(struct net_ns *net, u32 local_addr, u16 local_port, u32 remote_addr,
                            u16 remote_port)
{
    struct tcp_sock *ts, *listener = NULL;
    list_for_each_entry (ts, &tcp_socks, node) {
        if (ts->net != net || ts->local_port != local_port || ts->state == TCP_CLOSED)
            continue;
        if (ts->state == TCP_LISTEN) {
            if (ts->local_addr == local_addr || (ts->local_addr == 0 && !listener))
                listener = ts;
            continue;
        }
        if (ts->remote_port == remote_port && ts->remote_addr == remote_addr &&
            ts->local_addr == local_addr)
            return ts;
    }
    return listener;
}

bool tcp_reuseaddr(const struct tcp_sock *ts)
{
    return ts->owner_reuseaddr ? *ts->owner_reuseaddr : ts->reuseaddr;
}

bool tcp_keepalive_on(const struct tcp_sock *ts)
{
    return ts->owner_keepalive ? *ts->owner_keepalive : ts->keepalive;
}

/* Would binding addr:port conflict with another socket?  As Linux: both must
 * have SO_REUSEADDR and the other must not be listening. */
static bool tcp_port_taken(const struct tcp_sock *self, u32 addr, u16 port)
{
    struct tcp_sock *other;
    list_for_each_entry (other, &tcp_socks, node) {
        if (other == self || other->local_port != port || other->net != self->net)
            continue; /* another namespace's ports are its own */
        if (other->local_addr && addr && other->local_addr != addr)
            continue;
        if (tcp_reuseaddr(self) && tcp_reuseaddr(other) && other->state != TCP_LISTEN)
            continue;
        return true;
    }
    return false;
}

static bool tcp_port_free(void *self, u16 port) { return !tcp_port_taken(self, 0, port); }

int tcp_bind(struct tcp_sock *ts, u32 addr, u16 port)
{
    if (ts->local_port)
        return -EINVAL; /* already bound */
    if (addr && !netif_is_local(ts->net, addr))
        return -EADDRNOTAVAIL;
    if (port == 0) {
        port = port_pick_ephemeral(tcp_port_free, ts);
        if (!port)
            return -EADDRINUSE;
    } else if (tcp_port_taken(ts, addr, port)) {
        return -EADDRINUSE;
    }
    ts->local_addr = addr;
    ts->local_port = port;
    return 0;
}

int tcp_listen(struct tcp_sock *ts, int backlog)
{
    if (ts->state != TCP_CLOSED && ts->state != TCP_LISTEN)
        return -EINVAL;
    if (!ts->local_port) {
        int error = tcp_bind(ts, 0, 0);
        if (error)
            return error;
    }
    /* As Linux: a backlog <= 0 still queues one, and somaxconn caps it. */
    ts->backlog = backlog < 1 ? 1 : MIN((u32)backlog, (u32)TCP_MAX_BACKLOG);
    ts->state = TCP_LISTEN;
    return 0;
}

static u32 tcp_new_iss(void)
{
    /* RFC 6528 wants a keyed hash; a moving counter shows the idea. */
    static u32 counter = 0x1000;
    counter += 64000 + (u32)net_now_ms * 250;
    return counter;
}

void tcp_set_buffer_sizes(struct tcp_sock *ts, u32 sndbuf, u32 rcvbuf)
{
    ts->sbuf_size = MIN(MAX(sndbuf, (u32)TCP_RING_MIN), (u32)TCP_RING_MAX);
    ts->rbuf_size = MIN(MAX(rcvbuf, (u32)TCP_RING_MIN), (u32)TCP_RING_MAX);
}

u16 tcp_route_mss(struct net_ns *net, u32 addr)
{
    struct netif *netif = route_lookup(net, addr);
    if (!netif)
        return TCP_MSS_DEFAULT;
    u32 mtu = MIN(netif->mtu, (u32)IP_MAX_LEN); /* lo's 65536 does not fit IP's length */
    return (u16)MAX(mtu, (u32)(TCP_IP_HEADERS_LEN + TCP_MSS_MIN)) - TCP_IP_HEADERS_LEN;
}

u8 tcp_wscale_for(u32 ring_size)
{
    /* The ring less a byte, so the default 64 KiB ring needs no shift (its
     * window stops at 65535, as without scaling); 0 still offers to scale. */
    u32 largest = ring_size ? ring_size - 1 : 0;
    u8 shift = 0;
    while ((largest >> shift) > TCP_MAX_WINDOW && shift < TCP_MAX_WSCALE)
        shift++;
    return shift;
}

u16 tcp_window_field(const struct tcp_sock *ts, bool syn, u32 *announced)
{
    u32 space = ts->rbuf.size > ts->rbuf.len ? ts->rbuf.size - ts->rbuf.len : 0;
    u8 shift = syn ? 0 : ts->rcv_wscale; /* a SYN's window is never scaled */
    u32 field = MIN(space >> shift, (u32)TCP_MAX_WINDOW);
    *announced = field << shift;
    return (u16)field;
}

static bool tcp_alloc_buffers(struct tcp_sock *ts)
{
    return ring_alloc(&ts->sbuf, ts->sbuf_size ? ts->sbuf_size : TCP_BUFFER_SIZE) &&
           ring_alloc(&ts->rbuf, ts->rbuf_size ? ts->rbuf_size : TCP_BUFFER_SIZE);
}

static void tcp_init_send(struct tcp_sock *ts)
{
    ts->iss = tcp_new_iss();
    ts->snd_una = ts->snd_nxt = ts->snd_max = ts->iss;
    ts->sbuf_seq = ts->iss + 1;                  /* the SYN takes one sequence number */
    ts->snd_wnd = 1;                             /* enough for the SYN until the peer tells us */
    ts->cwnd = TCP_INIT_CWND_SEGS * ts->snd_mss; /* set again when the peer's MSS is known */
    ts->ssthresh = TCP_SSTHRESH_INFINITE;
}

int tcp_connect(struct tcp_sock *ts, u32 addr, u16 port)
{
    switch (ts->state) {
    case TCP_CLOSED:
        break;
    case TCP_SYN_SENT:
        return -EALREADY;
    default:
        return -EISCONN; /* listening or connected (Linux says EISCONN for both) */
    }
    if (port == 0)
        return -ECONNREFUSED;
    u32 src = ip_source_for(ts->net, addr);
    if (!src)
        return -ENETUNREACH;
    if (!tcp_alloc_buffers(ts))
        return -ENOBUFS;
    if (!ts->local_port) {
        int error = tcp_bind(ts, 0, 0);
        if (error)
            return error == -EADDRINUSE ? -EADDRNOTAVAIL : error;
    }
    if (!ts->local_addr)
        ts->local_addr = src;
    ts->remote_addr = addr;
    ts->remote_port = port;
    ts->error = 0;
    ts->adv_mss = ts->snd_mss = tcp_route_mss(ts->net, addr);
    /* Offer window scaling with the shift our receive ring needs. */
    ts->wscale_ok = true;
    ts->rcv_wscale = tcp_wscale_for(ts->rbuf.size);
    ts->snd_wscale = 0;
    tcp_init_send(ts);
    ts->rto_ms = TCP_RTO_INITIAL_MS;
    ts->retries = 0;
    ts->net->stats.tcp_active_opens++;
    tcp_set_state(ts, TCP_SYN_SENT);
    tcp_output(ts);
    return 0;
}

/* A new connection for a listener (a SYN arrived).  NULL if the backlog is full. */
struct tcp_sock *tcp_child_create(struct tcp_sock *listener)
{
    if (listener->nr_children >= listener->backlog)
        return NULL;
    struct tcp_sock *child = tcp_sock_create(listener->net);
    if (!child)
        return NULL;
    child->sbuf_size = listener->sbuf_size;
    child->rbuf_size = listener->rbuf_size;
    child->keep_idle_s = listener->keep_idle_s;
    child->keep_intvl_s = listener->keep_intvl_s;
    child->keep_cnt = listener->keep_cnt;
    child->keepalive = tcp_keepalive_on(listener);
    if (!tcp_alloc_buffers(child)) {
        tcp_done(child);
        return NULL;
    }
    child->parent = listener;
    child->reuseaddr = tcp_reuseaddr(listener);
    child->nodelay = listener->nodelay;
    child->orphan = true; /* nobody holds it until accept() */
    list_push_back(&listener->children, &child->child_node);
    listener->nr_children++;
    tcp_init_send(child);
    return child;
}

struct tcp_sock *tcp_accept(struct tcp_sock *listener)
{
    struct tcp_sock *child;
    list_for_each_entry (child, &listener->children, child_node) {
        if (child->state == TCP_SYN_RECEIVED)
            continue;
        list_remove(&child->child_node);
        list_node_init(&child->child_node);
        listener->nr_children--;
        child->parent = NULL;
        child->orphan = false;
        child->accepted = true;
        return child;
    }
    return NULL;
}

u32 tcp_send_space(const struct tcp_sock *ts) { return ts->sbuf.size - ts->sbuf.len; }

/* 0 if data may be queued for sending now, else why not. */
static int tcp_send_allowed(struct tcp_sock *ts)
{
    if (ts->error)
        return -tcp_take_error(ts);
    if (ts->fin_queued)
        return -EPIPE;
    switch (ts->state) {
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
        return 0;
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
        return -EAGAIN; /* the caller waits for the handshake */
    case TCP_CLOSED:
    case TCP_LISTEN:
        return -ENOTCONN;
    default:
        return -EPIPE;
    }
}

int tcp_send(struct tcp_sock *ts, const void *data, u32 len)
{
    int error = tcp_send_allowed(ts);
    if (error)
        return error;
    u32 n = tcp_ring_write(&ts->sbuf, data, len);
    if (n == 0)
        return -EAGAIN;
    tcp_output(ts);
    return (int)n;
}

int tcp_send_commit(struct tcp_sock *ts, u32 len)
{
    int error = tcp_send_allowed(ts);
    if (error)
        return error;
    len = MIN(len, ts->sbuf.size - ts->sbuf.len);
    ts->sbuf.len += len;
    tcp_output(ts);
    return (int)len;
}

/* Tell the peer about buffer space freed by the reader, once it matters:
 * the window was (nearly) closed and has opened by a segment or more. */
static void tcp_window_update(struct tcp_sock *ts)
{
    u32 window;
    tcp_window_field(ts, false, &window);
    /* Receiver-side silly window avoidance (RFC 1122 4.2.3.3): a step of a
     * full segment, or of half the ring when a segment is larger than that
     * (lo's 64 KiB segments into a 64 KiB ring). */
    u32 step = MIN((u32)ts->adv_mss, ts->rbuf.size / 2);
    if (window >= ts->rcv_adv_wnd + step || (ts->rcv_adv_wnd == 0 && window > 0))
        tcp_send_control(ts, TCP_ACK, ts->snd_nxt);
}

void tcp_recv_consume(struct tcp_sock *ts, u32 len)
{
    tcp_ring_drop(&ts->rbuf, len);
    if (ts->state == TCP_ESTABLISHED || ts->state == TCP_FIN_WAIT_1 || ts->state == TCP_FIN_WAIT_2)
        tcp_window_update(ts);
}

int tcp_recv(struct tcp_sock *ts, void *buf, u32 len, bool peek)
{
    if (ts->state == TCP_LISTEN)
        return -ENOTCONN;
    if (ts->rbuf.len > 0 && len > 0) {
        u32 n = MIN(len, ts->rbuf.len);
        tcp_ring_copy(&ts->rbuf, 0, buf, n);
        if (!peek)
            tcp_recv_consume(ts, n);
        return (int)n;
    }
    if (ts->error)
        return -tcp_take_error(ts);
    if (ts->fin_received || ts->shut_rd || len == 0)
        return 0;
    if (ts->state == TCP_CLOSED)
        return ts->accepted || ts->remote_port ? 0 : -ENOTCONN;
    return -EAGAIN;
}

int tcp_shutdown(struct tcp_sock *ts, int how)
{
    if (ts->state == TCP_LISTEN || ts->state == TCP_CLOSED || ts->state == TCP_SYN_SENT)
        return -ENOTCONN;
    if (how == 0 || how == 2) {
        ts->shut_rd = true;
        tcp_wake(ts);
    }
    if ((how == 1 || how == 2) && !ts->fin_queued) {
        ts->fin_queued = true;
        if (ts->state == TCP_ESTABLISHED || ts->state == TCP_SYN_RECEIVED)
            tcp_set_state(ts, TCP_FIN_WAIT_1);
        else if (ts->state == TCP_CLOSE_WAIT)
            tcp_set_state(ts, TCP_LAST_ACK);
        tcp_output(ts);
    }
    return 0;
}

int tcp_take_error(struct tcp_sock *ts)
{
    int error = ts->error;
    ts->error = 0;
    return error;
}

bool tcp_readable(const struct tcp_sock *ts)
{
    if (ts->state == TCP_LISTEN) {
        struct tcp_sock *child;
        list_for_each_entry (child, &ts->children, child_node)
            if (child->state != TCP_SYN_RECEIVED)
                return true;
        return false;
    }
    return ts->rbuf.len > 0 || ts->fin_received || ts->shut_rd || ts->error ||
           (ts->state == TCP_CLOSED && (ts->accepted || ts->remote_port));
}

bool tcp_writable(const struct tcp_sock *ts)
{
    if (ts->error || ts->fin_queued)
        return true; /* the write fails at once: not a reason to sleep */
    if (ts->state == TCP_ESTABLISHED || ts->state == TCP_CLOSE_WAIT)
        return tcp_send_space(ts) > 0;
    return ts->state != TCP_SYN_SENT && ts->state != TCP_SYN_RECEIVED;
}

/* Drop the connection: the user sees `error` (positive errno) on the next call. */
void tcp_abort(struct tcp_sock *ts, int error)
{
    if (ts->state == TCP_ESTABLISHED || ts->state == TCP_CLOSE_WAIT)
        ts->net->stats.tcp_estab_resets++;
    ts->error = error;
    tcp_set_state(ts, TCP_CLOSED);
    tcp_done(ts);
}

/* Free ts once it is closed and nobody holds it: its user closed it, or it
 * is a child nobody accepted yet. */
void tcp_done(struct tcp_sock *ts)
{
    if (ts->state != TCP_CLOSED && ts->state != TCP_LISTEN)
        ts->state = TCP_CLOSED;
    if (!ts->orphan)
        return;
    if (ts->parent) {
        list_remove(&ts->child_node);
        ts->parent->nr_children--;
    }
    list_remove(&ts->node);
    tcp_forget_owed_ack(ts);
    ring_release(&ts->sbuf);
    ring_release(&ts->rbuf);
    net_free(ts);
}

void tcp_close(struct tcp_sock *ts)
{
    ts->reuseaddr = tcp_reuseaddr(ts);
    ts->owner_reuseaddr = NULL;
    ts->owner_keepalive = NULL;
    ts->orphan = true;
    ts->notify = NULL;
    switch (ts->state) {
    case TCP_LISTEN: {
        /* Connections nobody accepted are reset, as Linux does. */
        struct tcp_sock *child, *tmp;
        list_for_each_entry_safe (child, tmp, &ts->children, child_node) {
            tcp_send_control(child, TCP_RST | TCP_ACK, child->snd_nxt);
            child->parent = NULL;
            list_remove(&child->child_node);
            list_node_init(&child->child_node);
            tcp_set_state(child, TCP_CLOSED);
            tcp_done(child);
        }
        ts->nr_children = 0;
        tcp_set_state(ts, TCP_CLOSED);
        tcp_done(ts);
        return;
    }
    case TCP_CLOSED:
    case TCP_SYN_SENT:
        tcp_set_state(ts, TCP_CLOSED);
        tcp_done(ts);
        return;
    default:
        break;
    }
    if (ts->rbuf.len > 0) {
        /* Closing with unread data tells the peer it was lost (RFC 2525). */
        tcp_send_control(ts, TCP_RST | TCP_ACK, ts->snd_nxt);
        tcp_set_state(ts, TCP_CLOSED);
        tcp_done(ts);
        return;
    }
    tcp_shutdown(ts, 2);
    if (ts->state == TCP_FIN_WAIT_2)
        ts->close_deadline = net_now_ms + TCP_FIN_WAIT_2_MS;
}

void tcp_net_release(struct net_ns *net)
{
    struct tcp_sock *ts, *tmp;
    list_for_each_entry_safe (ts, tmp, &tcp_socks, node) {
        if (ts->net != net)
            continue;
        /* Every socket of the namespace held a reference: these are orphans
         * (TIME_WAIT, FIN_WAIT_2, LAST_ACK...).  They go without a word, as
         * Linux's do when a namespace dies. */
        ts->orphan = true;
        ts->parent = NULL; /* a listener's children went with it */
        ts->state = TCP_CLOSED;
        tcp_done(ts);
    }
}

void net_tick(u64 now_ms)
{
    net_now_ms = now_ms;
    netif_deliver_pending();
    tcp_timers();
    netif_deliver_pending();
}
