/*
 * xattr.c - extended attributes: sprout's file systems have none.
 *
 * Programs ask anyway: Debian's `ls -l` asks every file for its ACL
 * (system.posix_acl_access) and SELinux label to decide whether to print a
 * '+' or '.' after the mode.  These calls find the file as Linux does (so a
 * missing one is ENOENT, a bad descriptor EBADF, a bad name EFAULT or
 * ERANGE) and then answer as Linux does for a file system without extended
 * attributes: getxattr, setxattr and removexattr fail with EOPNOTSUPP,
 * listxattr lists nothing.  (`cp -a` tries to copy attributes and accepts
 * that.)
 */
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/syscalls_fs.h"
#include "kernel/fs/vfs.h"
#include "kernel/uaccess.h"

#define XATTR_NAME_MAX 255
#define XATTR_SIZE_MAX 65536
#define XATTR_CREATE 1
#define XATTR_REPLACE 2

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

/* setxattr's own checks, before the file is looked up (Linux's setxattr_copy): flags, the
 * name, the value's size and bytes. */
static long check_set(const char *name, const void *value, size_t size, int flags)
{
    if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
        return -EINVAL;
    long error = check_name(name);
    if (error)
        return error;
    if (size > XATTR_SIZE_MAX)
        return -E2BIG;
    char byte;
    if (size && copy_from_user(&byte, (const char *)value + size - 1, 1) < 0)
        return -EFAULT;
    return size && copy_from_user(&byte, value, 1) < 0 ? -EFAULT : 0;
}

static long unsupported(long error) { return error ? error : -EOPNOTSUPP; }

long sys_setxattr(const char *path, const char *name, const void *value, size_t size, int flags)
{
    long error = check_set(name, value, size, flags);
    return unsupported(error ? error : path_exists(path, true));
}

long sys_lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)
{
    long error = check_set(name, value, size, flags);
    return unsupported(error ? error : path_exists(path, false));
}

long sys_fsetxattr(int fd, const char *name, const void *value, size_t size, int flags)
{
    if (!fd_get(fd))
        return -EBADF;
    return unsupported(check_set(name, value, size, flags));
}

long sys_removexattr(const char *path, const char *name)
{
    long error = check_name(name);
    return unsupported(error ? error : path_exists(path, true));
}

long sys_lremovexattr(const char *path, const char *name)
{
    long error = check_name(name);
    return unsupported(error ? error : path_exists(path, false));
}

long sys_fremovexattr(int fd, const char *name)
{
    return fd_get(fd) ? unsupported(check_name(name)) : -EBADF;
}
