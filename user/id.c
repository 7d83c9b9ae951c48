/*
 * id.c - print who the process is: its user and group IDs, with names.
 *
 *   id              uid=1000(student) gid=1000(student) groups=100(users)
 *   id -u / -g      the effective user / group ID alone (-r: the real one)
 *   id -un / -gn    ... as a name
 *
 * The effective IDs are shown as euid= and egid= only when they differ from
 * the real ones: the sign of a set-user-ID program.
 */
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "user/lib/users.h"

static void print_user(const char *label, unsigned uid)
{
    char name[64];
    users_user_name(uid, name, sizeof name);
    printf("%s=%u(%s)", label, uid, name);
}

static void print_group(const char *label, unsigned gid)
{
    char name[64];
    users_group_name(gid, name, sizeof name);
    printf("%s=%u(%s)", label, gid, name);
}

int main(int argc, char **argv)
{
    int only_user = 0, only_group = 0, names = 0, real = 0;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] != '-' || !argv[i][1])
            goto usage;
        for (const char *f = argv[i] + 1; *f; f++) {
            if (*f == 'u')
                only_user = 1;
            else if (*f == 'g')
                only_group = 1;
            else if (*f == 'n')
                names = 1;
            else if (*f == 'r')
                real = 1;
            else
                goto usage;
        }
    }
    if (only_user || only_group) {
        unsigned id = only_user ? (real ? getuid() : geteuid()) : (real ? getgid() : getegid());
        char name[64];
        if (only_user)
            users_user_name(id, name, sizeof name);
        else
            users_group_name(id, name, sizeof name);
        if (names)
            printf("%s\n", name);
        else
            printf("%u\n", id);
        return 0;
    }
    print_user("uid", getuid());
    putchar(' ');
    print_group("gid", getgid());
    if (geteuid() != getuid()) {
        putchar(' ');
        print_user("euid", geteuid());
    }
    if (getegid() != getgid()) {
        putchar(' ');
        print_group("egid", getegid());
    }
    gid_t groups[64];
    int n = getgroups(64, groups);
    if (n > 0) {
        printf(" groups=");
        for (int i = 0; i < n; i++) {
            char name[64];
            users_group_name(groups[i], name, sizeof name);
            printf("%s%u(%s)", i ? "," : "", groups[i], name);
        }
    }
    putchar('\n');
    return 0;
usage:
    fprintf(stderr, "usage: id [-u|-g] [-n] [-r]\n");
    return 2;
}
