/*
 * netbuf.h - a packet in one buffer, with room to add headers in front.
 *
 * A packet is built from the inside out: TCP writes its payload, then pushes
 * its header in front, then IP pushes its header in front of that.  On
 * receive each layer pulls its header off the front.  So a netbuf is a fixed
 * buffer with a window [data, data + len) that moves:
 *
 *     storage: | headroom ... | headers | payload | tailroom ... |
 *                             ^ data    (len bytes)
 *
 * Netbufs are allocated and freed whole; one packet never spans two.  They
 * come in two sizes: one for a frame of a card (1500-byte MTU), and one for
 * the largest IP datagram, 64 KiB, which only the loopback carries (its MTU
 * is 65536, as Linux's lo: a 64 KiB write crosses it in one or two segments).
 */
#ifndef KERNEL_NET_INET_NETBUF_H
#define KERNEL_NET_INET_NETBUF_H

#include "kernel/list.h"
#include "kernel/net/inet/ip.h"
#include "kernel/types.h"

#define NETBUF_SIZE 2048    /* a 1500-byte Ethernet frame and its headers fit */
#define NETBUF_HEADROOM 128 /* Ethernet 14 + IP 60 + TCP 60 rounded up */
#define NETBUF_LARGE_SIZE (NETBUF_HEADROOM + IP_MAX_LEN + 1) /* a loopback datagram */

struct netif;

struct netbuf {
    struct list_node node; /* in whichever queue holds it (loopback, a socket) */
    u8 *data;              /* first valid byte */
    u32 len;               /* valid bytes from data */
    /* Filled in by the receive path for the layers above: */
    struct netif *netif;    /* the interface it arrived on */
    u8 *ip_header;          /* where its IP header began (for ICMP errors) */
    u32 src_addr, dst_addr; /* IPv4, host order */
    u16 src_port, dst_port; /* UDP/ICMP id, host order */
    /* A TCP segment whose checksum is not computed yet: ip_output computes
     * it for a real interface; on the loopback the segment never leaves
     * memory, so neither side computes it (Linux's CHECKSUM_PARTIAL on lo)
     * and tcp_input, seeing the flag, does not check it. */
    bool checksum_pending;
    /* A TCP segment to the loopback may leave its payload where it is, in
     * the sender's send ring: the packet is data[0, len) (the headers) and
     * then external[0, external_len).  The receiver copies it from there,
     * so each byte is copied once less.  Anything that keeps the packet
     * longer (a card, a test's filter) or frees the ring first takes a copy
     * into storage[] (netbuf_take_payload), which has room for it. */
    const u8 *external;
    u32 external_len;
    u32 size; /* bytes of storage: NETBUF_SIZE or NETBUF_LARGE_SIZE */
    u8 storage[];
};

/* A new empty netbuf with `headroom` bytes free in front and room for `len`
 * more after them (the smallest size that holds both), or NULL if out of
 * memory or larger than any netbuf. */
struct netbuf *netbuf_alloc(u32 headroom, u32 len);
/* A netbuf holding a copy of `len` bytes (a received frame); NULL if too big or no memory. */
struct netbuf *netbuf_from_bytes(const void *bytes, u32 len);
void netbuf_free(struct netbuf *nb);
/* Make room for `len` more bytes at the front; returns the new front. */
u8 *netbuf_push(struct netbuf *nb, u32 len);
/* Remove `len` bytes from the front (the caller checked len <= nb->len). */
void netbuf_pull(struct netbuf *nb, u32 len);
/* Append `len` bytes at the end; returns where they go. */
u8 *netbuf_put(struct netbuf *nb, u32 len);
/* Copy an external payload into storage, after the headers. */
void netbuf_take_payload(struct netbuf *nb);
/* Cut the packet to its first `len` bytes (drops link-layer padding). */
void netbuf_trim(struct netbuf *nb, u32 len);

/* How many netbufs exist now: tests check it returns to where it started. */
extern long netbuf_live;

#endif
