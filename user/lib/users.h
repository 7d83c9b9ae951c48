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

#endif
