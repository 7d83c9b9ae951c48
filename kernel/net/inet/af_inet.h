/*
 * af_inet.h - AF_INET sockets: the glue between the socket layer
 * (kernel/net/socket.h) and the protocol core (ip.c, udp.c, tcp*.c).
 *
 *   af_inet.c       the family: socket(AF_INET, ...), sockaddr_in, the
 *                   datagram sockets (UDP and ICMP "ping" sockets), the clock
 *   inet_stream.c   TCP sockets: connect, accept and the blocking send/recv
 *   inet_proc.c     /proc/net/tcp, /proc/net/udp, /proc/net/snmp
 *
 * The core never sleeps and runs with interrupts off; this glue takes
 * interrupts off around each call into it (net_enter/net_leave), copies
 * user data outside that window, and sleeps on sock->wait, which the core
 * wakes through its notify hook.
 */
#ifndef KERNEL_NET_INET_AF_INET_H
#define KERNEL_NET_INET_AF_INET_H

#include "kernel/net/socket.h"
#include "kernel/types.h"

/* Linux's struct sockaddr_in: port and address in network byte order. */
struct sockaddr_in {
    sa_family_t sin_family;
    u16 sin_port;
    u32 sin_addr;
    u8 sin_zero[8];
};

#define IPPROTO_IP 0
#define IPPROTO_ICMP 1
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define TCP_NODELAY 1
#define TCP_MAXSEG 2
#define TCP_KEEPIDLE 4
#define TCP_KEEPINTVL 5
#define TCP_KEEPCNT 6
#define TCP_INFO 11
#define FIONREAD 0x541B
#define SIOCOUTQ 0x5411

/* Check a user's sockaddr_in (length, family) and return its address and
 * port in host order; -EINVAL or -EAFNOSUPPORT as Linux. */
int inet_addr_from(const struct sockaddr *addr, int addrlen, u32 *ip, u16 *port);
/* The same for a destination (connect, sendto): 0.0.0.0 means this host, as in Linux. */
int inet_dest_from(const struct sockaddr *addr, int addrlen, u32 *ip, u16 *port);
/* Fill a sockaddr_in; returns its length. */
int inet_addr_to(struct sockaddr_storage *out, u32 ip, u16 port);

/* Enter and leave the protocol core (interrupts off; deliver looped-back
 * packets before leaving). */
bool net_enter(void);
void net_leave(bool irq);

extern const struct proto_ops inet_stream_ops;
int inet_stream_create(struct socket *sock);

/* The network namespace a new socket joins (the caller's), with a reference
 * the socket drops when it is released (inet_net_put). */
struct net_ns;
struct net_ns *inet_net_get(void);
void inet_net_put(struct net_ns *net);

/* Boot: register AF_INET and start the clock. */
void inet_init(void);
/* The interface ioctls (SIOCGIFCONF, SIOCGIFADDR...) every AF_INET socket takes. */
long inet_ioctl_common(struct socket *sock, u64 command, u64 arg);

/* /proc/net files (inet_proc.c; listed in kernel/net/procfs_net.c). */
struct textbuf;
struct proc;
void inet_proc_tcp(struct textbuf *out, struct proc *unused);
void inet_proc_udp(struct textbuf *out, struct proc *unused);
void inet_proc_snmp(struct textbuf *out, struct proc *unused);
void inet_proc_dev(struct textbuf *out, struct proc *unused);
void inet_proc_route(struct textbuf *out, struct proc *unused);
void inet_proc_netstat(struct textbuf *out, struct proc *unused);

#endif
