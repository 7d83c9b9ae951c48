/*
 * icmp.h - ICMP: answering ping, and telling a sender "nobody listens here".
 */
#ifndef KERNEL_NET_INET_ICMP_H
#define KERNEL_NET_INET_ICMP_H

#include "kernel/types.h"

struct netbuf;
struct net_ns;

#define ICMP_ECHO_REPLY 0
#define ICMP_DEST_UNREACH 3
#define ICMP_ECHO_REQUEST 8
#define ICMP_PORT_UNREACH 3 /* code of ICMP_DEST_UNREACH */

/* A received ICMP message (nb->data at the ICMP header).  Takes ownership. */
void icmp_input(struct netbuf *nb);
/* Tell the sender of `ip_datagram` (its IP header and first bytes, len bytes)
 * that it could not be delivered. */
void icmp_send_unreachable(struct net_ns *net, u32 to_addr, u8 code, const u8 *ip_datagram,
                           u32 len);

/* Hook for ping sockets: an echo reply arrived (nb->data at the ICMP header).
 * Returns true if a socket took it. */
extern bool (*icmp_echo_reply_hook)(struct netbuf *nb);

#endif
