/*
 * hostname.c - show or set the name of the machine (of its UTS namespace).
 *
 *   hostname          print uname's nodename
 *   hostname NAME     set it (root only: sethostname needs CAP_SYS_ADMIN)
 *   hostname -d       print the domain name (setdomainname sets it)
 *
 * Inside a box (`box run --hostname web ...`) the name is the box's own:
 * renaming it there leaves the host's unchanged (proc/ns.c, CLONE_NEWUTS).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct utsname u;
    if (argc > 2 || (argc == 2 && argv[1][0] == '-' && strcmp(argv[1], "-d") != 0)) {
        fprintf(stderr, "usage: hostname [NAME | -d]\n");
        return 2;
    }
    if (argc == 2 && strcmp(argv[1], "-d") != 0) {
        if (sethostname(argv[1], strlen(argv[1])) != 0) {
            fprintf(stderr, "hostname: %s: %s\n", argv[1], strerror(errno));
            return 1;
        }
        return 0;
    }
    if (uname(&u) != 0) {
        perror("hostname");
        return 1;
    }
    printf("%s\n", argc == 2 ? u.domainname : u.nodename);
    return 0;
}
