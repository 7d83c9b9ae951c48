/*
 * tcp_output.c - what TCP sends: segments from the send buffer within the
 * peer's window, control segments, resets, and the timers that resend.
 */
#include "kernel/net/inet/checksum.h"
#include "kernel/net/inet/ip.h"
#include "kernel/net/inet/net_env.h"
#include "kernel/net/inet/net_stats.h"
#include "kernel/net/inet/netbuf.h"
#include "kernel/net/inet/netns.h"
#include "kernel/net/inet/tcp.h"

#define TCP_OPTION_NOP 1
#define TCP_OPTION_MSS 2
#define TCP_OPTION_WSCALE 3

/* Build and send one segment.  Data, if any, is `len` bytes of the send ring
 * starting `offset` bytes after its first byte. */
static void tcp_transmit(struct tcp_sock *ts, u32 seq, u8 flags, u32 offset, u32 len)
{
    bool syn = flags & TCP_SYN, wscale = syn && ts->wscale_ok;
    u32 header_len = TCP_HEADER_LEN + (syn ? 4 : 0) + (wscale ? 4 : 0);
    struct netbuf *nb = netbuf_alloc(NETBUF_HEADROOM, header_len + len);
    if (!nb)
        return; /* as if the network lost it: the timer resends */
    u8 *h = netbuf_put(nb, header_len);
    memset(h, 0, header_len);
    /* The payload stays in the send ring if it is in one piece there: the
     * loopback's receiver copies it straight out (ip_output copies it for a
     * card).  Until then it cannot change: only an ACK frees it. */
    u8 *payload = NULL;
    if (len && tcp_ring_span_at(&ts->sbuf, offset, &payload) >= len) {
        nb->external = payload;
        nb->external_len = len;
    } else if (len) {
        tcp_ring_copy(&ts->sbuf, offset, netbuf_put(nb, len), len);
    }
    u32 announced;
    u16 window = tcp_window_field(ts, syn, &announced);
    if (flags & TCP_ACK) {
        ts->rcv_adv_wnd = announced;
        ts->ack_owed = false; /* this segment carries the ACK (tcp_ack_data) */
    }
    put_be16(h, ts->local_port);
    put_be16(h + 2, ts->remote_port);
    put_be32(h + 4, seq);
    put_be32(h + 8, flags & TCP_ACK ? ts->rcv_nxt : 0);
    h[12] = (u8)(header_len / 4) << 4;
    h[13] = flags;
    put_be16(h + 14, window);
    if (syn) {
        /* Maximum Segment Size: the largest payload we can take in one segment. */
        h[20] = TCP_OPTION_MSS;
        h[21] = 4;
        put_be16(h + 22, ts->adv_mss);
    }
    if (wscale) {
        /* Window scale: a no-op to align it, then kind, length, our shift. */
        h[24] = TCP_OPTION_NOP;
        h[25] = TCP_OPTION_WSCALE;
        h[26] = 3;
        h[27] = ts->rcv_wscale;
    }
    nb->checksum_pending = true; /* ip_output fills h[16..17] unless it goes to the loopback */
    ts->net->stats.tcp_out_segs++;
    if (flags & TCP_RST)
        ts->net->stats.tcp_out_rsts++;
    ip_output(ts->net, nb, ts->local_addr, ts->remote_addr, IPPROTO_TCP_NUM);
}

void tcp_send_control(struct tcp_sock *ts, u8 flags, u32 seq)
{
    tcp_transmit(ts, seq, flags, 0, 0);
}

u32 tcp_rto_estimate(const struct tcp_sock *ts)
{
    if (!ts->rtt_valid)
        return TCP_RTO_INITIAL_MS;
    u32 rto = ts->srtt_ms + MAX(1u, 4 * ts->rttvar_ms); /* 1: the clock's granularity */
    return MIN(MAX(rto, (u32)TCP_RTO_MIN_MS), (u32)TCP_RTO_MAX_MS);
}

/* RFC 6298 section 2, in whole ms: the first sample sets srtt and half of it
 * as the variation; later ones move srtt by 1/8 and rttvar by 1/4 of the
 * difference. */
void tcp_rtt_sample(struct tcp_sock *ts, u32 rtt)
{
    rtt = MIN(rtt, (u32)TCP_RTO_MAX_MS);
    if (!ts->rtt_valid) {
        ts->srtt_ms = rtt;
        ts->rttvar_ms = rtt / 2;
        ts->rtt_valid = true;
    } else {
        u32 diff = ts->srtt_ms > rtt ? ts->srtt_ms - rtt : rtt - ts->srtt_ms;
        ts->rttvar_ms = (3 * ts->rttvar_ms + diff) / 4;
        ts->srtt_ms = (7 * ts->srtt_ms + rtt) / 8;
    }
    ts->rto_ms = tcp_rto_estimate(ts);
}

/* Time a segment ending at end, unless one is being timed already. */
static void tcp_time_segment(struct tcp_sock *ts, u32 end)
{
    if (ts->rtt_timing)
        return;
    ts->rtt_timing = true;
    ts->rtt_seq = end;
    ts->rtt_start = net_now_ms;
}

void tcp_retransmit_first(struct tcp_sock *ts)
{
    u32 offset = ts->snd_una - ts->sbuf_seq;
    if (offset > ts->sbuf.len || ts->snd_una == ts->snd_max)
        return;
    u32 len = MIN(ts->sbuf.len - offset, (u32)ts->snd_mss);
    bool fin_sent = SEQ_GT(ts->snd_max, ts->sbuf_seq + ts->sbuf.len);
    bool fin = ts->fin_queued && fin_sent && offset + len == ts->sbuf.len;
    ts->net->stats.tcp_retrans_segs++;
    tcp_transmit(ts, ts->snd_una, TCP_ACK | (len ? TCP_PSH : 0) | (fin ? TCP_FIN : 0), offset, len);
}

static void tcp_arm_rexmit(struct tcp_sock *ts)
{
    if (!ts->rexmit_deadline)
        ts->rexmit_deadline = net_now_ms + ts->rto_ms;
}

void tcp_output(struct tcp_sock *ts)
{
    if (ts->state == TCP_SYN_SENT || ts->state == TCP_SYN_RECEIVED) {
        /* Until the handshake is done only the SYN is sent. */
        if (ts->snd_nxt == ts->iss) {
            if (ts->retries == 0)
                tcp_time_segment(ts, ts->iss + 1);
            tcp_transmit(ts, ts->iss, ts->state == TCP_SYN_SENT ? TCP_SYN : TCP_SYN | TCP_ACK, 0,
                         0);
            ts->snd_nxt = ts->iss + 1;
            if (SEQ_GT(ts->snd_nxt, ts->snd_max))
                ts->snd_max = ts->snd_nxt;
            tcp_arm_rexmit(ts);
        }
        return;
    }
    if (ts->state != TCP_ESTABLISHED && ts->state != TCP_CLOSE_WAIT &&
        ts->state != TCP_FIN_WAIT_1 && ts->state != TCP_LAST_ACK && ts->state != TCP_CLOSING)
        return;
    for (;;) {
        u32 offset = ts->snd_nxt - ts->sbuf_seq;
        if (offset > ts->sbuf.len)
            break; /* the FIN went already */
        u32 unsent = ts->sbuf.len - offset;
        u32 in_flight = ts->snd_nxt - ts->snd_una;
        u32 allowed = MIN(ts->snd_wnd, ts->cwnd); /* the receiver's and the network's limits */
        u32 window = allowed > in_flight ? allowed - in_flight : 0;
        u32 len = MIN(MIN(unsent, window), (u32)ts->snd_mss);
        bool fin = ts->fin_queued && len == unsent;
        if (len == 0 && !fin)
            break;
        /* Nagle: while data is unacknowledged, keep a small piece back until
         * it can fill a segment, so typing does not become 41-byte packets. */
        if (len < ts->snd_mss && len == unsent && !fin && !ts->nodelay && in_flight > 0)
            break;
        /* Sender-side silly window avoidance (RFC 1122 4.2.3.4): the tail
         * of the window left after a full segment (40 bytes of lo's 65535)
         * waits for the ACK of what is in flight, which opens the window. */
        if (len < unsent && len < ts->snd_mss && in_flight > 0 && len < allowed / 2)
            break;
        u8 flags = TCP_ACK | (len ? TCP_PSH : 0) | (fin ? TCP_FIN : 0);
        if (ts->snd_nxt == ts->snd_max)
            tcp_time_segment(ts, ts->snd_nxt + len + (fin ? 1 : 0)); /* new data, not a resend */
        tcp_transmit(ts, ts->snd_nxt, flags, offset, len);
        ts->snd_nxt += len + (fin ? 1 : 0);
        if (SEQ_GT(ts->snd_nxt, ts->snd_max))
            ts->snd_max = ts->snd_nxt;
        tcp_arm_rexmit(ts);
        if (fin)
            break;
    }
    /* A zero window with data waiting: the timer will probe it. */
    if (ts->sbuf.len > ts->snd_nxt - ts->sbuf_seq && ts->snd_wnd == 0)
        tcp_arm_rexmit(ts);
}

void tcp_send_reset_for(const struct netbuf *nb, u32 seq, u32 ack, u8 flags, u32 seg_len)
{
    if (flags & TCP_RST)
        return; /* never answer a reset with a reset */
    struct netbuf *reply = netbuf_alloc(NETBUF_HEADROOM, TCP_HEADER_LEN);
    if (!reply)
        return;
    u8 *h = netbuf_put(reply, TCP_HEADER_LEN);
    memset(h, 0, TCP_HEADER_LEN);
    put_be16(h, nb->dst_port);
    put_be16(h + 2, nb->src_port);
    if (flags & TCP_ACK) {
        put_be32(h + 4, ack); /* RFC 793: <SEQ=SEG.ACK><CTL=RST> */
        h[13] = TCP_RST;
    } else {
        put_be32(h + 8, seq + seg_len); /* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> */
        h[13] = TCP_RST | TCP_ACK;
    }
    h[12] = (TCP_HEADER_LEN / 4) << 4;
    put_be16(h + 16,
             transport_checksum(nb->dst_addr, nb->src_addr, IPPROTO_TCP_NUM, h, TCP_HEADER_LEN));
    struct net_ns *net = netbuf_net(nb);
    net->stats.tcp_out_segs++;
    net->stats.tcp_out_rsts++;
    ip_output(net, reply, nb->dst_addr, nb->src_addr, IPPROTO_TCP_NUM);
}

/* The retransmission timer fired: nothing was acknowledged for rto_ms. */
static void tcp_retransmit_timeout(struct tcp_sock *ts)
{
    bool handshake = ts->state == TCP_SYN_SENT || ts->state == TCP_SYN_RECEIVED;
    bool probe = !handshake && ts->snd_wnd == 0 && ts->snd_una == ts->snd_max;
    if (!probe && ++ts->retries > (handshake ? TCP_SYN_RETRIES : TCP_DATA_RETRIES)) {
        if (ts->state == TCP_SYN_SENT)
            ts->net->stats.tcp_attempt_fails++;
        tcp_abort(ts, ETIMEDOUT);
        return;
    }
    ts->rto_ms = MIN(ts->rto_ms * 2, (u32)TCP_RTO_MAX_MS); /* back off */
    ts->rexmit_deadline = 0;
    ts->rtt_timing = false; /* Karn: an ACK now may answer either copy */
    if (!handshake && !probe) {
        /* A timeout is the strongest sign of congestion: start over from
         * one segment, and slow-start only to half of what was in flight. */
        ts->ssthresh = MAX((ts->snd_max - ts->snd_una) / 2, 2u * ts->snd_mss);
        ts->cwnd = ts->snd_mss;
        ts->in_recovery = false;
        ts->dupacks = 0;
        ts->net->stats.tcp_timeouts++;
    }
    if (probe) {
        /* Zero window: ask for the peer's current window (RFC 1122's persist
         * timer).  As Linux, with an old sequence number (snd_una - 1) the
         * peer must answer with an ACK, and no byte is sent beyond the
         * window: one that was would leave a hole once the window opens. */
        if (ts->sbuf.len > 0)
            tcp_send_control(ts, TCP_ACK, ts->snd_una - 1);
    } else {
        /* Go back N: resend from the oldest unacknowledged byte. */
        ts->net->stats.tcp_retrans_segs++;
        ts->snd_nxt = handshake ? ts->iss : ts->snd_una;
        tcp_output(ts);
    }
    tcp_arm_rexmit(ts);
}

/* Keepalive: an idle connection asks whether the peer is still there. */
static void tcp_keepalive_timer(struct tcp_sock *ts)
{
    u64 due = ts->last_rx_ms + (u64)ts->keep_idle_s * 1000 +
              (u64)ts->keep_probes * ts->keep_intvl_s * 1000;
    if (net_now_ms < due)
        return;
    if (ts->keep_probes >= ts->keep_cnt) {
        /* Nobody answered: as Linux, reset the connection and report it. */
        tcp_send_control(ts, TCP_RST | TCP_ACK, ts->snd_nxt);
        tcp_abort(ts, ETIMEDOUT);
        return;
    }
    ts->keep_probes++;
    ts->net->stats.tcp_keepalive_probes++;
    /* An old sequence number: the peer must answer with an ACK. */
    tcp_send_control(ts, TCP_ACK, ts->snd_una - 1);
}

void tcp_timers(void)
{
    struct tcp_sock *ts, *tmp;
    list_for_each_entry_safe (ts, tmp, &tcp_socks, node) {
        if (ts->close_deadline && net_now_ms >= ts->close_deadline &&
            (ts->state == TCP_TIME_WAIT || ts->state == TCP_FIN_WAIT_2)) {
            ts->close_deadline = 0;
            tcp_set_state(ts, TCP_CLOSED);
            tcp_done(ts);
            continue;
        }
        if (ts->rexmit_deadline && net_now_ms >= ts->rexmit_deadline)
            tcp_retransmit_timeout(ts);
        else if (!ts->rexmit_deadline && tcp_keepalive_on(ts) &&
                 (ts->state == TCP_ESTABLISHED || ts->state == TCP_CLOSE_WAIT))
            tcp_keepalive_timer(ts);
    }
}
