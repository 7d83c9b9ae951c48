/*
 * chmod.c - change files' permission bits.
 *
 *   chmod 644 FILE...          octal: the new mode
 *   chmod u+x,go-w FILE...     symbolic: [ugoa]*[+-=][rwxst]*, comma-separated
 *
 * Only the owner (or root) may; the kernel says so otherwise (EPERM).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Applies one symbolic clause list to `mode`; -1 if it does not parse. */
static long apply_symbolic(const char *spec, mode_t mode)
{
    const char *p = spec;
    while (*p) {
        mode_t who = 0;
        for (; strchr("ugoa", *p) && *p; p++)
            who |= *p == 'u' ? 04700 : *p == 'g' ? 02070 : *p == 'o' ? 01007 : 07777;
        if (!who)
            who = 07777;
        char op = *p++;
        if (op != '+' && op != '-' && op != '=')
            return -1;
        mode_t bits = 0;
        for (; *p && *p != ','; p++) {
            if (*p == 'r')
                bits |= 0444;
            else if (*p == 'w')
                bits |= 0222;
            else if (*p == 'x')
                bits |= 0111;
            else if (*p == 's')
                bits |= 06000;
            else if (*p == 't')
                bits |= 01000;
            else
                return -1;
        }
        bits &= who;
        if (op == '+')
            mode |= bits;
        else if (op == '-')
            mode &= ~bits;
        else
            mode = (mode & ~(who & 07777)) | bits;
        if (*p == ',')
            p++;
    }
    return (long)mode;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: chmod MODE FILE...\n");
        return 2;
    }
    const char *spec = argv[1];
    int octal = strspn(spec, "01234567") == strlen(spec) && strlen(spec) <= 4;
    int status = 0;
    for (int i = 2; i < argc; i++) {
        struct stat st;
        long mode = octal ? strtol(spec, NULL, 8) : -1;
        if (!octal) {
            if (stat(argv[i], &st) < 0) {
                fprintf(stderr, "chmod: cannot access '%s': %s\n", argv[i], strerror(errno));
                status = 1;
                continue;
            }
            mode = apply_symbolic(spec, st.st_mode & 07777);
            if (mode < 0) {
                fprintf(stderr, "chmod: invalid mode: '%s'\n", spec);
                return 2;
            }
        }
        if (chmod(argv[i], (mode_t)mode) < 0) {
            fprintf(stderr, "chmod: changing permissions of '%s': %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
