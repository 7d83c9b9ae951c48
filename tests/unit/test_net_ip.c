/*
 * test_net_ip.c - IPv4 input on crafted datagrams (every malformed one is
 * dropped and counted in the right counter), the Internet checksum, ICMP
 * echo, UDP and ping sockets over the loopback.
 */
#include <stdlib.h>
#include "kernel/errno.h"
#include "kernel/net/inet/checksum.h"
#include "kernel/net/inet/icmp.h"
#include "kernel/net/inet/ip.h"
#include "kernel/net/inet/net_env.h"
#include "kernel/net/inet/net_stats.h"
#include "kernel/net/inet/netns.h"
#include "kernel/net/inet/netbuf.h"
#include "kernel/net/inet/netif.h"
#include "kernel/net/inet/tcp.h"
#include "kernel/net/inet/udp.h"
#include "tests/unit/unit.h"

#define LO 0x7f000001u

static void checksum_rfc1071_example(void)
{
    /* RFC 1071 section 3: these bytes sum to 0xddf2. */
    const u8 bytes[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    /* The running sum may come back folded or not (0x2ddf0 or 0xddf2): the
     * same value in ones'-complement arithmetic, i.e. modulo 0xffff. */
    CHECK_EQ(checksum_add(0, bytes, sizeof bytes) % 0xffff, 0x2ddf0 % 0xffff);
    CHECK_EQ(checksum_finish(checksum_add(0x1234, bytes, sizeof bytes)),
             checksum_finish(0x1234 + 0x2ddf0)); /* a running sum carries on */
    /* Longer than a word, every length: the same as the sum of 16-bit words. */
    u8 long_data[37];
    for (u32 i = 0; i < sizeof long_data; i++)
        long_data[i] = (u8)(i * 37 + 11);
    for (u32 len = 0; len <= sizeof long_data; len++) {
        u64 slow = 0;
        for (u32 i = 0; i < len; i += 2)
            slow += (u32)(long_data[i] << 8 | (i + 1 < len ? long_data[i + 1] : 0));
        while (slow >> 16)
            slow = (slow & 0xffff) + (slow >> 16);
        CHECK_EQ(inet_checksum(long_data, len), (u16)~slow);
    }
    CHECK_EQ(inet_checksum(bytes, sizeof bytes), (u16)~0xddf2);
    const u8 odd[] = {0x01, 0x02, 0x03}; /* 0x0102 + 0x0300 */
    CHECK_EQ(inet_checksum(odd, 3), (u16)~0x0402);
    u8 with_sum[10];
    memcpy(with_sum, bytes, 8);
    put_be16(with_sum + 8, inet_checksum(bytes, 8));
    CHECK_EQ(inet_checksum(with_sum, 10), 0); /* a correct packet sums to zero */
}

/* A valid IPv4 header for a datagram of `total` bytes, protocol `protocol`. */
static void ip_header(u8 *h, u32 total, u8 protocol, u32 src, u32 dst)
{
    memset(h, 0, 20);
    h[0] = 0x45;
    put_be16(h + 2, (u16)total);
    h[8] = 64;
    h[9] = protocol;
    put_be32(h + 12, src);
    put_be32(h + 16, dst);
    put_be16(h + 10, inet_checksum(h, 20));
}

static void feed(const u8 *frame, u32 len)
{
    struct netbuf *nb = netbuf_from_bytes(frame, len);
    nb->netif = &init_net_ns.loopback;
    ip_input(nb);
    netif_deliver_pending();
}

/* An ICMP echo request from 127.0.0.1 to 127.0.0.1, 28 bytes in all. */
static u32 echo_request(u8 *frame)
{
    ip_header(frame, 28, IPPROTO_ICMP_NUM, LO, LO);
    u8 *icmp = frame + 20;
    memset(icmp, 0, 8);
    icmp[0] = ICMP_ECHO_REQUEST;
    put_be16(icmp + 4, 0x1234);
    put_be16(icmp + 6, 1);
    put_be16(icmp + 2, inet_checksum(icmp, 8));
    return 28;
}

static void icmp_echo_answered(void)
{
    u8 frame[64];
    u64 echos = init_net_ns.stats.icmp_in_echos, replies = init_net_ns.stats.icmp_out_echo_reps;
    u64 in_msgs = init_net_ns.stats.icmp_in_msgs;
    feed(frame, echo_request(frame));
    CHECK_EQ(init_net_ns.stats.icmp_in_echos, echos + 1);
    CHECK_EQ(init_net_ns.stats.icmp_out_echo_reps, replies + 1);
    CHECK_EQ(init_net_ns.stats.icmp_in_msgs,
             in_msgs + 2); /* the request, then our reply came back */
    CHECK_EQ(netbuf_live, 0);
}

/* Each malformed datagram and the counter that must count it. */
enum mutation {
    TOO_SHORT,
    VERSION_6,
    IHL_4,
    IHL_PAST_END,
    TOTAL_PAST_END,
    TOTAL_BELOW_IHL,
    BAD_CHECKSUM,
    BAD_OPTION_LEN,
    OPTION_PAST_END,
    TTL_ZERO,
    MORE_FRAGMENTS,
    FRAGMENT_OFFSET,
    NOT_FOR_US,
    UNKNOWN_PROTOCOL,
};
static const struct {
    const char *name;
    enum mutation mutation;
    u64 *counter;
} malformed[] = {
    {"too short", TOO_SHORT, &init_net_ns.stats.ip_in_hdr_errors},
    {"version 6", VERSION_6, &init_net_ns.stats.ip_in_hdr_errors},
    {"IHL 4", IHL_4, &init_net_ns.stats.ip_in_hdr_errors},
    {"IHL past end", IHL_PAST_END, &init_net_ns.stats.ip_in_hdr_errors},
    {"total length past end", TOTAL_PAST_END, &init_net_ns.stats.ip_in_hdr_errors},
    {"total length below header", TOTAL_BELOW_IHL, &init_net_ns.stats.ip_in_hdr_errors},
    {"bad checksum", BAD_CHECKSUM, &init_net_ns.stats.ip_in_hdr_errors},
    {"option length 0", BAD_OPTION_LEN, &init_net_ns.stats.ip_in_hdr_errors},
    {"option past header", OPTION_PAST_END, &init_net_ns.stats.ip_in_hdr_errors},
    {"TTL 0", TTL_ZERO, &init_net_ns.stats.ip_in_hdr_errors},
    {"more fragments", MORE_FRAGMENTS, &init_net_ns.stats.ip_reasm_fails},
    {"fragment offset", FRAGMENT_OFFSET, &init_net_ns.stats.ip_reasm_fails},
    {"not for us", NOT_FOR_US, &init_net_ns.stats.ip_in_addr_errors},
    {"unknown protocol", UNKNOWN_PROTOCOL, &init_net_ns.stats.ip_in_unknown_protos},
};

static void malformed_dropped_and_counted(void)
{
    for (unsigned i = 0; i < ARRAY_SIZE(malformed); i++) {
        u8 frame[64];
        u32 len = echo_request(frame);
        u8 *h = frame;
        bool fix_checksum = true;
        switch (malformed[i].mutation) {
        case TOO_SHORT:
            len = 19;
            break;
        case VERSION_6:
            h[0] = 0x65;
            break;
        case IHL_4:
            h[0] = 0x44;
            break;
        case IHL_PAST_END:
            h[0] = 0x4f;
            len = 40;
            break;
        case TOTAL_PAST_END:
            put_be16(h + 2, 200);
            break;
        case TOTAL_BELOW_IHL:
            put_be16(h + 2, 12);
            break;
        case BAD_CHECKSUM:
            h[10] ^= 0x55;
            fix_checksum = false;
            break;
        case BAD_OPTION_LEN:
        case OPTION_PAST_END:
            /* Grow the header by 4 bytes of options in front of the ICMP message. */
            memmove(h + 24, h + 20, 8);
            h[0] = 0x46;
            put_be16(h + 2, 32);
            h[20] = 0x44; /* timestamp option */
            h[21] = malformed[i].mutation == BAD_OPTION_LEN ? 0 : 12;
            h[22] = h[23] = 0;
            len = 32;
            break;
        case TTL_ZERO:
            h[8] = 0;
            break;
        case MORE_FRAGMENTS:
            put_be16(h + 6, 0x2000);
            break;
        case FRAGMENT_OFFSET:
            put_be16(h + 6, 0x0010);
            break;
        case NOT_FOR_US:
            put_be32(h + 16, 0x0a000002);
            break;
        case UNKNOWN_PROTOCOL:
            h[9] = 99;
            break;
        }
        if (fix_checksum) {
            put_be16(h + 10, 0);
            put_be16(h + 10, inet_checksum(h, (h[0] & 0xf) * 4u > len ? 20 : (h[0] & 0xf) * 4u));
        }
        u64 before = *malformed[i].counter, echos = init_net_ns.stats.icmp_in_echos;
        u64 dropped = init_net_ns.loopback.rx_dropped;
        feed(frame, len);
        if (*malformed[i].counter != before + 1 || init_net_ns.stats.icmp_in_echos != echos)
            printf("  case: %s\n", malformed[i].name);
        CHECK_EQ(*malformed[i].counter, before + 1);
        CHECK_EQ(init_net_ns.stats.icmp_in_echos, echos); /* never reached ICMP */
        CHECK_EQ(init_net_ns.loopback.rx_dropped, dropped + 1);
    }
    CHECK_EQ(netbuf_live, 0);
}

static void options_accepted_when_well_formed(void)
{
    u8 frame[64];
    echo_request(frame);
    memmove(frame + 24, frame + 20, 8);
    frame[0] = 0x46;
    put_be16(frame + 2, 32);
    frame[20] = 1, frame[21] = 1, frame[22] = 1, frame[23] = 0; /* no-ops, end */
    put_be16(frame + 10, 0);
    put_be16(frame + 10, inet_checksum(frame, 24));
    u64 echos = init_net_ns.stats.icmp_in_echos;
    feed(frame, 32);
    CHECK_EQ(init_net_ns.stats.icmp_in_echos, echos + 1);
}

static void udp_datagrams(void)
{
    struct udp_sock *a = udp_sock_create(&init_net_ns, IPPROTO_UDP_NUM),
                    *b = udp_sock_create(&init_net_ns, IPPROTO_UDP_NUM);
    CHECK_EQ(udp_bind(a, LO, 7000), 0);
    CHECK_EQ(udp_bind(b, 0, 7000), -EADDRINUSE);
    CHECK_EQ(udp_sendto(b, LO, 7000, "first", 5), 5); /* binds b to an ephemeral port */
    CHECK_EQ(udp_sendto(b, LO, 7000, "second!", 7), 7);
    netif_deliver_pending();
    char buf[16];
    u32 from;
    u16 port;
    CHECK_EQ(udp_next_size(a), 5);
    CHECK_EQ(udp_recv(a, buf, 3, &from, &port, false), 5); /* truncated, full size returned */
    CHECK(memcmp(buf, "fir", 3) == 0);
    CHECK_EQ(from, LO);
    CHECK_EQ(port, b->local_port);
    CHECK_EQ(udp_recv(a, buf, sizeof buf, NULL, NULL, true), 7); /* peek leaves it */
    CHECK_EQ(udp_recv(a, buf, sizeof buf, NULL, NULL, false), 7);
    CHECK_EQ(udp_recv(a, buf, sizeof buf, NULL, NULL, false), -EAGAIN);
    static char big[UDP_MAX_PAYLOAD + 1];
    CHECK_EQ(udp_sendto(b, LO, 7000, big, sizeof big), -EMSGSIZE);
    CHECK_EQ(udp_sendto(b, 0, 0, "x", 1), -EDESTADDRREQ);

    /* Nobody on port 7001: counted, and an ICMP port unreachable goes back. */
    u64 no_ports = init_net_ns.stats.udp_no_ports, icmp_out = init_net_ns.stats.icmp_out_msgs;
    CHECK_EQ(udp_sendto(b, LO, 7001, "lost", 4), 4);
    netif_deliver_pending();
    CHECK_EQ(init_net_ns.stats.udp_no_ports, no_ports + 1);
    CHECK_EQ(init_net_ns.stats.icmp_out_msgs, icmp_out + 1);

    /* The receive queue has a limit: past it datagrams are dropped and counted. */
    a->rcvbuf = 10;
    u64 rcvbuf_errors = init_net_ns.stats.udp_rcvbuf_errors;
    CHECK_EQ(udp_sendto(b, LO, 7000, "12345678", 8), 8);
    CHECK_EQ(udp_sendto(b, LO, 7000, "12345678", 8), 8);
    netif_deliver_pending();
    CHECK_EQ(init_net_ns.stats.udp_rcvbuf_errors, rcvbuf_errors + 1);
    udp_sock_destroy(a);
    udp_sock_destroy(b);
    CHECK_EQ(netbuf_live, 0);
}

static void udp_bad_datagrams(void)
{
    struct udp_sock *a = udp_sock_create(&init_net_ns, IPPROTO_UDP_NUM);
    CHECK_EQ(udp_bind(a, LO, 7000), 0);
    u8 frame[64];
    ip_header(frame, 20 + 8 + 4, IPPROTO_UDP_NUM, LO, LO);
    u8 *udp = frame + 20;
    put_be16(udp, 9999);
    put_be16(udp + 2, 7000);
    put_be16(udp + 4, 12);
    put_be16(udp + 6, 0);
    memcpy(udp + 8, "data", 4);
    put_be16(udp + 6, transport_checksum(LO, LO, IPPROTO_UDP_NUM, udp, 12));
    u64 errors = init_net_ns.stats.udp_in_errors;
    udp[9] ^= 1; /* corrupt one byte */
    feed(frame, 32);
    CHECK_EQ(init_net_ns.stats.udp_in_errors, errors + 1);
    udp[9] ^= 1;
    put_be16(udp + 4, 40); /* longer than what arrived */
    feed(frame, 32);
    CHECK_EQ(init_net_ns.stats.udp_in_errors, errors + 2);
    put_be16(udp + 4, 12);
    feed(frame, 32); /* now right */
    CHECK_EQ(init_net_ns.stats.udp_in_errors, errors + 2);
    CHECK_EQ(udp_next_size(a), 4);
    udp_sock_destroy(a);
    CHECK_EQ(netbuf_live, 0);
}

static void ping_socket(void)
{
    udp_init();
    struct udp_sock *ping = udp_sock_create(&init_net_ns, IPPROTO_ICMP_NUM);
    CHECK_EQ(udp_bind(ping, 0, 0), 0);
    u8 request[16] = {ICMP_ECHO_REQUEST, 0, 0, 0, 0, 0, 0, 7, 'p', 'i', 'n', 'g'};
    CHECK_EQ(udp_sendto(ping, LO, 0, request, 12), 12);
    netif_deliver_pending();
    u8 reply[32];
    CHECK_EQ(udp_recv(ping, reply, sizeof reply, NULL, NULL, false), 12);
    CHECK_EQ(reply[0], ICMP_ECHO_REPLY);
    CHECK_EQ(get_be16(reply + 4), ping->local_port); /* the id is the socket's */
    CHECK_EQ(get_be16(reply + 6), 7);
    CHECK(memcmp(reply + 8, "ping", 4) == 0);
    request[0] = 13; /* not an echo request */
    CHECK_EQ(udp_sendto(ping, LO, 0, request, 12), -EINVAL);
    udp_sock_destroy(ping);
    CHECK_EQ(netbuf_live, 0);
}

static void no_route(void)
{
    struct udp_sock *a = udp_sock_create(&init_net_ns, IPPROTO_UDP_NUM);
    CHECK_EQ(udp_sendto(a, 0x08080808, 53, "q", 1), -ENETUNREACH);
    udp_sock_destroy(a);
    struct tcp_sock *ts = tcp_sock_create(&init_net_ns);
    CHECK_EQ(tcp_connect(ts, 0x08080808, 80), -ENETUNREACH);
    tcp_close(ts);
    CHECK_EQ(netbuf_live, 0);
}

static const struct unit_case cases[] = {
    UNIT(checksum_rfc1071_example),
    UNIT(icmp_echo_answered),
    UNIT(malformed_dropped_and_counted),
    UNIT(options_accepted_when_well_formed),
    UNIT(udp_datagrams),
    UNIT(udp_bad_datagrams),
    UNIT(ping_socket),
    UNIT(no_route),
};
UNIT_MAIN("net_ip", cases)
