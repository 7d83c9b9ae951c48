/*
 * loopback.c - the "lo" interface, 127.0.0.1: datagrams sent to it come back
 * in as received ones (see netif.h for why through a queue).
 */
#include "kernel/net/inet/ip.h"
#include "kernel/net/inet/netbuf.h"
#include "kernel/net/inet/netif.h"

static struct list loopback_queue = LIST_INIT(loopback_queue);
static bool delivering;

static int loopback_transmit(struct netif *netif, struct netbuf *nb)
{
    if (netif->drop_filter && netif->drop_filter(nb)) {
        netif->tx_dropped++;
        netbuf_free(nb);
        return 0; /* a lost packet is not the sender's error: TCP retransmits */
    }
    netif->tx_packets++;
    netif->tx_bytes += nb->len;
    list_push_back(&loopback_queue, &nb->node);
    return 0;
}

struct netif loopback_netif = {
    .name = "lo",
    .addr = 0x7f000001,
    .netmask = 0xff000000,
    .mtu = 1500,
    .transmit = loopback_transmit,
};

struct netif *netif_list[NETIF_MAX + 1] = {&loopback_netif, NULL};

void netif_register(struct netif *netif)
{
    for (int i = 0; i < NETIF_MAX; i++) {
        if (!netif_list[i]) {
            netif_list[i] = netif;
            return;
        }
    }
}

struct netif *route_lookup(u32 dst_addr)
{
    for (struct netif **i = netif_list; *i; i++)
        if ((dst_addr & (*i)->netmask) == ((*i)->addr & (*i)->netmask))
            return *i;
    return NULL;
}

bool netif_is_local(u32 addr)
{
    if ((addr >> 24) == 127)
        return true;
    for (struct netif **i = netif_list; *i; i++)
        if ((*i)->addr == addr)
            return true;
    return false;
}

void netif_deliver_pending(void)
{
    if (delivering)
        return; /* an outer call is draining the queue already */
    delivering = true;
    struct list_node *node;
    while ((node = list_pop_front(&loopback_queue))) {
        struct netbuf *nb = list_entry(node, struct netbuf, node);
        list_node_init(&nb->node);
        loopback_netif.rx_packets++;
        loopback_netif.rx_bytes += nb->len;
        nb->netif = &loopback_netif;
        ip_input(nb);
    }
    delivering = false;
}
