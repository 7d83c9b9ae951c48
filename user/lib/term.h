/*
 * term.h - the little terminal control the tools need: the window size
 * (so ps and top cut lines instead of wrapping them) and "raw" input for
 * top, which must see a 'q' key press at once rather than after Enter.
 */
#ifndef USER_LIB_TERM_H
#define USER_LIB_TERM_H

#include <stdbool.h>

/*
 * The size of the terminal on fd (ioctl TIOCGWINSZ).  Returns 0, or -errno
 * if fd is not a terminal (a pipe or a file), leaving rows and columns alone.
 */
int term_size(int fd, int *rows, int *columns);

/*
 * Switches terminal fd to non-canonical mode without echo: each key press
 * is readable at once, and is not printed.  Ctrl-C still sends SIGINT.
 * The old settings are kept for term_restore(), which the caller must call
 * on every way out (normal exit and signals).  Returns 0 or -errno.
 */
int term_enter_raw(int fd);

/* Puts back the settings saved by term_enter_raw(); does nothing if none. */
void term_restore(void);

#endif
