/* ip.c - IPv4 input and output (see ip.h). */
#include "kernel/net/inet/ip.h"
#include "kernel/net/inet/checksum.h"
#include "kernel/net/inet/icmp.h"
#include "kernel/net/inet/net_env.h"
#include "kernel/net/inet/net_stats.h"
#include "kernel/net/inet/netbuf.h"
#include "kernel/net/inet/netif.h"
#include "kernel/net/inet/netns.h"
#include "kernel/net/inet/tcp.h"
#include "kernel/net/inet/udp.h"

#define IP_FLAG_MF 0x2000     /* more fragments follow */
#define IP_FRAG_OFFSET 0x1fff /* in units of 8 bytes */

/* Options are type-length-value, except End (0) and No-op (1), which are one
 * byte.  We act on none of them, but a malformed list means a corrupt header. */
static bool ip_options_valid(const u8 *options, u32 len)
{
    u32 i = 0;
    while (i < len) {
        u8 type = options[i];
        if (type == 0)
            return true; /* End of options: the rest is padding */
        if (type == 1) {
            i++;
            continue;
        }
        if (i + 1 >= len)
            return false;
        u8 option_len = options[i + 1];
        if (option_len < 2 || i + option_len > len)
            return false;
        i += option_len;
    }
    return true;
}

static bool ip_drop(struct netbuf *nb, u64 *counter)
{
    (*counter)++;
    if (nb->netif)
        nb->netif->rx_dropped++;
    netbuf_free(nb);
    return false;
}

void ip_input(struct netbuf *nb)
{
    struct net_stats *stats = &netbuf_net(nb)->stats;
    stats->ip_in_receives++;
    if (nb->len < IP_HEADER_LEN) {
        ip_drop(nb, &stats->ip_in_hdr_errors);
        return;
    }
    const u8 *h = nb->data;
    u32 header_len = (h[0] & 0x0f) * 4u;
    u32 total_len = get_be16(h + 2), arrived = nb->len + nb->external_len;
    if ((h[0] >> 4) != 4 || header_len < IP_HEADER_LEN || header_len > nb->len ||
        total_len < header_len || total_len > arrived || inet_checksum(h, header_len) != 0 ||
        !ip_options_valid(h + IP_HEADER_LEN, header_len - IP_HEADER_LEN) || h[8] == 0) {
        ip_drop(nb, &stats->ip_in_hdr_errors);
        return;
    }
    u16 fragment = get_be16(h + 6);
    if (fragment & (IP_FLAG_MF | IP_FRAG_OFFSET)) {
        ip_drop(nb, &stats->ip_reasm_fails);
        return;
    }
    u32 dst_addr = get_be32(h + 16);
    if (!netif_is_local(netbuf_net(nb), dst_addr)) {
        ip_drop(nb, &stats->ip_in_addr_errors);
        return;
    }
    u8 protocol = h[9];
    nb->ip_header = nb->data;
    nb->src_addr = get_be32(h + 12);
    nb->dst_addr = dst_addr;
    if (!nb->external)
        netbuf_trim(nb, total_len); /* a link layer may pad short frames */
    netbuf_pull(nb, header_len);

    switch (protocol) {
    case IPPROTO_ICMP_NUM:
        stats->ip_in_delivers++;
        icmp_input(nb);
        return;
    case IPPROTO_UDP_NUM:
        stats->ip_in_delivers++;
        udp_input(nb);
        return;
    case IPPROTO_TCP_NUM:
        stats->ip_in_delivers++;
        tcp_input(nb);
        return;
    default:
        ip_drop(nb, &stats->ip_in_unknown_protos);
        return;
    }
}

u32 ip_source_for(struct net_ns *net, u32 dst_addr)
{
    struct netif *netif = route_lookup(net, dst_addr);
    if (netif && (dst_addr >> 24) == 127)
        return INADDR_LOOPBACK_HOST;
    return netif ? netif->addr : 0;
}

int ip_output(struct net_ns *net, struct netbuf *nb, u32 src_addr, u32 dst_addr, u8 protocol)
{
    static u16 next_id;
    net->stats.ip_out_requests++;
    struct netif *netif = route_lookup(net, dst_addr);
    if (!netif) {
        net->stats.ip_out_no_routes++;
        netbuf_free(nb);
        return -ENETUNREACH;
    }
    if (src_addr == 0)
        src_addr = ip_source_for(net, dst_addr);
    if (netif != &net->loopback)
        netbuf_take_payload(nb); /* a card sends what is in the netbuf */
    if (nb->checksum_pending && netif != &net->loopback && protocol == IPPROTO_TCP_NUM) {
        put_be16(nb->data + 16,
                 transport_checksum(src_addr, dst_addr, protocol, nb->data, nb->len));
        nb->checksum_pending = false;
    }
    u8 *h = netbuf_push(nb, IP_HEADER_LEN);
    if (!h || nb->len + nb->external_len > MIN(netif->mtu, (u32)IP_MAX_LEN)) {
        netbuf_free(nb);
        return -EMSGSIZE;
    }
    h[0] = 0x45; /* version 4, 5 words of header */
    h[1] = 0;
    put_be16(h + 2, (u16)(nb->len + nb->external_len));
    put_be16(h + 4, next_id++);
    put_be16(h + 6, 0x4000); /* Don't Fragment: we never fragment */
    h[8] = IP_DEFAULT_TTL;
    h[9] = protocol;
    put_be16(h + 10, 0);
    put_be32(h + 12, src_addr);
    put_be32(h + 16, dst_addr);
    put_be16(h + 10, inet_checksum(h, IP_HEADER_LEN));
    return netif->transmit(netif, nb);
}
