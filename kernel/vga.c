/*
 * vga.c - text mode at physical 0xB8000: 80x25 cells of (character, colour).
 *
 * Everything printed on the serial console is mirrored here, so a student who
 * runs QEMU with a window sees the same thing.  A tiny ANSI parser handles
 * ESC [ row ; col H, ESC [ 2J, ESC [ K and ignores colours (ESC [ ... m), which
 * is what `top` and the shell send.
 */
#include "kernel/vga.h"
#include "kernel/x86.h"
#include "mm/layout.h"

#define COLS 80
#define ROWS 25
#define ATTR 0x07 /* light grey on black */

static volatile u16 *screen;
static int row, col;

/* Escape-sequence parser state. */
static enum { NORMAL, ESCAPE, CSI } state;
static int params[4], nparams;

static void set_cursor(void)
{
    u16 pos = (u16)(row * COLS + col);
    outb(0x3D4, 0x0F);
    outb(0x3D5, (u8)pos);
    outb(0x3D4, 0x0E);
    outb(0x3D5, (u8)(pos >> 8));
}

static void clear_cells(int from, int to)
{
    for (int i = from; i < to; i++)
        screen[i] = (u16)(ATTR << 8 | ' ');
}

static void scroll(void)
{
    for (int i = 0; i < (ROWS - 1) * COLS; i++)
        screen[i] = screen[i + COLS];
    clear_cells((ROWS - 1) * COLS, ROWS * COLS);
    row = ROWS - 1;
}

void vga_init(void)
{
    screen = phys_to_virt(0xB8000);
    clear_cells(0, ROWS * COLS);
    row = col = 0;
    set_cursor();
}

static void csi_finish(char command)
{
    int a = nparams > 0 ? params[0] : 0;
    int b = nparams > 1 ? params[1] : 0;
    switch (command) {
    case 'H': /* cursor position, 1-based */
    case 'f':
        row = MIN(MAX(a, 1), ROWS) - 1;
        col = MIN(MAX(b, 1), COLS) - 1;
        break;
    case 'J': /* erase in display: 0 to end, 2 all */
        if (a == 2)
            clear_cells(0, ROWS * COLS);
        else
            clear_cells(row * COLS + col, ROWS * COLS);
        break;
    case 'K': /* erase to end of line */
        clear_cells(row * COLS + col, (row + 1) * COLS);
        break;
    default: /* colours and everything else: ignored */
        break;
    }
}

void vga_putc(char c)
{
    if (!screen)
        return;
    switch (state) {
    case ESCAPE:
        state = c == '[' ? CSI : NORMAL;
        nparams = 0;
        params[0] = params[1] = params[2] = params[3] = 0;
        return;
    case CSI:
        if (c >= '0' && c <= '9') {
            if (nparams == 0)
                nparams = 1;
            params[nparams - 1] = params[nparams - 1] * 10 + (c - '0');
        } else if (c == ';') {
            if (nparams == 0)
                nparams = 1;
            if (nparams < 4)
                nparams++;
        } else if (c != '?') {
            csi_finish(c);
            state = NORMAL;
            set_cursor();
        }
        return;
    case NORMAL:
        break;
    }

    switch (c) {
    case '\033':
        state = ESCAPE;
        return;
    case '\n':
        col = 0;
        row++;
        break;
    case '\r':
        col = 0;
        break;
    case '\b':
        if (col > 0)
            col--;
        break;
    case '\t':
        col = (col + 8) & ~7;
        break;
    default:
        if ((u8)c < ' ')
            return;
        screen[row * COLS + col] = (u16)(ATTR << 8 | (u8)c);
        col++;
        break;
    }
    if (col >= COLS) {
        col = 0;
        row++;
    }
    if (row >= ROWS)
        scroll();
    set_cursor();
}
