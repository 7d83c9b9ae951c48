/*
 * pci.h - finding devices on the PCI bus through configuration space.
 *
 * Every PCI function has 256 bytes of configuration space: who made it
 * (vendor, device), what it is (class), where its registers are (BARs),
 * which interrupt line it raises, and a list of optional capabilities.
 * x86 reaches it through two I/O ports (0xCF8 selects bus/device/function
 * and a register, 0xCFC reads or writes it).  pci_init() walks every bus,
 * device and function once at boot and remembers what answered; drivers
 * then look their device up with pci_find().
 *
 *     configuration space (type 0 header, the fields sprout reads)
 *     0x00  vendor id (16)      device id (16)
 *     0x04  command (16)        status (16)     status bit 4: capability list
 *     0x08  revision (8)  prog-if (8)  subclass (8)  class (8)
 *     0x0e  header type (8)     bit 7: a multi-function device
 *     0x10  BAR0 .. BAR5 (32 each)  bit 0 set: I/O ports, clear: memory
 *     0x2c  subsystem vendor (16)  subsystem id (16)
 *     0x34  capabilities pointer (8)
 *     0x3c  interrupt line (8)  interrupt pin (8)   line: the PIC's IRQ (set by the BIOS)
 */
#ifndef KERNEL_DRIVERS_PCI_H
#define KERNEL_DRIVERS_PCI_H

#include "kernel/types.h"

#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_CLASS_REVISION 0x08
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_SUBSYSTEM_ID 0x2e
#define PCI_CAPABILITY_LIST 0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d

#define PCI_COMMAND_IO (1u << 0)            /* respond to I/O-port BARs */
#define PCI_COMMAND_MEMORY (1u << 1)        /* respond to memory BARs */
#define PCI_COMMAND_BUS_MASTER (1u << 2)    /* may read and write RAM itself (DMA) */
#define PCI_COMMAND_INTX_DISABLE (1u << 10) /* no legacy interrupts */
#define PCI_STATUS_CAPABILITIES (1u << 4)   /* the capability list exists */

#define PCI_BARS 6
#define PCI_MAX_DEVICES 32 /* functions remembered; QEMU's default machine has ~6 */

struct pci_bar {
    u64 base;   /* port number or physical address; 0: not present */
    u64 size;   /* bytes (ports for an I/O BAR) */
    bool is_io; /* I/O ports rather than memory */
};

struct pci_device {
    u8 bus, slot, function;
    u16 vendor, device;
    u8 class_code, subclass, prog_if, revision;
    u16 subsystem_id;
    u8 irq_line; /* 0xff: none */
    u8 irq_pin;  /* 1..4 = INTA..INTD; 0: none */
    struct pci_bar bars[PCI_BARS];
};

/* Scan every bus once (boot, before drivers probe).  Logs one line per function. */
void pci_init(void);
/* The `index`-th function (0, 1, ...) with this vendor and device id, or NULL. */
struct pci_device *pci_find(u16 vendor, u16 device, int index);
/* Every function found, for listings: count and the array. */
int pci_device_count(void);
struct pci_device *pci_device_at(int index);

u32 pci_read32(const struct pci_device *dev, u8 offset);
u16 pci_read16(const struct pci_device *dev, u8 offset);
u8 pci_read8(const struct pci_device *dev, u8 offset);
void pci_write16(const struct pci_device *dev, u8 offset, u16 value);
void pci_write32(const struct pci_device *dev, u8 offset, u32 value);

/* Turn on I/O and memory decoding and bus mastering (DMA), and allow INTx. */
void pci_enable(const struct pci_device *dev);
/* Offset of the first capability with this id (e.g. 0x09 vendor, 0x11 MSI-X), or 0. */
u8 pci_find_capability(const struct pci_device *dev, u8 capability_id);

#endif
