/*
 * udp.h - UDP: datagrams with ports, a checksum, and nothing else.
 *
 * A UDP socket is a port number and a queue of received datagrams.  Nothing
 * is retransmitted or ordered; a datagram that finds its queue full is
 * dropped (counted in udp_rcvbuf_errors), one sent to a port nobody has
 * bound gets an ICMP "port unreachable" back.
 */
#ifndef KERNEL_NET_INET_UDP_H
#define KERNEL_NET_INET_UDP_H

#include "kernel/list.h"
#include "kernel/types.h"

struct netbuf;
struct net_ns;

#define UDP_HEADER_LEN 8
#define UDP_MAX_PAYLOAD (1500 - 20 - UDP_HEADER_LEN) /* no fragmentation: one MTU */
#define UDP_DEFAULT_RCVBUF (64 * 1024)

struct udp_sock {
    struct list_node node;       /* in udp_socks */
    struct net_ns *net;          /* the namespace it was made in */
    u32 local_addr, remote_addr; /* host order; 0 = any / not connected */
    u16 local_port, remote_port;
    bool reuseaddr;
    int protocol;         /* IPPROTO_UDP_NUM, or IPPROTO_ICMP_NUM for a ping socket */
    struct list rx_queue; /* struct netbuf, payload at data, sender in src_addr/src_port */
    u32 rx_bytes, rcvbuf; /* queued payload bytes and the limit */
    u32 rx_drops;
    /* Called when a datagram arrives (the socket layer wakes readers). */
    void (*notify)(void *owner);
    void *owner;
};

extern struct list udp_socks; /* every UDP and ping socket, for /proc/net/udp */

struct udp_sock *udp_sock_create(struct net_ns *net, int protocol);
/* Unbind and free, with every queued datagram. */
void udp_sock_destroy(struct udp_sock *us);
/* Bind to addr:port (port 0: pick a free one).  -EADDRINUSE, -EADDRNOTAVAIL, -EINVAL. */
int udp_bind(struct udp_sock *us, u32 addr, u16 port);
/* Remember the peer (binding a port first if needed).  addr 0 disconnects. */
int udp_connect(struct udp_sock *us, u32 addr, u16 port);
/* Send one datagram; dst 0 means the connected peer.  Returns len or -errno. */
int udp_sendto(struct udp_sock *us, u32 dst_addr, u16 dst_port, const void *data, u32 len);
/* Take (or with peek, copy) the oldest datagram: copies at most len bytes,
 * returns the datagram's full length (> len: it was truncated), or -EAGAIN. */
int udp_recv(struct udp_sock *us, void *buf, u32 len, u32 *from_addr, u16 *from_port, bool peek);
/* Bytes of the next datagram (FIONREAD), 0 if none. */
u32 udp_next_size(const struct udp_sock *us);

void udp_input(struct netbuf *nb);
/* Hook ping sockets into ICMP; called once at boot. */
void udp_init(void);
/* A namespace is going: free any socket still in it (netns.h). */
void udp_net_release(struct net_ns *net);

#endif
