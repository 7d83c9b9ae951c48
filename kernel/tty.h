/*
 * tty.h - the console terminal: line editing, echo, job-control signals.
 *
 * Between the serial port and the programs sits the "line discipline":
 * in canonical mode (the default) it collects a line, letting the user fix
 * it with backspace and ^U, echoes what is typed, and hands the program the
 * whole line when Enter is pressed; ^D ends input; ^C, ^\ and ^Z become
 * SIGINT, SIGQUIT and SIGTSTP for the foreground process group.  Programs
 * like `top` switch it to raw (non-canonical) mode with TCSETS.  The window
 * size, and how the kernel learns it from the terminal, is tty_size.h.
 */
#ifndef KERNEL_TTY_H
#define KERNEL_TTY_H

#include "kernel/fs/file.h"
#include "kernel/types.h"

extern const struct file_ops tty_fops;

void tty_init(void);
/* A character arrived from the keyboard or serial port (interrupt context). */
void tty_receive_char(char c);
/* Write kernel text to the terminal with output processing (\n -> \r\n). */
void tty_write_kernel(const char *buf, size_t len);

/* For /proc and ps: the console's device number and foreground group. */
#define TTY_CONSOLE_RDEV ((5 << 8) | 1)
int tty_foreground_pgrp(void);
int tty_session(void);
/* A session leader exited: the terminal loses its session (hang-up). */
void tty_session_ended(int sid);

#endif
