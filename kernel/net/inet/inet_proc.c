/*
 * inet_proc.c - /proc/net/tcp, /proc/net/udp, /proc/net/snmp,
 * /proc/net/netstat, /proc/net/dev and /proc/net/route in Linux's formats, so netstat, ss-like
 * tools and lsof read them the same way on both systems.
 *
 * Each reader sees its own network namespace: its sockets, its counters,
 * its interfaces (as Linux's /proc/net, which is /proc/self/net).
 *
 * Addresses are printed as Linux does: the 32-bit address as it lies in
 * memory in network order, read as a little-endian number (127.0.0.1 is
 * 0100007F), and the port in hex (8080 is 1F90).
 */
#include "kernel/fs/vfs.h"
#include "kernel/lib/format.h"
#include "kernel/lib/textbuf.h"
#include "kernel/net/inet/af_inet.h"
#include "kernel/net/inet/net_env.h"
#include "kernel/net/inet/net_stats.h"
#include "kernel/net/inet/netif.h"
#include "kernel/net/inet/netns.h"
#include "kernel/net/inet/tcp.h"
#include "kernel/net/inet/udp.h"
#include "kernel/x86.h"
#include "proc/proc.h"

#define USER_HZ 100 /* the unit of Linux's timer columns */

/* Linux pads each line of these files to a fixed width. */
static void print_padded(struct textbuf *out, const char *line, int width)
{
    textbuf_printf(out, "%-*s\n", width, line);
}

static u64 socket_ino(void *owner)
{
    struct socket *sock = owner;
    return sock && sock->inode ? sock->inode->ino : 0;
}

void inet_proc_tcp(struct textbuf *out, struct proc *unused)
{
    print_padded(
        out,
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid "
        " timeout inode",
        149);
    bool irq = irq_save();
    struct tcp_sock *ts;
    int i = 0;
    list_for_each_entry (ts, &tcp_socks, node) {
        if (ts->net != current->ns.net)
            continue;
        u32 tx = ts->snd_max - ts->snd_una + ts->sbuf.len - (ts->snd_max - ts->sbuf_seq);
        u32 rx = ts->rbuf.len;
        if (ts->state == TCP_LISTEN) {
            tx = ts->backlog; /* as Linux: the queue's limit and length */
            rx = 0;
            struct tcp_sock *child;
            list_for_each_entry (child, &ts->children, child_node)
                rx += child->state != TCP_SYN_RECEIVED;
        } else if (ts->state == TCP_SYN_SENT || ts->state == TCP_SYN_RECEIVED ||
                   ts->state == TCP_CLOSED || ts->state == TCP_TIME_WAIT) {
            tx = 0;
        }
        int timer = 0;
        u64 expires = 0;
        if (ts->state == TCP_TIME_WAIT && ts->close_deadline) {
            timer = 3;
            expires = ts->close_deadline;
        } else if (ts->rexmit_deadline) {
            timer = ts->snd_wnd == 0 ? 4 : 1;
            expires = ts->rexmit_deadline;
        }
        u64 when = expires > net_now_ms ? (expires - net_now_ms) * USER_HZ / 1000 : 0;
        char line[200];
        snprintf(line, sizeof line,
                 "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu 1 "
                 "0000000000000000 %u 4 0 %u %d",
                 i++, net_htonl(ts->local_addr), ts->local_port, net_htonl(ts->remote_addr),
                 ts->remote_port, ts->state, tx, rx, timer, (unsigned long)when, ts->retries, 0, 0,
                 (unsigned long)(ts->notify ? socket_ino(ts->owner) : 0),
                 ts->rto_ms * USER_HZ / 1000, ts->cwnd / MAX(ts->snd_mss, (u16)1),
                 /* as Linux: cwnd and ssthresh in segments, -1 before any loss */
                 ts->ssthresh == TCP_SSTHRESH_INFINITE
                     ? -1
                     : (int)(ts->ssthresh / MAX(ts->snd_mss, (u16)1)));
        print_padded(out, line, 149);
    }
    irq_restore(irq);
}

void inet_proc_udp(struct textbuf *out, struct proc *unused)
{
    print_padded(out,
                 "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   "
                 "uid  timeout inode ref pointer drops",
                 127);
    bool irq = irq_save();
    struct udp_sock *us;
    int i = 0;
    list_for_each_entry (us, &udp_socks, node) {
        if (us->protocol != 17 || us->net != current->ns.net)
            continue; /* ping sockets are in /proc/net/icmp on Linux */
        char line[200];
        snprintf(line, sizeof line,
                 "%5d: %08X:%04X %08X:%04X %02X %08X:%08X 00:00000000 00000000 %5u %8d %lu 2 "
                 "0000000000000000 %u",
                 i++, net_htonl(us->local_addr), us->local_port, net_htonl(us->remote_addr),
                 us->remote_port, us->remote_addr ? 1 : 7, 0, us->rx_bytes, 0, 0,
                 (unsigned long)socket_ino(us->owner), us->rx_drops);
        print_padded(out, line, 127);
    }
    irq_restore(irq);
}

void inet_proc_snmp(struct textbuf *out, struct proc *unused)
{
    struct net_ns *net = current->ns.net;
    const struct net_stats *s = &net->stats;
    textbuf_printf(out,
                   "Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors InUnknownProtos "
                   "InDelivers OutRequests OutNoRoutes ReasmFails\n"
                   "Ip: 2 64 %lu %lu %lu %lu %lu %lu %lu %lu\n",
                   s->ip_in_receives, s->ip_in_hdr_errors, s->ip_in_addr_errors,
                   s->ip_in_unknown_protos, s->ip_in_delivers, s->ip_out_requests,
                   s->ip_out_no_routes, s->ip_reasm_fails);
    textbuf_printf(out,
                   "Icmp: InMsgs InErrors InEchos OutMsgs OutEchoReps\n"
                   "Icmp: %lu %lu %lu %lu %lu\n",
                   s->icmp_in_msgs, s->icmp_in_errors, s->icmp_in_echos, s->icmp_out_msgs,
                   s->icmp_out_echo_reps);
    u64 established = 0;
    struct tcp_sock *ts;
    bool irq = irq_save();
    list_for_each_entry (ts, &tcp_socks, node)
        established +=
            ts->net == net && (ts->state == TCP_ESTABLISHED || ts->state == TCP_CLOSE_WAIT);
    irq_restore(irq);
    textbuf_printf(out,
                   "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails "
                   "EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts\n"
                   "Tcp: 1 %d %d -1 %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu\n",
                   TCP_RTO_MIN_MS, TCP_RTO_MAX_MS, s->tcp_active_opens, s->tcp_passive_opens,
                   s->tcp_attempt_fails, s->tcp_estab_resets, established, s->tcp_in_segs,
                   s->tcp_out_segs, s->tcp_retrans_segs, s->tcp_in_errs, s->tcp_out_rsts);
    textbuf_printf(out,
                   "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors\n"
                   "Udp: %lu %lu %lu %lu %lu\n",
                   s->udp_in_datagrams, s->udp_no_ports, s->udp_in_errors, s->udp_out_datagrams,
                   s->udp_rcvbuf_errors);
}

/* Linux's extended counters (TcpExt), those sprout keeps. */
void inet_proc_netstat(struct textbuf *out, struct proc *unused)
{
    const struct net_stats *s = &current->ns.net->stats;
    textbuf_printf(out,
                   "TcpExt: TCPTimeouts TCPFastRetrans TCPOFOQueue TCPOFODrop TCPKeepAlive\n"
                   "TcpExt: %lu %lu %lu %lu %lu\n",
                   s->tcp_timeouts, s->tcp_fast_retrans, s->tcp_ofo_queued, s->tcp_ofo_drops,
                   s->tcp_keepalive_probes);
}

/* The routes: one per interface that is up, to its subnet (sprout has no
 * gateways).  As Linux, lo's 127/8 is in the local table, not listed here. */
void inet_proc_route(struct textbuf *out, struct proc *unused)
{
    print_padded(
        out, "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
        127);
    bool irq = irq_save();
    struct net_ns *net = current->ns.net;
    for (struct netif **i = net->ifaces; *i; i++) {
        const struct netif *n = *i;
        if (!n->up || n == &net->loopback)
            continue;
        char line[160];
        snprintf(line, sizeof line, "%s\t%08X\t%08X\t%04X\t%d\t%d\t%d\t%08X\t%d\t%d\t%d", n->name,
                 net_htonl(n->addr & n->netmask), 0, 1 /* RTF_UP */, 0, 0, 0, net_htonl(n->netmask),
                 0, 0, 0);
        print_padded(out, line, 127);
    }
    irq_restore(irq);
}

void inet_proc_dev(struct textbuf *out, struct proc *unused)
{
    textbuf_printf(out,
                   "Inter-|   Receive                                                |  "
                   "Transmit\n"
                   " face |bytes    packets errs drop fifo frame compressed multicast|bytes    "
                   "packets errs drop fifo colls carrier compressed\n");
    for (struct netif **i = current->ns.net->ifaces; *i; i++) {
        const struct netif *n = *i;
        textbuf_printf(out,
                       "%6s: %7lu %7lu %4u %4lu %4u %5u %10u %9u %8lu %7lu %4u %4lu %4u %5u %7u "
                       "%10u\n",
                       n->name, n->rx_bytes, n->rx_packets, 0, n->rx_dropped, 0, 0, 0, 0,
                       n->tx_bytes, n->tx_packets, 0, n->tx_dropped, 0, 0, 0, 0);
    }
}
