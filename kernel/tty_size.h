/*
 * tty_size.h - how big the terminal's window is (TIOCGWINSZ/TIOCSWINSZ),
 * and learning it from the terminal itself at boot.
 *
 * A serial line carries bytes, not a window size, so at boot the kernel
 * asks the terminal on the other end where the cursor ends up when sent
 * far down and right:
 *
 *   kernel -> terminal   ESC 7  ESC[999;999H  ESC[6n  ESC 8
 *                        (save cursor, move, "where am I?", restore)
 *   terminal -> kernel   ESC[ROWS;COLSR       (arrives as input)
 *
 * The answer is taken out of the input before the line discipline sees it;
 * everything else typed meanwhile passes on untouched.  No answer within
 * TTY_SIZE_PROBE_MS (a pipe, a log file, tools/run-qemu): the size stays
 * 80x24.  Whenever the size changes the foreground process group gets
 * SIGWINCH, as on Linux.
 */
#ifndef KERNEL_TTY_SIZE_H
#define KERNEL_TTY_SIZE_H

#include "kernel/types.h"

/* struct winsize, Linux's layout. */
struct winsize {
    u16 rows, cols, xpixel, ypixel;
};

#define TTY_SIZE_PROBE_MS 2000 /* how long an answer may take (a terminal over ssh is slow) */
#define TTY_SIZE_REPLY_MAX 16  /* "ESC[9999;9999R" and a little slack */

/* Sets 80x24 and sends the terminal the question.  Once, from tty_init(). */
void tty_size_init(void);
void tty_size_get(struct winsize *out);
/* Sets the size; SIGWINCH to the foreground group if it changed.  IRQs off. */
void tty_size_set(const struct winsize *size);
/*
 * Input filter, for each byte received (interrupt context): returns how
 * many bytes the line discipline should now see, stored in release[]
 * (room for TTY_SIZE_REPLY_MAX): usually just `c`; none while `c` may be
 * part of the terminal's answer; the held bytes when they turn out not to be.
 */
u32 tty_size_filter(char c, char *release);

/* Provided by tty.c: one byte into the line discipline, past the filter. */
void tty_receive_filtered(char c);
/* Provided by tty.c: send `sig` to the terminal's foreground process group. */
void tty_signal_group(int sig);

#endif
