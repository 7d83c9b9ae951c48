/* keyboard.h - the PS/2 keyboard, for when sprout runs in a QEMU window. */
#ifndef KERNEL_KEYBOARD_H
#define KERNEL_KEYBOARD_H

#include "kernel/types.h"

/* Turn on IRQ 1; typed characters go to `receive` (the console TTY). */
void keyboard_init(void (*receive)(char c));

/* Translate one scancode (set 1) to characters; the state lives in *state.
 * Returns how many characters were written to out (0-3).  Host-testable. */
struct keyboard_state {
    bool shift, ctrl, caps, extended;
};
int keyboard_translate(struct keyboard_state *state, unsigned char scancode, char out[3]);

#endif
