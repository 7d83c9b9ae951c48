/*
 * virtio_net.c - the virtio network card: queue 0 receives, queue 1 sends.
 *
 * Every frame in either direction is preceded by a 10-byte virtio_net_hdr
 * (offloads; all zero here since sprout negotiates none).  The receive queue
 * is kept full of empty page-sized buffers; the card fills one per frame and
 * interrupts; the handler hands the frame up and gives the buffer back.
 * Sending copies the frame into one of a fixed set of pages and submits it;
 * finished sends are collected at the next send or interrupt.
 */
#include "kernel/drivers/virtio_net.h"
#include "kernel/drivers/pci.h"
#include "kernel/drivers/virtio.h"
#include "kernel/errno.h"
#include "kernel/interrupts.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "mm/frame.h"
#include "mm/layout.h"

#define VIRTIO_NET_F_MAC (1u << 5) /* the MAC address is in the configuration space */
#define VIRTIO_NET_CONFIG_MAC VIRTIO_REG_CONFIG
#define VIRTIO_NET_HEADER_LEN 10 /* legacy header without merged receive buffers */
#define RX_BUFFERS 32
#define TX_BUFFERS 32

struct net_buffer {
    phys_addr_t phys;
    u8 *bytes; /* one page: header then frame */
    bool busy; /* a transmit buffer in the card's hands */
};

static struct {
    bool present;
    u16 io_base;
    u8 irq;
    u8 mac[6];
    struct virtqueue rx, tx;
    struct net_buffer rx_buffers[RX_BUFFERS], tx_buffers[TX_BUFFERS];
    u64 rx_frames, tx_frames, tx_ring_full;
} card;

void (*virtio_net_receive_hook)(const u8 *frame, u32 len);

bool virtio_net_present(void) { return card.present; }
void virtio_net_mac(u8 mac[6]) { memcpy(mac, card.mac, 6); }

static bool buffer_alloc(struct net_buffer *buffer)
{
    buffer->phys = frame_alloc();
    if (!buffer->phys)
        return false;
    buffer->bytes = phys_to_virt(buffer->phys);
    return true;
}

static void rx_post(struct net_buffer *buffer)
{
    struct virtq_buffer chain = {buffer->phys, 4096, true};
    virtq_submit(&card.rx, &chain, 1, buffer);
}

/* Collect finished sends: their pages can be used again. */
static void tx_reap(void)
{
    u32 length;
    bool broken = false;
    struct net_buffer *buffer;
    while ((buffer = virtq_next_used(&card.tx, &length, &broken)))
        buffer->busy = false;
    if (broken)
        card.present = false;
}

int virtio_net_transmit(const void *frame, u32 len)
{
    if (!card.present)
        return -ENODEV;
    if (len < 14 || len > ETHERNET_MAX_FRAME)
        return -EINVAL;
    tx_reap();
    struct net_buffer *buffer = NULL;
    for (int i = 0; i < TX_BUFFERS && !buffer; i++)
        if (!card.tx_buffers[i].busy)
            buffer = &card.tx_buffers[i];
    if (!buffer) {
        card.tx_ring_full++;
        return -EAGAIN;
    }
    memset(buffer->bytes, 0, VIRTIO_NET_HEADER_LEN);
    memcpy(buffer->bytes + VIRTIO_NET_HEADER_LEN, frame, len);
    struct virtq_buffer chain = {buffer->phys, VIRTIO_NET_HEADER_LEN + len, false};
    if (virtq_submit(&card.tx, &chain, 1, buffer) < 0) {
        card.tx_ring_full++;
        return -EAGAIN;
    }
    buffer->busy = true;
    card.tx_frames++;
    virtq_notify(&card.tx);
    return 0;
}

static void virtio_net_interrupt(struct trap_frame *frame)
{
    if (!card.present || card.irq != frame->vector - IRQ_BASE ||
        !(virtio_legacy_isr(card.io_base) & 1))
        return; /* the line is shared (the disk): not ours */
    u32 length;
    bool broken = false;
    struct net_buffer *buffer;
    int reposted = 0;
    while ((buffer = virtq_next_used(&card.rx, &length, &broken))) {
        /* The card says how much it wrote; believe it only within the page. */
        if (length > VIRTIO_NET_HEADER_LEN && length <= 4096 && virtio_net_receive_hook) {
            card.rx_frames++;
            virtio_net_receive_hook(buffer->bytes + VIRTIO_NET_HEADER_LEN,
                                    length - VIRTIO_NET_HEADER_LEN);
        }
        rx_post(buffer);
        reposted++;
    }
    if (reposted)
        virtq_notify(&card.rx);
    tx_reap();
    if (broken)
        card.present = false;
}

bool virtio_net_init(void)
{
    struct pci_device *pci = pci_find(VIRTIO_PCI_VENDOR, VIRTIO_PCI_LEGACY_NET, 0);
    if (!pci)
        return false;
    struct pci_bar *bar = &pci->bars[0];
    if (!bar->is_io || bar->base == 0 || bar->base > 0xffff || pci->irq_pin == 0 ||
        pci->irq_line >= NR_IRQS) {
        pr_err("virtio-net: BAR0 is not I/O ports, or no interrupt line\n");
        return false;
    }
    card.io_base = (u16)bar->base;
    card.irq = pci->irq_line;
    pci_enable(pci);
    u32 features = virtio_legacy_begin(card.io_base);
    virtio_legacy_set_features(card.io_base, features & VIRTIO_NET_F_MAC);
    if (virtq_init(&card.rx, card.io_base, 0) || virtq_init(&card.tx, card.io_base, 1)) {
        virtio_legacy_fail(card.io_base);
        return false;
    }
    for (int i = 0; i < 6; i++)
        card.mac[i] = features & VIRTIO_NET_F_MAC ? inb(card.io_base + VIRTIO_NET_CONFIG_MAC + i)
                                                  : (u8)(i == 0   ? 0x52
                                                         : i == 5 ? 0x56
                                                                  : 0);
    for (int i = 0; i < RX_BUFFERS; i++) {
        if (!buffer_alloc(&card.rx_buffers[i]) || !buffer_alloc(&card.tx_buffers[i])) {
            virtio_legacy_fail(card.io_base);
            return false;
        }
    }
    bool irq = irq_save();
    for (int i = 0; i < RX_BUFFERS; i++)
        rx_post(&card.rx_buffers[i]);
    card.present = true;
    irq_restore(irq);
    irq_register(card.irq, virtio_net_interrupt);
    virtio_legacy_ready(card.io_base);
    virtq_notify(&card.rx);
    pr_info("eth0: virtio-net at %02x:%02x.%x, ports %#x, irq %u, MAC "
            "%02x:%02x:%02x:%02x:%02x:%02x\n",
            pci->bus, pci->slot, pci->function, card.io_base, card.irq, card.mac[0], card.mac[1],
            card.mac[2], card.mac[3], card.mac[4], card.mac[5]);
    return true;
}
