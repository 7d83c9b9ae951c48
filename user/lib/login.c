/* login.c - passwords and changing users, for su and login (see login.h). */
#define _GNU_SOURCE
#include "user/lib/login.h"

#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "user/lib/shacrypt.h"

int login_read_line(char *buf, size_t size)
{
    size_t n = 0;
    char c;
    ssize_t got;
    while ((got = read(0, &c, 1)) == 1 && c != '\n')
        if (n + 1 < size)
            buf[n++] = c;
    buf[n] = '\0';
    return got == 1 || n > 0 ? 0 : -1;
}

int login_read_password(const char *prompt, char *buf, size_t size)
{
    struct termios old, quiet;
    int have_tty = tcgetattr(0, &old) == 0;
    if (have_tty) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(0, TCSANOW, &quiet);
    }
    fputs(prompt, stderr);
    int result = login_read_line(buf, size);
    if (have_tty)
        tcsetattr(0, TCSANOW, &old);
    fputs("\n", stderr);
    return result;
}

int login_password_ok(const char *user, const char *password)
{
    FILE *f = fopen("/etc/shadow", "r");
    if (!f)
        return 0;
    char line[512];
    int ok = 0;
    size_t len = strlen(user);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, user, len) != 0 || line[len] != ':')
            continue;
        char *hash = line + len + 1;
        hash[strcspn(hash, ":\n")] = '\0';
        char buf[160];
        const char *computed = *hash ? shacrypt_sha512(password, hash, buf, sizeof buf) : NULL;
        ok = computed && strcmp(computed, hash) == 0; /* "" or "!": no way in */
        break;
    }
    fclose(f);
    return ok;
}

int login_become(const struct users_passwd *pw)
{
    gid_t groups[32];
    int n = users_member_groups(pw->name, groups, 32);
    if (setgroups((size_t)n, groups) < 0 || setgid(pw->gid) < 0 || setuid(pw->uid) < 0)
        return -1;
    setenv("HOME", pw->home, 1);
    setenv("SHELL", pw->shell[0] ? pw->shell : "/bin/sh", 1);
    setenv("USER", pw->name, 1);
    setenv("LOGNAME", pw->name, 1);
    return 0;
}
