/*
 * xattr.c - extended attributes: sprout's file systems have none.
 *
 * Programs ask anyway: Debian's `ls -l` asks every file for its ACL
 * (system.posix_acl_access) and SELinux label to decide whether to print a
 * '+' or '.' after the mode.  These calls find the file as Linux does (so a
 * missing one is ENOENT, a bad descriptor EBADF, a bad name EFAULT or
 * ERANGE) and then answer as Linux does for a file system without extended
 * attributes: getxattr fails with EOPNOTSUPP, listxattr lists nothing.
 */
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/syscalls_fs.h"
#include "kernel/fs/vfs.h"
#include "kernel/uaccess.h"

#define XATTR_NAME_MAX 255

/* Copy an attribute's name to check it: EFAULT, or ERANGE for "" or one too long. */
static long check_name(const char *user_name)
{
    char name[XATTR_NAME_MAX + 1];
    long len = strncpy_from_user(name, user_name, sizeof name);
    if (len == -ENAMETOOLONG || len == 0)
        return -ERANGE;
    return len < 0 ? len : 0;
}

/* The file a path names (following a last symlink or not), checked and let go. */
static long path_exists(const char *path, bool follow)
{
    struct inode *inode;
    long error = lookup_at(AT_FDCWD, path, follow ? LOOKUP_FOLLOW : 0, false, &inode);
    if (!error)
        inode_put(inode);
    return error;
}

static long get_attribute(long found, const char *name)
{
    if (found)
        return found;
    long error = check_name(name);
    return error ? error : -EOPNOTSUPP;
}

long sys_getxattr(const char *path, const char *name, void *value, size_t size)
{
    return get_attribute(path_exists(path, true), name);
}

long sys_lgetxattr(const char *path, const char *name, void *value, size_t size)
{
    return get_attribute(path_exists(path, false), name);
}

long sys_fgetxattr(int fd, const char *name, void *value, size_t size)
{
    return get_attribute(fd_get(fd) ? 0 : -EBADF, name);
}

/* The list of names is empty: 0 bytes, whatever the buffer. */
long sys_listxattr(const char *path, char *list, size_t size) { return path_exists(path, true); }
long sys_llistxattr(const char *path, char *list, size_t size) { return path_exists(path, false); }
long sys_flistxattr(int fd, char *list, size_t size) { return fd_get(fd) ? 0 : -EBADF; }
