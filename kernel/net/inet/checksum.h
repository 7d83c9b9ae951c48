/*
 * checksum.h - the Internet checksum (RFC 1071).
 *
 * The ones'-complement sum of 16-bit big-endian words, folded and inverted.
 * IP covers its header with it; ICMP its message; UDP and TCP their segment
 * plus a "pseudo-header" (addresses, protocol, length) so that a segment
 * delivered to the wrong address fails the check.  A correct packet,
 * checksum field included, sums to 0xffff, i.e. checksum() returns 0.
 */
#ifndef KERNEL_NET_INET_CHECKSUM_H
#define KERNEL_NET_INET_CHECKSUM_H

#include "kernel/types.h"

/* Add `len` bytes to a running 32-bit sum (start with 0). */
u32 checksum_add(u32 sum, const void *data, u32 len);
/* Fold a running sum to 16 bits and invert it: the value to store. */
u16 checksum_finish(u32 sum);
/* checksum_finish(checksum_add(0, data, len)). */
u16 inet_checksum(const void *data, u32 len);
/* The TCP/UDP checksum over pseudo-header + segment (addresses in host order). */
u16 transport_checksum(u32 src_addr, u32 dst_addr, u8 protocol, const void *segment, u32 len);

#endif
