/*
 * term.c - window size and raw input (see term.h).
 */
#include "user/lib/term.h"

#include <errno.h>
#include <sys/ioctl.h>
#include <termios.h>

static struct termios saved_settings;
static int saved_fd = -1;

int term_size(int fd, int *rows, int *columns)
{
    struct winsize size;

    if (ioctl(fd, TIOCGWINSZ, &size) < 0)
        return -errno;
    /* A serial console often reports 0x0: it does not know its size. */
    if (size.ws_row > 0)
        *rows = size.ws_row;
    if (size.ws_col > 0)
        *columns = size.ws_col;
    return 0;
}

int term_enter_raw(int fd)
{
    struct termios raw;

    if (tcgetattr(fd, &saved_settings) < 0)
        return -errno;
    raw = saved_settings;
    /* ICANON off: no line editing, read() returns single keys.  ECHO off: keys are not shown. */
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    /* read() returns at once, with 0 bytes if no key is waiting; we wait in poll(). */
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    /* TCSANOW is the plain TCSETS ioctl, which sprout implements. */
    if (tcsetattr(fd, TCSANOW, &raw) < 0)
        return -errno;
    saved_fd = fd;
    return 0;
}

void term_restore(void)
{
    if (saved_fd >= 0)
        tcsetattr(saved_fd, TCSANOW, &saved_settings);
    saved_fd = -1;
}
