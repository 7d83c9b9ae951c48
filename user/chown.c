/*
 * chown.c - give files to another owner and/or group.
 *
 *   chown OWNER[:GROUP] FILE...     names or numbers
 *   chown :GROUP FILE...            the group alone (as chgrp)
 *
 * Only root gives a file away; an owner may change the group to one of
 * their own groups.  The kernel says which (EPERM otherwise).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "user/lib/users.h"

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: chown OWNER[:GROUP] FILE...\n");
        return 2;
    }
    char spec[128];
    snprintf(spec, sizeof spec, "%s", argv[1]);
    char *group = strchr(spec, ':');
    if (group)
        *group++ = '\0';
    unsigned uid = (unsigned)-1, gid = (unsigned)-1; /* -1: unchanged */
    if (spec[0] && users_user_id(spec, &uid) < 0) {
        fprintf(stderr, "chown: invalid user: '%s'\n", spec);
        return 1;
    }
    if (group && group[0] && users_group_id(group, &gid) < 0) {
        fprintf(stderr, "chown: invalid group: '%s'\n", group);
        return 1;
    }
    int status = 0;
    for (int i = 2; i < argc; i++) {
        if (chown(argv[i], uid, gid) < 0) {
            fprintf(stderr, "chown: changing ownership of '%s': %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
