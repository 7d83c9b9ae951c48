/*
 * virtio.c - the legacy virtio PCI interface and split virtqueues (see virtio.h).
 *
 * Ordering: x86 keeps stores in program order and the device is another
 * observer of RAM (QEMU reads it like a CPU would), so a compiler barrier
 * between "write the ring entry" and "publish the index" is enough.
 */
#include "kernel/drivers/virtio.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/layout.h"

#define COMPILER_BARRIER() __asm__ volatile("" ::: "memory")

static inline u16 inw(u16 port)
{
    u16 value;
    __asm__ volatile("inw %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

u32 virtio_legacy_begin(u16 io_base)
{
    outb(io_base + VIRTIO_REG_STATUS, 0); /* reset */
    outb(io_base + VIRTIO_REG_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
    outb(io_base + VIRTIO_REG_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    return inl(io_base + VIRTIO_REG_DEVICE_FEATURES);
}

void virtio_legacy_set_features(u16 io_base, u32 features)
{
    outl(io_base + VIRTIO_REG_DRIVER_FEATURES, features);
}

void virtio_legacy_ready(u16 io_base)
{
    outb(io_base + VIRTIO_REG_STATUS,
         VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_DRIVER_OK);
}

void virtio_legacy_fail(u16 io_base)
{
    outb(io_base + VIRTIO_REG_STATUS, inb(io_base + VIRTIO_REG_STATUS) | VIRTIO_STATUS_FAILED);
}

u8 virtio_legacy_isr(u16 io_base) { return inb(io_base + VIRTIO_REG_ISR); }

int virtq_init(struct virtqueue *vq, u16 io_base, u16 index)
{
    outw(io_base + VIRTIO_REG_QUEUE_SELECT, index);
    u16 size = inw(io_base + VIRTIO_REG_QUEUE_SIZE);
    if (size == 0 || size > VIRTQ_MAX_SIZE || (size & (size - 1))) {
        pr_err("virtio: queue %u has size %u; sprout takes powers of two up to %d\n", index, size,
               VIRTQ_MAX_SIZE);
        return -EIO;
    }
    u64 avail_offset = (u64)size * sizeof(struct virtq_desc);
    u64 avail_bytes = sizeof(struct virtq_avail) + 2ul * size + 2; /* + used_event */
    u64 used_offset = ALIGN_UP(avail_offset + avail_bytes, VIRTQ_ALIGN);
    u64 used_bytes = sizeof(struct virtq_used) + sizeof(struct virtq_used_elem) * size + 2;
    u64 pages = ALIGN_UP(used_offset + used_bytes, VIRTQ_ALIGN) / 4096;

    memset(vq, 0, sizeof *vq);
    vq->next = kmalloc(sizeof(u16) * size);
    vq->tokens = kzalloc(sizeof(void *) * size);
    vq->memory = frame_alloc_contiguous(pages); /* zero-filled */
    if (!vq->next || !vq->tokens || !vq->memory) {
        kfree(vq->next);
        kfree(vq->tokens);
        if (vq->memory)
            frame_put_contiguous(vq->memory, pages);
        return -ENOMEM;
    }
    char *base = phys_to_virt(vq->memory);
    vq->index = index;
    vq->size = size;
    vq->io_base = io_base;
    vq->pages = pages;
    vq->desc = (struct virtq_desc *)base;
    vq->avail = (struct virtq_avail *)(base + avail_offset);
    vq->used = (struct virtq_used *)(base + used_offset);
    for (u16 i = 0; i < size; i++)
        vq->next[i] = (u16)(i + 1); /* the last one's `next` is never followed */
    vq->free_head = 0;
    vq->free_count = size;
    outl(io_base + VIRTIO_REG_QUEUE_ADDRESS, (u32)(vq->memory / 4096));
    return 0;
}

int virtq_submit(struct virtqueue *vq, const struct virtq_buffer *buffers, int count, void *token)
{
    ASSERT(!interrupts_enabled());
    ASSERT(token != NULL && count > 0);
    if (count > vq->free_count)
        return -ENOSPC;
    u16 head = vq->free_head, index = head, last = head;
    for (int i = 0; i < count; i++) {
        struct virtq_desc *d = &vq->desc[index];
        d->addr = buffers[i].address;
        d->len = buffers[i].length;
        d->flags = (buffers[i].device_writes ? VIRTQ_DESC_F_WRITE : 0) |
                   (i + 1 < count ? VIRTQ_DESC_F_NEXT : 0);
        d->next = vq->next[index];
        last = index;
        index = vq->next[index];
    }
    vq->free_head = index;
    vq->free_count -= count;
    vq->next[last] = head; /* the driver's copy: a chain's last entry points at its head */
    vq->tokens[head] = token;

    vq->avail->ring[vq->avail->idx & (vq->size - 1)] = head;
    COMPILER_BARRIER(); /* the entry before the index that publishes it */
    vq->avail->idx++;
    return head;
}

void virtq_notify(struct virtqueue *vq)
{
    COMPILER_BARRIER(); /* the ring in RAM before the device is told to look */
    outw(vq->io_base + VIRTIO_REG_QUEUE_NOTIFY, vq->index);
}

/* Give the chain at `head` back to the free list, walking the driver's copy. */
static void free_chain(struct virtqueue *vq, u16 head)
{
    u16 index = head;
    u16 count = 1;
    while (vq->next[index] != head) {
        index = vq->next[index];
        count++;
    }
    vq->next[index] = vq->free_head; /* the chain goes in front of the free list */
    vq->free_head = head;
    vq->free_count += count;
    vq->tokens[head] = NULL;
}

void *virtq_next_used(struct virtqueue *vq, u32 *length, bool *broken)
{
    ASSERT(!interrupts_enabled());
    u16 used_index = *(volatile u16 *)&vq->used->idx;
    if (used_index == vq->last_used)
        return NULL;
    u16 in_flight = vq->size - vq->free_count;
    if ((u16)(used_index - vq->last_used) > in_flight) {
        pr_err("virtio: queue %u: device says %u used, only %u in flight\n", vq->index,
               (u16)(used_index - vq->last_used), in_flight);
        *broken = true;
        return NULL;
    }
    COMPILER_BARRIER(); /* read the entry only after seeing the index */
    struct virtq_used_elem elem = vq->used->ring[vq->last_used & (vq->size - 1)];
    if (elem.id >= vq->size || !vq->tokens[elem.id]) {
        pr_err("virtio: queue %u: device used id %u, which is not a request in flight\n", vq->index,
               elem.id);
        *broken = true;
        return NULL;
    }
    vq->last_used++;
    void *token = vq->tokens[elem.id];
    free_chain(vq, (u16)elem.id);
    *length = elem.len;
    return token;
}
