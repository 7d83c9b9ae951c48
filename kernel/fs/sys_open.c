/* sys_open.c - open, close, dup and fcntl: managing the descriptor table. */
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/lock.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/syscalls_fs.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "kernel/uaccess.h"
#include "mm/vm.h"
#include "mm/kheap.h"
#include "proc/proc.h"

long path_from_user(char *dest, const char *user_path)
{
    long len = strncpy_from_user(dest, user_path, PATH_MAX);
    if (len == 0)
        return -ENOENT; /* the empty path names nothing */
    return len;
}

int dirfd_start(int dirfd, struct inode **start)
{
    if (dirfd == AT_FDCWD) {
        *start = current->cwd;
        inode_get(*start);
        return 0;
    }
    struct file *file = fd_get(dirfd);
    if (!file)
        return -EBADF;
    if (!S_ISDIR(file->inode->mode))
        return -ENOTDIR;
    *start = file->inode;
    inode_get(*start);
    return 0;
}

#define MAX_CREATE_LINKS 8

/*
 * O_CREAT: open `path` if it exists, otherwise create it.  A dangling
 * symbolic link creates the file it points to (unless O_EXCL or O_NOFOLLOW).
 * *inode gets a reference.
 */
static int create_inode(struct inode *start, const char *path, int flags, u32 mode,
                        struct inode **inode, bool *created, int depth)
{
    size_t len = strlen(path);
    if (len > 0 && path[len - 1] == '/')
        return -EISDIR; /* "name/": only a directory could be meant, and we make files */
    struct inode *dir, *found;
    char last[NAME_MAX + 1];
    int error = vfs_lookup_parent(path, start, &dir, last);
    if (error)
        return error;
    if (!last[0] || strcmp(last, ".") == 0 || strcmp(last, "..") == 0) {
        inode_put(dir);
        return -EISDIR;
    }
    found = NULL;
    error = vfs_lookup(last, dir, 0, &found); /* found is set only when error == 0 */
    if (error == 0 && S_ISLNK(found->mode) && !(flags & (O_EXCL | O_NOFOLLOW))) {
        struct inode *link = found;
        found = NULL;
        error = vfs_lookup(last, dir, LOOKUP_FOLLOW, &found);
        if (error == -ENOENT) { /* a dangling link: create what it points to */
            char *target = depth < MAX_CREATE_LINKS ? kmalloc(PATH_MAX) : NULL;
            long n = target && link->ops->readlink ? link->ops->readlink(link, target, PATH_MAX - 1)
                                                   : -ELOOP;
            if (n >= 0) {
                target[n] = '\0';
                error = create_inode(dir, target, flags, mode, &found, created, depth + 1);
            } else {
                error = (int)n;
            }
            kfree(target);
            inode_put(link);
            inode_put(dir);
            if (error == 0)
                *inode = found;
            return error;
        }
        inode_put(link);
    }
    if (error == -ENOENT) {
        error = dir->ops->create ? inode_permission(dir, MAY_WRITE | MAY_EXEC)
                                 : -ENOENT; /* /proc: no new files there */
        if (!error)
            error = dir->ops->create(dir, last, mode & ~current->umask & 07777, inode);
        *created = error == 0; /* its creator may open it whatever mode it asked for */
    } else if (error == 0) {
        if (flags & O_EXCL)
            error = -EEXIST;
        else if (S_ISDIR(found->mode))
            error = -EISDIR; /* O_CREAT on an existing directory */
        if (error)
            inode_put(found);
        else
            *inode = found;
    }
    inode_put(dir);
    return error;
}

/* What open's flags ask of the file's mode bits. */
static int open_mask(int flags)
{
    u32 access = flags & O_ACCMODE;
    int mask = access == O_RDONLY   ? MAY_READ
               : access == O_WRONLY ? MAY_WRITE
                                    : MAY_READ | MAY_WRITE;
    return (flags & O_TRUNC) ? mask | MAY_WRITE : mask;
}

/* Find (or with O_CREAT create) the file to open; *inode gets a reference. */
static int open_inode(struct inode *start, const char *path, int flags, u32 mode,
                      struct inode **inode, bool *created)
{
    *created = false;
    if (flags & O_CREAT)
        return create_inode(start, path, flags, mode, inode, created, 0);
    return vfs_lookup(path, start, (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, inode);
}

/* "dir/name" relative to `start` made absolute, for /proc/<pid>/fd and lsof. */
static char *absolute_path(struct inode *start, const char *path)
{
    char *full = kmalloc(PATH_MAX);
    if (!full)
        return NULL;
    long len = path[0] == '/' ? 0 : vfs_directory_path(start, full, PATH_MAX);
    if (len < 0)
        len = 0;
    if (len > 0)
        len--;    /* drop the NUL */
    if (len == 1) /* the root directory: "/" + name */
        len = 0;
    snprintf(full + len, PATH_MAX - (size_t)len, "%s%s", len ? "/" : "", path);
    return full;
}

long sys_openat(int dirfd, const char *user_path, int flags, u32 mode)
{
    char *path = kmalloc(PATH_MAX);
    if (!path)
        return -ENOMEM;
    long result = path_from_user(path, user_path);
    struct inode *start = NULL, *inode = NULL;
    if (result < 0)
        goto out;
    if ((result = dirfd_start(dirfd, &start)) < 0)
        goto out;
    bool created;
    result = open_inode(start, path, flags, mode, &inode, &created);
    char *full = result == 0 ? absolute_path(start, path) : NULL;
    inode_put(start);
    if (result < 0)
        goto out;

    u32 access = flags & O_ACCMODE;
    bool wants_write = S_ISREG(inode->mode) && access != O_RDONLY;
    bool writer = false; /* holds write access (against execve) until the file does */
    if (access == 3) {
        result = -EINVAL;
    } else if ((flags & O_DIRECTORY) && !S_ISDIR(inode->mode)) {
        result = -ENOTDIR;
    } else if (S_ISDIR(inode->mode) && access != O_RDONLY) {
        result = -EISDIR;
    } else if (S_ISLNK(inode->mode)) {
        result = -ELOOP; /* O_NOFOLLOW on a symlink */
    } else if (!created && (result = inode_permission(inode, open_mask(flags))) < 0) {
        /* the mode bits say no */
    } else if (wants_write && !(writer = inode_get_write_access(inode) == 0)) {
        result = -ETXTBSY; /* a running program, found before O_TRUNC cuts it */
    } else if ((flags & O_TRUNC) && writer && inode->ops->truncate) {
        result = inode->ops->truncate(inode, 0); /* (generated files ignore O_TRUNC) */
        vm_unmap_file_from(inode, inode->size);  /* mapped pages past the end: SIGBUS */
    }
    struct file *file =
        result < 0 ? NULL : file_open_inode(inode, (u32)flags, full ? full : path, &result);
    if (writer) /* held across the truncate (it may sleep) so no execve starts meanwhile */
        inode_put_write_access(inode);
    if (!file)
        goto out_put;
    result = fd_install(file, 0, flags & O_CLOEXEC);
    if (result < 0)
        file_put(file);
out_put:
    inode_put(inode);
    kfree(full);
out:
    kfree(path);
    return result;
}

long sys_open(const char *path, int flags, u32 mode)
{
    return sys_openat(AT_FDCWD, path, flags, mode);
}

long sys_creat(const char *path, u32 mode)
{
    return sys_openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

long sys_close(int fd) { return fd_close(fd); }

long sys_dup(int fd)
{
    struct file *file = fd_get(fd);
    if (!file)
        return -EBADF;
    file_get(file);
    int result = fd_install(file, 0, false);
    if (result < 0)
        file_put(file);
    return result;
}

long sys_dup3(int oldfd, int newfd, int flags)
{
    if (flags & ~O_CLOEXEC)
        return -EINVAL;
    if (oldfd == newfd)
        return -EINVAL;
    struct file *file = fd_get(oldfd);
    if (!file)
        return -EBADF;
    file_get(file);
    int result = fd_install_at(file, newfd, flags & O_CLOEXEC);
    if (result < 0)
        file_put(file);
    return result;
}

long sys_dup2(int oldfd, int newfd)
{
    if (oldfd == newfd) /* dup2 to itself: just check that it is open */
        return fd_get(oldfd) ? newfd : -EBADF;
    return sys_dup3(oldfd, newfd, 0);
}

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1

long sys_fcntl(int fd, int command, u64 arg)
{
    struct file *file = fd_get(fd);
    if (!file)
        return -EBADF;
    switch (command) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
        if ((i64)arg < 0 || arg >= current->rlimits[RLIMIT_NOFILE].cur)
            return -EINVAL;
        file_get(file);
        int result = fd_install(file, (int)arg, command == F_DUPFD_CLOEXEC);
        if (result < 0)
            file_put(file);
        return result;
    }
    case F_GETFD:
        return fd_is_cloexec(fd) ? FD_CLOEXEC : 0;
    case F_SETFD:
        fd_set_cloexec(fd, arg & FD_CLOEXEC);
        return 0;
    case F_GETFL:
        return file->flags;
    case F_SETFL: {
        /* Only these can change after open; the access mode cannot. */
        u32 changeable = O_APPEND | O_NONBLOCK;
        file->flags = (file->flags & ~changeable) | ((u32)arg & changeable);
        return 0;
    }
    case F_GETLK:
        return lock_fcntl(file, LOCK_CMD_GET, (void *)arg);
    case F_SETLK:
        return lock_fcntl(file, LOCK_CMD_SET, (void *)arg);
    case F_SETLKW:
        return lock_fcntl(file, LOCK_CMD_SET_WAIT, (void *)arg);
    default:
        return -EINVAL;
    }
}
