/*
 * users.h - user and group names for ps and ls -l.
 *
 * /etc/passwd and /etc/group share a format: one entry a line,
 * "name:password:id:...".  We read it ourselves instead of calling
 * getpwuid(), which in musl may also try to reach a name-service daemon
 * through a socket, something sprout does not have.
 */
#ifndef USER_LIB_USERS_H
#define USER_LIB_USERS_H

#include <stddef.h>

/* Finds the entry with this id in passwd/group-format text.  0 or -ENOENT. */
int users_parse_name(const char *text, unsigned id, char *name, size_t size);

/* The user (group) name for uid (gid), or the number as text if unknown. */
void users_user_name(unsigned uid, char *name, size_t size);
void users_group_name(unsigned gid, char *name, size_t size);

/* One line of /etc/passwd: name:password:uid:gid:comment:home:shell. */
struct users_passwd {
    char name[32];
    unsigned uid, gid;
    char home[128];
    char shell[128];
};

/* The /etc/passwd entry whose name is `name` (or whose uid is `name` as a
 * number).  0 or -ENOENT. */
int users_find_user(const char *name, struct users_passwd *entry);

/* A user (group) name or number to its id.  0 or -ENOENT. */
int users_user_id(const char *name, unsigned *uid);
int users_group_id(const char *name, unsigned *gid);

/* The groups that list `user` as a member in /etc/group (the 4th field),
 * at most `max`; returns how many. */
int users_member_groups(const char *user, unsigned *gids, int max);

#endif
