/*
 * users.c - names for user and group ids from /etc/passwd and /etc/group.
 */
#include "user/lib/users.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user/lib/procfs.h"

int users_parse_name(const char *text, unsigned id, char *name, size_t size)
{
    for (const char *line = text; line; line = procfs_next_line(line)) {
        /* name:password:id: */
        const char *colon1 = strchr(line, ':');
        const char *colon2 = colon1 ? strchr(colon1 + 1, ':') : NULL;
        const char *newline = strchr(line, '\n');
        char *end;

        if (!colon2 || (newline && colon2 > newline) || colon2[1] < '0' || colon2[1] > '9')
            continue;
        if (strtoul(colon2 + 1, &end, 10) != id || *end != ':')
            continue;
        size_t length = (size_t)(colon1 - line);
        if (size == 0)
            return 0;
        if (length >= size)
            length = size - 1;
        memcpy(name, line, length);
        name[length] = '\0';
        return 0;
    }
    return -ENOENT;
}

/*
 * Looks id up in a file, which is read once and kept: ps asks about
 * every process, mostly for the same few users.
 */
static void lookup(const char *path, char *cache, size_t cache_size, int *loaded, unsigned id,
                   char *name, size_t size)
{
    if (!*loaded) {
        if (procfs_read(path, cache, cache_size) < 0)
            cache[0] = '\0';
        *loaded = 1;
    }
    if (users_parse_name(cache, id, name, size) < 0)
        snprintf(name, size, "%u", id);
}

void users_user_name(unsigned uid, char *name, size_t size)
{
    static char passwd[16384];
    static int loaded;

    lookup("/etc/passwd", passwd, sizeof passwd, &loaded, uid, name, size);
}

void users_group_name(unsigned gid, char *name, size_t size)
{
    static char group[16384];
    static int loaded;

    lookup("/etc/group", group, sizeof group, &loaded, gid, name, size);
}
