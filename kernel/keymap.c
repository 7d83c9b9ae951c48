/*
 * keymap.c - PS/2 scancodes (set 1) to characters.
 *
 * The keyboard sends a "make" code when a key goes down and the same code
 * + 0x80 when it comes up.  We track Shift, Ctrl and Caps Lock, turn the rest
 * into ASCII (Ctrl-C becomes byte 3, which the TTY turns into SIGINT) and the
 * arrow keys into the escape sequences a terminal would send.  No hardware
 * here: tests/unit/test_keyboard.c checks it on the host.
 */
#include "kernel/keyboard.h"

static const char plain[128] = {
    0,    27,  '1', '2', '3', '4', '5', '6', '7', '8', '9',  '0', '-', '=',  127,
    '\t', 'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p',  '[', ']', '\r', 0,
    'a',  's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0,   '\\', 'z',
    'x',  'c', 'v', 'b', 'n', 'm', ',', '.', '/', 0,   '*',  0,   ' ',
};

static const char shifted[128] = {
    0,    27,  '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+',  127,
    '\t', 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\r', 0,
    'A',  'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0,   '|',  'Z',
    'X',  'C', 'V', 'B', 'N', 'M', '<', '>', '?', 0,   '*', 0,   ' ',
};

#define SC_CTRL 0x1D
#define SC_LSHIFT 0x2A
#define SC_RSHIFT 0x36
#define SC_CAPS 0x3A
#define SC_EXTENDED 0xE0

int keyboard_translate(struct keyboard_state *s, unsigned char scancode, char out[3])
{
    if (scancode == SC_EXTENDED) {
        s->extended = true;
        return 0;
    }
    bool released = scancode & 0x80;
    unsigned char key = scancode & 0x7F;
    bool extended = s->extended;
    s->extended = false;
    if (key == SC_LSHIFT || key == SC_RSHIFT) {
        s->shift = !released;
        return 0;
    }
    if (key == SC_CTRL) {
        s->ctrl = !released;
        return 0;
    }
    if (released)
        return 0;
    if (key == SC_CAPS) {
        s->caps = !s->caps;
        return 0;
    }
    if (extended) { /* arrows: what a VT100 sends */
        char arrow = key == 0x48   ? 'A'
                     : key == 0x50 ? 'B'
                     : key == 0x4D ? 'C'
                     : key == 0x4B ? 'D'
                                   : 0;
        if (!arrow)
            return 0;
        out[0] = 27, out[1] = '[', out[2] = arrow;
        return 3;
    }
    char c = s->shift ? shifted[key] : plain[key];
    if (!c)
        return 0;
    if (s->caps && c >= 'a' && c <= 'z')
        c = (char)(c - 'a' + 'A');
    else if (s->caps && c >= 'A' && c <= 'Z' && s->shift)
        c = (char)(c - 'A' + 'a');
    if (s->ctrl && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
        c = (char)((c & 0x1F)); /* Ctrl-A = 1 ... Ctrl-Z = 26 */
    else if (s->ctrl && c == '\\')
        c = 28; /* Ctrl-\ : SIGQUIT */
    out[0] = c;
    return 1;
}
