/*
 * tcp.h - TCP: a reliable, ordered byte stream over IP.
 *
 * Where to read what:
 *   tcp_input.c   the state machine: every arriving segment, state by state
 *   tcp_output.c  building segments, the retransmission timer, RST replies
 *   tcp.c         what the socket layer calls: bind, listen, connect, send,
 *                 recv, shutdown, close; ports and the table of sockets
 *
 * The states (RFC 793 figure 6), with what moves a socket between them:
 *
 *                     CLOSED
 *       connect: send SYN |   \ listen
 *                         v    v
 *                   SYN_SENT   LISTEN --SYN: child sends SYN+ACK--> SYN_RECEIVED
 *    got SYN+ACK, send ACK |                                          | got ACK
 *                          v                                          v
 *                       ESTABLISHED  <---------------------------------
 *        close: send FIN /       \ got FIN: send ACK
 *                       v         v
 *               FIN_WAIT_1        CLOSE_WAIT --close: send FIN--> LAST_ACK
 *     got ACK of FIN |  \ got FIN: send ACK                          | got ACK
 *                    v   v                                           v
 *           FIN_WAIT_2   CLOSING --got ACK of FIN--> TIME_WAIT     CLOSED
 *   got FIN: send ACK \                                ^  | 2 MSL
 *                      -------------------------------/   v
 *                                                       CLOSED
 *
 * Loss and reordering (docs/tcp.md): the retransmission timeout follows a
 * measured round-trip time (RFC 6298, Karn's rule, doubling on each retry);
 * segments that arrive after a gap wait in the receive ring until the gap is
 * filled (no SACK: the sender learns only of the gap, by duplicate ACKs);
 * Reno congestion control (slow start, congestion avoidance, fast
 * retransmit on the third duplicate ACK, fast recovery).
 * Window scaling (RFC 7323): each SYN offers a shift, and when both did,
 * every later window field counts in units of 2^shift, so a receive ring
 * above 64 KiB can be announced (tcp_window_field, tcp_input).
 * Simplifications, each a lab: no SACK or timestamps.
 */
#ifndef KERNEL_NET_INET_TCP_H
#define KERNEL_NET_INET_TCP_H

#include "kernel/list.h"
#include "kernel/types.h"

struct netbuf;
struct net_ns;

/* Numbered as Linux's /proc/net/tcp "st" column. */
enum tcp_state {
    TCP_ESTABLISHED = 1,
    TCP_SYN_SENT = 2,
    TCP_SYN_RECEIVED = 3,
    TCP_FIN_WAIT_1 = 4,
    TCP_FIN_WAIT_2 = 5,
    TCP_TIME_WAIT = 6,
    TCP_CLOSED = 7,
    TCP_CLOSE_WAIT = 8,
    TCP_LAST_ACK = 9,
    TCP_LISTEN = 10,
    TCP_CLOSING = 11,
};

/* Header flags. */
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10

#define TCP_HEADER_LEN 20
#define TCP_IP_HEADERS_LEN 40       /* IP 20 + TCP 20: MSS = the route's MTU - 40 */
#define TCP_MSS_DEFAULT 536         /* RFC 1122: when the peer's SYN names none */
#define TCP_MSS_MIN 64              /* a peer's smaller MSS option is raised to this */
#define TCP_BUFFER_SIZE (64 * 1024) /* send and receive buffers (SO_SNDBUF/SO_RCVBUF) */
#define TCP_MAX_WINDOW 65535        /* the 16-bit field, before scaling */
#define TCP_MAX_WSCALE 14           /* RFC 7323's largest shift (a 1 GiB window) */
#define TCP_RTO_INITIAL_MS 1000     /* RFC 6298 */
#define TCP_RTO_MIN_MS 200          /* Linux's TCP_RTO_MIN */
#define TCP_RTO_MAX_MS 120000
#define TCP_SYN_RETRIES 6 /* then connect fails with ETIMEDOUT */
#define TCP_DATA_RETRIES 15
#define TCP_TIME_WAIT_MS 60000  /* 2 MSL, as Linux */
#define TCP_FIN_WAIT_2_MS 60000 /* an orphan waiting for the peer's FIN */
#define TCP_MAX_BACKLOG 4096    /* somaxconn */
#define TCP_OOO_MAX 8           /* holes the receiver remembers data beyond */
#define TCP_INIT_CWND_SEGS 10   /* RFC 6928's initial window, as Linux */
#define TCP_DUPACK_THRESHOLD 3  /* fast retransmit after this many duplicate ACKs */
#define TCP_SSTHRESH_INFINITE 0xffffffffu
#define TCP_KEEPIDLE_DEFAULT 7200 /* s: Linux's net.ipv4.tcp_keepalive_time */
#define TCP_KEEPINTVL_DEFAULT 75  /* s: tcp_keepalive_intvl */
#define TCP_KEEPCNT_DEFAULT 9     /* tcp_keepalive_probes */
#define TCP_KEEP_MAX_SECONDS 32767
#define TCP_KEEP_MAX_PROBES 127
#define TCP_RING_MIN 2048         /* SOCKET_BUFFER_MIN */
#define TCP_RING_MAX (256 * 1024) /* what one connection's ring may take of the heap */

/* Sequence numbers wrap: compare them as distances, never as numbers. */
#define SEQ_LT(a, b) ((i32)((u32)(a) - (u32)(b)) < 0)
#define SEQ_LEQ(a, b) ((i32)((u32)(a) - (u32)(b)) <= 0)
#define SEQ_GT(a, b) SEQ_LT(b, a)
#define SEQ_GEQ(a, b) SEQ_LEQ(b, a)

/* A ring of bytes: the send and receive buffers. */
struct tcp_ring {
    u8 *bytes;
    u32 size, start, len;
};

struct tcp_sock {
    struct list_node node; /* in tcp_socks */
    struct net_ns *net;    /* the namespace it was made in (a child: its listener's) */
    enum tcp_state state;
    u32 local_addr, remote_addr; /* host order */
    u16 local_port, remote_port;

    /* Send side: bytes from snd_una were sent but not acknowledged, up to
     * snd_nxt; the send ring holds them and the unsent ones after them.
     * sbuf_seq is the sequence number of the ring's first byte. */
    u32 iss, snd_una, snd_nxt, snd_max, snd_wnd, sbuf_seq;
    struct tcp_ring sbuf;
    u16 snd_mss;     /* the largest segment we send: the peer's MSS option, at most adv_mss */
    u16 adv_mss;     /* the largest we take: the route's MTU - 40 (65495 on lo, 1460 on eth0) */
    bool fin_queued; /* close or shutdown(SHUT_WR): send FIN after the data */

    /* Window scaling (RFC 7323): wscale_ok while our SYN offers the option
     * and, once the handshake is done, if both sides sent it.  The peer's
     * window fields are shifted left by snd_wscale, ours right by rcv_wscale. */
    bool wscale_ok;
    u8 snd_wscale, rcv_wscale;

    /* Congestion control (Reno, RFC 5681), in bytes: at most min(cwnd,
     * snd_wnd) in flight.  Below ssthresh cwnd grows by a segment per ACK
     * (slow start), above by a segment per round trip; a loss halves it. */
    u32 cwnd, ssthresh;
    u32 dupacks;      /* duplicate ACKs in a row */
    bool in_recovery; /* fast recovery: until snd_una passes recover */
    u32 recover;      /* snd_max when the loss was detected */

    /* Round-trip time (RFC 6298): one segment at a time is timed, never a
     * retransmitted one (Karn); rto_ms = srtt + 4 * rttvar, within limits. */
    u32 srtt_ms, rttvar_ms;
    bool rtt_timing, rtt_valid; /* a segment is being timed; srtt holds a sample */
    u32 rtt_seq;                /* the timed segment's end: its ACK is the sample */
    u64 rtt_start;

    /* Receive side: rcv_nxt is the next byte expected; the receive ring
     * holds what arrived and the reader has not taken. */
    u32 irs, rcv_nxt, rcv_adv_wnd; /* the window we last advertised */
    struct tcp_ring rbuf;
    bool fin_received;
    bool ack_owed; /* data was taken during a loopback batch: ACK at its end */
    /* Out-of-order data: byte ranges [start, end) beyond rcv_nxt already in
     * the receive ring (past its len, where they will belong), sorted. */
    struct {
        u32 start, end;
    } ooo[TCP_OOO_MAX];
    u32 nr_ooo;

    /* Timers, as deadlines in net_now_ms (0 = not armed). */
    u64 rexmit_deadline; /* retransmission (or window probe) */
    u32 rto_ms;
    u32 retries;
    u64 close_deadline; /* TIME_WAIT, or an orphan's FIN_WAIT_2 */

    /* A listener's children: pending (SYN_RECEIVED) and ready to accept. */
    struct tcp_sock *parent;
    struct list children;        /* pending and accept queue, in order */
    struct list_node child_node; /* in parent->children */
    u32 backlog, nr_children;

    int error; /* pending error for SO_ERROR / the next call (positive errno) */
    bool reuseaddr, nodelay, keepalive;
    const bool *owner_reuseaddr; /* the socket's SO_REUSEADDR while it has an owner */
    const bool *owner_keepalive; /* the socket's SO_KEEPALIVE while it has an owner */
    /* Keepalive (SO_KEEPALIVE, TCP_KEEPIDLE/INTVL/CNT): after keep_idle_s
     * without a segment from the peer, a probe every keep_intvl_s; after
     * keep_cnt unanswered ones the connection fails with ETIMEDOUT. */
    u32 keep_idle_s, keep_intvl_s, keep_cnt, keep_probes;
    u64 last_rx_ms;           /* when the peer last sent anything */
    u32 sbuf_size, rbuf_size; /* ring sizes from SO_SNDBUF/SO_RCVBUF (0: TCP_BUFFER_SIZE) */
    bool shut_rd;             /* shutdown(SHUT_RD) */
    bool orphan;              /* the socket was closed: free when the state machine ends */
    bool accepted;            /* a child taken by accept() */

    /* Called on every change a sleeper may wait for (data, space, state). */
    void (*notify)(void *owner);
    void *owner;
    u32 owner_pid; /* for netstat -p; the socket layer fills it */
};

extern struct list tcp_socks; /* every TCP socket, for /proc/net/tcp */
extern u64 net_now_ms;        /* the clock, advanced by net_tick */

/* --- tcp.c: the calls of the socket layer (interrupts off) --- */
struct tcp_sock *tcp_sock_create(struct net_ns *net);
int tcp_bind(struct tcp_sock *ts, u32 addr, u16 port);
int tcp_listen(struct tcp_sock *ts, int backlog);
/* Start the handshake: 0 (SYN sent; wait for ESTABLISHED or an error), -errno. */
int tcp_connect(struct tcp_sock *ts, u32 addr, u16 port);
/* A child that finished its handshake, or NULL (-EAGAIN for the caller). */
struct tcp_sock *tcp_accept(struct tcp_sock *listener);
/* Copy up to len bytes into the send buffer: count, -EAGAIN (full), -EPIPE, -ENOTCONN. */
int tcp_send(struct tcp_sock *ts, const void *data, u32 len);
/* The socket layer's copies go straight between user memory and the rings,
 * with interrupts on (a copy may sleep): it copies into the send ring's free
 * space (tcp_ring_free_span) and then queues what it copied with
 * tcp_send_commit (count, or -errno as tcp_send: the bytes are dropped then);
 * it copies out of the receive ring (tcp_ring_data_span), then consumes.
 * The arrays stay while the socket is open (tcp_set_state). */
int tcp_send_commit(struct tcp_sock *ts, u32 len);
/* Take up to len bytes: count, 0 at end of stream, -EAGAIN, -ECONNRESET, -ENOTCONN. */
int tcp_recv(struct tcp_sock *ts, void *buf, u32 len, bool peek);
/* Drop len bytes the reader took from the receive ring; the window may open. */
void tcp_recv_consume(struct tcp_sock *ts, u32 len);
/* how: 0 SHUT_RD, 1 SHUT_WR, 2 SHUT_RDWR. */
int tcp_shutdown(struct tcp_sock *ts, int how);
/* The socket layer lets go of ts; the connection closes and ts is freed later. */
void tcp_close(struct tcp_sock *ts);
/* Take the pending error (positive errno, 0 if none). */
int tcp_take_error(struct tcp_sock *ts);
bool tcp_readable(const struct tcp_sock *ts);
bool tcp_writable(const struct tcp_sock *ts);
u32 tcp_send_space(const struct tcp_sock *ts);

/* The MSS a connection to addr announces: the MTU of the interface that
 * reaches it (at most IP's 65535) less the IP and TCP headers. */
u16 tcp_route_mss(struct net_ns *net, u32 addr);
/* The shift that lets a window of ring_size bytes fit the 16-bit field. */
u8 tcp_wscale_for(u32 ring_size);
/* What the window field of a segment says now: the free receive space,
 * scaled (not in a SYN), and what that announces in bytes (*announced). */
u16 tcp_window_field(const struct tcp_sock *ts, bool syn, u32 *announced);

/* Byte rings (tcp.c): write returns how many fit; copy reads at an offset
 * from the start without consuming; drop consumes from the start. */
u32 tcp_ring_write(struct tcp_ring *ring, const void *data, u32 len);
void tcp_ring_copy(const struct tcp_ring *ring, u32 offset, void *out, u32 len);
void tcp_ring_drop(struct tcp_ring *ring, u32 len);
/* The contiguous run of bytes at the ring's start, or of free space after
 * its end: its length, and where it is in *where. */
u32 tcp_ring_data_span(const struct tcp_ring *ring, u8 **where);
/* The contiguous run of bytes from offset (from the start) to the ring's
 * end or the array's end, whichever comes first. */
u32 tcp_ring_span_at(const struct tcp_ring *ring, u32 offset, u8 **where);
u32 tcp_ring_free_span(const struct tcp_ring *ring, u8 **where);
/* Store len bytes at offset (from the start) without counting them in len. */
void tcp_ring_put_at(struct tcp_ring *ring, u32 offset, const void *data, u32 len);

/* --- tcp_input.c --- */
void tcp_input(struct netbuf *nb);
/* The loopback delivered a batch: send the ACKs its data segments owe. */
void tcp_send_owed_acks(void);
/* ts is going away: it owes nothing. */
void tcp_forget_owed_ack(struct tcp_sock *ts);

/* --- tcp_output.c --- */
/* Send whatever the state, the buffers and the peer's window allow. */
void tcp_output(struct tcp_sock *ts);
/* A segment with no data (ACK, SYN, FIN, RST as flags say) at sequence seq. */
void tcp_send_control(struct tcp_sock *ts, u8 flags, u32 seq);
/* Answer a segment that matches no socket with RST (unless it is one). */
void tcp_send_reset_for(const struct netbuf *nb, u32 seq, u32 ack, u8 flags, u32 seg_len);
/* Run the timers whose deadline is at or before now. */
void tcp_timers(void);
/* Resend one segment from snd_una (fast retransmit). */
void tcp_retransmit_first(struct tcp_sock *ts);
/* A round-trip sample of rtt ms: update srtt, rttvar and rto_ms. */
void tcp_rtt_sample(struct tcp_sock *ts, u32 rtt);
/* The timeout the estimate gives (before any backoff). */
u32 tcp_rto_estimate(const struct tcp_sock *ts);

/* --- tcp.c: helpers for the state machine --- */
void tcp_set_state(struct tcp_sock *ts, enum tcp_state state);
void tcp_wake(struct tcp_sock *ts);
/* The socket reached CLOSED: remove it (if nobody holds it) and free it. */
void tcp_done(struct tcp_sock *ts);
struct tcp_sock *tcp_lookup(struct net_ns *net, u32 local_addr, u16 local_port, u32 remote_addr,
                            u16 remote_port);
struct tcp_sock *tcp_child_create(struct tcp_sock *listener);
/* Drop one connection with an error (RST received, timeout). */
void tcp_abort(struct tcp_sock *ts, int error);
const char *tcp_state_name(enum tcp_state state);
/* SO_REUSEADDR as it is now (the owner may change it at any time). */
bool tcp_reuseaddr(const struct tcp_sock *ts);
bool tcp_keepalive_on(const struct tcp_sock *ts);
/* SO_SNDBUF/SO_RCVBUF (as reported, doubled): the rings the next connect or
 * listen allocates (children inherit a listener's). */
void tcp_set_buffer_sizes(struct tcp_sock *ts, u32 sndbuf, u32 rcvbuf);

/* A namespace is going: free the connections left in it (all orphans). */
void tcp_net_release(struct net_ns *net);

/* Advance the clock: run due timers and deliver queued loopback packets. */
void net_tick(u64 now_ms);

#endif
