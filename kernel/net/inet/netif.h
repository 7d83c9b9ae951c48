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
struct net_ns;

struct netif {
    const char *name;   /* "lo", "eth0" */
    struct net_ns *net; /* the namespace it belongs to (netns.h) */
    bool up;            /* IFF_UP: down, it neither sends nor owns its address */
    u32 addr;           /* host order */
    u32 netmask;
    u32 mtu;
    u8 hwaddr[6]; /* a card's MAC address (SIOCGIFHWADDR); zeros for lo */
    /* Send one IP datagram; takes ownership of nb.  Returns 0 or -errno. */
    int (*transmit)(struct netif *netif, struct netbuf *nb);
    /* Tests only: if set and it returns true, the outgoing datagram is dropped. */
    bool (*drop_filter)(struct netbuf *nb);
    u64 rx_packets, rx_bytes, rx_dropped;
    u64 tx_packets, tx_bytes, tx_dropped;
};

/* lo's MTU, as Linux's: a datagram never leaves memory, so the only limit is
 * IP's own (65535 bytes; TCP's MSS on lo is 65535 - 40).  A card's is 1500. */
#define LOOPBACK_MTU 65536
/* Interfaces per namespace (lo and cards), for ifconfig and /proc/net/dev. */
#define NETIF_MAX 4
/* Add an interface (a card found at boot) to the first namespace. */
void netif_register(struct netif *netif);

/* Which interface of `net` that is up reaches `dst_addr` (127/8: lo), or NULL (no route). */
struct netif *route_lookup(struct net_ns *net, u32 dst_addr);
/* Is `addr` one of net's (an up interface's address, or anything in 127/8)? */
bool netif_is_local(struct net_ns *net, u32 addr);

/* Feed queued loopback datagrams to ip_input until none is left.  Safe to
 * call anywhere the core may run; nested calls return at once. */
void netif_deliver_pending(void);
/* Datagrams queued on a loopback whose payload lies in [start, start + len)
 * (a send ring about to be freed) take a copy of it. */
void netif_loopback_forget(const u8 *start, u32 len);
/* Is netif_deliver_pending feeding a batch to ip_input now? */
bool netif_delivering(void);

#endif
