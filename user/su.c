/*
 * su.c - run a shell as another user (root by default).
 *
 *   su [-] [USER] [-c COMMAND]
 *
 * su is a set-user-ID root program (the build marks it 4755): whoever runs
 * it, it starts with effective UID 0, which lets it read /etc/shadow (mode
 * 600) and change every ID.  It asks for the target's password unless the
 * *real* user is root, checks it with crypt() against the hash in
 * /etc/shadow, then sets the groups, the GID and the UID -- in that order:
 * after setuid() it could no longer change the others -- and runs the
 * user's shell.  "-" also moves to the user's home directory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "user/lib/shacrypt.h"
#include "user/lib/users.h"

/* Reads a password from the terminal without echoing it. */
static int read_password(char *buf, size_t size)
{
    struct termios old, quiet;
    int have_tty = tcgetattr(0, &old) == 0;
    if (have_tty) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(0, TCSAFLUSH, &quiet);
    }
    fputs("Password: ", stderr);
    ssize_t n = read(0, buf, size - 1);
    if (have_tty)
        tcsetattr(0, TCSAFLUSH, &old);
    fputs("\n", stderr);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    return 0;
}

/* Does `password` match `user`'s hash in /etc/shadow? */
static int password_ok(const char *user, const char *password)
{
    FILE *f = fopen("/etc/shadow", "r");
    if (!f) {
        fprintf(stderr, "su: /etc/shadow: %s\n", strerror(errno));
        return 0;
    }
    char line[512];
    int ok = 0;
    size_t len = strlen(user);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, user, len) != 0 || line[len] != ':')
            continue;
        char *hash = line + len + 1;
        hash[strcspn(hash, ":\n")] = '\0';
        char buf[128];
        const char *computed = *hash ? shacrypt_sha512(password, hash, buf, sizeof buf) : NULL;
        ok = computed && strcmp(computed, hash) == 0;
        break;
    }
    fclose(f);
    return ok;
}

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
        if (read_password(password, sizeof password) < 0 || !password_ok(pw.name, password)) {
            sleep(1); /* as the real su: guessing is slow */
            fprintf(stderr, "su: Authentication failure\n");
            return 1;
        }
        memset(password, 0, sizeof password);
    }
    gid_t groups[32];
    int n = users_member_groups(pw.name, groups, 32);
    if (setgroups((size_t)n, groups) < 0 || setgid(pw.gid) < 0 || setuid(pw.uid) < 0) {
        fprintf(stderr, "su: cannot become %s: %s\n", pw.name, strerror(errno));
        return 1;
    }
    setenv("HOME", pw.home, 1);
    setenv("SHELL", pw.shell, 1);
    setenv("USER", pw.name, 1);
    setenv("LOGNAME", pw.name, 1);
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
