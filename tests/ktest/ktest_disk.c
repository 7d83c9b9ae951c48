/*
 * ktest_disk.c - PCI enumeration and the virtio-blk driver.
 *
 * The disk tests need a scratch disk: tests/qemu/test_ktest.sh boots with
 * `tools/run-qemu --disk` on an empty image, and they write anywhere on it.
 */
#include "kernel/drivers/block.h"
#include "kernel/drivers/pci.h"
#include "kernel/drivers/virtio.h"
#include "kernel/drivers/virtio_blk.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/x86.h"
#include "mm/kheap.h"
#include "tests/ktest/ktests.h"

/* QEMU's default machine (i440FX) always has its host bridge at 00:00.0. */
void ktest_pci_finds_host_bridge(struct ktest_context *t)
{
    struct pci_device *bridge = pci_find(0x8086, 0x1237, 0);
    KT_EXPECT(t, bridge != NULL);
    if (!bridge)
        return;
    KT_EXPECT_EQ(t, bridge->bus, 0);
    KT_EXPECT_EQ(t, bridge->slot, 0);
    KT_EXPECT_EQ(t, bridge->class_code, 0x06); /* a bridge */
    KT_EXPECT_EQ(t, pci_read16(bridge, PCI_VENDOR_ID), 0x8086);
    KT_EXPECT(t, pci_find(0x8086, 0x1237, 1) == NULL); /* only one */
    KT_EXPECT(t, pci_device_count() >= 3);
    KT_EXPECT(t, pci_find_capability(bridge, 0x42) == 0); /* no such capability */
}

/* The scratch disk, or a failure that says how to attach one. */
static struct block_device *scratch_disk(struct ktest_context *t)
{
    struct block_device *disk = virtio_blk_disk(0);
    if (!disk) {
        ktest_fail(t, __FILE__, __LINE__, "no virtio disk (boot with tools/run-qemu --disk IMG)");
        return NULL;
    }
    struct pci_device *pci = pci_find(VIRTIO_PCI_VENDOR, VIRTIO_PCI_LEGACY_BLK, 0);
    KT_EXPECT(t, pci && (pci_read16(pci, PCI_COMMAND) & PCI_COMMAND_BUS_MASTER));
    KT_EXPECT(t, strcmp(disk->name, "vda") == 0);
    KT_EXPECT(t, block_find("vda") == disk);
    KT_EXPECT(t, disk->sector_count >= 2048); /* the test writes in the first MiB */
    return disk;
}

static void fill(u8 *buffer, size_t bytes, u32 seed)
{
    for (size_t i = 0; i < bytes; i++)
        buffer[i] = (u8)(seed + i * 7 + (i >> 9));
}

/* What was written is read back, for one sector and for a transfer the driver splits. */
void ktest_virtio_blk_write_read_back(struct ktest_context *t)
{
    struct block_device *disk = scratch_disk(t);
    if (!disk)
        return;
    const u32 sectors = 600; /* 300 KiB: more than one request of VIRTIO_BLK_MAX_PAGES */
    u8 *out = kmalloc(sectors * BLOCK_SECTOR_SIZE + 1);
    u8 *in = kmalloc(sectors * BLOCK_SECTOR_SIZE + 1);
    KT_EXPECT(t, out && in);
    if (!out || !in)
        goto out_free;
    struct block_stats before = disk->stats;
    /* +1: a buffer that starts in the middle of a page crosses more page boundaries. */
    fill(out + 1, sectors * BLOCK_SECTOR_SIZE, 3);
    memset(in + 1, 0, sectors * BLOCK_SECTOR_SIZE);
    KT_EXPECT_EQ(t, disk->ops->write(disk, 100, out + 1, sectors), 0);
    KT_EXPECT_EQ(t, disk->ops->read(disk, 100, in + 1, sectors), 0);
    KT_EXPECT(t, memcmp(in + 1, out + 1, sectors * BLOCK_SECTOR_SIZE) == 0);
    KT_EXPECT(t, disk->stats.writes_completed >= before.writes_completed + 2);
    KT_EXPECT_EQ(t, disk->stats.sectors_written, before.sectors_written + sectors);
    KT_EXPECT_EQ(t, disk->stats.sectors_read, before.sectors_read + sectors);

    /* One sector in the middle, then the neighbours are unchanged. */
    u8 sector[BLOCK_SECTOR_SIZE]; /* on the kernel stack: not in the direct map */
    fill(sector, sizeof sector, 99);
    KT_EXPECT_EQ(t, disk->ops->write(disk, 300, sector, 1), 0);
    KT_EXPECT_EQ(t, disk->ops->read(disk, 299, in, 3), 0);
    KT_EXPECT(t, memcmp(in, out + 1 + 199 * BLOCK_SECTOR_SIZE, BLOCK_SECTOR_SIZE) == 0);
    KT_EXPECT(t, memcmp(in + BLOCK_SECTOR_SIZE, sector, BLOCK_SECTOR_SIZE) == 0);
    KT_EXPECT(t, memcmp(in + 2 * BLOCK_SECTOR_SIZE, out + 1 + 201 * BLOCK_SECTOR_SIZE,
                        BLOCK_SECTOR_SIZE) == 0);
    KT_EXPECT_EQ(t, virtio_blk_in_flight(disk), 0);
out_free:
    kfree(out);
    kfree(in);
}

/* The last sector is readable; one past it, or a range that wraps, is -EINVAL. */
void ktest_virtio_blk_out_of_range(struct ktest_context *t)
{
    struct block_device *disk = scratch_disk(t);
    if (!disk)
        return;
    u8 *buffer = kmalloc(2 * BLOCK_SECTOR_SIZE);
    if (!buffer)
        return;
    u64 end = disk->sector_count;
    u64 reads = disk->stats.reads_completed;
    KT_EXPECT_EQ(t, disk->ops->read(disk, end - 1, buffer, 1), 0);
    KT_EXPECT_EQ(t, disk->ops->read(disk, end, buffer, 1), -EINVAL);
    KT_EXPECT_EQ(t, disk->ops->read(disk, end - 1, buffer, 2), -EINVAL);
    KT_EXPECT_EQ(t, disk->ops->write(disk, end, buffer, 1), -EINVAL);
    KT_EXPECT_EQ(t, disk->ops->read(disk, ~0ull, buffer, 2), -EINVAL); /* sector + count wraps */
    KT_EXPECT_EQ(t, disk->ops->read(disk, 0, NULL, 1), -EINVAL);
    KT_EXPECT_EQ(t, disk->ops->read(disk, 0, (void *)0x1000, 1), -EINVAL); /* a user address */
    KT_EXPECT_EQ(t, disk->stats.reads_completed, reads + 1);               /* only the good one */
    kfree(buffer);
}

/* A flush completes and is counted (QEMU's disk has a write cache). */
void ktest_virtio_blk_flush(struct ktest_context *t)
{
    struct block_device *disk = scratch_disk(t);
    if (!disk)
        return;
    u64 flushes = disk->stats.flushes_completed;
    KT_EXPECT_EQ(t, disk->ops->flush(disk), 0);
    KT_EXPECT_EQ(t, disk->stats.flushes_completed, flushes + 1);
}

/* A queue in RAM with no device behind it: the test plays the device. */
static bool fake_queue_init(struct virtqueue *vq, u16 size)
{
    memset(vq, 0, sizeof *vq);
    vq->size = size;
    vq->desc = kzalloc(sizeof(struct virtq_desc) * size);
    vq->avail = kzalloc(sizeof(struct virtq_avail) + 2 * size + 2);
    vq->used = kzalloc(sizeof(struct virtq_used) + sizeof(struct virtq_used_elem) * size + 2);
    vq->next = kmalloc(sizeof(u16) * size);
    vq->tokens = kzalloc(sizeof(void *) * size);
    if (!vq->desc || !vq->avail || !vq->used || !vq->next || !vq->tokens)
        return false;
    for (u16 i = 0; i < size; i++)
        vq->next[i] = (u16)(i + 1);
    vq->free_count = size;
    return true;
}

static void fake_queue_free(struct virtqueue *vq)
{
    kfree(vq->desc);
    kfree(vq->avail);
    kfree(vq->used);
    kfree(vq->next);
    kfree(vq->tokens);
}

/* The device "uses" entry {id, len}. */
static void device_uses(struct virtqueue *vq, u32 id, u32 len)
{
    vq->used->ring[vq->used->idx % vq->size] = (struct virtq_used_elem){id, len};
    vq->used->idx++;
}

/* The driver believes only used entries that name a chain in flight, once. */
void ktest_virtq_checks_the_device(struct ktest_context *t)
{
    struct virtqueue vq;
    int token_a, token_b;
    u32 length = 0;
    bool broken = false;
    struct virtq_buffer chain[3] = {{0x1000, 16, false}, {0x2000, 512, true}, {0x3000, 1, true}};
    if (!fake_queue_init(&vq, 8)) {
        KT_EXPECT(t, !"out of memory");
        goto out;
    }
    bool irq = irq_save();
    /* Nothing in flight: nothing used, and a used index that moves anyway is refused. */
    KT_EXPECT(t, virtq_next_used(&vq, &length, &broken) == NULL && !broken);
    vq.used->idx = 1;
    KT_EXPECT(t, virtq_next_used(&vq, &length, &broken) == NULL && broken);
    vq.used->idx = 0;
    broken = false;

    int head_a = virtq_submit(&vq, chain, 3, &token_a);
    int head_b = virtq_submit(&vq, chain, 2, &token_b);
    KT_EXPECT_EQ(t, head_a, 0);
    KT_EXPECT_EQ(t, head_b, 3);
    KT_EXPECT_EQ(t, vq.free_count, 3);
    KT_EXPECT_EQ(t, vq.avail->idx, 2);
    KT_EXPECT_EQ(t, vq.desc[0].flags, VIRTQ_DESC_F_NEXT);
    KT_EXPECT_EQ(t, vq.desc[2].flags, VIRTQ_DESC_F_WRITE);
    KT_EXPECT_EQ(t, virtq_submit(&vq, chain, 3, &token_a), 5); /* fits exactly */
    KT_EXPECT_EQ(t, virtq_submit(&vq, chain, 1, &token_a), -ENOSPC);

    device_uses(&vq, 1, 513); /* the middle of chain A, not a head */
    KT_EXPECT(t, virtq_next_used(&vq, &length, &broken) == NULL && broken);
    broken = false;
    vq.used->idx--;
    device_uses(&vq, 99, 0); /* out of range */
    KT_EXPECT(t, virtq_next_used(&vq, &length, &broken) == NULL && broken);
    broken = false;
    vq.used->idx--;

    device_uses(&vq, 3, 1); /* B done: the driver gets its token and the length */
    KT_EXPECT(t, virtq_next_used(&vq, &length, &broken) == &token_b && !broken);
    KT_EXPECT_EQ(t, length, 1);
    KT_EXPECT_EQ(t, vq.free_count, 2);
    device_uses(&vq, 3, 1); /* B again: already finished */
    KT_EXPECT(t, virtq_next_used(&vq, &length, &broken) == NULL && broken);
    irq_restore(irq);
out:
    fake_queue_free(&vq);
}
