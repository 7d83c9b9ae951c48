/*
 * virtio_net.h - QEMU's virtio network card (legacy virtio over PCI).
 *
 * Why virtio-net and not an emulated e1000: it shares the PCI and virtqueue
 * code with the disk (kernel/drivers/virtio.c), its registers are a handful
 * of I/O ports, and sending a frame is "put a buffer in a ring" -- the same
 * idea as the disk, so a student reads one mechanism twice.  An e1000 driver
 * is longer (descriptor rings with device-specific registers, EEPROM, PHY)
 * and teaches little more about networking.
 *
 * The driver moves whole Ethernet frames; it knows nothing of IP.  The
 * network stack registers a receive hook (kernel/net/inet/ethernet.c).
 */
#ifndef KERNEL_DRIVERS_VIRTIO_NET_H
#define KERNEL_DRIVERS_VIRTIO_NET_H

#include "kernel/types.h"

#define VIRTIO_PCI_LEGACY_NET 0x1000 /* transitional virtio-net (subsystem id 1) */
#define ETHERNET_MAX_FRAME 1514      /* header 14 + 1500 payload, no CRC */

/* Probe the PCI bus at boot; true if a card is ready. */
bool virtio_net_init(void);
bool virtio_net_present(void);
/* The card's hardware (MAC) address. */
void virtio_net_mac(u8 mac[6]);
/* Send one frame (copied; len <= ETHERNET_MAX_FRAME).  0, -EAGAIN (ring
 * full: the frame is dropped, TCP resends), -EINVAL, -ENODEV.  Interrupts off. */
int virtio_net_transmit(const void *frame, u32 len);
/* Called from the card's interrupt, interrupts off, for each received frame. */
extern void (*virtio_net_receive_hook)(const u8 *frame, u32 len);

#endif
