/*
 * virtio_blk.h - the virtio block device: QEMU's `-device virtio-blk-pci`.
 *
 * Each disk found on the PCI bus becomes a struct block_device ("vda",
 * "vdb", ...) registered with the block layer (block.h); its read, write and
 * flush operations queue a request on the device's virtqueue and sleep until
 * the device's interrupt says it is done.
 *
 *     request = one descriptor chain:
 *       [header: type, sector] -> [data pages ...] -> [status byte]
 *        device reads              device reads (write)  device writes
 *                                  or writes (read)
 */
#ifndef KERNEL_DRIVERS_VIRTIO_BLK_H
#define KERNEL_DRIVERS_VIRTIO_BLK_H

#include "kernel/drivers/block.h"
#include "kernel/types.h"

#define VIRTIO_BLK_MAJOR 254    /* what Linux's virtio_blk usually gets */
#define VIRTIO_BLK_MAX_DISKS 4  /* vda .. vdd */
#define VIRTIO_BLK_MAX_PAGES 32 /* bigger transfers are split into requests of 128 KiB */

/* Find every virtio-blk device on the PCI bus (after pci_init), set it up and register it.
 * Returns how many disks were found. */
int virtio_blk_init(void);
/* The `index`-th disk found (0 = vda), or NULL: for the in-kernel tests. */
struct block_device *virtio_blk_disk(int index);

/* Requests submitted and not yet completed, over all disks (for tests and /proc). */
u64 virtio_blk_in_flight(const struct block_device *device);

#endif
