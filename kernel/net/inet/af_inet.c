/*
 * af_inet.c - the AF_INET family: creating sockets, sockaddr_in, datagram
 * sockets (UDP, and ICMP echo through SOCK_DGRAM + IPPROTO_ICMP as Linux's
 * "ping sockets"), and the clock that drives TCP's timers.
 */
#include "kernel/net/inet/af_inet.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/poll.h"
#include "kernel/drivers/virtio_net.h"
#include "kernel/net/inet/ethernet.h"
#include "kernel/net/inet/ip.h"
#include "kernel/net/inet/net_env.h"
#include "kernel/net/inet/netif.h"
#include "kernel/net/inet/netns.h"
#include "kernel/net/inet/tcp.h"
#include "kernel/net/inet/udp.h"
#include "kernel/param.h"
#include "kernel/printk.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/kheap.h"
#include "proc/cred.h"
#include "proc/proc.h"
#include "sched/wait.h"

bool net_enter(void) { return irq_save(); }

struct net_ns *inet_net_get(void)
{
    struct net_ns *net = current->ns.net;
    ns_get(&net->common);
    return net;
}

void inet_net_put(struct net_ns *net) { ns_put(&net->common); }

void net_leave(bool irq)
{
    netif_deliver_pending();
    irq_restore(irq);
}

int inet_addr_from(const struct sockaddr *addr, int addrlen, u32 *ip, u16 *port)
{
    if (addrlen < (int)sizeof(struct sockaddr_in))
        return -EINVAL;
    if (addr->sa_family != AF_INET)
        return -EAFNOSUPPORT;
    const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
    *ip = net_ntohl(in->sin_addr);
    *port = net_ntohs(in->sin_port);
    return 0;
}

int inet_dest_from(const struct sockaddr *addr, int addrlen, u32 *ip, u16 *port)
{
    int error = inet_addr_from(addr, addrlen, ip, port);
    if (!error && *ip == 0)
        *ip = INADDR_LOOPBACK_HOST; /* as Linux: 0.0.0.0 means this host */
    return error;
}

int inet_addr_to(struct sockaddr_storage *out, u32 ip, u16 port)
{
    struct sockaddr_in *in = (struct sockaddr_in *)out;
    memset(in, 0, sizeof(*in));
    in->sin_family = AF_INET;
    in->sin_port = net_htons(port);
    in->sin_addr = net_ntohl(ip);
    return sizeof(*in);
}

/* --- datagram sockets ------------------------------------------------------------ */

static struct udp_sock *udp_of(struct socket *sock) { return sock->private; }

static void inet_dgram_notify(void *owner) { socket_wake(owner); }

static void inet_dgram_release(struct socket *sock)
{
    struct net_ns *net = udp_of(sock)->net;
    bool irq = net_enter();
    udp_sock_destroy(udp_of(sock));
    net_leave(irq);
    inet_net_put(net);
}

static int inet_dgram_bind(struct socket *sock, const struct sockaddr *addr, int addrlen)
{
    u32 ip;
    u16 port;
    int error = inet_addr_from(addr, addrlen, &ip, &port);
    if (error)
        return error;
    bool irq = net_enter();
    udp_of(sock)->reuseaddr = sock->reuseaddr;
    error = udp_bind(udp_of(sock), ip, port);
    net_leave(irq);
    return error;
}

static int inet_dgram_connect(struct socket *sock, const struct sockaddr *addr, int addrlen,
                              bool nonblock)
{
    u32 ip = 0;
    u16 port = 0;
    if (addrlen >= (int)sizeof(sa_family_t) && addr->sa_family == AF_UNSPEC) {
        ip = 0; /* AF_UNSPEC dissolves the association */
    } else {
        int error = inet_dest_from(addr, addrlen, &ip, &port);
        if (error)
            return error;
    }
    bool irq = net_enter();
    int error = udp_connect(udp_of(sock), ip, port);
    net_leave(irq);
    if (!error)
        sock->state = ip ? SS_CONNECTED : SS_UNCONNECTED;
    return error;
}

static long inet_dgram_sendmsg(struct socket *sock, struct socket_msg *msg)
{
    u32 ip = 0;
    u16 port = 0;
    if (msg->namelen) {
        int error = inet_dest_from((struct sockaddr *)&msg->name, msg->namelen, &ip, &port);
        if (error)
            return error;
    }
    if (sock->shutdown & SEND_SHUTDOWN)
        return -EPIPE;
    if (msg->length > UDP_MAX_PAYLOAD)
        return -EMSGSIZE;
    u32 len = (u32)msg->length;
    u8 *buf = kmalloc(len ? len : 1);
    if (!buf)
        return -ENOBUFS;
    long copied = socket_msg_copy_from_user(msg, buf, len);
    if (copied < 0 || (u32)copied != len) {
        kfree(buf);
        return -EFAULT;
    }
    bool irq = net_enter();
    long result = udp_sendto(udp_of(sock), ip, port, buf, len);
    net_leave(irq);
    kfree(buf);
    return result;
}

static long inet_dgram_recvmsg(struct socket *sock, struct socket_msg *msg)
{
    struct udp_sock *us = udp_of(sock);
    for (;;) {
        bool irq = net_enter();
        u32 size = udp_next_size(us);
        bool empty = list_empty(&us->rx_queue);
        net_leave(irq);
        if (!empty) {
            u8 *buf = kmalloc(size ? size : 1);
            if (!buf)
                return -ENOBUFS;
            u32 from_ip;
            u16 from_port;
            /* Peek first: the datagram is taken only once the copy succeeded.
             * The copy may sleep (swap-in): recv_lock keeps another reader
             * from taking this datagram meanwhile, and us from then taking
             * the next one instead. */
            sleep_lock_acquire(&sock->recv_lock);
            irq = net_enter();
            int full = udp_next_size(us) <= size
                           ? udp_recv(us, buf, size, &from_ip, &from_port, true)
                           : -EAGAIN;
            net_leave(irq);
            if (full < 0) {
                sleep_lock_release(&sock->recv_lock);
                kfree(buf);
                continue; /* another reader took it while we waited */
            }
            long copied = socket_msg_copy_to_user(msg, buf, (u32)full);
            kfree(buf);
            if (copied >= 0 && !(msg->flags & MSG_PEEK)) {
                irq = net_enter();
                udp_recv(us, NULL, 0, NULL, NULL, false);
                net_leave(irq);
            }
            sleep_lock_release(&sock->recv_lock);
            if (copied < 0)
                return copied;
            msg->namelen = inet_addr_to(&msg->name, from_ip, from_port);
            if (copied < full)
                msg->out_flags |= MSG_TRUNC;
            return msg->flags & MSG_TRUNC ? full : copied;
        }
        if (sock->shutdown & RCV_SHUTDOWN)
            return 0;
        if (msg->flags & MSG_DONTWAIT)
            return -EAGAIN;
        int error = SOCKET_WAIT(sock, "udp_recv", msg->deadline,
                                !list_empty(&us->rx_queue) || (sock->shutdown & RCV_SHUTDOWN));
        if (error)
            return error; /* -EAGAIN at SO_RCVTIMEO, -ERESTARTSYS or -EINTR */
    }
}

static int inet_dgram_shutdown(struct socket *sock, int how)
{
    if (!udp_of(sock)->remote_addr)
        return -ENOTCONN;
    socket_wake(sock);
    return 0;
}

static int inet_dgram_getname(struct socket *sock, struct sockaddr_storage *addr, bool peer)
{
    struct udp_sock *us = udp_of(sock);
    if (peer) {
        if (!us->remote_addr)
            return -ENOTCONN;
        return inet_addr_to(addr, us->remote_addr, us->remote_port);
    }
    return inet_addr_to(addr, us->local_addr, us->local_port);
}

static u32 inet_dgram_poll(struct socket *sock, struct poll_table *table)
{
    poll_wait(table, &sock->wait);
    u32 events = POLLOUT | POLLWRNORM;
    if (!list_empty(&udp_of(sock)->rx_queue) || (sock->shutdown & RCV_SHUTDOWN))
        events |= POLLIN | POLLRDNORM;
    return events;
}

/* --- interface ioctls: what ifconfig asks (Linux's SIOCGIF*) ---------------------- */

#define SIOCGIFCONF 0x8912
#define SIOCGIFFLAGS 0x8913
#define SIOCSIFFLAGS 0x8914
#define SIOCGIFADDR 0x8915
#define SIOCGIFNETMASK 0x891b
#define SIOCGIFMTU 0x8921
#define SIOCGIFINDEX 0x8933
#define SIOCGIFHWADDR 0x8927
#define ARPHRD_ETHER 1
#define ARPHRD_LOOPBACK 772
#define IFNAMSIZ 16
#define IFF_UP 0x1
#define IFF_BROADCAST 0x2
#define IFF_LOOPBACK 0x8
#define IFF_RUNNING 0x40
#define IFF_MULTICAST 0x1000

struct ifreq_k { /* Linux's struct ifreq: a name and a 24-byte union */
    char name[IFNAMSIZ];
    union {
        struct sockaddr_in addr;
        i16 flags;
        i32 value; /* mtu, index */
        struct {
            u16 family; /* ARPHRD_*: the kind of hardware */
            u8 data[14];
        } hwaddr;
        u8 pad[24];
    };
};

struct ifconf_k {
    i32 len; /* in: the buffer's size; out: the bytes filled */
    u64 buf; /* struct ifreq[]; NULL asks for the size needed */
};

static void ifreq_addr(struct ifreq_k *req, u32 addr)
{
    memset(&req->addr, 0, sizeof req->addr);
    req->addr.sin_family = AF_INET;
    req->addr.sin_addr = net_htonl(addr);
}

static long inet_ifconf(struct net_ns *net, u64 arg)
{
    struct netif **netif_list = net->ifaces;
    struct ifconf_k conf;
    if (copy_from_user(&conf, (void *)arg, sizeof conf))
        return -EFAULT;
    int count = 0;
    while (netif_list[count])
        count++;
    if (conf.buf == 0) {
        conf.len = count * (i32)sizeof(struct ifreq_k);
    } else {
        if (conf.len < 0)
            return -EINVAL;
        int fits = MIN(count, conf.len / (int)sizeof(struct ifreq_k));
        for (int i = 0; i < fits; i++) {
            struct ifreq_k req = {0};
            memcpy(req.name, netif_list[i]->name,
                   MIN(strlen(netif_list[i]->name), (size_t)IFNAMSIZ - 1));
            ifreq_addr(&req, netif_list[i]->addr);
            if (copy_to_user((struct ifreq_k *)conf.buf + i, &req, sizeof req))
                return -EFAULT;
        }
        conf.len = fits * (i32)sizeof(struct ifreq_k);
    }
    return copy_to_user((void *)arg, &conf, sizeof conf) ? -EFAULT : 0;
}

/* The SIOCGIF* calls any AF_INET socket answers, about the interfaces of
 * the socket's namespace, and SIOCSIFFLAGS (only IFF_UP changes: `ifconfig
 * lo up`); -ENOTTY for the others. */
static long inet_if_ioctl(struct net_ns *net, u64 command, u64 arg)
{
    struct netif **netif_list = net->ifaces;
    if (command == SIOCGIFCONF)
        return inet_ifconf(net, arg);
    if (command != SIOCGIFFLAGS && command != SIOCGIFADDR && command != SIOCGIFNETMASK &&
        command != SIOCGIFMTU && command != SIOCGIFINDEX && command != SIOCSIFFLAGS &&
        command != SIOCGIFHWADDR)
        return -ENOTTY;
    struct ifreq_k req;
    if (copy_from_user(&req, (void *)arg, sizeof req))
        return -EFAULT;
    if (command == SIOCSIFFLAGS && !capable(CAP_NET_ADMIN))
        return -EPERM;          /* as Linux, before looking at the name */
    req.name[IFNAMSIZ - 1] = 0; /* as Linux: the name ends within the field */
    int index = 0;
    while (netif_list[index] && strcmp(netif_list[index]->name, req.name) != 0)
        index++;
    struct netif *n = netif_list[index];
    if (!n)
        return -ENODEV;
    if (command == SIOCSIFFLAGS) {
        n->up = req.flags & IFF_UP; /* the other flags are the hardware's */
        return 0;
    }
    memset(req.pad, 0, sizeof req.pad);
    bool loopback = n == &net->loopback;
    if (command == SIOCGIFADDR)
        ifreq_addr(&req, n->addr);
    else if (command == SIOCGIFNETMASK)
        ifreq_addr(&req, n->netmask);
    else if (command == SIOCGIFMTU)
        req.value = (i32)n->mtu;
    else if (command == SIOCGIFINDEX)
        req.value = index + 1; /* lo is 1, as on Linux */
    else if (command == SIOCGIFHWADDR) {
        req.hwaddr.family = loopback ? ARPHRD_LOOPBACK : ARPHRD_ETHER;
        memcpy(req.hwaddr.data, n->hwaddr, sizeof n->hwaddr);
    } else
        req.flags = (i16)((n->up ? IFF_UP | IFF_RUNNING : 0) |
                          (loopback ? IFF_LOOPBACK : IFF_BROADCAST | IFF_MULTICAST));
    return copy_to_user((void *)arg, &req, sizeof req) ? -EFAULT : 0;
}

long inet_ioctl_common(struct socket *sock, u64 command, u64 arg)
{
    struct net_ns *net = sock->ops == &inet_stream_ops ? ((struct tcp_sock *)sock->private)->net
                                                       : ((struct udp_sock *)sock->private)->net;
    bool irq = net_enter();
    long result = inet_if_ioctl(net, command, arg);
    net_leave(irq);
    return result;
}

static long inet_dgram_ioctl(struct socket *sock, u64 command, u64 arg)
{
    if (command != FIONREAD)
        return inet_ioctl_common(sock, command, arg);
    bool irq = net_enter();
    int size = (int)udp_next_size(udp_of(sock));
    net_leave(irq);
    return copy_to_user((void *)arg, &size, sizeof size) ? -EFAULT : 0;
}

static const struct proto_ops inet_dgram_ops = {
    .family = AF_INET,
    .release = inet_dgram_release,
    .bind = inet_dgram_bind,
    .connect = inet_dgram_connect,
    .sendmsg = inet_dgram_sendmsg,
    .recvmsg = inet_dgram_recvmsg,
    .shutdown = inet_dgram_shutdown,
    .getname = inet_dgram_getname,
    .poll = inet_dgram_poll,
    .ioctl = inet_dgram_ioctl,
};

/* --- the family -------------------------------------------------------------------- */

static int inet_create(struct socket *sock, int protocol)
{
    if (sock->type == SOCK_STREAM) {
        if (protocol != IPPROTO_IP && protocol != IPPROTO_TCP)
            return -EPROTONOSUPPORT;
        sock->protocol = IPPROTO_TCP;
        return inet_stream_create(sock);
    }
    if (sock->type != SOCK_DGRAM)
        return -ESOCKTNOSUPPORT; /* SOCK_RAW would need CAP_NET_RAW and raw sockets */
    if (protocol != IPPROTO_IP && protocol != IPPROTO_UDP && protocol != IPPROTO_ICMP)
        return -EPROTONOSUPPORT;
    sock->protocol = protocol == IPPROTO_ICMP ? IPPROTO_ICMP : IPPROTO_UDP;
    struct net_ns *net = inet_net_get();
    bool irq = net_enter();
    struct udp_sock *us = udp_sock_create(net, sock->protocol);
    net_leave(irq);
    if (!us) {
        inet_net_put(net);
        return -ENOMEM;
    }
    us->rcvbuf = sock->rcvbuf;
    us->notify = inet_dgram_notify;
    us->owner = sock;
    sock->ops = &inet_dgram_ops;
    sock->private = us;
    return 0;
}

static const struct socket_family inet_family = {
    .family = AF_INET,
    .name = "inet",
    .create = inet_create,
};

/* TCP's timers count milliseconds: the tick moves the core's clock. */
static struct timer net_clock;
static void net_clock_tick(struct timer *timer)
{
    net_tick(jiffies * (1000 / HZ));
    timer_add(timer, jiffies + 1);
}

/* eth0 on the virtio card, if QEMU gave us one (tools/run-qemu --net). */
static struct ethernet_card virtio_card = {.transmit = virtio_net_transmit};

void inet_init(void)
{
    udp_init();
    if (virtio_net_present()) {
        virtio_net_mac(virtio_card.mac);
        virtio_net_receive_hook = ethernet_input;
        ethernet_attach(&virtio_card);
        pr_info("eth0: 10.0.2.15/24 on QEMU's user network (the host is 10.0.2.2)\n");
    }
    socket_register_family(&inet_family);
    timer_init_event(&net_clock, net_clock_tick, NULL);
    timer_add(&net_clock, jiffies + 1);
}
