/*
 * test_net_eth.c - eth0 on a fake card: crafted frames into the receive
 * path (ARP requests answered; short, oversized, foreign and unknown frames
 * dropped and counted), and TCP and ping through ARP resolution.
 */
#include <stdlib.h>
#include "kernel/errno.h"
#include "kernel/net/inet/checksum.h"
#include "kernel/net/inet/ethernet.h"
#include "kernel/net/inet/icmp.h"
#include "kernel/net/inet/ip.h"
#include "kernel/net/inet/net_env.h"
#include "kernel/net/inet/net_stats.h"
#include "kernel/net/inet/netns.h"
#include "kernel/net/inet/netbuf.h"
#include "kernel/net/inet/tcp.h"
#include "tests/unit/unit.h"

#define HOST 0x0a000202u /* 10.0.2.2 */
static const u8 host_mac[6] = {0x52, 0x55, 0x0a, 0x00, 0x02, 0x02};

/* What the fake card sent. */
static u8 sent[16][ETHERNET_MAX_FRAME_LEN];
static u32 sent_len[16];
static int nsent;

static int fake_transmit(const void *frame, u32 len)
{
    if (nsent < 16) {
        memcpy(sent[nsent], frame, len);
        sent_len[nsent] = len;
    }
    nsent++;
    return 0;
}

static const struct ethernet_card fake_card = {{0x52, 0x54, 0x00, 0x12, 0x34, 0x56}, fake_transmit};

static void attach_once(void)
{
    static bool attached;
    if (!attached)
        ethernet_attach(&fake_card);
    attached = true;
    nsent = 0;
}

static u32 eth_header(u8 *frame, const u8 *to, u16 type)
{
    memcpy(frame, to, 6);
    memcpy(frame + 6, host_mac, 6);
    put_be16(frame + 12, type);
    return 14;
}

static u32 arp_frame(u8 *frame, u16 operation, u32 target)
{
    static const u8 broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    u32 n = eth_header(frame, operation == 1 ? broadcast : fake_card.mac, 0x0806);
    u8 *a = frame + n;
    put_be16(a, 1);
    put_be16(a + 2, 0x0800);
    a[4] = 6, a[5] = 4;
    put_be16(a + 6, operation);
    memcpy(a + 8, host_mac, 6);
    put_be32(a + 14, HOST);
    memset(a + 18, 0, 6);
    put_be32(a + 24, target);
    return n + 28;
}

static void arp_request_answered(void)
{
    attach_once();
    u8 frame[64];
    ethernet_input(frame, arp_frame(frame, 1, ETH0_ADDR));
    CHECK_EQ(nsent, 1);
    CHECK(memcmp(sent[0], host_mac, 6) == 0); /* straight back to the asker */
    CHECK_EQ(get_be16(sent[0] + 12), 0x0806);
    CHECK_EQ(get_be16(sent[0] + 14 + 6), 2); /* a reply */
    CHECK(memcmp(sent[0] + 14 + 8, fake_card.mac, 6) == 0);
    CHECK_EQ(get_be32(sent[0] + 14 + 14), ETH0_ADDR);
    nsent = 0;
    ethernet_input(frame, arp_frame(frame, 1, 0x0a000263)); /* someone else's address */
    CHECK_EQ(nsent, 0);
}

static void malformed_frames_dropped(void)
{
    attach_once();
    u8 frame[1600] = {0};
    static const u8 other_mac[6] = {0x52, 0x54, 0, 0, 0, 1};
    struct {
        const char *name;
        u32 len;
    } cases[] = {{"short", 10},        {"too long", 1515}, {"other MAC", 60},
                 {"unknown type", 60}, {"bad ARP", 42},    {"truncated ARP", 20}};
    for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
        eth_header(frame, fake_card.mac, 0x0800);
        if (i == 2)
            memcpy(frame, other_mac, 6);
        if (i == 3)
            put_be16(frame + 12, 0x86dd); /* IPv6 */
        if (i == 4) {
            arp_frame(frame, 1, ETH0_ADDR);
            put_be16(frame + 14, 6); /* hardware type 6 */
        }
        if (i == 5)
            arp_frame(frame, 1, ETH0_ADDR);
        u64 dropped = eth0_netif.rx_dropped;
        ethernet_input(frame, cases[i].len);
        if (eth0_netif.rx_dropped != dropped + 1)
            printf("  case: %s\n", cases[i].name);
        CHECK_EQ(eth0_netif.rx_dropped, dropped + 1);
    }
    CHECK_EQ(nsent, 0);
    CHECK_EQ(netbuf_live, 0);
}

/* An IPv4 frame from the host carrying `payload` of `protocol`. */
static u32 ip_frame(u8 *frame, u8 protocol, u32 dst, const u8 *payload, u32 len)
{
    u32 n = eth_header(frame, fake_card.mac, 0x0800);
    u8 *h = frame + n;
    memset(h, 0, 20);
    h[0] = 0x45;
    put_be16(h + 2, (u16)(20 + len));
    h[8] = 64;
    h[9] = protocol;
    put_be32(h + 12, HOST);
    put_be32(h + 16, dst);
    put_be16(h + 10, inet_checksum(h, 20));
    memcpy(h + 20, payload, len);
    return n + 20 + len;
}

static void tcp_syn_answered_after_arp(void)
{
    attach_once();
    struct tcp_sock *listener = tcp_sock_create(&init_net_ns);
    CHECK_EQ(tcp_bind(listener, 0, 8080), 0);
    CHECK_EQ(tcp_listen(listener, 4), 0);
    u8 syn[20] = {0};
    put_be16(syn, 40000);
    put_be16(syn + 2, 8080);
    put_be32(syn + 4, 1000);
    syn[12] = 5 << 4;
    syn[13] = TCP_SYN;
    put_be16(syn + 14, 65535);
    put_be16(syn + 16, transport_checksum(HOST, ETH0_ADDR, IPPROTO_TCP_NUM, syn, 20));
    u8 frame[128];
    /* A fresh table: forget 10.0.2.2 by asking about a different host first is
     * not possible, so the host is known from the ARP test or not at all. */
    ethernet_input(frame, ip_frame(frame, IPPROTO_TCP_NUM, ETH0_ADDR, syn, 20));
    u8 *reply = NULL;
    for (int i = 0; i < nsent && i < 16; i++)
        if (get_be16(sent[i] + 12) == 0x0800)
            reply = sent[i];
    if (!reply && nsent == 1 && get_be16(sent[0] + 12) == 0x0806) {
        /* We had to ask who 10.0.2.2 is: answer, and the SYN+ACK follows. */
        CHECK_EQ(get_be16(sent[0] + 14 + 6), 1);
        nsent = 0;
        ethernet_input(frame, arp_frame(frame, 2, ETH0_ADDR));
        reply = nsent == 1 ? sent[0] : NULL;
    }
    CHECK(reply != NULL);
    if (reply) {
        CHECK(memcmp(reply, host_mac, 6) == 0);
        const u8 *tcp = reply + 14 + 20;
        CHECK_EQ(get_be32(reply + 14 + 12), ETH0_ADDR);
        CHECK_EQ(tcp[13], TCP_SYN | TCP_ACK);
        CHECK_EQ(get_be32(tcp + 8), 1001);
        /* The SYN offered no window scaling: the answer has only the MSS option. */
        CHECK_EQ(tcp[12] >> 4, 6);
        CHECK_EQ(tcp[20], 2);
        CHECK_EQ(get_be16(tcp + 2), 40000);
        /* TCP leaves its checksum to ip_output (skipped only on the loopback):
         * a segment for a real card carries a correct one. */
        u32 tcp_len = get_be16(reply + 14 + 2) - 20u;
        CHECK_EQ(transport_checksum(ETH0_ADDR, HOST, IPPROTO_TCP_NUM, tcp, tcp_len), 0);
    }
    tcp_close(listener);
    net_tick(1000000);
    CHECK_EQ(list_length(&tcp_socks), 0);
    CHECK_EQ(netbuf_live, 0);
}

static void ping_and_foreign_address(void)
{
    attach_once();
    u8 frame[128];
    ethernet_input(frame, arp_frame(frame, 1, ETH0_ADDR)); /* now it knows the host */
    nsent = 0;
    u8 echo[12] = {ICMP_ECHO_REQUEST, 0, 0, 0, 0, 1, 0, 1, 'p', 'i', 'n', 'g'};
    put_be16(echo + 2, inet_checksum(echo, 12));
    ethernet_input(frame, ip_frame(frame, IPPROTO_ICMP_NUM, ETH0_ADDR, echo, 12));
    CHECK_EQ(nsent, 1);
    CHECK_EQ(sent[0][14 + 20], ICMP_ECHO_REPLY);
    CHECK(memcmp(sent[0] + 14 + 28, "ping", 4) == 0);
    u64 addr_errors = init_net_ns.stats.ip_in_addr_errors;
    nsent = 0;
    ethernet_input(frame, ip_frame(frame, IPPROTO_ICMP_NUM, 0x0a000263, echo, 12));
    CHECK_EQ(init_net_ns.stats.ip_in_addr_errors, addr_errors + 1); /* sprout does not forward */
    CHECK_EQ(nsent, 0);
    CHECK_EQ(netbuf_live, 0);
}

static const struct unit_case cases[] = {
    UNIT(arp_request_answered),
    UNIT(malformed_frames_dropped),
    UNIT(tcp_syn_answered_after_arp),
    UNIT(ping_and_foreign_address),
};
UNIT_MAIN("net_eth", cases)
