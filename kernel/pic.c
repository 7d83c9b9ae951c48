/*
 * pic.c - the two legacy 8259A interrupt controllers.
 *
 * Out of reset they deliver IRQs 0-7 on vectors 8-15, on top of the CPU's
 * exceptions; we move them to 32-47 and mask every line until a driver asks.
 */
#include "kernel/interrupts.h"
#include "kernel/x86.h"

#define PIC1_COMMAND 0x20
#define PIC1_DATA 0x21
#define PIC2_COMMAND 0xA0
#define PIC2_DATA 0xA1
#define PIC_EOI 0x20

void pic_init(void)
{
    outb(PIC1_COMMAND, 0x11); /* ICW1: initialise, expect ICW4 */
    io_wait();
    outb(PIC2_COMMAND, 0x11);
    io_wait();
    outb(PIC1_DATA, IRQ_BASE); /* ICW2: vector offsets */
    io_wait();
    outb(PIC2_DATA, IRQ_BASE + 8);
    io_wait();
    outb(PIC1_DATA, 4); /* ICW3: slave on line 2 */
    io_wait();
    outb(PIC2_DATA, 2);
    io_wait();
    outb(PIC1_DATA, 0x01); /* ICW4: 8086 mode */
    io_wait();
    outb(PIC2_DATA, 0x01);
    io_wait();
    outb(PIC1_DATA, 0xFF & ~(1 << 2)); /* everything masked but the cascade line */
    outb(PIC2_DATA, 0xFF);
}

void pic_unmask(int irq)
{
    u16 port = irq < 8 ? PIC1_DATA : PIC2_DATA;
    outb(port, inb(port) & ~(1 << (irq % 8)));
}

void pic_end_of_interrupt(int irq)
{
    if (irq >= 8)
        outb(PIC2_COMMAND, PIC_EOI);
    outb(PIC1_COMMAND, PIC_EOI);
}
