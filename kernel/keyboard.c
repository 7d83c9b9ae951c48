/*
 * keyboard.c - PS/2 keyboard on IRQ 1: scancodes to characters.
 *
 * Each byte the keyboard controller has for us is a scancode;
 * keyboard_translate() (kernel/keymap.c) turns it into characters, which go
 * to the console TTY exactly like bytes from the serial port.
 */
#include "kernel/keyboard.h"
#include "kernel/interrupts.h"
#include "kernel/x86.h"

#define DATA_PORT 0x60
#define STATUS_PORT 0x64

static void (*receiver)(char c);
static struct keyboard_state state;

static void keyboard_irq(struct trap_frame *frame)
{
    (void)frame;
    while (inb(STATUS_PORT) & 1) {
        char out[3];
        int n = keyboard_translate(&state, inb(DATA_PORT), out);
        for (int i = 0; i < n; i++)
            receiver(out[i]);
    }
}

void keyboard_init(void (*receive)(char c))
{
    receiver = receive;
    while (inb(STATUS_PORT) & 1) /* drop whatever the firmware left behind */
        inb(DATA_PORT);
    irq_register(IRQ_KEYBOARD, keyboard_irq);
}
