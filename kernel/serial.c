/*
 * serial.c - a 16550 UART on COM1 (I/O port 0x3F8), 115200 baud, 8N1.
 *
 * QEMU connects COM1 to the terminal (`-serial mon:stdio`), so this is how
 * sprout talks to the student: output is polled (simple and safe even in a
 * panic), input arrives by interrupt and is handed to the console TTY.
 *
 * Type-ahead: keys typed (or piped into QEMU) while the machine boots wait
 * in the UART and, behind it, in QEMU.  serial_init() takes what is waiting
 * into `early`, and serial_enable_input() hands those bytes on first, in
 * order, like the rest of the input.  Turning the FIFO on empties the UART,
 * so the bytes are taken out just before.  Each read of the data register
 * lets QEMU pass on the next byte it holds (32 bytes in `mon:stdio`'s
 * buffer), so all of them come out here; only a byte that QEMU reads from
 * the terminal in the instant between the last read and the FIFO switch
 * is lost, which takes more than 32 bytes typed ahead.  (Leaving the FIFO
 * off would avoid even that, but then every byte is an interrupt of its
 * own, and a pasted line is echoed in pieces between other output.)
 */
#include "kernel/serial.h"
#include "kernel/interrupts.h"
#include "kernel/x86.h"

#define COM1 0x3F8
#define REG_DATA 0       /* read: received byte, write: byte to send */
#define REG_IRQ_ENABLE 1 /* bit 0: interrupt when a byte arrives */
#define REG_FIFO 2
#define REG_LINE_CONTROL 3
#define REG_MODEM_CONTROL 4
#define REG_LINE_STATUS 5
#define LSR_DATA_READY 0x01
#define LSR_TX_EMPTY 0x20
/* FIFOs on, interrupt at 14 bytes: a line pasted or typed by a test
 * arrives in one interrupt and is echoed in one piece. */
#define FIFO_ON 0xC1

#define EARLY_MAX 256 /* bytes kept from before the TTY was ready */

static char early[EARLY_MAX];
static u32 early_count;

/* Move every byte the UART holds into `early` (what does not fit is lost). */
static void take_early_input(void)
{
    while (inb(COM1 + REG_LINE_STATUS) & LSR_DATA_READY) {
        char c = (char)inb(COM1 + REG_DATA);
        if (early_count < EARLY_MAX)
            early[early_count++] = c;
    }
}

void serial_init(void)
{
    outb(COM1 + REG_IRQ_ENABLE, 0x00);
    outb(COM1 + REG_LINE_CONTROL, 0x80); /* DLAB on: next two bytes set the divisor */
    outb(COM1 + 0, 0x01);                /* 115200 / 1 = 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + REG_LINE_CONTROL, 0x03); /* 8 data bits, no parity, 1 stop bit */
    take_early_input();                  /* right before the FIFO is switched on and emptied */
    outb(COM1 + REG_FIFO, FIFO_ON);
    outb(COM1 + REG_MODEM_CONTROL, 0x0B); /* DTR, RTS, OUT2 (OUT2 gates the IRQ line) */
}

void serial_putc(char c)
{
    for (int spins = 0; spins < 100000; spins++)
        if (inb(COM1 + REG_LINE_STATUS) & LSR_TX_EMPTY)
            break;
    outb(COM1 + REG_DATA, (u8)c);
}

void serial_write(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        serial_putc(buf[i]);
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
    bool irq = irq_save();
    receive_handler = receive;
    take_early_input();
    for (u32 i = 0; i < early_count; i++)
        receive(early[i]);
    early_count = 0;
    irq_register(IRQ_COM1, serial_irq);
    outb(COM1 + REG_IRQ_ENABLE, 0x01);
    irq_restore(irq);
}
