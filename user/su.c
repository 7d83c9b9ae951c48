/*
 * su.c - run a shell as another user (root by default).
 *
 *   su [-] [USER] [-c COMMAND]
 *
 * su is a set-user-ID root program (tools/mkinitrd marks it 4755): whoever runs
 * it, it starts with effective UID 0, which lets it read /etc/shadow (mode
 * 600) and change every ID.  It asks for the target's password unless the
 * *real* user is root, checks it against the SHA-512 hash in
 * /etc/shadow, then sets the groups, the GID and the UID -- in that order:
 * after setuid() it could no longer change the others -- and runs the
 * user's shell.  "-" also moves to the user's home directory.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "user/lib/login.h"

int main(int argc, char **argv)
{
    int login = 0;
    const char *user = "root", *command = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-") == 0 || strcmp(argv[i], "-l") == 0)
            login = 1;
        else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
            command = argv[++i];
        else if (argv[i][0] != '-')
            user = argv[i];
        else {
            fprintf(stderr, "usage: su [-] [USER] [-c COMMAND]\n");
            return 2;
        }
    }
    struct users_passwd pw;
    if (users_find_user(user, &pw) < 0) {
        fprintf(stderr, "su: user %s does not exist\n", user);
        return 1;
    }
    if (geteuid() != 0) {
        fprintf(stderr, "su: must be set-user-ID root (chmod 4755 /bin/su)\n");
        return 1;
    }
    if (getuid() != 0) {
        char password[128];
        if (login_read_password("Password: ", password, sizeof password) < 0 ||
            !login_password_ok(pw.name, password)) {
            sleep(1); /* as the real su: guessing is slow */
            fprintf(stderr, "su: Authentication failure\n");
            return 1;
        }
        memset(password, 0, sizeof password);
    }
    if (login_become(&pw) < 0) {
        fprintf(stderr, "su: cannot become %s: %s\n", pw.name, strerror(errno));
        return 1;
    }
    if (login && chdir(pw.home) < 0)
        fprintf(stderr, "su: %s: %s\n", pw.home, strerror(errno));
    const char *shell = pw.shell[0] ? pw.shell : "/bin/sh";
    if (command)
        execl(shell, "sh", "-c", command, (char *)NULL);
    else
        execl(shell, login ? "-sh" : "sh", (char *)NULL);
    fprintf(stderr, "su: %s: %s\n", shell, strerror(errno));
    return 127;
}
