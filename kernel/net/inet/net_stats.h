/*
 * net_stats.h - counters of what the IPv4 stack received, sent and dropped.
 *
 * The names are those of Linux's /proc/net/snmp, so a student can compare.
 * Every packet that is dropped is counted somewhere here: a malformed frame
 * never disappears silently.
 */
#ifndef KERNEL_NET_INET_NET_STATS_H
#define KERNEL_NET_INET_NET_STATS_H

#include "kernel/types.h"

struct net_stats {
    /* IP */
    u64 ip_in_receives;    /* every datagram handed to ip_input */
    u64 ip_in_hdr_errors;  /* bad version, lengths, header checksum, options, TTL */
    u64 ip_in_addr_errors; /* not addressed to us (sprout does not forward) */
    u64 ip_in_unknown_protos;
    u64 ip_in_delivers; /* passed to ICMP, UDP or TCP */
    u64 ip_out_requests;
    u64 ip_out_no_routes;
    u64 ip_reasm_fails; /* fragments: sprout does not reassemble, so all dropped */
    /* ICMP */
    u64 icmp_in_msgs, icmp_in_errors, icmp_in_echos, icmp_out_msgs, icmp_out_echo_reps;
    /* UDP */
    u64 udp_in_datagrams, udp_no_ports, udp_in_errors, udp_out_datagrams, udp_rcvbuf_errors;
    /* TCP */
    u64 tcp_active_opens, tcp_passive_opens, tcp_attempt_fails, tcp_estab_resets;
    u64 tcp_in_segs, tcp_out_segs, tcp_retrans_segs, tcp_in_errs, tcp_out_rsts;
    /* TcpExt (Linux's /proc/net/netstat names) */
    u64 tcp_fast_retrans;              /* TCPFastRetrans: on the third duplicate ACK */
    u64 tcp_timeouts;                  /* TCPTimeouts: the retransmission timer fired */
    u64 tcp_ofo_queued, tcp_ofo_drops; /* TCPOFOQueue, TCPOFODrop */
    u64 tcp_keepalive_probes;          /* TCPKeepAlive */
};

/* One set per network namespace: struct net_ns.stats (netns.h). */

#endif
