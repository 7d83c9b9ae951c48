/*
 * login.c - the console's "login:" prompt.
 *
 *   login            ask for a user name and password, then run their shell
 *   login -f USER    no password (only root may: init's automatic login)
 *
 * Runs as root (started by init); after three wrong tries it exits.  The
 * shell it starts is a "login shell" (argv[0] "-sh") in the user's home
 * directory.  Boot straight into it with
 *   make qemu CMDLINE='run=/bin/login'
 * (init powers off when the session ends), or log the student in without
 * a password: CMDLINE='run=/bin/login -f student'.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "user/lib/login.h"

#define TRIES 3

/* Runs `pw`'s shell in their home directory; returns only on failure. */
static int start_session(const struct users_passwd *pw)
{
    /* The terminal becomes the user's, as Linux's login does: their
     * programs may open /dev/console (mode 620) again. */
    if (isatty(0) && (fchown(0, pw->uid, pw->gid) < 0 || fchmod(0, 0620) < 0))
        fprintf(stderr, "login: the terminal: %s\n", strerror(errno));
    if (login_become(pw) < 0) {
        fprintf(stderr, "login: cannot become %s: %s\n", pw->name, strerror(errno));
        return 1;
    }
    if (chdir(pw->home) < 0)
        chdir("/");
    const char *shell = pw->shell[0] ? pw->shell : "/bin/sh";
    execl(shell, "-sh", (char *)NULL);
    fprintf(stderr, "login: %s: %s\n", shell, strerror(errno));
    return 127;
}

int main(int argc, char **argv)
{
    struct users_passwd pw;
    if (argc == 3 && strcmp(argv[1], "-f") == 0) {
        if (getuid() != 0) {
            fprintf(stderr, "login: -f: only root may log someone in without a password\n");
            return 1;
        }
        if (users_find_user(argv[2], &pw) < 0) {
            fprintf(stderr, "login: no user %s\n", argv[2]);
            return 1;
        }
        return start_session(&pw);
    }
    if (argc != 1) {
        fprintf(stderr, "usage: login [-f USER]\n");
        return 2;
    }
    for (int attempt = 0; attempt < TRIES; attempt++) {
        char name[64], password[128];
        fputs("sprout login: ", stderr);
        if (login_read_line(name, sizeof name) < 0)
            return 1;
        if (!name[0]) {
            attempt--;
            continue;
        }
        if (login_read_password("Password: ", password, sizeof password) < 0)
            return 1;
        /* The same answer for an unknown user as for a wrong password. */
        int ok = users_find_user(name, &pw) == 0 && login_password_ok(pw.name, password);
        memset(password, 0, sizeof password);
        if (ok)
            return start_session(&pw);
        sleep(1);
        fputs("Login incorrect\n\n", stderr);
    }
    return 1;
}
