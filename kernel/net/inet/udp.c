/* udp.c - UDP sockets and datagrams (see udp.h). */
#include "kernel/net/inet/udp.h"
#include "kernel/net/inet/checksum.h"
#include "kernel/net/inet/icmp.h"
#include "kernel/net/inet/ip.h"
#include "kernel/net/inet/net_env.h"
#include "kernel/net/inet/net_stats.h"
#include "kernel/net/inet/netbuf.h"
#include "kernel/net/inet/netif.h"
#include "kernel/net/inet/netns.h"
#include "kernel/net/inet/ports.h"

struct list udp_socks = LIST_INIT(udp_socks);

struct udp_sock *udp_sock_create(struct net_ns *net, int protocol)
{
    struct udp_sock *us = net_zalloc(sizeof(*us));
    if (!us)
        return NULL;
    list_init(&us->rx_queue);
    us->rcvbuf = UDP_DEFAULT_RCVBUF;
    us->protocol = protocol;
    us->net = net;
    list_push_back(&udp_socks, &us->node);
    return us;
}

void udp_sock_destroy(struct udp_sock *us)
{
    struct list_node *node;
    while ((node = list_pop_front(&us->rx_queue)))
        netbuf_free(list_entry(node, struct netbuf, node));
    list_remove(&us->node);
    net_free(us);
}

/* Does a socket other than `self` hold addr:port in the same protocol? */
static bool udp_port_taken(const struct udp_sock *self, u32 addr, u16 port)
{
    struct udp_sock *other;
    list_for_each_entry (other, &udp_socks, node) {
        if (other == self || other->local_port != port || other->protocol != self->protocol ||
            other->net != self->net)
            continue;
        if (other->local_addr && addr && other->local_addr != addr)
            continue;
        if (self->reuseaddr && other->reuseaddr)
            continue;
        return true;
    }
    return false;
}

static bool udp_port_free(void *self, u16 port) { return !udp_port_taken(self, 0, port); }

int udp_bind(struct udp_sock *us, u32 addr, u16 port)
{
    if (us->local_port)
        return -EINVAL;
    if (addr && !netif_is_local(us->net, addr))
        return -EADDRNOTAVAIL;
    if (port == 0) {
        port = port_pick_ephemeral(udp_port_free, us);
        if (!port)
            return -EADDRINUSE;
    } else if (udp_port_taken(us, addr, port)) {
        return -EADDRINUSE;
    }
    us->local_addr = addr;
    us->local_port = port;
    return 0;
}

int udp_connect(struct udp_sock *us, u32 addr, u16 port)
{
    if (addr == 0) {
        us->remote_addr = 0;
        us->remote_port = 0;
        return 0;
    }
    if (!route_lookup(us->net, addr))
        return -ENETUNREACH;
    if (!us->local_port) {
        int error = udp_bind(us, 0, 0);
        if (error)
            return error;
    }
    us->remote_addr = addr;
    us->remote_port = port;
    return 0;
}

int udp_sendto(struct udp_sock *us, u32 dst_addr, u16 dst_port, const void *data, u32 len)
{
    if (dst_addr == 0) {
        if (!us->remote_addr)
            return -EDESTADDRREQ;
        dst_addr = us->remote_addr;
        dst_port = us->remote_port;
    }
    if (len > UDP_MAX_PAYLOAD)
        return -EMSGSIZE;
    if (!us->local_port) {
        int error = udp_bind(us, 0, 0);
        if (error)
            return error;
    }
    struct netbuf *nb = netbuf_alloc(NETBUF_HEADROOM, UDP_HEADER_LEN + len);
    if (!nb)
        return -ENOBUFS;
    u32 src_addr = us->local_addr ? us->local_addr : ip_source_for(us->net, dst_addr);
    u8 *h = netbuf_put(nb, UDP_HEADER_LEN + len);
    memcpy(h + UDP_HEADER_LEN, data, len);
    if (us->protocol == IPPROTO_ICMP_NUM) {
        /* A ping socket sends ICMP echo requests; the id is its "port". */
        netbuf_trim(nb, len);
        h = nb->data;
        memmove(h, h + UDP_HEADER_LEN, len);
        if (len < 8 || h[0] != ICMP_ECHO_REQUEST || h[1] != 0)
            goto invalid;
        put_be16(h + 4, us->local_port);
        put_be16(h + 2, 0);
        put_be16(h + 2, inet_checksum(h, len));
        int error = ip_output(us->net, nb, src_addr, dst_addr, IPPROTO_ICMP_NUM);
        return error ? error : (int)len;
    }
    put_be16(h, us->local_port);
    put_be16(h + 2, dst_port);
    put_be16(h + 4, (u16)(UDP_HEADER_LEN + len));
    put_be16(h + 6, 0);
    u16 sum = transport_checksum(src_addr, dst_addr, IPPROTO_UDP_NUM, h, nb->len);
    put_be16(h + 6, sum ? sum : 0xffff); /* 0 would mean "no checksum" */
    us->net->stats.udp_out_datagrams++;
    int error = ip_output(us->net, nb, src_addr, dst_addr, IPPROTO_UDP_NUM);
    return error ? error : (int)len;
invalid:
    netbuf_free(nb);
    return -EINVAL;
}

int udp_recv(struct udp_sock *us, void *buf, u32 len, u32 *from_addr, u16 *from_port, bool peek)
{
    struct netbuf *nb = list_first_entry(&us->rx_queue, struct netbuf, node);
    if (!nb)
        return -EAGAIN;
    u32 full = nb->len;
    memcpy(buf, nb->data, MIN(len, full));
    if (from_addr)
        *from_addr = nb->src_addr;
    if (from_port)
        *from_port = nb->src_port;
    if (!peek) {
        list_remove(&nb->node);
        us->rx_bytes -= full;
        netbuf_free(nb);
    }
    return (int)full;
}

u32 udp_next_size(const struct udp_sock *us)
{
    struct netbuf *nb = list_first_entry(&us->rx_queue, struct netbuf, node);
    return nb ? nb->len : 0;
}

/* The socket a datagram for dst_addr:dst_port from src belongs to: a
 * connected socket matching the sender first, then any bound one. */
static struct udp_sock *udp_lookup(struct net_ns *net, int protocol, u32 dst_addr, u16 dst_port,
                                   u32 src_addr, u16 src_port)
{
    struct udp_sock *us, *best = NULL;
    list_for_each_entry (us, &udp_socks, node) {
        if (us->net != net || us->protocol != protocol || us->local_port != dst_port)
            continue;
        if (us->local_addr && us->local_addr != dst_addr)
            continue;
        if (us->remote_addr) {
            if (us->remote_addr == src_addr &&
                (protocol != IPPROTO_UDP_NUM || us->remote_port == src_port))
                return us;
            continue;
        }
        if (!best)
            best = us;
    }
    return best;
}

/* Queue the payload at nb->data on us, or drop it if the queue is full. */
void udp_deliver(struct udp_sock *us, struct netbuf *nb)
{
    if (us->rx_bytes + nb->len > us->rcvbuf) {
        us->net->stats.udp_rcvbuf_errors++;
        us->rx_drops++;
        netbuf_free(nb);
        return;
    }
    us->rx_bytes += nb->len;
    list_push_back(&us->rx_queue, &nb->node);
    if (us->notify)
        us->notify(us->owner);
}

void udp_input(struct netbuf *nb)
{
    struct net_ns *net = netbuf_net(nb);
    const u8 *h = nb->data;
    if (nb->len < UDP_HEADER_LEN || get_be16(h + 4) < UDP_HEADER_LEN || get_be16(h + 4) > nb->len)
        goto bad;
    u32 udp_len = get_be16(h + 4);
    netbuf_trim(nb, udp_len);
    if (get_be16(h + 6) != 0 &&
        transport_checksum(nb->src_addr, nb->dst_addr, IPPROTO_UDP_NUM, h, udp_len) != 0)
        goto bad;
    nb->src_port = get_be16(h);
    nb->dst_port = get_be16(h + 2);
    struct udp_sock *us =
        udp_lookup(net, IPPROTO_UDP_NUM, nb->dst_addr, nb->dst_port, nb->src_addr, nb->src_port);
    if (!us) {
        net->stats.udp_no_ports++;
        if (nb->ip_header)
            icmp_send_unreachable(net, nb->src_addr, ICMP_PORT_UNREACH, nb->ip_header,
                                  (u32)(nb->data + nb->len - nb->ip_header));
        netbuf_free(nb);
        return;
    }
    net->stats.udp_in_datagrams++;
    netbuf_pull(nb, UDP_HEADER_LEN);
    udp_deliver(us, nb);
    return;
bad:
    net->stats.udp_in_errors++;
    netbuf_free(nb);
}

/* Ping sockets: an echo reply goes to the socket whose port is its id. */
static bool udp_ping_reply(struct netbuf *nb)
{
    if (nb->len < 8)
        return false;
    u16 id = get_be16(nb->data + 4);
    struct udp_sock *us =
        udp_lookup(netbuf_net(nb), IPPROTO_ICMP_NUM, nb->dst_addr, id, nb->src_addr, 0);
    if (!us)
        return false;
    nb->src_port = 0;
    udp_deliver(us, nb);
    return true;
}

void udp_init(void) { icmp_echo_reply_hook = udp_ping_reply; }

void udp_net_release(struct net_ns *net)
{
    struct udp_sock *us, *tmp;
    list_for_each_entry_safe (us, tmp, &udp_socks, node)
        if (us->net == net)
            udp_sock_destroy(us); /* none should be left: each held a reference */
}
