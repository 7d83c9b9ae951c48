/*
 * virtio_blk.c - the virtio block driver (see virtio_blk.h and virtio.h).
 *
 * The request path, for a read of `count` sectors into `buffer`:
 *
 *   virtio_blk_read                       (a process, or the boot thread)
 *     check the range, split into pieces of at most VIRTIO_BLK_MAX_PAGES
 *     transfer(): build the chain [header][data...][status],
 *                 wait for free descriptors, virtq_submit, virtq_notify,
 *                 sleep until request->done
 *   ... the device DMAs the data and raises its interrupt ...
 *   virtio_blk_interrupt                  (IRQ, interrupts off)
 *     read the ISR (acknowledges the interrupt), then for every used entry:
 *     check it (the id is a request in flight, the length is what that request
 *     allows), set request->error, count it, wake the sleeper
 *
 * Everything shared between the two halves is touched with interrupts off
 * (one CPU: that is the lock).
 */
#include "kernel/drivers/virtio_blk.h"
#include "kernel/drivers/pci.h"
#include "kernel/drivers/virtio.h"
#include "kernel/errno.h"
#include "kernel/interrupts.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/timer.h"
#include "kernel/x86.h"
#include "mm/kheap.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "proc/proc.h"
#include "sched/wait.h"

/* Request types and status values (virtio spec, 5.2.6). */
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_S_OK 0

/* Feature bits sprout understands. */
#define VIRTIO_BLK_F_RO (1u << 5) /* the disk is read-only */
#define VIRTIO_BLK_F_FLUSH                                                                         \
    (1u << 9) /* the device has a write cache: FLUSH makes writes durable                          \
               */

/* virtio-blk's configuration: the capacity in 512-byte sectors comes first. */
#define VIRTIO_BLK_CONFIG_CAPACITY (VIRTIO_REG_CONFIG + 0)

struct virtio_blk_header {
    u32 type;
    u32 reserved;
    u64 sector;
};

struct blk_request {
    struct virtio_blk_header header; /* read by the device */
    u8 status;                       /* written by the device */
    /* interrupts off: */
    bool done;
    int error;
    u32 length_allowed; /* bytes the device may write: data for a read, + 1 for status */
    u32 sectors;
    u64 start_ns;
    struct wait_queue wait;
};

struct virtio_blk {
    struct block_device block;
    struct pci_device *pci;
    u16 io_base;
    u8 irq;
    bool has_flush;
    /* interrupts off: */
    bool broken; /* the device answered nonsense: every request fails */
    u64 in_flight;
    struct virtqueue queue;
    struct wait_queue descriptors; /* callers waiting for free descriptors */
};

static struct virtio_blk disks[VIRTIO_BLK_MAX_DISKS];
static int disk_count;

/* --- completion (interrupt side) ------------------------------------------- */

static void finish(struct virtio_blk *disk, struct blk_request *request, int error)
{
    u64 ms = (uptime_ns() - request->start_ns) / 1000000;
    struct block_stats *stats = &disk->block.stats;
    request->error = error;
    if (!error) {
        switch (request->header.type) {
        case VIRTIO_BLK_T_IN:
            stats->reads_completed++;
            stats->sectors_read += request->sectors;
            stats->read_ticks_ms += ms;
            break;
        case VIRTIO_BLK_T_OUT:
            stats->writes_completed++;
            stats->sectors_written += request->sectors;
            stats->write_ticks_ms += ms;
            break;
        default:
            stats->flushes_completed++;
        }
    }
    disk->in_flight--;
    request->done = true;
    wake_up(&request->wait);
}

/* Fail everything in flight: the queue cannot be trusted any more. */
static void give_up(struct virtio_blk *disk)
{
    if (!disk->broken)
        pr_err("%s: the device broke the virtio protocol; every request fails from now on\n",
               disk->block.name);
    disk->broken = true;
    for (u16 i = 0; i < disk->queue.size; i++) {
        struct blk_request *request = disk->queue.tokens[i];
        if (request) {
            disk->queue.tokens[i] = NULL; /* its descriptors are never reused */
            finish(disk, request, -EIO);
        }
    }
    wake_up(&disk->descriptors);
}

static void process_used(struct virtio_blk *disk)
{
    struct blk_request *request;
    u32 length;
    bool broken = false;
    while ((request = virtq_next_used(&disk->queue, &length, &broken))) {
        int error = 0;
        if (length > request->length_allowed ||
            (request->header.type == VIRTIO_BLK_T_IN && length != request->length_allowed)) {
            pr_err("%s: the device says it wrote %u bytes for a request that takes %u\n",
                   disk->block.name, length, request->length_allowed);
            error = -EIO;
        } else if (request->status != VIRTIO_BLK_S_OK) {
            pr_err("%s: I/O error (status %u), sector %lu\n", disk->block.name, request->status,
                   request->header.sector);
            error = -EIO;
        }
        finish(disk, request, error);
        wake_up(&disk->descriptors);
    }
    if (broken)
        give_up(disk);
}

static void virtio_blk_interrupt(struct trap_frame *frame)
{
    for (int i = 0; i < disk_count; i++) {
        struct virtio_blk *disk = &disks[i];
        /* Reading the ISR lowers the line; disks may share one IRQ, so ask each. */
        if (disk->irq == frame->vector - IRQ_BASE && (virtio_legacy_isr(disk->io_base) & 1))
            process_used(disk);
    }
}

/* --- submission (caller side) ---------------------------------------------- */

/* The physical address of kernel address `address` (direct map, image or kernel stack). */
static bool kernel_phys(const void *address, phys_addr_t *phys)
{
    u64 va = (u64)address;
    if (va >= KERNEL_VMA || (va >= DIRECT_MAP_BASE && va < KSTACK_AREA_BASE)) {
        *phys = virt_to_phys(address);
        return true;
    }
    u64 flags;
    if (!pagetable_translate(read_cr3(), ALIGN_DOWN(va, 4096), phys, &flags))
        return false;
    *phys += PAGE_OFFSET(va);
    return true;
}

/*
 * Cut [buffer, buffer+bytes) into physically contiguous pieces, after the
 * header at buffers[0].  Returns how many entries of buffers[] are used, or
 * -EINVAL for an address that is not mapped kernel memory.
 */
static int map_data(struct virtq_buffer *buffers, const void *buffer, u32 bytes, bool device_writes)
{
    int count = 1;
    const char *p = buffer;
    while (bytes > 0) {
        phys_addr_t phys;
        if (is_user_address((u64)p) || !kernel_phys(p, &phys))
            return -EINVAL;
        u32 piece = MIN(bytes, (u32)(4096 - PAGE_OFFSET(p)));
        struct virtq_buffer *last = &buffers[count - 1];
        if (count > 1 && last->address + last->length == phys) {
            last->length += piece; /* adjacent in RAM too: one descriptor */
        } else {
            buffers[count++] = (struct virtq_buffer){phys, piece, device_writes};
        }
        p += piece;
        bytes -= piece;
    }
    return count;
}

/* Wait for the next completion on `wq`.  Interrupts off, and off again on return. */
static void wait_once(struct wait_queue *wq)
{
    if (current && current->pid != 0) {
        sleep_on_uninterruptible(wq, "virtio_blk");
    } else {
        /* The boot thread (mounting root, the in-kernel tests) cannot block:
         * halt until the next interrupt instead (sti;hlt loses no wakeup). */
        sti_hlt();
        cli();
    }
}

/* One request: `sectors` sectors at `sector` (a read, a write or a flush). */
static int transfer(struct virtio_blk *disk, u32 type, u64 sector, void *buffer, u32 sectors)
{
    struct blk_request *request = kzalloc(sizeof *request);
    struct virtq_buffer chain[VIRTIO_BLK_MAX_PAGES + 3];
    if (!request)
        return -ENOMEM;
    request->header.type = type;
    request->header.sector = sector;
    request->sectors = sectors;
    wait_queue_init(&request->wait);
    u32 bytes = sectors * BLOCK_SECTOR_SIZE;
    bool device_writes = type == VIRTIO_BLK_T_IN;
    chain[0] = (struct virtq_buffer){virt_to_phys(&request->header), sizeof request->header, false};
    int count = map_data(chain, buffer, bytes, device_writes);
    if (count < 0) {
        kfree(request);
        return count;
    }
    chain[count++] = (struct virtq_buffer){virt_to_phys(&request->status), 1, true};
    request->status = 0xff; /* a device that never writes it does not look like success */
    request->length_allowed = (device_writes ? bytes : 0) + 1;

    bool irq = irq_save();
    int head;
    while (!disk->broken && (head = virtq_submit(&disk->queue, chain, count, request)) == -ENOSPC) {
        wait_once(&disk->descriptors); /* any completion frees some; then try again */
    }
    int error;
    if (disk->broken) {
        error = -EIO;
    } else {
        disk->in_flight++;
        request->start_ns = uptime_ns();
        virtq_notify(&disk->queue);
        while (!*(volatile bool *)&request->done)
            wait_once(&request->wait);
        error = request->error;
    }
    irq_restore(irq);
    kfree(request);
    return error;
}

static int check_range(struct block_device *device, u64 sector, const void *buffer, u32 count)
{
    if (!buffer || sector > device->sector_count || count > device->sector_count - sector)
        return -EINVAL;
    return 0;
}

static int read_or_write(struct block_device *device, u32 type, u64 sector, void *buffer, u32 count)
{
    struct virtio_blk *disk = device->driver_data;
    int error = check_range(device, sector, buffer, count);
    const u32 per_request = VIRTIO_BLK_MAX_PAGES * 4096 / BLOCK_SECTOR_SIZE;
    while (!error && count > 0) {
        u32 piece = MIN(count, per_request);
        error = transfer(disk, type, sector, buffer, piece);
        sector += piece;
        buffer = (char *)buffer + piece * BLOCK_SECTOR_SIZE;
        count -= piece;
    }
    return error;
}

static int virtio_blk_read(struct block_device *device, u64 sector, void *buffer, u32 count)
{
    return read_or_write(device, VIRTIO_BLK_T_IN, sector, buffer, count);
}

static int virtio_blk_write(struct block_device *device, u64 sector, const void *buffer, u32 count)
{
    if (device->read_only)
        return -EROFS;
    return read_or_write(device, VIRTIO_BLK_T_OUT, sector, (void *)buffer, count);
}

static int virtio_blk_flush(struct block_device *device)
{
    struct virtio_blk *disk = device->driver_data;
    if (!disk->has_flush)
        return 0; /* no write cache: every completed write is already durable */
    return transfer(disk, VIRTIO_BLK_T_FLUSH, 0, NULL, 0);
}

static const struct block_operations virtio_blk_operations = {
    .read = virtio_blk_read,
    .write = virtio_blk_write,
    .flush = virtio_blk_flush,
};

/* --- probing --------------------------------------------------------------- */

static int probe(struct virtio_blk *disk, struct pci_device *pci, int index)
{
    struct pci_bar *bar = &pci->bars[0];
    if (!bar->is_io || bar->base == 0 || bar->base > 0xffff) {
        pr_err("virtio-blk %02x:%02x.%x: BAR0 is not an I/O port range\n", pci->bus, pci->slot,
               pci->function);
        return -ENODEV;
    }
    if (pci->irq_pin == 0 || pci->irq_line >= NR_IRQS) {
        pr_err("virtio-blk %02x:%02x.%x: no legacy interrupt line\n", pci->bus, pci->slot,
               pci->function);
        return -ENODEV;
    }
    disk->pci = pci;
    disk->io_base = (u16)bar->base;
    disk->irq = pci->irq_line;
    pci_enable(pci);
    u32 features = virtio_legacy_begin(disk->io_base);
    u32 accepted = features & (VIRTIO_BLK_F_RO | VIRTIO_BLK_F_FLUSH);
    virtio_legacy_set_features(disk->io_base, accepted);
    int error = virtq_init(&disk->queue, disk->io_base, 0);
    if (error) {
        virtio_legacy_fail(disk->io_base);
        return error;
    }
    wait_queue_init(&disk->descriptors);
    disk->has_flush = accepted & VIRTIO_BLK_F_FLUSH;

    struct block_device *block = &disk->block;
    snprintf(block->name, sizeof block->name, "vd%c", 'a' + index);
    block->major = VIRTIO_BLK_MAJOR;
    block->minor = 16 * index; /* Linux leaves 15 minors per disk for partitions */
    block->sector_count = inl(disk->io_base + VIRTIO_BLK_CONFIG_CAPACITY) |
                          (u64)inl(disk->io_base + VIRTIO_BLK_CONFIG_CAPACITY + 4) << 32;
    block->read_only = accepted & VIRTIO_BLK_F_RO;
    block->ops = &virtio_blk_operations;
    block->driver_data = disk;

    irq_register(disk->irq, virtio_blk_interrupt);
    virtio_legacy_ready(disk->io_base);
    pr_info("%s: virtio-blk at %02x:%02x.%x, ports %#x, irq %u, %lu sectors (%lu MiB)%s%s, "
            "queue of %u\n",
            block->name, pci->bus, pci->slot, pci->function, disk->io_base, disk->irq,
            block->sector_count, block->sector_count / 2048, block->read_only ? ", read-only" : "",
            disk->has_flush ? ", write cache" : "", disk->queue.size);
    return 0;
}

int virtio_blk_init(void)
{
    struct pci_device *pci;
    for (int i = 0; disk_count < VIRTIO_BLK_MAX_DISKS &&
                    (pci = pci_find(VIRTIO_PCI_VENDOR, VIRTIO_PCI_LEGACY_BLK, i));
         i++) {
        struct virtio_blk *disk = &disks[disk_count];
        if (probe(disk, pci, disk_count) == 0) {
            disk_count++;
            block_register(&disk->block);
        }
    }
    return disk_count;
}

struct block_device *virtio_blk_disk(int index)
{
    return index >= 0 && index < disk_count ? &disks[index].block : NULL;
}

u64 virtio_blk_in_flight(const struct block_device *device)
{
    const struct virtio_blk *disk = device->driver_data;
    return disk->in_flight;
}
