/*
 * tcp_input.c - the TCP state machine: what each arriving segment does, state
 * by state (RFC 793 section 3.9, "SEGMENT ARRIVES").  See tcp.h for the
 * diagram of states.
 *
 * The order of checks for a synchronized connection is the RFC's:
 *   1. is the sequence number acceptable (inside our receive window)?
 *   2. RST?   3. SYN?   4. ACK: what of ours does it acknowledge?
 *   5. data: take what is in order and fits   6. FIN
 */
#include "kernel/net/inet/checksum.h"
#include "kernel/net/inet/ip.h"
#include "kernel/net/inet/net_env.h"
#include "kernel/net/inet/net_stats.h"
#include "kernel/net/inet/netns.h"
#include "kernel/net/inet/netbuf.h"
#include "kernel/net/inet/netif.h"
#include "kernel/net/inet/tcp.h"

/* One arriving segment, its header parsed (host order). */
struct tcp_segment {
    u32 seq, ack;
    u8 flags;
    u32 window;      /* scaled by the peer's shift, except in a SYN */
    u16 mss;         /* from the MSS option, 0 if absent */
    bool has_wscale; /* the window scale option came (in a SYN) */
    u8 wscale;       /* its shift, at most TCP_MAX_WSCALE */
    const u8 *data;  /* payload */
    u32 len;         /* payload bytes */
    u32 seq_len;     /* len + 1 for SYN + 1 for FIN: sequence space it uses */
};

/* Parse the options; false if they are malformed (the segment is dropped). */
static bool tcp_parse_options(const u8 *options, u32 len, struct tcp_segment *seg)
{
    u32 i = 0;
    while (i < len) {
        u8 kind = options[i];
        if (kind == 0)
            break; /* end of options */
        if (kind == 1) {
            i++; /* no-op, for alignment */
            continue;
        }
        if (i + 1 >= len || options[i + 1] < 2 || i + options[i + 1] > len)
            return false;
        if (kind == 2 && options[i + 1] == 4)
            seg->mss = get_be16(options + i + 2);
        if (kind == 3 && options[i + 1] == 3) {
            seg->has_wscale = true; /* RFC 7323: a larger shift is taken as 14 */
            seg->wscale = MIN(options[i + 2], (u8)TCP_MAX_WSCALE);
        }
        i += options[i + 1];
    }
    return true;
}

static void tcp_enter_time_wait(struct tcp_sock *ts)
{
    tcp_set_state(ts, TCP_TIME_WAIT);
    ts->close_deadline = net_now_ms + TCP_TIME_WAIT_MS;
}

static void tcp_use_peer_mss(struct tcp_sock *ts, const struct tcp_segment *seg)
{
    /* Never larger than what our own route carries (as Linux). */
    u16 mss = seg->mss ? seg->mss : TCP_MSS_DEFAULT;
    ts->snd_mss = MAX(MIN(mss, ts->adv_mss), (u16)TCP_MSS_MIN);
    ts->cwnd = TCP_INIT_CWND_SEGS * ts->snd_mss;
}

/* The handshake is done: the timeout follows the SYN's round trip if it was
 * timed (it was not retransmitted), else stays at the initial 1 s. */
static void tcp_handshake_rtt(struct tcp_sock *ts)
{
    if (ts->rtt_timing)
        tcp_rtt_sample(ts, (u32)(net_now_ms - ts->rtt_start));
    ts->rtt_timing = false;
    ts->rto_ms = tcp_rto_estimate(ts);
}

/* LISTEN: only a SYN means something; it makes a child that answers SYN+ACK. */
static void tcp_listen_input(struct tcp_sock *listener, struct netbuf *nb,
                             const struct tcp_segment *seg)
{
    if (seg->flags & TCP_RST)
        return;
    if (seg->flags & TCP_ACK) {
        tcp_send_reset_for(nb, seg->seq, seg->ack, seg->flags, seg->seq_len);
        return;
    }
    if (!(seg->flags & TCP_SYN))
        return;
    struct tcp_sock *child = tcp_child_create(listener);
    if (!child)
        return; /* backlog full: drop the SYN, the client will retry (as Linux) */
    child->local_addr = nb->dst_addr;
    child->local_port = nb->dst_port;
    child->remote_addr = nb->src_addr;
    child->remote_port = nb->src_port;
    child->irs = seg->seq;
    child->rcv_nxt = seg->seq + 1;
    child->snd_wnd = seg->window;
    child->adv_mss = tcp_route_mss(child->net, child->remote_addr);
    tcp_use_peer_mss(child, seg);
    /* Scale windows only if the client offered to: then answer with ours. */
    child->wscale_ok = seg->has_wscale;
    child->snd_wscale = seg->has_wscale ? seg->wscale : 0;
    child->rcv_wscale = seg->has_wscale ? tcp_wscale_for(child->rbuf.size) : 0;
    child->net->stats.tcp_passive_opens++;
    tcp_set_state(child, TCP_SYN_RECEIVED);
    tcp_output(child);
}

/* SYN_SENT: waiting for the SYN+ACK that answers our SYN. */
static void tcp_syn_sent_input(struct tcp_sock *ts, struct netbuf *nb,
                               const struct tcp_segment *seg)
{
    bool ack_ok = false;
    if (seg->flags & TCP_ACK) {
        if (SEQ_LEQ(seg->ack, ts->iss) || SEQ_GT(seg->ack, ts->snd_max)) {
            tcp_send_reset_for(nb, seg->seq, seg->ack, seg->flags, seg->seq_len);
            return;
        }
        ack_ok = true;
    }
    if (seg->flags & TCP_RST) {
        if (ack_ok) { /* the port is closed: connect fails */
            ts->net->stats.tcp_attempt_fails++;
            tcp_abort(ts, ECONNREFUSED);
        }
        return;
    }
    if (!(seg->flags & TCP_SYN))
        return;
    ts->irs = seg->seq;
    ts->rcv_nxt = seg->seq + 1;
    ts->snd_wnd = seg->window;
    tcp_use_peer_mss(ts, seg);
    /* Our SYN offered scaling; it holds only if the peer's SYN did too. */
    ts->wscale_ok = ts->wscale_ok && seg->has_wscale;
    ts->snd_wscale = ts->wscale_ok ? seg->wscale : 0;
    if (!ts->wscale_ok)
        ts->rcv_wscale = 0;
    if (ack_ok) {
        ts->snd_una = seg->ack;
        ts->rexmit_deadline = 0;
        ts->retries = 0;
        tcp_handshake_rtt(ts);
        tcp_set_state(ts, TCP_ESTABLISHED);
        tcp_send_control(ts, TCP_ACK, ts->snd_nxt);
        tcp_output(ts);
    } else {
        /* Both ends sent SYN at once (simultaneous open): answer SYN+ACK. */
        ts->snd_nxt = ts->iss;
        tcp_set_state(ts, TCP_SYN_RECEIVED);
        tcp_output(ts);
    }
}

/* Step 1: does the segment fall inside the receive window (RFC 793 p. 69)? */
static bool tcp_sequence_acceptable(const struct tcp_sock *ts, const struct tcp_segment *seg)
{
    u32 window = ts->rbuf.size - ts->rbuf.len;
    u32 first = seg->seq, last = seg->seq + seg->seq_len - 1;
    if (seg->seq_len == 0) {
        if (window == 0)
            return first == ts->rcv_nxt;
        return SEQ_GEQ(first, ts->rcv_nxt) && SEQ_LT(first, ts->rcv_nxt + window);
    }
    if (window == 0) /* a FIN takes no room: as Linux, it is taken when it is next */
        return seg->len == 0 && first == ts->rcv_nxt;
    return (SEQ_GEQ(first, ts->rcv_nxt) && SEQ_LT(first, ts->rcv_nxt + window)) ||
           (SEQ_GEQ(last, ts->rcv_nxt) && SEQ_LT(last, ts->rcv_nxt + window));
}

/* New data was acknowledged (acked bytes; flight was in flight before):
 * grow the congestion window, or leave fast recovery. */
static void tcp_cwnd_on_ack(struct tcp_sock *ts, u32 acked, u32 flight)
{
    if (ts->in_recovery) {
        if (SEQ_GEQ(ts->snd_una, ts->recover)) {
            ts->in_recovery = false; /* everything sent before the loss arrived */
            ts->cwnd = ts->ssthresh;
        } else {
            /* A partial ACK (NewReno, RFC 6582): the next hole was lost too.
             * Resend it at once and deflate by what left the network. */
            tcp_retransmit_first(ts);
            ts->cwnd = (ts->cwnd > acked ? ts->cwnd - acked : 0) + ts->snd_mss;
        }
        return;
    }
    if (flight + ts->snd_mss < ts->cwnd)
        return; /* the window was not the limit: using it proved nothing */
    if (ts->cwnd < ts->ssthresh)
        ts->cwnd += MIN(acked, (u32)ts->snd_mss); /* slow start: doubles each round trip */
    else
        ts->cwnd += MAX((u32)ts->snd_mss * ts->snd_mss / ts->cwnd, 1u); /* + 1 MSS per RTT */
    ts->cwnd = MIN(ts->cwnd, 1u << 24);
}

/* The same ACK again, with data outstanding: a segment after a hole
 * arrived.  The third in a row means a loss: fast retransmit, then fast
 * recovery (each further duplicate means one more segment left the
 * network, so the window inflates by one). */
static void tcp_duplicate_ack(struct tcp_sock *ts)
{
    if (++ts->dupacks == TCP_DUPACK_THRESHOLD && !ts->in_recovery) {
        u32 flight = ts->snd_max - ts->snd_una;
        ts->ssthresh = MAX(flight / 2, 2u * ts->snd_mss);
        ts->cwnd = ts->ssthresh + TCP_DUPACK_THRESHOLD * ts->snd_mss;
        ts->in_recovery = true;
        ts->recover = ts->snd_max;
        ts->rtt_timing = false; /* Karn: the timed segment may be the one resent */
        ts->net->stats.tcp_fast_retrans++;
        tcp_retransmit_first(ts);
        ts->rexmit_deadline = net_now_ms + ts->rto_ms;
    } else if (ts->dupacks > TCP_DUPACK_THRESHOLD && ts->in_recovery) {
        ts->cwnd += ts->snd_mss;
    }
}

/* Step 4: the peer acknowledged up to seg->ack.  Returns false if ts is gone. */
static bool tcp_process_ack(struct tcp_sock *ts, const struct tcp_segment *seg)
{
    if (ts->state == TCP_SYN_RECEIVED) {
        if (SEQ_LEQ(seg->ack, ts->snd_una) || SEQ_GT(seg->ack, ts->snd_max))
            return true; /* not for our SYN: ignored (a RST would be sent by some) */
        tcp_handshake_rtt(ts);
        tcp_set_state(ts, TCP_ESTABLISHED);
        if (ts->parent)
            tcp_wake(ts->parent); /* accept() can take it now */
    }
    if (SEQ_GT(seg->ack, ts->snd_max))
        return true; /* acknowledges something never sent: ignore */
    bool duplicate = seg->ack == ts->snd_una && seg->len == 0 &&
                     !(seg->flags & (TCP_SYN | TCP_FIN)) && seg->window == ts->snd_wnd &&
                     ts->snd_wnd != 0 && ts->snd_una != ts->snd_max;
    if (SEQ_GEQ(seg->ack, ts->snd_una))
        ts->snd_wnd = seg->window;
    if (duplicate)
        tcp_duplicate_ack(ts);
    else if (seg->ack != ts->snd_una)
        ts->dupacks = 0;
    if (SEQ_GT(seg->ack, ts->snd_una)) {
        u32 newly_acked = seg->ack - ts->snd_una, flight = ts->snd_max - ts->snd_una;
        ts->snd_una = seg->ack;
        if (ts->rtt_timing && SEQ_GEQ(seg->ack, ts->rtt_seq)) {
            tcp_rtt_sample(ts, (u32)(net_now_ms - ts->rtt_start));
            ts->rtt_timing = false;
        }
        if (SEQ_LT(ts->snd_nxt, ts->snd_una))
            ts->snd_nxt = ts->snd_una; /* acknowledged what a retransmission would resend */
        if (SEQ_GT(ts->snd_una, ts->sbuf_seq)) {
            u32 acked = MIN(ts->snd_una - ts->sbuf_seq, ts->sbuf.len);
            tcp_ring_drop(&ts->sbuf, acked);
            ts->sbuf_seq += acked;
        }
        ts->retries = 0;
        ts->rto_ms = tcp_rto_estimate(ts); /* new data got through: no more backoff */
        ts->rexmit_deadline = 0;
        tcp_cwnd_on_ack(ts, newly_acked, flight);
        if (ts->snd_una != ts->snd_max)
            ts->rexmit_deadline = net_now_ms + ts->rto_ms; /* more is in flight */
        tcp_wake(ts);                                      /* room in the send buffer */
    }
    bool fin_acked = ts->fin_queued && ts->sbuf.len == 0 && ts->snd_una == ts->sbuf_seq + 1;
    switch (ts->state) {
    case TCP_FIN_WAIT_1:
        if (fin_acked) {
            tcp_set_state(ts, TCP_FIN_WAIT_2);
            if (ts->orphan)
                ts->close_deadline = net_now_ms + TCP_FIN_WAIT_2_MS;
        }
        break;
    case TCP_CLOSING:
        if (fin_acked)
            tcp_enter_time_wait(ts);
        break;
    case TCP_LAST_ACK:
        if (fin_acked) {
            tcp_set_state(ts, TCP_CLOSED);
            tcp_done(ts);
            return false;
        }
        break;
    default:
        break;
    }
    return true;
}

/* Data beyond a hole: keep it in the receive ring where it belongs (past the
 * bytes a reader may take) and remember its range, merged with the ranges
 * it touches.  Dropped if it does not fit the window or the range table. */
static void tcp_queue_out_of_order(struct tcp_sock *ts, u32 seq, const u8 *data, u32 len)
{
    u32 offset = seq - ts->rcv_nxt, room = ts->rbuf.size - ts->rbuf.len;
    if (offset >= room)
        return;
    len = MIN(len, room - offset);
    u32 start = seq, end = seq + len, n = 0;
    struct {
        u32 start, end;
    } merged[TCP_OOO_MAX + 1];
    bool placed = false;
    for (u32 i = 0; i < ts->nr_ooo; i++) {
        if (SEQ_LT(ts->ooo[i].end, start)) {
            merged[n].start = ts->ooo[i].start, merged[n++].end = ts->ooo[i].end;
        } else if (SEQ_GT(ts->ooo[i].start, end)) {
            if (!placed)
                merged[n].start = start, merged[n++].end = end, placed = true;
            merged[n].start = ts->ooo[i].start, merged[n++].end = ts->ooo[i].end;
        } else { /* overlaps or touches: one range */
            start = SEQ_LT(ts->ooo[i].start, start) ? ts->ooo[i].start : start;
            end = SEQ_GT(ts->ooo[i].end, end) ? ts->ooo[i].end : end;
        }
    }
    if (!placed)
        merged[n].start = start, merged[n++].end = end;
    if (n > TCP_OOO_MAX) {
        ts->net->stats.tcp_ofo_drops++;
        return; /* too many holes: the sender will resend it */
    }
    tcp_ring_put_at(&ts->rbuf, ts->rbuf.len + offset, data, len);
    for (u32 i = 0; i < n; i++)
        ts->ooo[i].start = merged[i].start, ts->ooo[i].end = merged[i].end;
    ts->nr_ooo = n;
    ts->net->stats.tcp_ofo_queued++;
}

/* rcv_nxt moved: the ranges it reached are in order now. */
static void tcp_take_in_order(struct tcp_sock *ts)
{
    while (ts->nr_ooo && SEQ_LEQ(ts->ooo[0].start, ts->rcv_nxt)) {
        if (SEQ_GT(ts->ooo[0].end, ts->rcv_nxt)) {
            u32 more = ts->ooo[0].end - ts->rcv_nxt;
            ts->rbuf.len += more; /* the bytes are in place already */
            ts->rcv_nxt += more;
        }
        ts->nr_ooo--;
        for (u32 i = 0; i < ts->nr_ooo; i++)
            ts->ooo[i] = ts->ooo[i + 1];
    }
}

/*
 * In-order data was taken: acknowledge it.  While the loopback delivers a
 * batch of segments (netif_delivering: a sender's whole window, queued by
 * one tcp_output), one ACK at the end of the batch acknowledges them all
 * (tcp_send_owed_acks): an ACK per 1460-byte segment was half of the
 * loopback's packets.  No timer is involved, so nothing waits; any segment
 * we send meanwhile carries the ACK and pays the debt (tcp_transmit).  A
 * segment from a card is acknowledged at once, as before.
 */
#define TCP_OWED_MAX 16
static struct tcp_sock *owed_acks[TCP_OWED_MAX];
static u32 nr_owed_acks;

static void tcp_ack_data(struct tcp_sock *ts)
{
    if (ts->ack_owed)
        return;
    if (!netif_delivering() || nr_owed_acks == TCP_OWED_MAX) {
        tcp_send_control(ts, TCP_ACK, ts->snd_nxt);
        return;
    }
    ts->ack_owed = true;
    owed_acks[nr_owed_acks++] = ts;
}

void tcp_send_owed_acks(void)
{
    while (nr_owed_acks > 0) {
        struct tcp_sock *ts = owed_acks[--nr_owed_acks];
        if (ts->ack_owed && ts->state != TCP_CLOSED)
            tcp_send_control(ts, TCP_ACK, ts->snd_nxt); /* clears ack_owed */
        ts->ack_owed = false;
    }
}

void tcp_forget_owed_ack(struct tcp_sock *ts)
{
    for (u32 i = 0; i < nr_owed_acks; i++)
        if (owed_acks[i] == ts)
            owed_acks[i--] = owed_acks[--nr_owed_acks];
    ts->ack_owed = false;
}

/* Steps 5 and 6: in-order data into the receive buffer, then the FIN. */
static void tcp_process_data(struct tcp_sock *ts, const struct tcp_segment *seg)
{
    bool receiving =
        ts->state == TCP_ESTABLISHED || ts->state == TCP_FIN_WAIT_1 || ts->state == TCP_FIN_WAIT_2;
    if (!receiving || (seg->len == 0 && !(seg->flags & TCP_FIN)))
        return;
    const u8 *data = seg->data;
    u32 len = seg->len, seq = seg->seq;
    if (SEQ_LT(seq, ts->rcv_nxt)) { /* the start was received before: skip it */
        u32 skip = MIN(ts->rcv_nxt - seq, len);
        data += skip;
        len -= skip;
        seq += skip;
    }
    if (seq != ts->rcv_nxt) {
        /* A gap before it (a segment was lost or overtaken): keep it, and
         * repeat our ACK at once; duplicates tell the sender of the gap. */
        if (len)
            tcp_queue_out_of_order(ts, seq, data, len);
        tcp_send_control(ts, TCP_ACK, ts->snd_nxt);
        return;
    }
    u32 taken = tcp_ring_write(&ts->rbuf, data, len);
    ts->rcv_nxt += taken;
    tcp_take_in_order(ts);
    if (taken)
        tcp_wake(ts);
    /* A FIN counts only where the data ends (never with data queued after it). */
    if ((seg->flags & TCP_FIN) && taken == len && ts->rcv_nxt == seq + len) {
        ts->rcv_nxt++;
        ts->fin_received = true;
        if (ts->state == TCP_ESTABLISHED)
            tcp_set_state(ts, TCP_CLOSE_WAIT);
        else if (ts->state == TCP_FIN_WAIT_1)
            tcp_set_state(ts, TCP_CLOSING); /* our FIN is not acknowledged yet */
        else
            tcp_enter_time_wait(ts);
    }
    tcp_ack_data(ts);
}

/* Every state after the handshake began: SYN_RECEIVED .. TIME_WAIT. */
static void tcp_synchronized_input(struct tcp_sock *ts, const struct tcp_segment *seg)
{
    if (!tcp_sequence_acceptable(ts, seg)) {
        if (!(seg->flags & TCP_RST))
            tcp_send_control(ts, TCP_ACK, ts->snd_nxt); /* tell it what we expect */
        return;
    }
    if (seg->flags & TCP_RST) {
        if (ts->state == TCP_SYN_RECEIVED && ts->parent) {
            tcp_set_state(ts, TCP_CLOSED); /* a child nobody saw: just forget it */
            tcp_done(ts);
        } else if (ts->state == TCP_SYN_RECEIVED) {
            tcp_abort(ts, ECONNREFUSED);
        } else if (ts->state == TCP_CLOSING || ts->state == TCP_LAST_ACK ||
                   ts->state == TCP_TIME_WAIT) {
            tcp_set_state(ts, TCP_CLOSED);
            tcp_done(ts);
        } else {
            tcp_abort(ts, ECONNRESET);
        }
        return;
    }
    if (seg->flags & TCP_SYN) {
        /* A SYN inside the window of a live connection: it must be reset. */
        tcp_send_control(ts, TCP_RST | TCP_ACK, ts->snd_nxt);
        tcp_abort(ts, ECONNRESET);
        return;
    }
    if (!(seg->flags & TCP_ACK))
        return;
    if (!tcp_process_ack(ts, seg))
        return;
    tcp_process_data(ts, seg);
    tcp_output(ts); /* the ACK or a wider window may let more data go */
}

void tcp_input(struct netbuf *nb)
{
    struct net_ns *net = netbuf_net(nb);
    net->stats.tcp_in_segs++;
    const u8 *h = nb->data;
    u32 header_len = nb->len >= TCP_HEADER_LEN ? (h[12] >> 4) * 4u : 0;
    struct tcp_segment seg = {0};
    if (nb->len < TCP_HEADER_LEN || header_len < TCP_HEADER_LEN || header_len > nb->len ||
        (!nb->checksum_pending &&
         transport_checksum(nb->src_addr, nb->dst_addr, IPPROTO_TCP_NUM, h, nb->len) != 0) ||
        !tcp_parse_options(h + TCP_HEADER_LEN, header_len - TCP_HEADER_LEN, &seg)) {
        net->stats.tcp_in_errs++;
        netbuf_free(nb);
        return;
    }
    nb->src_port = get_be16(h);
    nb->dst_port = get_be16(h + 2);
    seg.seq = get_be32(h + 4);
    seg.ack = get_be32(h + 8);
    seg.flags = h[13];
    seg.window = get_be16(h + 14);
    seg.data = nb->external ? nb->external : h + header_len; /* external: the sender's ring */
    seg.len = nb->external ? nb->external_len : nb->len - header_len;
    seg.seq_len = seg.len + !!(seg.flags & TCP_SYN) + !!(seg.flags & TCP_FIN);

    struct tcp_sock *ts = tcp_lookup(net, nb->dst_addr, nb->dst_port, nb->src_addr, nb->src_port);
    if (ts && ts->state != TCP_LISTEN && ts->state != TCP_SYN_SENT && !(seg.flags & TCP_SYN))
        seg.window <<= ts->snd_wscale; /* RFC 7323: every segment after the SYNs */
    if (ts) {
        ts->last_rx_ms = net_now_ms; /* the peer is alive: keepalive starts over */
        ts->keep_probes = 0;
    }
    if (!ts || nb->src_port == 0 || nb->dst_port == 0)
        tcp_send_reset_for(nb, seg.seq, seg.ack, seg.flags, seg.seq_len);
    else if (ts->state == TCP_LISTEN)
        tcp_listen_input(ts, nb, &seg);
    else if (ts->state == TCP_SYN_SENT)
        tcp_syn_sent_input(ts, nb, &seg);
    else
        tcp_synchronized_input(ts, &seg);
    netbuf_free(nb);
}
