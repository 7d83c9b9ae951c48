/*
 * passwd.c - change a password: the SHA-512 hash in /etc/shadow.
 *
 *   passwd [USER]
 *
 * passwd is set-user-ID root (tools/mkinitrd marks it 4755), like su: it
 * must read and rewrite /etc/shadow, which is root's alone (mode 600).  A
 * user may change only their own password, and must give the current one
 * first; the *real* user root may change anyone's without it.  The new
 * password is asked twice.  passwd writes the whole file anew as
 * /etc/shadow.new (mode 600) and renames it over the old one, so a crash
 * half-way leaves the old file, never half of one.  (sprout's root file
 * system lives in memory: the change lasts until power-off.)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "user/lib/login.h"
#include "user/lib/shacrypt.h"

#define SHADOW "/etc/shadow"
#define SHADOW_NEW "/etc/shadow.new"
#define SHADOW_MAX 16384

/*
 * In the shadow file `text`, give `user` the password `hash` and the day
 * of the last change `day` (days since 1970, the third field); the other
 * lines and fields stay as they were.  The result goes into `out`; 0, or
 * -1 when the user has no line or `out` is too small.
 */
static int shadow_replace(const char *text, const char *user, const char *hash, long day, char *out,
                          size_t size)
{
    size_t len = strlen(user), used = 0;
    int found = 0;
    while (*text) {
        const char *end = strchr(text, '\n');
        size_t line_len = end ? (size_t)(end - text) + 1 : strlen(text);
        const char *fields = text + len + 1; /* after "user:" */
        int n;
        if (!found && strncmp(text, user, len) == 0 && text[len] == ':') {
            const char *after_hash = memchr(fields, ':', line_len - len - 1);
            const char *after_day =
                after_hash ? memchr(after_hash + 1, ':', (size_t)(text + line_len - after_hash - 1))
                           : NULL;
            /* user:hash:day:rest  (a line with fewer fields gets them) */
            const char *rest = after_day ? after_day : "\n";
            size_t rest_len = after_day ? (size_t)(text + line_len - after_day) : 1;
            n = snprintf(out + used, size - used, "%s:%s:%ld%.*s", user, hash, day, (int)rest_len,
                         rest);
            if (rest[rest_len - 1] != '\n' && n >= 0 && used + (size_t)n + 1 < size) {
                out[used + (size_t)n] = '\n'; /* the last line had no newline */
                n++;
                out[used + (size_t)n] = '\0';
            }
            found = 1;
        } else {
            n = snprintf(out + used, size - used, "%.*s", (int)line_len, text);
        }
        if (n < 0 || used + (size_t)n >= size)
            return -1;
        used += (size_t)n;
        text += line_len;
    }
    return found ? 0 : -1;
}

#ifndef HOST_TEST
/* A fresh salt: 16 characters of crypt's alphabet [./0-9A-Za-z]. */
static void make_salt(char *salt, size_t size)
{
    static const char alphabet[] =
        "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    unsigned char random[16];
    if (getrandom(random, sizeof random, 0) != (ssize_t)sizeof random) {
        unsigned long seed = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16);
        for (size_t i = 0; i < sizeof random; i++)
            random[i] = (unsigned char)((seed = seed * 6364136223846793005ul + 1) >> 56);
    }
    size_t i = 0;
    for (; i < sizeof random && i + 1 < size; i++)
        salt[i] = alphabet[random[i] % 64];
    salt[i] = '\0';
}

/* The new file gets the old one's owner, group and mode: we run with the
 * caller's group, which must not end up owning the hashes. */
static int write_shadow(const char *text, const struct stat *old)
{
    int fd = open(SHADOW_NEW, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return -1;
    size_t len = strlen(text);
    if (fchown(fd, old->st_uid, old->st_gid) < 0 || fchmod(fd, old->st_mode & 07777) < 0 ||
        write(fd, text, len) != (ssize_t)len || fsync(fd) < 0) {
        close(fd);
        unlink(SHADOW_NEW);
        return -1;
    }
    close(fd);
    return rename(SHADOW_NEW, SHADOW);
}

static int fail(const char *why)
{
    if (why)
        fprintf(stderr, "passwd: %s\n", why);
    fprintf(stderr, "passwd: password unchanged\n");
    return 1;
}

int main(int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
        fprintf(stderr, "usage: passwd [USER]\n");
        return 2;
    }
    char me[32];
    users_user_name(getuid(), me, sizeof me);
    const char *user = argc == 2 ? argv[1] : me;
    struct users_passwd pw;
    if (users_find_user(user, &pw) < 0) {
        fprintf(stderr, "passwd: user '%s' does not exist\n", user);
        return 1;
    }
    if (geteuid() != 0) {
        fprintf(stderr, "passwd: must be set-user-ID root (chmod 4755 /bin/passwd)\n");
        return 1;
    }
    if (getuid() != 0 && pw.uid != getuid()) {
        fprintf(stderr, "passwd: You may not view or modify password information for %s.\n", user);
        return 1;
    }
    printf("Changing password for %s.\n", pw.name);
    fflush(stdout);
    char old[128], new[128], again[128];
    if (getuid() != 0) {
        if (login_read_password("Current password: ", old, sizeof old) < 0 ||
            !login_password_ok(pw.name, old))
            return fail("Authentication token manipulation error");
        memset(old, 0, sizeof old);
    }
    if (login_read_password("New password: ", new, sizeof new) < 0 ||
        login_read_password("Retype new password: ", again, sizeof again) < 0)
        return fail("Authentication token manipulation error");
    if (strcmp(new, again) != 0) {
        fprintf(stderr, "Sorry, passwords do not match.\n");
        return fail("Authentication token manipulation error");
    }
    if (!new[0]) {
        fprintf(stderr, "No password has been supplied.\n");
        return fail("Authentication token manipulation error");
    }
    char setting[32], hash[160];
    make_salt(setting + 3, sizeof setting - 4);
    memcpy(setting, "$6$", 3);
    if (!shacrypt_sha512(new, setting, hash, sizeof hash))
        return fail("cannot compute the hash");
    memset(new, 0, sizeof new);
    memset(again, 0, sizeof again);

    static char text[SHADOW_MAX], out[SHADOW_MAX + 256];
    struct stat st;
    int fd = open(SHADOW, O_RDONLY);
    ssize_t n = fd < 0 || fstat(fd, &st) < 0 ? -1 : 0, got = 0;
    while (n >= 0 && (size_t)n < sizeof text - 1 &&
           (got = read(fd, text + n, sizeof text - 1 - (size_t)n)) > 0)
        n += got;
    if (got < 0)
        n = -1;
    if (fd >= 0)
        close(fd);
    if (n < 0) {
        fprintf(stderr, "passwd: %s: %s\n", SHADOW, strerror(errno));
        return fail(NULL);
    }
    text[n] = '\0';
    if (shadow_replace(text, pw.name, hash, (long)(time(NULL) / 86400), out, sizeof out) < 0)
        return fail("no entry in " SHADOW);
    if (write_shadow(out, &st) < 0) {
        fprintf(stderr, "passwd: %s: %s\n", SHADOW, strerror(errno));
        return fail(NULL);
    }
    printf("passwd: password updated successfully\n");
    return 0;
}
#endif /* HOST_TEST */
