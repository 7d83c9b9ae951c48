/*
 * ip.h - IPv4: checking what arrives, addressing what leaves.
 *
 *    0               1               2               3
 *    0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7
 *   +-------+-------+---------------+-------------------------------+
 *   |Version|  IHL  |   TOS         |          Total Length         |
 *   +-------+-------+---------------+-----+-------------------------+
 *   |         Identification        |Flags|     Fragment Offset     |
 *   +---------------+---------------+-----+-------------------------+
 *   |  Time to Live |    Protocol   |         Header Checksum       |
 *   +---------------+---------------+-------------------------------+
 *   |                       Source Address                          |
 *   |                    Destination Address                        |
 *   |                    Options (IHL > 5) ...                      |
 *   +---------------------------------------------------------------+
 *
 * ip_input trusts nothing: every length is checked against the bytes that
 * arrived before anything is read, and a datagram that fails a check is
 * counted (net_stats) and freed.  sprout neither forwards nor reassembles
 * fragments: those are dropped and counted too.
 */
#ifndef KERNEL_NET_INET_IP_H
#define KERNEL_NET_INET_IP_H

#include "kernel/types.h"

struct netbuf;
struct net_ns;

#define IP_HEADER_LEN 20
#define IP_MAX_LEN 65535 /* the largest datagram the 16-bit total length can say */
#define IP_DEFAULT_TTL 64
#define IPPROTO_ICMP_NUM 1
#define IPPROTO_TCP_NUM 6
#define IPPROTO_UDP_NUM 17

/* A received datagram (IP header at nb->data).  Takes ownership of nb.
 * On success the header is pulled off and nb->src_addr/dst_addr are set
 * before the protocol's input function sees it. */
void ip_input(struct netbuf *nb);

/* Put an IP header in front of the transport segment in nb and send it out
 * of an interface of `net`.  Takes ownership of nb.  Returns 0, -ENETUNREACH
 * (no route) or -ENOBUFS.  src_addr 0 means "the address of the interface
 * that reaches dst". */
int ip_output(struct net_ns *net, struct netbuf *nb, u32 src_addr, u32 dst_addr, u8 protocol);

/* The source address a socket of `net` connecting to dst_addr gets (0 if no route). */
u32 ip_source_for(struct net_ns *net, u32 dst_addr);

#endif
