/*
 * virtio.h - virtio devices over PCI (the legacy interface) and split virtqueues.
 *
 * A virtio device (QEMU's virtio-blk, virtio-net...) and its driver talk
 * through queues in guest RAM that both sides read and write: the driver
 * puts requests in, the device DMAs the data and puts completions back, and
 * an interrupt says "I used some".  sprout speaks the legacy ("0.9.5")
 * interface, which QEMU's transitional devices still offer: all registers are
 * I/O ports in BAR0, so no MMIO mapping is needed, and a queue is one block of
 * memory at an address given as a page number.  (The modern interface puts
 * the same registers in memory BARs found through vendor capabilities; the
 * rings are the same.)
 *
 *     BAR0 (I/O ports), legacy layout without MSI-X
 *     0x00 device features (32, read)     0x04 driver features (32, write)
 *     0x08 queue address: page number (32) 0x0c queue size (16, read)
 *     0x0e queue select (16)               0x10 queue notify (16, write)
 *     0x12 device status (8)               0x13 ISR status (8, reading clears it)
 *     0x14 device-specific configuration (virtio-blk: capacity, ...)
 *
 * One split virtqueue of `size` entries (a power of two), in one block:
 *
 *     +-------------------------------+  queue address (page aligned)
 *     | descriptor table: size x 16 B |  {addr, len, flags, next}: buffers
 *     +-------------------------------+
 *     | available ring                |  {flags, idx, ring[size]}: driver -> device,
 *     |                               |  heads of chains the device may use
 *     +-------------------------------+  (padding to the next 4 KiB)
 *     | used ring                     |  {flags, idx, ring[size] of {id, len}}:
 *     |                               |  device -> driver, chains it finished
 *     +-------------------------------+
 *
 * A request is a chain of descriptors linked by `next`; the driver writes the
 * head's index into the available ring and bumps avail->idx, then writes the
 * queue's number to the notify register.  The device answers by writing
 * {head, bytes it wrote} into the used ring and bumping used->idx.
 */
#ifndef KERNEL_DRIVERS_VIRTIO_H
#define KERNEL_DRIVERS_VIRTIO_H

#include "kernel/drivers/pci.h"
#include "kernel/types.h"

#define VIRTIO_PCI_VENDOR 0x1af4
#define VIRTIO_PCI_LEGACY_BLK 0x1001 /* transitional virtio-blk (subsystem id 2) */

/* Legacy register offsets in BAR0. */
#define VIRTIO_REG_DEVICE_FEATURES 0x00
#define VIRTIO_REG_DRIVER_FEATURES 0x04
#define VIRTIO_REG_QUEUE_ADDRESS 0x08
#define VIRTIO_REG_QUEUE_SIZE 0x0c
#define VIRTIO_REG_QUEUE_SELECT 0x0e
#define VIRTIO_REG_QUEUE_NOTIFY 0x10
#define VIRTIO_REG_STATUS 0x12
#define VIRTIO_REG_ISR 0x13
#define VIRTIO_REG_CONFIG 0x14

/* Device status bits: the handshake, in this order. */
#define VIRTIO_STATUS_ACKNOWLEDGE 1 /* the OS saw the device */
#define VIRTIO_STATUS_DRIVER 2      /* and has a driver for it */
#define VIRTIO_STATUS_DRIVER_OK 4   /* the driver is ready: queues set up */
#define VIRTIO_STATUS_FAILED 128    /* the driver gave up */

#define VIRTQ_DESC_F_NEXT 1  /* the chain continues at `next` */
#define VIRTQ_DESC_F_WRITE 2 /* the device writes this buffer (else it reads it) */

#define VIRTQ_MAX_SIZE 1024 /* sprout refuses bigger queues (memory) */
#define VIRTQ_ALIGN 4096    /* the legacy interface's alignment of the used ring */

struct virtq_desc {
    u64 addr; /* physical address of the buffer */
    u32 len;
    u16 flags;
    u16 next;
};

struct virtq_avail {
    u16 flags;
    u16 idx; /* where the driver will put the next entry (mod size), counting forever */
    u16 ring[];
};

struct virtq_used_elem {
    u32 id;  /* head of the finished chain */
    u32 len; /* bytes the device wrote into the chain's WRITE buffers */
};

struct virtq_used {
    u16 flags;
    u16 idx;
    struct virtq_used_elem ring[];
};

struct virtqueue {
    u16 index; /* the queue's number on its device */
    u16 size;  /* entries: a power of two */
    u16 io_base;
    struct virtq_desc *desc;
    struct virtq_avail *avail;
    struct virtq_used *used;
    phys_addr_t memory; /* the block holding all three */
    u64 pages;
    /* Driver-side bookkeeping (callers hold interrupts off around these): */
    u16 free_head; /* first free descriptor, chained through `next` */
    u16 free_count;
    u16 last_used; /* used->idx as far as the driver has consumed it */
    /* The driver's own copy of each chain, so a device that scribbles on the
     * descriptor table cannot corrupt the free list: */
    u16 *next;     /* next[i]: the descriptor after i in its chain or the free list */
    void **tokens; /* tokens[head]: the caller's request for an in-flight chain, else NULL */
};

/* One chain to submit: `count` buffers, each physical, with READ or WRITE direction. */
struct virtq_buffer {
    phys_addr_t address;
    u32 length;
    bool device_writes;
};

/* Reset the device and say hello (ACKNOWLEDGE | DRIVER).  Returns the device's features. */
u32 virtio_legacy_begin(u16 io_base);
/* Accept `features` (a subset of what the device offered). */
void virtio_legacy_set_features(u16 io_base, u32 features);
/* Set DRIVER_OK: the device may start using the queues. */
void virtio_legacy_ready(u16 io_base);
/* Tell the device the driver failed. */
void virtio_legacy_fail(u16 io_base);
/* Read and clear the interrupt status (bit 0: a queue was used; bit 1: configuration). */
u8 virtio_legacy_isr(u16 io_base);

/*
 * Allocate queue `index` of the device at `io_base` (its size is the
 * device's), hand it to the device.  0 or -ENOMEM / -EIO (no such queue, or a
 * size sprout will not take).  Call before virtio_legacy_ready().
 */
int virtq_init(struct virtqueue *vq, u16 io_base, u16 index);
/*
 * Put a chain of `count` buffers into the available ring (not yet notified);
 * `token` (not NULL) comes back from virtq_next_used when the device is done.
 * Returns the chain's head, or -ENOSPC if fewer than `count` descriptors are
 * free.  Interrupts must be off.
 */
int virtq_submit(struct virtqueue *vq, const struct virtq_buffer *buffers, int count, void *token);
/* Tell the device there are new entries. */
void virtq_notify(struct virtqueue *vq);
/*
 * The next chain the device finished: its token, with *length set to the
 * bytes the device says it wrote, and the chain's descriptors freed.  NULL
 * when there is none.  The device's answer is checked: a used index more than
 * `size` ahead, or an id that is not the head of an in-flight chain, is
 * logged and sets *broken (the queue is then unusable).  Interrupts off.
 */
void *virtq_next_used(struct virtqueue *vq, u32 *length, bool *broken);

#endif
