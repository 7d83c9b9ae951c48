/*
 * login.h - what su and login share: asking for a password, checking it
 * against /etc/shadow, and becoming another user.
 */
#ifndef USER_LIB_LOGIN_H
#define USER_LIB_LOGIN_H

#include <stddef.h>

#include "user/lib/users.h"

/* One line from stdin without its newline, read a byte at a time so that
 * nothing after it is taken from the next reader (stdio would read ahead
 * from a pipe).  0, or -1 at end of input. */
int login_read_line(char *buf, size_t size);

/* Prints `prompt` on stderr and reads a line from stdin with echo off (on
 * a terminal).  0, or -1 at end of input. */
int login_read_password(const char *prompt, char *buf, size_t size);

/* Does `password` match `user`'s hash in /etc/shadow?  (Needs root to read it.) */
int login_password_ok(const char *user, const char *password);

/* Sets the supplementary groups, the GID and the UID of `pw` -- in that
 * order: after setuid() the others could no longer change -- and HOME,
 * SHELL, USER, LOGNAME.  0, or -1 with errno. */
int login_become(const struct users_passwd *pw);

#endif
