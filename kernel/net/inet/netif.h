/*
 * netif.h - network interfaces: the loopback, and later a card.
 *
 * An interface has an IPv4 address and a transmit function.  IP output picks
 * the interface by destination (route_lookup) and hands it a finished IP
 * datagram; a card's driver (or the loopback) hands received datagrams to
 * ip_input().
 *
 * The loopback does not deliver at once: transmit() puts the datagram on a
 * queue and netif_deliver_pending() feeds the queue to ip_input.  So TCP
 * sending an ACK while it processes a segment never re-enters itself; the
 * outermost caller (a system call, the timer tick) drains the queue.
 */
#ifndef KERNEL_NET_INET_NETIF_H
#define KERNEL_NET_INET_NETIF_H

#include "kernel/list.h"
#include "kernel/types.h"

struct netbuf;

struct netif {
    const char *name; /* "lo", "eth0" */
    u32 addr;         /* host order */
    u32 netmask;
    u32 mtu;
    /* Send one IP datagram; takes ownership of nb.  Returns 0 or -errno. */
    int (*transmit)(struct netif *netif, struct netbuf *nb);
    /* Tests only: if set and it returns true, the outgoing datagram is dropped. */
    bool (*drop_filter)(struct netbuf *nb);
    u64 rx_packets, rx_bytes, rx_dropped;
    u64 tx_packets, tx_bytes, tx_dropped;
};

extern struct netif loopback_netif;

/* Every interface, for ifconfig and /proc/net/dev (NULL-terminated). */
#define NETIF_MAX 4
extern struct netif *netif_list[NETIF_MAX + 1];
/* Add an interface (a card found at boot). */
void netif_register(struct netif *netif);

/* Which interface reaches `dst_addr`, or NULL (no route). */
struct netif *route_lookup(u32 dst_addr);
/* Is `addr` one of ours (an interface address, or anything in 127/8)? */
bool netif_is_local(u32 addr);

/* Feed queued loopback datagrams to ip_input until none is left.  Safe to
 * call anywhere the core may run; nested calls return at once. */
void netif_deliver_pending(void);

#endif
