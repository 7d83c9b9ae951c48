/*
 * loopback.c - the "lo" interface, 127.0.0.1: datagrams sent to it come back
 * in as received ones (see netif.h for why through a queue).  Every network
 * namespace has its own lo (netns.h); one queue serves them all, each
 * datagram remembering which lo it went out on.  Also: routes, and the
 * first namespace with the interfaces of the machine.
 */
#include "kernel/net/inet/ip.h"
#include "kernel/net/inet/net_env.h"
#include "kernel/net/inet/netbuf.h"
#include "kernel/net/inet/netif.h"
#include "kernel/net/inet/netns.h"
#include "kernel/net/inet/tcp.h"
#include "kernel/net/inet/udp.h"

static struct list loopback_queue = LIST_INIT(loopback_queue);
static bool delivering;

static int loopback_transmit(struct netif *netif, struct netbuf *nb)
{
    if (netif->drop_filter)
        netbuf_take_payload(nb); /* a test's filter may keep it, and reads it whole */
    if (netif->drop_filter && netif->drop_filter(nb)) {
        netif->tx_dropped++;
        netbuf_free(nb);
        return 0; /* a lost packet is not the sender's error: TCP retransmits */
    }
    netif->tx_packets++;
    netif->tx_bytes += nb->len + nb->external_len;
    nb->netif = netif; /* it comes back in on the same lo */
    list_push_back(&loopback_queue, &nb->node);
    return 0;
}

static void loopback_setup(struct netif *lo, struct net_ns *net, bool up)
{
    *lo = (struct netif){
        .name = "lo",
        .net = net,
        .up = up,
        .addr = INADDR_LOOPBACK_HOST,
        .netmask = 0xff000000,
        .mtu = LOOPBACK_MTU,
        .transmit = loopback_transmit,
    };
    net->ifaces[0] = lo;
}

/* The first namespace: lo is up from boot, as the machine's init would set it. */
struct net_ns init_net_ns = {
    /* Linux numbers init_net when it boots; sprout picks one beside the
     * other first namespaces' (proc/ns.c), which no new one can take. */
    .common = {NS_NET, 1, 0xEFFFFFF8u},
    .loopback = {.name = "lo",
                 .net = &init_net_ns,
                 .up = true,
                 .addr = INADDR_LOOPBACK_HOST,
                 .netmask = 0xff000000,
                 .mtu = LOOPBACK_MTU,
                 .transmit = loopback_transmit},
    .ifaces = {&init_net_ns.loopback, NULL},
};

void net_ns_init(struct net_ns *net) { loopback_setup(&net->loopback, net, false); }

void net_ns_release(struct net_ns *net)
{
    /* Datagrams still queued on its lo would come back in to a namespace
     * that is gone. */
    struct netbuf *nb, *tmp;
    list_for_each_entry_safe (nb, tmp, &loopback_queue, node) {
        if (nb->netif == &net->loopback) {
            list_remove(&nb->node);
            netbuf_free(nb);
        }
    }
    tcp_net_release(net);
    udp_net_release(net);
}

struct net_ns *netbuf_net(const struct netbuf *nb)
{
    return nb->netif && nb->netif->net ? nb->netif->net : &init_net_ns;
}

void netif_register(struct netif *netif)
{
    netif->net = &init_net_ns;
    for (int i = 0; i < NETIF_MAX; i++) {
        if (!init_net_ns.ifaces[i]) {
            init_net_ns.ifaces[i] = netif;
            return;
        }
    }
}

struct netif *route_lookup(struct net_ns *net, u32 dst_addr)
{
    if ((dst_addr >> 24) == 127)
        return net->loopback.up ? &net->loopback : NULL;
    for (struct netif **i = net->ifaces; *i; i++)
        if ((*i)->up && (dst_addr & (*i)->netmask) == ((*i)->addr & (*i)->netmask))
            return *i;
    return NULL;
}

bool netif_is_local(struct net_ns *net, u32 addr)
{
    if ((addr >> 24) == 127)
        return true; /* as Linux: bindable even while lo is down (unreachable, though) */
    for (struct netif **i = net->ifaces; *i; i++)
        if ((*i)->up && (*i)->addr == addr)
            return true;
    return false;
}

bool netif_delivering(void) { return delivering; }

void netif_loopback_forget(const u8 *start, u32 len)
{
    struct netbuf *nb;
    list_for_each_entry (nb, &loopback_queue, node)
        if (nb->external && nb->external >= start && nb->external < start + len)
            netbuf_take_payload(nb);
}

void netif_deliver_pending(void)
{
    if (delivering)
        return; /* an outer call is draining the queue already */
    delivering = true;
    do {
        struct list_node *node;
        while ((node = list_pop_front(&loopback_queue))) {
            struct netbuf *nb = list_entry(node, struct netbuf, node);
            list_node_init(&nb->node);
            struct netif *lo = nb->netif;
            lo->rx_packets++;
            lo->rx_bytes += nb->len + nb->external_len;
            ip_input(nb);
        }
        tcp_send_owed_acks(); /* one ACK per connection for the batch; they queue */
    } while (!list_empty(&loopback_queue));
    delivering = false;
}
