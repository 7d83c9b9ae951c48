/* checksum.c - the Internet checksum (see checksum.h). */
#include "kernel/net/inet/checksum.h"

/*
 * The sum is the same whichever byte order the 16-bit words are added in, as
 * long as the result is swapped back (RFC 1071, "byte order independence"):
 * so add the data as the CPU reads it, little-endian, 8 bytes at a time (two
 * 32-bit halves into a 64-bit total), fold to 16 bits and swap.  Bytewise,
 * this was most of a TCP segment's cost on the loopback (sent and checked).
 */
u32 checksum_add(u32 sum, const void *data, u32 len)
{
    const u8 *bytes = data;
    u64 native = 0;
    u32 i = 0;
    for (; i + 8 <= len; i += 8) {
        u64 word;
        __builtin_memcpy(&word, bytes + i, 8);
        native += (word & 0xffffffff) + (word >> 32);
    }
    for (; i + 1 < len; i += 2)
        native += (u32)(bytes[i] | bytes[i + 1] << 8);
    if (len & 1)
        native += bytes[len - 1]; /* an odd last byte is padded with zero */
    while (native >> 16)
        native = (native & 0xffff) + (native >> 16);
    u64 total = (u64)sum + (((native & 0xff) << 8) | (native >> 8));
    while (total >> 32)
        total = (total & 0xffffffff) + (total >> 32);
    return (u32)total;
}

u16 checksum_finish(u32 sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (u16)~sum;
}

u16 inet_checksum(const void *data, u32 len) { return checksum_finish(checksum_add(0, data, len)); }

u16 transport_checksum(u32 src_addr, u32 dst_addr, u8 protocol, const void *segment, u32 len)
{
    u32 sum = (src_addr >> 16) + (src_addr & 0xffff) + (dst_addr >> 16) + (dst_addr & 0xffff);
    sum += protocol;
    sum += len;
    return checksum_finish(checksum_add(sum, segment, len));
}
