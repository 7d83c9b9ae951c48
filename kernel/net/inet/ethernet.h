/*
 * ethernet.h - eth0: IPv4 over an Ethernet card, with ARP.
 *
 * sprout's address on QEMU's user network is fixed, as QEMU's built-in DHCP
 * server would hand it out: 10.0.2.15/24, the host being 10.0.2.2.  There is
 * no default route: sprout only talks to its own subnet, and QEMU runs with
 * restrict=on, so nothing leaves this machine.
 */
#ifndef KERNEL_NET_INET_ETHERNET_H
#define KERNEL_NET_INET_ETHERNET_H

#include "kernel/net/inet/netif.h"
#include "kernel/types.h"

#define ETH0_ADDR 0x0a00020f    /* 10.0.2.15 */
#define ETH0_NETMASK 0xffffff00 /* /24 */

#define ETHERNET_HEADER_LEN 14
#define ETHERNET_MAX_FRAME_LEN 1514 /* header + 1500, without the CRC */

/* What eth0 needs from a card driver (virtio-net, or a test's fake card). */
struct ethernet_card {
    u8 mac[6];
    /* Send one frame (the driver copies it).  0 or -errno; interrupts off. */
    int (*transmit)(const void *frame, u32 len);
};

/* Bring up eth0 on `card` (boot, once a driver found its card). */
void ethernet_attach(const struct ethernet_card *card);
/* A received frame (from the card's interrupt; interrupts off).  Anything
 * malformed or not for us is dropped and counted in eth0's rx_dropped. */
void ethernet_input(const u8 *frame, u32 len);

extern struct netif eth0_netif;

#endif
