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

/* Splits one line of a colon-separated file into at most `max` fields (in place). */
static int split_fields(char *line, char **fields, int max)
{
    int n = 0;
    fields[n++] = line;
    for (char *p = line; *p && n < max; p++) {
        if (*p == ':') {
            *p = '\0';
            fields[n++] = p + 1;
        }
    }
    return n;
}

/* Calls match(fields, n, arg) for each line of `path` until it returns nonzero. */
static int each_line(const char *path, int (*match)(char **fields, int n, void *arg), void *arg)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -ENOENT;
    char line[512];
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *fields[7];
        int n = split_fields(line, fields, 7);
        found = match(fields, n, arg);
    }
    fclose(f);
    return found ? 0 : -ENOENT;
}

static int is_number(const char *s) { return *s && strspn(s, "0123456789") == strlen(s); }

struct user_search {
    const char *name;
    struct users_passwd *entry;
};

static int match_user(char **fields, int n, void *arg)
{
    struct user_search *s = arg;
    if (n < 7 || (strcmp(fields[0], s->name) != 0 && strcmp(fields[2], s->name) != 0))
        return 0;
    snprintf(s->entry->name, sizeof s->entry->name, "%s", fields[0]);
    s->entry->uid = (unsigned)strtoul(fields[2], NULL, 10);
    s->entry->gid = (unsigned)strtoul(fields[3], NULL, 10);
    snprintf(s->entry->home, sizeof s->entry->home, "%s", fields[5]);
    snprintf(s->entry->shell, sizeof s->entry->shell, "%s", fields[6]);
    return 1;
}

int users_find_user(const char *name, struct users_passwd *entry)
{
    struct user_search s = {name, entry};
    return each_line("/etc/passwd", match_user, &s);
}

struct id_search {
    const char *name;
    unsigned *id;
};

static int match_id(char **fields, int n, void *arg)
{
    struct id_search *s = arg;
    if (n < 3 || strcmp(fields[0], s->name) != 0)
        return 0;
    *s->id = (unsigned)strtoul(fields[2], NULL, 10);
    return 1;
}

static int name_to_id(const char *path, const char *name, unsigned *id)
{
    if (is_number(name)) {
        *id = (unsigned)strtoul(name, NULL, 10);
        return 0;
    }
    struct id_search s = {name, id};
    return each_line(path, match_id, &s);
}

int users_user_id(const char *name, unsigned *uid) { return name_to_id("/etc/passwd", name, uid); }
int users_group_id(const char *name, unsigned *gid) { return name_to_id("/etc/group", name, gid); }

struct member_search {
    const char *user;
    unsigned *gids;
    int max, count;
};

static int match_member(char **fields, int n, void *arg)
{
    struct member_search *s = arg;
    if (n < 4)
        return 0;
    for (char *m = strtok(fields[3], ","); m && s->count < s->max; m = strtok(NULL, ","))
        if (strcmp(m, s->user) == 0)
            s->gids[s->count++] = (unsigned)strtoul(fields[2], NULL, 10);
    return 0; /* keep reading: every group counts */
}

int users_member_groups(const char *user, unsigned *gids, int max)
{
    struct member_search s = {user, gids, max, 0};
    each_line("/etc/group", match_member, &s);
    return s.count;
}
