/* icmp.c - echo replies and destination-unreachable messages (see icmp.h). */
#include "kernel/net/inet/icmp.h"
#include "kernel/net/inet/checksum.h"
#include "kernel/net/inet/ip.h"
#include "kernel/net/inet/net_env.h"
#include "kernel/net/inet/net_stats.h"
#include "kernel/net/inet/netbuf.h"
#include "kernel/net/inet/netns.h"

#define ICMP_HEADER_LEN 8

bool (*icmp_echo_reply_hook)(struct netbuf *nb);

void icmp_input(struct netbuf *nb)
{
    struct net_ns *net = netbuf_net(nb);
    net->stats.icmp_in_msgs++;
    if (nb->len < ICMP_HEADER_LEN || inet_checksum(nb->data, nb->len) != 0) {
        net->stats.icmp_in_errors++;
        netbuf_free(nb);
        return;
    }
    u8 type = nb->data[0];
    if (type == ICMP_ECHO_REPLY && icmp_echo_reply_hook && icmp_echo_reply_hook(nb))
        return;
    if (type != ICMP_ECHO_REQUEST) {
        netbuf_free(nb); /* nothing else needs an answer */
        return;
    }
    net->stats.icmp_in_echos++;
    /* Turn the request into the reply in place: same id, sequence and data. */
    u8 *h = nb->data;
    h[0] = ICMP_ECHO_REPLY;
    h[1] = 0;
    put_be16(h + 2, 0);
    put_be16(h + 2, inet_checksum(h, nb->len));
    u32 to = nb->src_addr, from = nb->dst_addr;
    net->stats.icmp_out_msgs++;
    net->stats.icmp_out_echo_reps++;
    ip_output(net, nb, from, to, IPPROTO_ICMP_NUM);
}

void icmp_send_unreachable(struct net_ns *net, u32 to_addr, u8 code, const u8 *ip_datagram, u32 len)
{
    /* Quote the original IP header and 8 bytes of its payload (RFC 792). */
    len = MIN(len, 28u);
    struct netbuf *nb = netbuf_alloc(NETBUF_HEADROOM, ICMP_HEADER_LEN + len);
    if (!nb)
        return;
    u8 *h = netbuf_put(nb, ICMP_HEADER_LEN + len);
    memset(h, 0, ICMP_HEADER_LEN);
    h[0] = ICMP_DEST_UNREACH;
    h[1] = code;
    memcpy(h + ICMP_HEADER_LEN, ip_datagram, len);
    put_be16(h + 2, inet_checksum(h, nb->len));
    net->stats.icmp_out_msgs++;
    ip_output(net, nb, 0, to_addr, IPPROTO_ICMP_NUM);
}
