/*
 * pci.c - PCI enumeration through configuration mechanism #1 (see pci.h).
 *
 * To read register `offset` of bus b, device d, function f, write
 *     0x80000000 | b << 16 | d << 11 | f << 8 | (offset & 0xfc)
 * to port 0xCF8, then read the 32-bit register at port 0xCFC.  A function
 * that does not exist reads as all ones (vendor 0xffff).
 */
#include "kernel/drivers/pci.h"
#include "kernel/printk.h"
#include "kernel/x86.h"

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc
#define PCI_CAPABILITY_LIMIT 48 /* a list longer than this loops: the device is broken */

static struct pci_device devices[PCI_MAX_DEVICES];
static int device_count;

static u32 config_address(u8 bus, u8 slot, u8 function, u8 offset)
{
    return 0x80000000u | (u32)bus << 16 | (u32)slot << 11 | (u32)function << 8 | (offset & 0xfc);
}

/* Port I/O pairs must not be split by an interrupt handler that uses them too. */
static u32 config_read(u8 bus, u8 slot, u8 function, u8 offset)
{
    bool irq = irq_save();
    outl(PCI_CONFIG_ADDRESS, config_address(bus, slot, function, offset));
    u32 value = inl(PCI_CONFIG_DATA);
    irq_restore(irq);
    return value;
}

static void config_write(u8 bus, u8 slot, u8 function, u8 offset, u32 value)
{
    bool irq = irq_save();
    outl(PCI_CONFIG_ADDRESS, config_address(bus, slot, function, offset));
    outl(PCI_CONFIG_DATA, value);
    irq_restore(irq);
}

u32 pci_read32(const struct pci_device *dev, u8 offset)
{
    return config_read(dev->bus, dev->slot, dev->function, offset);
}

u16 pci_read16(const struct pci_device *dev, u8 offset)
{
    return (u16)(pci_read32(dev, offset) >> ((offset & 2) * 8));
}

u8 pci_read8(const struct pci_device *dev, u8 offset)
{
    return (u8)(pci_read32(dev, offset) >> ((offset & 3) * 8));
}

void pci_write32(const struct pci_device *dev, u8 offset, u32 value)
{
    config_write(dev->bus, dev->slot, dev->function, offset, value);
}

/* Read-modify-write of the 32-bit register: config space is accessed in dwords. */
void pci_write16(const struct pci_device *dev, u8 offset, u16 value)
{
    u32 old = pci_read32(dev, offset);
    int shift = (offset & 2) * 8;
    u32 updated = (old & ~(0xffffu << shift)) | (u32)value << shift;
    if (offset == PCI_COMMAND)
        updated &= 0x0000ffff; /* writing 1s to the status half would clear its error bits */
    pci_write32(dev, offset, updated);
}

/*
 * A BAR's size: write all ones, read back which bits stuck (the device
 * hard-wires the low bits of its size to zero), restore.  Decoding is off
 * meanwhile so the device does not answer at the probing address.
 */
static void read_bar(struct pci_device *dev, int index, int *skip_next)
{
    u8 offset = PCI_BAR0 + 4 * index;
    u32 original = pci_read32(dev, offset);
    struct pci_bar *bar = &dev->bars[index];
    u16 command = pci_read16(dev, PCI_COMMAND);
    pci_write16(dev, PCI_COMMAND, command & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
    pci_write32(dev, offset, 0xffffffff);
    u32 mask = pci_read32(dev, offset);
    pci_write32(dev, offset, original);
    u64 high = 0;
    *skip_next = 0;
    if (original & 1) {
        bar->is_io = true;
        bar->base = original & ~3u;
        mask &= ~3u;
        bar->size = mask ? (u16)(~mask + 1) : 0;
    } else {
        bool is_64bit = ((original >> 1) & 3) == 2;
        if (is_64bit && index + 1 < PCI_BARS) {
            high = pci_read32(dev, offset + 4);
            *skip_next = 1;
        }
        bar->base = (original & ~0xfu) | high << 32;
        mask &= ~0xfu;
        bar->size = mask ? (u32)(~mask + 1) : 0;
    }
    pci_write16(dev, PCI_COMMAND, command);
    if (bar->size == 0)
        bar->base = 0;
}

static void add_function(u8 bus, u8 slot, u8 function)
{
    if (device_count == PCI_MAX_DEVICES) {
        pr_warn("pci: more than %d functions; %02x:%02x.%x ignored\n", PCI_MAX_DEVICES, bus, slot,
                function);
        return;
    }
    struct pci_device *dev = &devices[device_count++];
    dev->bus = bus;
    dev->slot = slot;
    dev->function = function;
    dev->vendor = pci_read16(dev, PCI_VENDOR_ID);
    dev->device = pci_read16(dev, PCI_DEVICE_ID);
    u32 class_revision = pci_read32(dev, PCI_CLASS_REVISION);
    dev->class_code = class_revision >> 24;
    dev->subclass = class_revision >> 16;
    dev->prog_if = class_revision >> 8;
    dev->revision = class_revision;
    dev->irq_line = pci_read8(dev, PCI_INTERRUPT_LINE);
    dev->irq_pin = pci_read8(dev, PCI_INTERRUPT_PIN);
    if ((pci_read8(dev, PCI_HEADER_TYPE) & 0x7f) == 0) { /* BARs only in a type 0 header */
        dev->subsystem_id = pci_read16(dev, PCI_SUBSYSTEM_ID);
        for (int i = 0, skip; i < PCI_BARS; i += 1 + skip)
            read_bar(dev, i, &skip);
    }
    pr_info("pci %02x:%02x.%x [%04x:%04x] class %02x%02x irq %d\n", bus, slot, function,
            dev->vendor, dev->device, dev->class_code, dev->subclass,
            dev->irq_pin ? dev->irq_line : -1);
}

void pci_init(void)
{
    device_count = 0;
    /* A brute-force scan of all 256 buses is ~8000 reads: fast enough, and simpler than
     * following PCI-to-PCI bridges. */
    for (int bus = 0; bus < 256; bus++) {
        for (u8 slot = 0; slot < 32; slot++) {
            if ((config_read(bus, slot, 0, PCI_VENDOR_ID) & 0xffff) == 0xffff)
                continue;
            bool multi = (config_read(bus, slot, 0, PCI_HEADER_TYPE & 0xfc) >> 16) & 0x80;
            for (u8 function = 0; function < (multi ? 8 : 1); function++)
                if ((config_read(bus, slot, function, PCI_VENDOR_ID) & 0xffff) != 0xffff)
                    add_function(bus, slot, function);
        }
    }
}

struct pci_device *pci_find(u16 vendor, u16 device, int index)
{
    for (int i = 0; i < device_count; i++)
        if (devices[i].vendor == vendor && devices[i].device == device && index-- == 0)
            return &devices[i];
    return NULL;
}

int pci_device_count(void) { return device_count; }

struct pci_device *pci_device_at(int index)
{
    return index >= 0 && index < device_count ? &devices[index] : NULL;
}

void pci_enable(const struct pci_device *dev)
{
    u16 command = pci_read16(dev, PCI_COMMAND);
    command |= PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_BUS_MASTER;
    command &= ~PCI_COMMAND_INTX_DISABLE;
    pci_write16(dev, PCI_COMMAND, command);
}

u8 pci_find_capability(const struct pci_device *dev, u8 capability_id)
{
    if (!(pci_read16(dev, PCI_STATUS) & PCI_STATUS_CAPABILITIES))
        return 0;
    u8 offset = pci_read8(dev, PCI_CAPABILITY_LIST) & 0xfc;
    for (int steps = 0; offset >= 0x40 && steps < PCI_CAPABILITY_LIMIT; steps++) {
        if (pci_read8(dev, offset) == capability_id)
            return offset;
        offset = pci_read8(dev, offset + 1) & 0xfc;
    }
    return 0;
}
