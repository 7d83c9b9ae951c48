/*
 * test_net_tcp.c - the TCP state machine on the host, two sockets talking
 * over the loopback: handshake, data through a full receive window, close in
 * both orders and at once, RST for a closed port, retransmission after a lost
 * segment, the backlog, ports in use, malformed segments.
 *
 * Time is ours: net_tick(t) moves the clock, so timers fire when we say.
 */
#include <stdlib.h>
#include "kernel/errno.h"
#include "kernel/net/inet/ip.h"
#include "kernel/net/inet/net_stats.h"
#include "kernel/net/inet/netns.h"
#include "kernel/net/inet/netbuf.h"
#include "kernel/net/inet/netif.h"
#include "kernel/net/inet/tcp.h"
#include "tests/unit/unit.h"

#define LO 0x7f000001u
#define PORT 5000
/* Most cases run lo with a card's MTU (1500), so that a window holds many
 * segments to lose, hold back and reorder; lo_mtu_* set lo's own (65536). */
#define ETHERNET_MTU 1500
#define MSS (ETHERNET_MTU - TCP_IP_HEADERS_LEN)
__attribute__((constructor)) static void ethernet_sized_lo(void)
{
    init_net_ns.loopback.mtu = ETHERNET_MTU;
}

static u64 now;
__attribute__((constructor)) static void unbuffered(void) { setvbuf(stdout, NULL, _IONBF, 0); }

/* Let queued packets arrive; advance the clock by ms first. */
static void run(u64 ms)
{
    now += ms;
    net_tick(now);
}

static int drop_data_segments; /* drop this many segments that carry TCP payload */
static int drop_syns;
/* Reordering: hold back this many segments with payload (every other one
 * when hold_alternate) until release_held() delivers them late. */
static int hold_data_segments;
static u16 drop_from_port; /* drop everything this port sends: a peer gone silent */
static bool hold_alternate;
static int seen_data_segments;
static u8 held[16][1600];
static u32 held_len[16];
static int nr_held;

static bool drop_filter(struct netbuf *nb)
{
    const u8 *tcp = nb->data + 20;
    u32 header_len = (tcp[12] >> 4) * 4u;
    if (nb->data[9] != IPPROTO_TCP_NUM)
        return false;
    if (drop_from_port && (u16)(tcp[0] << 8 | tcp[1]) == drop_from_port)
        return true;
    bool payload = nb->len > 20 + header_len;
    if (payload && hold_data_segments && nr_held < 16 &&
        (!hold_alternate || seen_data_segments++ % 2 == 0)) {
        memcpy(held[nr_held], nb->data, nb->len);
        held_len[nr_held++] = nb->len;
        hold_data_segments--;
        return true;
    }
    if (drop_syns && (tcp[13] & TCP_SYN) && !(tcp[13] & TCP_ACK)) {
        drop_syns--;
        return true;
    }
    if (drop_data_segments && nb->len > 20 + header_len) {
        drop_data_segments--;
        return true;
    }
    return false;
}

/* A filter that drops nothing: it counts the segments with a payload and
 * remembers the largest payload. */
static u32 data_segments, largest_payload;
static bool count_filter(struct netbuf *nb)
{
    u32 payload = nb->len - 20 - (nb->data[20 + 12] >> 4) * 4u;
    data_segments += payload > 0;
    largest_payload = MAX(largest_payload, payload);
    return false;
}

/* The held segments arrive now, late and in the order they were sent. */
static void release_held(void)
{
    for (int i = 0; i < nr_held; i++) {
        struct netbuf *nb = netbuf_from_bytes(held[i], held_len[i]);
        nb->netif = &init_net_ns.loopback;
        nb->checksum_pending = true; /* still the loopback's: its TCP checksum was never computed */
        ip_input(nb);
    }
    nr_held = 0;
    run(0);
}

static struct tcp_sock *make_listener(u16 port, int backlog)
{
    struct tcp_sock *ts = tcp_sock_create(&init_net_ns);
    CHECK_EQ(tcp_bind(ts, LO, port), 0);
    CHECK_EQ(tcp_listen(ts, backlog), 0);
    return ts;
}

/* A connected pair: *client and *server (accepted), and the listener. */
static struct tcp_sock *connect_pair(struct tcp_sock **client, struct tcp_sock **server)
{
    struct tcp_sock *listener = make_listener(PORT, 8);
    *client = tcp_sock_create(&init_net_ns);
    CHECK_EQ(tcp_connect(*client, LO, PORT), 0);
    run(0);
    *server = tcp_accept(listener);
    CHECK(*server != NULL);
    return listener;
}

/* Everything freed: no sockets, no packets. */
static void check_no_leaks(void)
{
    run(0);
    run(TCP_TIME_WAIT_MS + 1);
    struct tcp_sock *ts;
    list_for_each_entry (ts, &tcp_socks, node)
        printf("  left: %s port %u->%u orphan %d sbuf %u rbuf %u una %u nxt %u max %u\n",
               tcp_state_name(ts->state), ts->local_port, ts->remote_port, ts->orphan, ts->sbuf.len,
               ts->rbuf.len, ts->snd_una, ts->snd_nxt, ts->snd_max);
    CHECK_EQ(list_length(&tcp_socks), 0);
    CHECK_EQ(netbuf_live, 0);
}

static void handshake(void)
{
    struct tcp_sock *client, *server, *listener = connect_pair(&client, &server);
    CHECK_EQ(client->state, TCP_ESTABLISHED);
    CHECK_EQ(server->state, TCP_ESTABLISHED);
    CHECK_EQ(server->remote_port, client->local_port);
    CHECK_EQ(client->remote_port, PORT);
    CHECK_EQ(server->local_addr, LO);
    CHECK(client->local_port >= 32768);
    CHECK(tcp_accept(listener) == NULL); /* only one connection came */
    tcp_close(client);
    tcp_close(server);
    tcp_close(listener);
    run(0);
    check_no_leaks();
}

/* 200 KB through 64 KB buffers: the sender stops at the receiver's window
 * (it reaches zero while the reader sleeps) and goes on when it reads. */
static void flow_control_through(u32 mtu)
{
    init_net_ns.loopback.mtu = mtu;
    struct tcp_sock *client, *server, *listener = connect_pair(&client, &server);
    enum { TOTAL = 200000 };
    static u8 out[TOTAL], in[TOTAL];
    for (int i = 0; i < TOTAL; i++)
        out[i] = (u8)(i * 7 + i / 251);
    u32 sent = 0, got = 0;
    bool saw_zero_window = false;
    for (int round = 0; round < 1000 && got < TOTAL; round++) {
        if (sent < TOTAL) {
            int n = tcp_send(client, out + sent, TOTAL - sent);
            if (n > 0)
                sent += (u32)n;
            else
                CHECK_EQ(n, -EAGAIN);
        }
        run(0);
        if (client->snd_wnd == 0)
            saw_zero_window = true;
        if (round % 3 == 2 || sent == TOTAL) { /* the reader is slower than the writer */
            int n = tcp_recv(server, in + got, TOTAL - got, false);
            if (n > 0)
                got += (u32)n;
        }
        run(TCP_RTO_MIN_MS); /* a window probe, if one is needed */
    }
    CHECK_EQ(got, TOTAL);
    CHECK(memcmp(in, out, TOTAL) == 0);
    /* Slow start: the congestion window grew past its initial 10 segments
     * while the receiver's window was the limit, and no loss set ssthresh. */
    if (mtu == ETHERNET_MTU) /* on lo's MTU ten segments are far more than the window */
        CHECK(client->cwnd > TCP_INIT_CWND_SEGS * client->snd_mss);
    CHECK_EQ(client->ssthresh, TCP_SSTHRESH_INFINITE);
    CHECK(saw_zero_window);
    CHECK_EQ(client->snd_una, client->snd_max);
    tcp_close(client);
    tcp_close(server);
    tcp_close(listener);
    check_no_leaks();
    init_net_ns.loopback.mtu = ETHERNET_MTU;
}

static void data_flow_control(void) { flow_control_through(ETHERNET_MTU); }
static void lo_mtu_flow_control(void) { flow_control_through(LOOPBACK_MTU); }

static void close_client_first(void)
{
    struct tcp_sock *client, *server, *listener = connect_pair(&client, &server);
    CHECK_EQ(tcp_send(client, "bye", 3), 3);
    CHECK_EQ(tcp_shutdown(client, 1), 0);
    run(0);
    CHECK_EQ(client->state, TCP_FIN_WAIT_2);
    CHECK_EQ(server->state, TCP_CLOSE_WAIT);
    char buf[8];
    CHECK_EQ(tcp_recv(server, buf, sizeof buf, false), 3);
    CHECK_EQ(tcp_recv(server, buf, sizeof buf, false), 0); /* end of stream */
    CHECK_EQ(tcp_send(server, "ok", 2), 2);                /* half-close: still writable */
    run(0);
    CHECK_EQ(tcp_recv(client, buf, sizeof buf, false), 2);
    tcp_close(server);
    run(0);
    CHECK_EQ(client->state, TCP_TIME_WAIT);
    CHECK_EQ(list_length(&tcp_socks), 2); /* server's socket is gone after LAST_ACK */
    tcp_close(client);
    tcp_close(listener);
    run(TCP_TIME_WAIT_MS - 10);
    CHECK_EQ(list_length(&tcp_socks), 1); /* still in TIME_WAIT */
    check_no_leaks();
}

static void close_server_first(void)
{
    struct tcp_sock *client, *server, *listener = connect_pair(&client, &server);
    tcp_close(server);
    run(0);
    CHECK_EQ(client->state, TCP_CLOSE_WAIT);
    char buf[4];
    CHECK_EQ(tcp_recv(client, buf, sizeof buf, false), 0);
    tcp_close(client);
    run(0);
    /* The server side (now an orphan) waits in TIME_WAIT; the client is freed. */
    CHECK_EQ(list_length(&tcp_socks), 2);
    struct tcp_sock *ts;
    int time_wait = 0;
    list_for_each_entry (ts, &tcp_socks, node)
        time_wait += ts->state == TCP_TIME_WAIT;
    CHECK_EQ(time_wait, 1);
    tcp_close(listener);
    check_no_leaks();
}

static void close_simultaneous(void)
{
    struct tcp_sock *client, *server, *listener = connect_pair(&client, &server);
    CHECK_EQ(tcp_shutdown(client, 1), 0);
    CHECK_EQ(tcp_shutdown(server, 1), 0); /* both FINs cross on the wire */
    CHECK_EQ(client->state, TCP_FIN_WAIT_1);
    run(0);
    CHECK_EQ(client->state, TCP_TIME_WAIT);
    CHECK_EQ(server->state, TCP_TIME_WAIT);
    tcp_close(client);
    tcp_close(server);
    tcp_close(listener);
    check_no_leaks();
}

static void reset_on_closed_port(void)
{
    u64 rsts = init_net_ns.stats.tcp_out_rsts;
    struct tcp_sock *client = tcp_sock_create(&init_net_ns);
    CHECK_EQ(tcp_connect(client, LO, PORT + 1), 0);
    CHECK_EQ(client->state, TCP_SYN_SENT);
    run(0);
    CHECK_EQ(client->state, TCP_CLOSED);
    CHECK_EQ(tcp_take_error(client), ECONNREFUSED);
    CHECK_EQ(init_net_ns.stats.tcp_out_rsts, rsts + 1);
    tcp_close(client);
    check_no_leaks();
}

static void reset_when_closed_with_unread_data(void)
{
    struct tcp_sock *client, *server, *listener = connect_pair(&client, &server);
    CHECK_EQ(tcp_send(client, "unread", 6), 6);
    run(0);
    tcp_close(server);
    run(0);
    char buf[8];
    CHECK_EQ(tcp_recv(client, buf, sizeof buf, false), -ECONNRESET);
    CHECK_EQ(client->state, TCP_CLOSED);
    tcp_close(client);
    tcp_close(listener);
    check_no_leaks();
}

static void retransmit_lost_segment(void)
{
    init_net_ns.loopback.drop_filter = drop_filter;
    struct tcp_sock *client, *server, *listener = connect_pair(&client, &server);
    u64 retrans = init_net_ns.stats.tcp_retrans_segs;
    drop_data_segments = 1;
    CHECK_EQ(tcp_send(client, "hello", 5), 5);
    run(0);
    char buf[8];
    CHECK_EQ(tcp_recv(server, buf, sizeof buf, false), -EAGAIN); /* it was lost */
    CHECK_EQ(drop_data_segments, 0);
    run(TCP_RTO_MIN_MS);
    CHECK_EQ(tcp_recv(server, buf, sizeof buf, false), 5);
    CHECK(memcmp(buf, "hello", 5) == 0);
    CHECK_EQ(init_net_ns.stats.tcp_retrans_segs, retrans + 1);
    CHECK_EQ(client->snd_una, client->snd_max);
    CHECK_EQ(client->rexmit_deadline, 0);
    init_net_ns.loopback.drop_filter = NULL;
    tcp_close(client);
    tcp_close(server);
    tcp_close(listener);
    check_no_leaks();
}

static void fill(u8 *buf, u32 len)
{
    for (u32 i = 0; i < len; i++)
        buf[i] = (u8)(i * 13 + i / 1021);
}

/* Reads exactly len bytes from ts and compares them with want. */
static void check_received(struct tcp_sock *ts, const u8 *want, u32 len)
{
    static u8 got[64 * 1024];
    u32 n = 0;
    for (int r; n < len && (r = tcp_recv(ts, got + n, len - n, false)) > 0;)
        n += (u32)r;
    CHECK_EQ(n, len);
    CHECK(memcmp(got, want, len) == 0);
    char extra;
    CHECK_EQ(tcp_recv(ts, &extra, 1, false), -EAGAIN);
}

/* A segment overtaken by the next one waits in the out-of-order queue; when
 * the late one comes the two are read in order, and nothing was resent. */
static void reorder_reassembled_without_resend(void)
{
    init_net_ns.loopback.drop_filter = drop_filter;
    struct tcp_sock *client, *server, *listener = connect_pair(&client, &server);
    client->nodelay = true;
    static u8 out[2 * MSS];
    fill(out, sizeof out);
    u64 retrans = init_net_ns.stats.tcp_retrans_segs, queued = init_net_ns.stats.tcp_ofo_queued;
    hold_data_segments = 1, hold_alternate = false;
    CHECK_EQ(tcp_send(client, out, sizeof out), (int)sizeof out);
    run(0);
    CHECK_EQ(server->nr_ooo, 1);
    CHECK_EQ(server->rbuf.len, 0); /* nothing readable before the hole is filled */
    char c;
    CHECK_EQ(tcp_recv(server, &c, 1, false), -EAGAIN);
    CHECK_EQ(init_net_ns.stats.tcp_ofo_queued, queued + 1);
    CHECK_EQ(client->dupacks, 1);
    release_held();
    CHECK_EQ(server->nr_ooo, 0);
    check_received(server, out, sizeof out);
    CHECK_EQ(init_net_ns.stats.tcp_retrans_segs, retrans);
    CHECK_EQ(client->snd_una, client->snd_max);
    CHECK_EQ(client->ssthresh, TCP_SSTHRESH_INFINITE); /* no loss was seen */
    init_net_ns.loopback.drop_filter = NULL;
    tcp_close(client);
    tcp_close(server);
    tcp_close(listener);
    check_no_leaks();
}

/* Four segments after a hole: the third duplicate ACK resends the missing
 * one at once (no timeout), ssthresh becomes half the flight and cwnd ends
 * at ssthresh when fast recovery is over. */
static void fast_retransmit_halves_cwnd(void)
{
    init_net_ns.loopback.drop_filter = drop_filter;
    struct tcp_sock *client, *server, *listener = connect_pair(&client, &server);
    client->nodelay = true;
    static u8 out[5 * MSS];
    fill(out, sizeof out);
    u64 fast = init_net_ns.stats.tcp_fast_retrans, timeouts = init_net_ns.stats.tcp_timeouts;
    CHECK_EQ(client->cwnd, TCP_INIT_CWND_SEGS * MSS);
    hold_data_segments = 1, hold_alternate = false;
    CHECK_EQ(tcp_send(client, out, sizeof out), (int)sizeof out);
    run(0);
    CHECK_EQ(init_net_ns.stats.tcp_fast_retrans, fast + 1);
    CHECK_EQ(init_net_ns.stats.tcp_timeouts, timeouts);
    CHECK_EQ(client->ssthresh, 5 * MSS / 2);
    CHECK_EQ(client->cwnd, client->ssthresh);
    CHECK(!client->in_recovery);
    check_received(server, out, sizeof out);
    release_held(); /* the original arrives late: an old duplicate, ignored */
    char c;
    CHECK_EQ(tcp_recv(server, &c, 1, false), -EAGAIN);
    init_net_ns.loopback.drop_filter = NULL;
    tcp_close(client);
    tcp_close(server);
    tcp_close(listener);
    check_no_leaks();
}

/* Every other segment of 20 held back: ten holes, more than the receiver
 * remembers (TCP_OOO_MAX); the extra ranges are dropped and counted.  Fast
 * retransmit and NewReno's partial ACKs fill every hole without a timeout. */
static void many_holes_filled(void)
{
    init_net_ns.loopback.drop_filter = drop_filter;
    struct tcp_sock *client, *server, *listener = connect_pair(&client, &server);
    client->nodelay = true;
    client->cwnd = 40 * MSS; /* let all 20 go at once */
    static u8 out[20 * MSS];
    fill(out, sizeof out);
    u64 drops = init_net_ns.stats.tcp_ofo_drops, timeouts = init_net_ns.stats.tcp_timeouts;
    seen_data_segments = 0;
    hold_data_segments = 10, hold_alternate = true;
    CHECK_EQ(tcp_send(client, out, sizeof out), (int)sizeof out);
    run(0);
    CHECK_EQ(hold_data_segments, 0);
    CHECK_EQ(init_net_ns.stats.tcp_ofo_drops, drops + 2);
    CHECK_EQ(init_net_ns.stats.tcp_timeouts, timeouts);
    check_received(server, out, sizeof out);
    release_held();
    CHECK_EQ(client->snd_una, client->snd_max);
    hold_alternate = false;
    init_net_ns.loopback.drop_filter = NULL;
    tcp_close(client);
    tcp_close(server);
    tcp_close(listener);
    check_no_leaks();
}

/* RFC 6298's arithmetic, and its limits. */
static void rtt_estimator(void)
{
    struct tcp_sock *ts = tcp_sock_create(&init_net_ns);
    CHECK_EQ(tcp_rto_estimate(ts), TCP_RTO_INITIAL_MS); /* no sample yet */
    tcp_rtt_sample(ts, 100);
    CHECK_EQ(ts->srtt_ms, 100);
    CHECK_EQ(ts->rttvar_ms, 50);
    CHECK_EQ(ts->rto_ms, 300);
    tcp_rtt_sample(ts, 300);
    CHECK_EQ(ts->rttvar_ms, (3 * 50 + 200) / 4);
    CHECK_EQ(ts->srtt_ms, (7 * 100 + 300) / 8);
    CHECK_EQ(ts->rto_ms, 125 + 4 * 87);
    for (int i = 0; i < 100; i++)
        tcp_rtt_sample(ts, 1);
    CHECK_EQ(ts->rto_ms, TCP_RTO_MIN_MS);
    tcp_rtt_sample(ts, 0xffffffffu);
    for (int i = 0; i < 100; i++)
        tcp_rtt_sample(ts, 0xffffffffu);
    CHECK_EQ(ts->rto_ms, TCP_RTO_MAX_MS);
    tcp_close(ts);
    check_no_leaks();
}

/* A timeout doubles the RTO each time, drops cwnd to one segment and sets
 * ssthresh; the ACK of a resent segment gives no RTT sample (Karn), and new
 * data getting through brings the RTO back to the estimate. */
static void timeout_backs_off(void)
{
    init_net_ns.loopback.drop_filter = drop_filter;
    struct tcp_sock *client, *server, *listener = connect_pair(&client, &server);
    CHECK(client->rtt_valid); /* the handshake was timed */
    CHECK_EQ(client->rto_ms, TCP_RTO_MIN_MS);
    u32 srtt = client->srtt_ms, rttvar = client->rttvar_ms;
    u64 timeouts = init_net_ns.stats.tcp_timeouts;
    drop_data_segments = 2;
    CHECK_EQ(tcp_send(client, "hello", 5), 5);
    run(0);
    CHECK(client->rtt_timing);
    run(TCP_RTO_MIN_MS); /* the first resend is lost too */
    CHECK_EQ(init_net_ns.stats.tcp_timeouts, timeouts + 1);
    CHECK_EQ(client->rto_ms, 2 * TCP_RTO_MIN_MS);
    CHECK(!client->rtt_timing);
    CHECK_EQ(client->cwnd, client->snd_mss);
    CHECK_EQ(client->ssthresh, 2u * client->snd_mss);
    run(TCP_RTO_MIN_MS); /* not yet: the timeout doubled */
    CHECK_EQ(init_net_ns.stats.tcp_timeouts, timeouts + 1);
    run(TCP_RTO_MIN_MS);
    CHECK_EQ(init_net_ns.stats.tcp_timeouts, timeouts + 2);
    char buf[8];
    CHECK_EQ(tcp_recv(server, buf, sizeof buf, false), 5);
    CHECK_EQ(client->snd_una, client->snd_max);
    CHECK_EQ(client->srtt_ms, srtt); /* 600 ms after the first copy: not a sample */
    CHECK_EQ(client->rttvar_ms, rttvar);
    CHECK_EQ(client->rto_ms, TCP_RTO_MIN_MS);
    init_net_ns.loopback.drop_filter = NULL;
    tcp_close(client);
    tcp_close(server);
    tcp_close(listener);
    check_no_leaks();
}

/* An idle connection with SO_KEEPALIVE: a probe after keep_idle_s that the
 * peer answers; when the peer goes silent, keep_cnt probes keep_intvl_s
 * apart, then the connection fails with ETIMEDOUT and a RST. */
static void keepalive_probes_and_timeout(void)
{
    init_net_ns.loopback.drop_filter = drop_filter;
    struct tcp_sock *client, *server, *listener = connect_pair(&client, &server);
    client->keepalive = true;
    client->keep_idle_s = 10, client->keep_intvl_s = 5, client->keep_cnt = 2;
    u64 probes = init_net_ns.stats.tcp_keepalive_probes;
    run(9000);
    CHECK_EQ(init_net_ns.stats.tcp_keepalive_probes, probes); /* not idle long enough */
    run(1000);
    CHECK_EQ(init_net_ns.stats.tcp_keepalive_probes, probes + 1);
    CHECK_EQ(client->keep_probes, 0); /* answered */
    CHECK_EQ(client->state, TCP_ESTABLISHED);
    drop_from_port = PORT;
    run(10000);
    CHECK_EQ(client->keep_probes, 1);
    run(5000);
    CHECK_EQ(client->keep_probes, 2);
    CHECK_EQ(client->state, TCP_ESTABLISHED);
    run(5000);
    CHECK_EQ(client->state, TCP_CLOSED);
    CHECK_EQ(tcp_take_error(client), ETIMEDOUT);
    CHECK_EQ(init_net_ns.stats.tcp_keepalive_probes, probes + 3);
    drop_from_port = 0;
    init_net_ns.loopback.drop_filter = NULL;
    tcp_close(client);
    tcp_close(server);
    tcp_close(listener);
    check_no_leaks();
}

/* SO_RCVBUF and SO_SNDBUF size the rings (within limits); a listener's
 * children inherit them. */
static void buffer_sizes(void)
{
    struct tcp_sock *listener = tcp_sock_create(&init_net_ns);
    tcp_set_buffer_sizes(listener, 8192, 1);
    CHECK_EQ(listener->rbuf_size, TCP_RING_MIN);
    tcp_set_buffer_sizes(listener, 0xffffffffu, 4096);
    CHECK_EQ(listener->sbuf_size, TCP_RING_MAX);
    CHECK_EQ(tcp_bind(listener, LO, PORT), 0);
    CHECK_EQ(tcp_listen(listener, 4), 0);
    struct tcp_sock *client = tcp_sock_create(&init_net_ns);
    tcp_set_buffer_sizes(client, 4096, 4096);
    CHECK_EQ(tcp_connect(client, LO, PORT), 0);
    run(0);
    struct tcp_sock *server = tcp_accept(listener);
    CHECK(server != NULL);
    CHECK_EQ(server->rbuf.size, 4096);
    CHECK_EQ(server->sbuf.size, TCP_RING_MAX);
    CHECK_EQ(client->sbuf.size, 4096);
    static u8 out[20000];
    fill(out, sizeof out);
    /* Nobody reads: the writer stops at its ring plus the reader's window. */
    u32 sent = 0;
    for (int i = 0; i < 20; i++) {
        int n = tcp_send(client, out + sent, sizeof out - sent);
        if (n > 0)
            sent += (u32)n;
        run(0);
    }
    CHECK_EQ(sent, 4096 + 4096);
    CHECK_EQ(server->rbuf.len, 4096);
    tcp_close(client);
    tcp_close(server);
    tcp_close(listener);
    check_no_leaks();
}

/* A FIN that comes while the reader's ring is full takes no room: it is
 * taken at once (as Linux), not refused until the sender's timer resends it
 * (which stalled every bulk transfer's close for 200 ms). */
static void fin_into_zero_window(void)
{
    struct tcp_sock *listener = tcp_sock_create(&init_net_ns);
    tcp_set_buffer_sizes(listener, 4096, 4096);
    CHECK_EQ(tcp_bind(listener, LO, PORT), 0);
    CHECK_EQ(tcp_listen(listener, 4), 0);
    struct tcp_sock *client = tcp_sock_create(&init_net_ns);
    CHECK_EQ(tcp_connect(client, LO, PORT), 0);
    run(0);
    struct tcp_sock *server = tcp_accept(listener);
    CHECK(server != NULL);
    static u8 out[4096];
    fill(out, sizeof out);
    CHECK_EQ(tcp_send(client, out, sizeof out), (int)sizeof out);
    run(0);
    CHECK_EQ(server->rbuf.len, 4096); /* the window is zero now */
    u64 timeouts = init_net_ns.stats.tcp_timeouts;
    CHECK_EQ(tcp_shutdown(client, 1), 0);
    run(0);
    CHECK(server->fin_received);
    CHECK_EQ(server->state, TCP_CLOSE_WAIT);
    CHECK_EQ(client->state, TCP_FIN_WAIT_2); /* the FIN was acknowledged */
    CHECK_EQ(init_net_ns.stats.tcp_timeouts, timeouts);
    static u8 in[4096];
    CHECK_EQ(tcp_recv(server, in, sizeof in, false), (int)sizeof in);
    CHECK(memcmp(in, out, sizeof out) == 0);
    CHECK_EQ(tcp_recv(server, in, 1, false), 0); /* then the end of the stream */
    tcp_close(client);
    tcp_close(server);
    tcp_close(listener);
    run(TCP_TIME_WAIT_MS + 1);
    check_no_leaks();
}

/* lo's own MTU (65536, as Linux's): both ends announce an MSS of 65495
 * (IP's 65535 less 40 bytes of headers) and a 64 KiB write crosses in a few
 * segments, not 45 of 1460 bytes.  A card keeps 1500 (test_net_eth). */
static void lo_mtu_large_segments(void)
{
    init_net_ns.loopback.mtu = LOOPBACK_MTU;
    struct tcp_sock *client, *server, *listener = connect_pair(&client, &server);
    CHECK_EQ(client->adv_mss, IP_MAX_LEN - TCP_IP_HEADERS_LEN);
    CHECK_EQ(client->snd_mss, 65495);
    CHECK_EQ(server->snd_mss, 65495);
    client->nodelay = true;
    static u8 out[64 * 1024];
    fill(out, sizeof out);
    init_net_ns.loopback.drop_filter = count_filter;
    data_segments = largest_payload = 0;
    CHECK_EQ(tcp_send(client, out, sizeof out), (int)sizeof out);
    run(0);
    init_net_ns.loopback.drop_filter = NULL;
    CHECK_EQ(largest_payload, 65495u);
    /* 65495 bytes, then the other 41 once the ACK opened the window: not
     * the 40 the window had left, then 1 (sender-side silly window avoidance). */
    CHECK_EQ(data_segments, 2u);
    check_received(server, out, sizeof out - client->sbuf.len);
    run(0);
    CHECK_EQ(client->sbuf.len, 0u); /* the rest went once the reader made room */
    tcp_close(client);
    tcp_close(server);
    tcp_close(listener);
    check_no_leaks();
    init_net_ns.loopback.mtu = ETHERNET_MTU;
}

/* A window's worth of segments delivered by the loopback in one batch is
 * acknowledged once, at the end of the batch, and nothing waits for it. */
static void one_ack_per_loopback_batch(void)
{
    struct tcp_sock *client, *server, *listener = connect_pair(&client, &server);
    client->nodelay = true;
    static u8 out[10 * MSS];
    fill(out, sizeof out);
    u64 segs = init_net_ns.stats.tcp_out_segs;
    CHECK_EQ(tcp_send(client, out, sizeof out), (int)sizeof out);
    run(0);
    CHECK_EQ(init_net_ns.stats.tcp_out_segs, segs + 10 + 1); /* ten segments, one ACK */
    CHECK_EQ(client->snd_una, client->snd_max);              /* all acknowledged */
    CHECK(!server->ack_owed);
    check_received(server, out, sizeof out);
    tcp_close(client);
    tcp_close(server);
    tcp_close(listener);
    run(TCP_TIME_WAIT_MS + 1);
    check_no_leaks();
}

static void retransmit_lost_syn(void)
{
    init_net_ns.loopback.drop_filter = drop_filter;
    drop_syns = 2;
    struct tcp_sock *listener = make_listener(PORT, 8), *client = tcp_sock_create(&init_net_ns);
    CHECK_EQ(tcp_connect(client, LO, PORT), 0);
    run(0);
    CHECK_EQ(client->state, TCP_SYN_SENT);
    run(TCP_RTO_INITIAL_MS); /* the first retry is lost too */
    CHECK_EQ(client->state, TCP_SYN_SENT);
    run(2 * TCP_RTO_INITIAL_MS); /* the timeout doubled */
    CHECK_EQ(client->state, TCP_ESTABLISHED);
    init_net_ns.loopback.drop_filter = NULL;
    struct tcp_sock *server = tcp_accept(listener);
    CHECK(server != NULL);
    tcp_close(client);
    tcp_close(server);
    tcp_close(listener);
    check_no_leaks();
}

static void connect_times_out(void)
{
    init_net_ns.loopback.drop_filter = drop_filter;
    drop_syns = 1000;
    struct tcp_sock *client = tcp_sock_create(&init_net_ns);
    CHECK_EQ(tcp_connect(client, LO, PORT), 0);
    for (int i = 0; i < 200 && client->state == TCP_SYN_SENT; i++)
        run(1000);
    CHECK_EQ(client->state, TCP_CLOSED);
    CHECK_EQ(tcp_take_error(client), ETIMEDOUT);
    drop_syns = 0;
    init_net_ns.loopback.drop_filter = NULL;
    tcp_close(client);
    check_no_leaks();
}

static void backlog_full(void)
{
    struct tcp_sock *listener = make_listener(PORT, 1);
    struct tcp_sock *first = tcp_sock_create(&init_net_ns), *second = tcp_sock_create(&init_net_ns);
    CHECK_EQ(tcp_connect(first, LO, PORT), 0);
    CHECK_EQ(tcp_connect(second, LO, PORT), 0);
    run(0);
    CHECK_EQ(first->state, TCP_ESTABLISHED);
    CHECK_EQ(second->state, TCP_SYN_SENT); /* its SYN was dropped: no room */
    struct tcp_sock *a = tcp_accept(listener);
    CHECK(a != NULL);
    run(TCP_RTO_INITIAL_MS);
    CHECK_EQ(second->state, TCP_ESTABLISHED);
    struct tcp_sock *b = tcp_accept(listener);
    CHECK(b != NULL);
    struct tcp_sock *all[] = {first, second, a, b, listener};
    for (unsigned i = 0; i < ARRAY_SIZE(all); i++)
        tcp_close(all[i]);
    check_no_leaks();
}

static void listener_close_resets_queue(void)
{
    struct tcp_sock *listener = make_listener(PORT, 4), *client = tcp_sock_create(&init_net_ns);
    CHECK_EQ(tcp_connect(client, LO, PORT), 0);
    run(0);
    CHECK_EQ(client->state, TCP_ESTABLISHED);
    tcp_close(listener); /* never accepted */
    run(0);
    char c;
    CHECK_EQ(tcp_recv(client, &c, 1, false), -ECONNRESET);
    tcp_close(client);
    check_no_leaks();
}

static void address_in_use(void)
{
    struct tcp_sock *a = make_listener(PORT, 1), *b = tcp_sock_create(&init_net_ns);
    CHECK_EQ(tcp_bind(b, LO, PORT), -EADDRINUSE);
    CHECK_EQ(tcp_bind(b, 0, PORT), -EADDRINUSE); /* any address overlaps */
    b->reuseaddr = a->reuseaddr = true;
    CHECK_EQ(tcp_bind(b, LO, PORT), -EADDRINUSE); /* not over a listener */
    CHECK_EQ(tcp_bind(b, 0x0a000001, PORT), -EADDRNOTAVAIL);
    CHECK_EQ(tcp_bind(b, LO, PORT + 1), 0);
    CHECK_EQ(tcp_bind(b, LO, PORT + 2), -EINVAL); /* bound already */
    tcp_close(b);

    /* A server closes first, leaving TIME_WAIT on its port: a new listener
     * needs SO_REUSEADDR, as on Linux. */
    struct tcp_sock *client = tcp_sock_create(&init_net_ns);
    CHECK_EQ(tcp_connect(client, LO, PORT), 0);
    run(0);
    struct tcp_sock *server = tcp_accept(a);
    tcp_close(a);
    tcp_close(server);
    run(0);
    tcp_close(client);
    run(0);
    struct tcp_sock *again = tcp_sock_create(&init_net_ns);
    CHECK_EQ(tcp_bind(again, LO, PORT), -EADDRINUSE);
    again->reuseaddr = true;
    CHECK_EQ(tcp_bind(again, LO, PORT), 0);
    tcp_close(again);
    check_no_leaks();
}

static void bad_segments_counted(void)
{
    struct tcp_sock *client, *server, *listener = connect_pair(&client, &server);
    CHECK_EQ(tcp_send(client, "abc", 3), 3);
    /* Corrupt the next segment's payload on the way: the checksum catches it. */
    run(0);
    char buf[8];
    CHECK_EQ(tcp_recv(server, buf, sizeof buf, false), 3);
    u64 errs = init_net_ns.stats.tcp_in_errs;
    CHECK_EQ(tcp_send(client, "xyz", 3), 3);
    /* Build a segment by hand with a bad data offset and one with a bad checksum. */
    u8 frame[60] = {0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, IPPROTO_TCP_NUM};
    frame[12] = 127, frame[15] = 1, frame[16] = 127, frame[19] = 1;
    frame[20] = 0x30, frame[21] = 0x39, frame[22] = PORT >> 8, frame[23] = PORT & 0xff;
    frame[32] = 0x50, frame[33] = TCP_ACK;
    struct netbuf *nb = netbuf_from_bytes(frame + 20, 20); /* checksum 0: wrong */
    nb->src_addr = nb->dst_addr = LO;
    tcp_input(nb);
    CHECK_EQ(init_net_ns.stats.tcp_in_errs, errs + 1);
    frame[32] = 0xf0; /* 60-byte header in a 20-byte segment */
    nb = netbuf_from_bytes(frame + 20, 20);
    nb->src_addr = nb->dst_addr = LO;
    tcp_input(nb);
    CHECK_EQ(init_net_ns.stats.tcp_in_errs, errs + 2);
    nb = netbuf_from_bytes(frame + 20, 7); /* shorter than any header */
    nb->src_addr = nb->dst_addr = LO;
    tcp_input(nb);
    CHECK_EQ(init_net_ns.stats.tcp_in_errs, errs + 3);
    run(0);
    CHECK_EQ(tcp_recv(server, buf, sizeof buf, false), 3); /* the good one still arrives */
    tcp_close(client);
    tcp_close(server);
    tcp_close(listener);
    check_no_leaks();
}

static void bad_calls(void)
{
    struct tcp_sock *ts = tcp_sock_create(&init_net_ns);
    char c;
    CHECK_EQ(tcp_send(ts, "x", 1), -ENOTCONN);
    CHECK_EQ(tcp_recv(ts, &c, 1, false), -ENOTCONN);
    CHECK_EQ(tcp_shutdown(ts, 1), -ENOTCONN);
    CHECK_EQ(tcp_listen(ts, 0), 0);
    CHECK_EQ(ts->backlog, 1);
    CHECK_EQ(tcp_connect(ts, LO, PORT), -EISCONN);
    tcp_close(ts);
    struct tcp_sock *listener = make_listener(PORT, 1), *client = tcp_sock_create(&init_net_ns);
    CHECK_EQ(tcp_connect(client, LO, PORT), 0);
    CHECK_EQ(tcp_connect(client, LO, PORT), -EALREADY);
    run(0);
    CHECK_EQ(tcp_connect(client, LO, PORT), -EISCONN);
    tcp_close(client);
    tcp_close(listener);
    run(0);
    check_no_leaks();
}

static void many_connections(void)
{
    struct tcp_sock *listener = make_listener(PORT, 16);
    for (int i = 0; i < 1000; i++) {
        struct tcp_sock *client = tcp_sock_create(&init_net_ns);
        CHECK_EQ(tcp_connect(client, LO, PORT), 0);
        run(0);
        struct tcp_sock *server = tcp_accept(listener);
        CHECK(server != NULL);
        if (!server)
            break;
        CHECK_EQ(tcp_send(client, "ping", 4), 4);
        run(0);
        char buf[4];
        CHECK_EQ(tcp_recv(server, buf, 4, false), 4);
        tcp_close(client);
        run(0);
        tcp_close(server);
        run(0);
    }
    tcp_close(listener);
    check_no_leaks();
}

/* RFC 7323: with 256 KiB receive rings both SYNs offer a shift of 2, and
 * the sender fills more than 64 KiB of the reader's ring before it reads.
 * (A SYN without the option gets a SYN+ACK without it: test_net_eth.c.) */
static void window_scaling(void)
{
    struct tcp_sock *listener = tcp_sock_create(&init_net_ns);
    CHECK_EQ(tcp_bind(listener, LO, PORT), 0);
    tcp_set_buffer_sizes(listener, 256 * 1024, 256 * 1024);
    CHECK_EQ(tcp_listen(listener, 8), 0);
    struct tcp_sock *client = tcp_sock_create(&init_net_ns);
    tcp_set_buffer_sizes(client, 256 * 1024, 256 * 1024);
    CHECK_EQ(tcp_connect(client, LO, PORT), 0);
    run(0);
    struct tcp_sock *server = tcp_accept(listener);
    CHECK(server != NULL);
    CHECK(client->wscale_ok && server->wscale_ok);
    CHECK_EQ(client->rcv_wscale, 2);
    CHECK_EQ(client->snd_wscale, 2);
    CHECK_EQ(server->rcv_wscale, 2);
    CHECK_EQ(server->snd_wscale, 2);
    static u8 out[200 * 1024];
    fill(out, sizeof out);
    /* The server's first ACK announces its nearly empty ring, scaled. */
    CHECK_EQ(tcp_send(client, out, 1000), 1000);
    run(0);
    CHECK_EQ(client->snd_wnd, 256 * 1024 - 1000);
    u32 sent = 1000;
    for (int i = 0; i < 100 && sent < sizeof out; i++) {
        int n = tcp_send(client, out + sent, (u32)(sizeof out - sent));
        if (n > 0)
            sent += (u32)n;
        run(0);
    }
    CHECK_EQ(sent, (u32)sizeof out);
    CHECK_EQ(server->rbuf.len, (u32)sizeof out); /* far beyond 65535, nobody read */
    tcp_close(client);
    tcp_close(server);
    tcp_close(listener);
    check_no_leaks();
}

/* Network namespaces: the same port in two of them, a connection inside one
 * that the other's listener never sees, a down lo, and a namespace that goes
 * with a connection in TIME_WAIT and packets still queued on its lo. */
static void namespaces_are_separate(void)
{
    struct net_ns *box = calloc(1, sizeof *box), *down = calloc(1, sizeof *down);
    net_ns_init(box);
    net_ns_init(down);
    CHECK(!box->loopback.up);
    box->loopback.up = true; /* ifconfig lo up */
    long packets = netbuf_live;
    struct tcp_sock *host_listener = make_listener(PORT, 4);
    struct tcp_sock *box_listener = tcp_sock_create(box);
    CHECK_EQ(tcp_bind(box_listener, LO, PORT), 0); /* the host's port is not the box's */
    CHECK_EQ(tcp_listen(box_listener, 4), 0);
    struct tcp_sock *client = tcp_sock_create(box);
    CHECK_EQ(tcp_connect(client, LO, PORT), 0);
    run(0);
    CHECK(tcp_accept(host_listener) == NULL);
    struct tcp_sock *server = tcp_accept(box_listener);
    CHECK(server != NULL);
    CHECK(server && server->net == box);
    CHECK_EQ(box->stats.tcp_active_opens, 1);
    CHECK_EQ(box->stats.tcp_passive_opens, 1);
    struct tcp_sock *stranded = tcp_sock_create(down);
    CHECK_EQ(tcp_connect(stranded, LO, PORT), -ENETUNREACH);
    CHECK_EQ(down->stats.ip_out_requests, 0);
    tcp_close(stranded);
    /* The client closes first (TIME_WAIT); then a segment is left queued. */
    tcp_close(client);
    run(0);
    if (server) {
        tcp_close(server);
        run(0);
    }
    tcp_close(box_listener);
    struct tcp_sock *again = tcp_sock_create(box);
    CHECK_EQ(tcp_connect(again, LO, PORT), 0); /* a SYN waits on the box's lo */
    tcp_close(again);
    CHECK(netbuf_live > packets);
    size_t left = 0;
    struct tcp_sock *ts;
    list_for_each_entry (ts, &tcp_socks, node)
        left += ts->net == box;
    CHECK(left >= 1); /* the client in TIME_WAIT */
    net_ns_release(box);
    net_ns_release(down);
    list_for_each_entry (ts, &tcp_socks, node)
        CHECK(ts->net != box);
    CHECK_EQ(netbuf_live, packets);
    free(box);
    free(down);
    tcp_close(host_listener);
    check_no_leaks();
}

static const struct unit_case cases[] = {
    UNIT(handshake),
    UNIT(data_flow_control),
    UNIT(lo_mtu_flow_control),
    UNIT(lo_mtu_large_segments),
    UNIT(close_client_first),
    UNIT(close_server_first),
    UNIT(close_simultaneous),
    UNIT(reset_on_closed_port),
    UNIT(reset_when_closed_with_unread_data),
    UNIT(retransmit_lost_segment),
    UNIT(retransmit_lost_syn),
    UNIT(reorder_reassembled_without_resend),
    UNIT(fast_retransmit_halves_cwnd),
    UNIT(many_holes_filled),
    UNIT(rtt_estimator),
    UNIT(timeout_backs_off),
    UNIT(keepalive_probes_and_timeout),
    UNIT(buffer_sizes),
    UNIT(fin_into_zero_window),
    UNIT(one_ack_per_loopback_batch),
    UNIT(window_scaling),
    UNIT(namespaces_are_separate),
    UNIT(connect_times_out),
    UNIT(backlog_full),
    UNIT(listener_close_resets_queue),
    UNIT(address_in_use),
    UNIT(bad_segments_counted),
    UNIT(bad_calls),
    UNIT(many_connections),
};
UNIT_MAIN("net_tcp", cases)
