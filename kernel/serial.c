/*
 * serial.c - a 16550 UART on COM1 (I/O port 0x3F8), 115200 baud, 8N1.
 *
 * QEMU connects COM1 to the terminal (`-serial mon:stdio`), so this is how
 * sprout talks to the student: output is polled (simple and safe even in a
 * panic), input arrives by interrupt and is handed to the console TTY.
 */
#include "kernel/serial.h"
#include "kernel/interrupts.h"
#include "kernel/x86.h"

#define COM1 0x3F8
#define REG_DATA 0          /* read: received byte, write: byte to send */
#define REG_IRQ_ENABLE 1    /* bit 0: interrupt when a byte arrives */
#define REG_FIFO 2
#define REG_LINE_CONTROL 3
#define REG_MODEM_CONTROL 4
#define REG_LINE_STATUS 5
#define LSR_DATA_READY 0x01
#define LSR_TX_EMPTY 0x20

void serial_init(void)
{
    outb(COM1 + REG_IRQ_ENABLE, 0x00);
    outb(COM1 + REG_LINE_CONTROL, 0x80); /* DLAB on: next two bytes set the divisor */
    outb(COM1 + 0, 0x01);                /* 115200 / 1 = 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + REG_LINE_CONTROL, 0x03); /* 8 data bits, no parity, 1 stop bit */
    outb(COM1 + REG_FIFO, 0xC7);         /* FIFOs on, cleared, 14-byte threshold */
    outb(COM1 + REG_MODEM_CONTROL, 0x0B); /* DTR, RTS, OUT2 (OUT2 gates the IRQ line) */
}

void serial_putc(char c)
{
    for (int spins = 0; spins < 100000; spins++)
        if (inb(COM1 + REG_LINE_STATUS) & LSR_TX_EMPTY)
            break;
    outb(COM1 + REG_DATA, (u8)c);
}

static void (*receive_handler)(char c);

/* IRQ 4: drain every byte the UART holds and hand each one on. */
static void serial_irq(struct trap_frame *frame)
{
    (void)frame;
    while (inb(COM1 + REG_LINE_STATUS) & LSR_DATA_READY) {
        char c = (char)inb(COM1 + REG_DATA);
        if (receive_handler)
            receive_handler(c);
    }
}

void serial_enable_input(void (*receive)(char c))
{
    receive_handler = receive;
    irq_register(IRQ_COM1, serial_irq);
    outb(COM1 + REG_IRQ_ENABLE, 0x01);
}
