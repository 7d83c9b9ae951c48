/*
 * net_env.h - what the protocol core needs from the rest of the kernel.
 *
 * The IPv4/TCP/UDP code in kernel/net/ is plain C over byte buffers: it never
 * sleeps, never touches user memory and knows nothing about processes.  The
 * few things it needs from outside are named here, so the same files build
 * into the kernel and into host unit tests (tests/unit/test_net_*.c, where
 * HOST_TEST is defined and memory comes from malloc).
 *
 * Locking: the core runs with interrupts off (one CPU), whether it is called
 * from a system call, from the timer tick (net_tick) or from a card's receive
 * path.  Callers take care of that; the core never enables interrupts.
 */
#ifndef KERNEL_NET_INET_NET_ENV_H
#define KERNEL_NET_INET_NET_ENV_H

#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/types.h"

#ifdef HOST_TEST
#include <stdlib.h>
static inline void *net_zalloc(size_t size) { return calloc(1, size); }
static inline void net_free(void *ptr) { free(ptr); }
static inline void net_copy(void *dest, const void *src, size_t len) { memcpy(dest, src, len); }
#else
#include "mm/kheap.h"
static inline void *net_zalloc(size_t size) { return kzalloc(size); }
static inline void net_free(void *ptr) { kfree(ptr); }
/* Segment payloads into and out of the TCP rings: `rep movsq` for the words
 * and `rep movsb` for the tail, as the user copy (kernel/uaccess_copy.asm):
 * one instruction per 8 bytes counted, where memcpy's loop takes two and a
 * share of the loop.  Two of the four copies of every byte TCP moves. */
static inline void net_copy(void *dest, const void *src, size_t len)
{
    size_t words = len / 8, tail = len % 8;
    __asm__ volatile("rep movsq\n\tmov %[tail], %%rcx\n\trep movsb"
                     : "+D"(dest), "+S"(src), "+c"(words)
                     : [tail] "r"(tail)
                     : "memory");
}
#endif

/* Network byte order (big-endian) to and from the CPU's (little-endian). */
static inline u16 net_htons(u16 value) { return __builtin_bswap16(value); }
static inline u16 net_ntohs(u16 value) { return __builtin_bswap16(value); }
static inline u32 net_htonl(u32 value) { return __builtin_bswap32(value); }
static inline u32 net_ntohl(u32 value) { return __builtin_bswap32(value); }

/* Read and write big-endian fields at any alignment (headers inside frames). */
static inline u16 get_be16(const u8 *p) { return (u16)(p[0] << 8 | p[1]); }
static inline u32 get_be32(const u8 *p)
{
    return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}
static inline void put_be16(u8 *p, u16 value)
{
    p[0] = value >> 8;
    p[1] = value & 0xff;
}
static inline void put_be32(u8 *p, u32 value)
{
    p[0] = value >> 24;
    p[1] = value >> 16 & 0xff;
    p[2] = value >> 8 & 0xff;
    p[3] = value & 0xff;
}

/* IPv4 addresses are kept in host order inside the core: 127.0.0.1 is 0x7f000001. */
#define INADDR_ANY_HOST 0u
#define INADDR_LOOPBACK_HOST 0x7f000001u

#endif
