/* checksum.c - the Internet checksum (see checksum.h). */
#include "kernel/net/inet/checksum.h"

u32 checksum_add(u32 sum, const void *data, u32 len)
{
    const u8 *bytes = data;
    u64 total = sum;
    for (u32 i = 0; i + 1 < len; i += 2)
        total += (u32)(bytes[i] << 8 | bytes[i + 1]);
    if (len & 1)
        total += (u32)bytes[len - 1] << 8; /* an odd last byte is padded with zero */
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
