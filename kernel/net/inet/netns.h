/*
 * netns.h - network namespaces: a network stack of one's own.
 *
 * A network namespace (CLONE_NEWNET) gives the processes inside it their own
 * interfaces, port tables and counters.  sprout keeps one list of TCP and one
 * of UDP sockets; every socket names its namespace, and every lookup (which
 * socket a segment is for, is a port taken) looks only at sockets of the
 * namespace the packet arrived in or the socket was made in.
 *
 *     init_net_ns                         a box's namespace
 *     +-------------------------+         +-------------------------+
 *     | lo  127.0.0.1   UP      |         | lo  127.0.0.1   DOWN    |
 *     | eth0 10.0.2.15  (card)  |         |   (until ifconfig lo up)|
 *     | stats: /proc/net/snmp   |         | stats of its own        |
 *     +-------------------------+         +-------------------------+
 *       sockets with ->net = &init_net_ns   sockets with ->net = box's
 *
 * As on Linux, a new namespace has only a loopback interface, and it is down:
 * 127.0.0.1 may be bound but not reached (ENETUNREACH) until someone with
 * CAP_NET_ADMIN sets IFF_UP (`ifconfig lo up`).  The card (eth0) stays in
 * the first namespace.
 *
 * Lifetime: every process in the namespace and every socket made in it holds
 * a reference (ns_common.refs, proc/ns.c).  When the last goes, the
 * connections left without an owner (TIME_WAIT, FIN_WAIT_2, ...) and the
 * packets queued on its loopback are freed with it (net_ns_release), as
 * Linux's cleanup_net does.
 */
#ifndef KERNEL_NET_INET_NETNS_H
#define KERNEL_NET_INET_NETNS_H

#include "kernel/net/inet/net_stats.h"
#include "kernel/net/inet/netif.h"
#include "proc/ns.h"

struct net_ns {
    struct ns_common common;             /* first: proc/ns.c counts and numbers it */
    struct netif loopback;               /* this namespace's lo */
    struct netif *ifaces[NETIF_MAX + 1]; /* lo first, then cards; NULL-terminated */
    struct net_stats stats;              /* /proc/net/snmp */
};

extern struct net_ns init_net_ns;

/* Set up a new namespace's loopback (down) and counters; common is the caller's. */
void net_ns_init(struct net_ns *net);
/* The last reference went: free its orphaned connections and queued packets
 * (not net itself).  Interrupts off inside; never sleeps. */
void net_ns_release(struct net_ns *net);

/* The namespace a received packet belongs to: its interface's. */
struct netbuf;
struct net_ns *netbuf_net(const struct netbuf *nb);

#endif
