/*
 * ethernet.c - eth0: IP datagrams in Ethernet frames, and ARP to learn which
 * hardware address has which IP address (RFC 826).
 *
 *   Ethernet header (14 bytes): destination MAC (6), source MAC (6), type (2)
 *   type 0x0800: an IPv4 datagram follows; 0x0806: an ARP message
 *
 *   ARP message (28 bytes for IPv4 over Ethernet):
 *   hardware type 1, protocol 0x0800, lengths 6 and 4, operation (1 request,
 *   2 reply), sender MAC, sender IP, target MAC, target IP
 *
 * Sending to an IP address whose MAC is unknown asks for it with a broadcast
 * request and keeps the datagram (one per address) until the reply comes.
 */
#include "kernel/net/inet/ethernet.h"
#include "kernel/net/inet/ip.h"
#include "kernel/net/inet/net_env.h"
#include "kernel/net/inet/netbuf.h"
#include "kernel/net/inet/netif.h"

#define ETH_HEADER_LEN ETHERNET_HEADER_LEN
#define ETH_TYPE_IPV4 0x0800
#define ETH_TYPE_ARP 0x0806
#define ARP_LEN 28
#define ARP_REQUEST 1
#define ARP_REPLY 2
#define ARP_ENTRIES 16

struct arp_entry {
    u32 addr; /* 0: free */
    u8 mac[6];
    bool resolved;
    struct netbuf *waiting; /* a datagram waiting for the reply */
};

static struct arp_entry arp_table[ARP_ENTRIES];
static const struct ethernet_card *card;
static const u8 broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static int ethernet_transmit(struct netif *netif, struct netbuf *nb);

struct netif eth0_netif = {
    .name = "eth0",
    .up = true,
    .addr = ETH0_ADDR,
    .netmask = ETH0_NETMASK,
    .mtu = 1500,
    .transmit = ethernet_transmit,
};

/* Put an Ethernet header in front of nb and hand it to the card; frees nb. */
static void ethernet_send(struct netbuf *nb, const u8 *to, u16 type)
{
    u8 *h = netbuf_push(nb, ETH_HEADER_LEN);
    if (h) {
        memcpy(h, to, 6);
        memcpy(h + 6, card->mac, 6);
        put_be16(h + 12, type);
    }
    if (!h || card->transmit(h, nb->len) != 0) {
        eth0_netif.tx_dropped++; /* a full ring drops the frame, as a busy card would */
    } else {
        eth0_netif.tx_packets++;
        eth0_netif.tx_bytes += nb->len;
    }
    netbuf_free(nb); /* the card has its own copy */
}

static void arp_send(u16 operation, const u8 *to_mac, u32 to_addr)
{
    struct netbuf *nb = netbuf_alloc(NETBUF_HEADROOM, ARP_LEN);
    if (!nb)
        return;
    u8 *a = netbuf_put(nb, ARP_LEN);
    put_be16(a, 1);
    put_be16(a + 2, ETH_TYPE_IPV4);
    a[4] = 6;
    a[5] = 4;
    put_be16(a + 6, operation);
    memcpy(a + 8, card->mac, 6);
    put_be32(a + 14, eth0_netif.addr);
    memcpy(a + 18, operation == ARP_REQUEST ? (const u8 *)"\0\0\0\0\0\0" : to_mac, 6);
    put_be32(a + 24, to_addr);
    ethernet_send(nb, operation == ARP_REQUEST ? broadcast : to_mac, ETH_TYPE_ARP);
}

static struct arp_entry *arp_find(u32 addr, bool create)
{
    struct arp_entry *free_entry = NULL;
    for (int i = 0; i < ARP_ENTRIES; i++) {
        if (arp_table[i].addr == addr)
            return &arp_table[i];
        if (!arp_table[i].addr && !free_entry)
            free_entry = &arp_table[i];
    }
    if (!create)
        return NULL;
    if (!free_entry) {
        free_entry = &arp_table[addr % ARP_ENTRIES]; /* full: forget one */
        netbuf_free(free_entry->waiting);
    }
    *free_entry = (struct arp_entry){.addr = addr};
    return free_entry;
}

static int ethernet_transmit(struct netif *netif, struct netbuf *nb)
{
    u32 next_hop = get_be32(nb->data + 16); /* on-link only: the destination itself */
    struct arp_entry *entry = arp_find(next_hop, true);
    if (entry->resolved) {
        ethernet_send(nb, entry->mac, ETH_TYPE_IPV4);
        return 0;
    }
    netbuf_free(entry->waiting); /* keep the newest; TCP resends the others */
    entry->waiting = nb;
    arp_send(ARP_REQUEST, NULL, next_hop);
    return 0;
}

static void arp_input(const u8 *a, u32 len)
{
    if (len < ARP_LEN || get_be16(a) != 1 || get_be16(a + 2) != ETH_TYPE_IPV4 || a[4] != 6 ||
        a[5] != 4) {
        eth0_netif.rx_dropped++;
        return;
    }
    u16 operation = get_be16(a + 6);
    u32 sender = get_be32(a + 14), target = get_be32(a + 24);
    if (target != eth0_netif.addr)
        return; /* about someone else */
    struct arp_entry *entry = arp_find(sender, true);
    memcpy(entry->mac, a + 8, 6);
    entry->resolved = true;
    if (entry->waiting) {
        struct netbuf *nb = entry->waiting;
        entry->waiting = NULL;
        ethernet_send(nb, entry->mac, ETH_TYPE_IPV4);
    }
    if (operation == ARP_REQUEST)
        arp_send(ARP_REPLY, a + 8, sender);
}

void ethernet_input(const u8 *frame, u32 len)
{
    if (!card)
        return;
    eth0_netif.rx_packets++;
    eth0_netif.rx_bytes += len;
    if (len < ETH_HEADER_LEN || len > ETHERNET_MAX_FRAME_LEN ||
        (memcmp(frame, card->mac, 6) != 0 && memcmp(frame, broadcast, 6) != 0)) {
        eth0_netif.rx_dropped++;
        return;
    }
    u16 type = get_be16(frame + 12);
    if (type == ETH_TYPE_ARP) {
        arp_input(frame + ETH_HEADER_LEN, len - ETH_HEADER_LEN);
        return;
    }
    if (type != ETH_TYPE_IPV4) {
        eth0_netif.rx_dropped++;
        return;
    }
    struct netbuf *nb = netbuf_from_bytes(frame + ETH_HEADER_LEN, len - ETH_HEADER_LEN);
    if (!nb) {
        eth0_netif.rx_dropped++;
        return;
    }
    nb->netif = &eth0_netif;
    ip_input(nb);
    netif_deliver_pending();
}

void ethernet_attach(const struct ethernet_card *new_card)
{
    card = new_card;
    memcpy(eth0_netif.hwaddr, card->mac, sizeof eth0_netif.hwaddr);
    netif_register(&eth0_netif);
}
