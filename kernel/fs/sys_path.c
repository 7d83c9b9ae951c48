/* sys_path.c - system calls that work on names: stat, mkdir, unlink, rename, chdir... */
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/syscalls_fs.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "kernel/uaccess.h"
#include "mm/vm.h"
#include "mm/kheap.h"
#include "proc/proc.h"
#include "proc/thread.h"

/* A path copied from user space into a kmalloc'd buffer (free with kfree). */
static long get_path(const char *user_path, char **out)
{
    char *path = kmalloc(PATH_MAX);
    if (!path)
        return -ENOMEM;
    long len = path_from_user(path, user_path);
    if (len < 0) {
        kfree(path);
        return len;
    }
    *out = path;
    return 0;
}

/* Resolve (dirfd, user path) to an inode with a reference (syscalls_fs.h). */
long lookup_at(int dirfd, const char *user_path, int lookup_flags, bool empty_ok,
               struct inode **inode)
{
    char *path;
    if (empty_ok) { /* AT_EMPTY_PATH: "" means dirfd itself */
        char first;
        if (copy_from_user(&first, user_path, 1) < 0)
            return -EFAULT;
        if (first == '\0') {
            struct file *file = dirfd == AT_FDCWD ? NULL : fd_get(dirfd);
            if (dirfd != AT_FDCWD && !file)
                return -EBADF;
            *inode = file ? file->inode : current->cwd;
            inode_get(*inode);
            return 0;
        }
    }
    long error = get_path(user_path, &path);
    if (error)
        return error;
    struct inode *start;
    error = dirfd_start(dirfd, &start);
    if (!error) {
        error = vfs_lookup(path, start, lookup_flags, inode);
        inode_put(start);
    }
    kfree(path);
    return error;
}

/* Resolve (dirfd, user path) to its parent directory and last name; *slash
 * (if given) says whether the path ended in '/', which only a directory may. */
static long parent_at_slash(int dirfd, const char *user_path, struct inode **dir,
                            char last[NAME_MAX + 1], bool *slash)
{
    char *path;
    long error = get_path(user_path, &path);
    if (error)
        return error;
    if (slash)
        *slash = path[strlen(path) - 1] == '/';
    struct inode *start;
    error = dirfd_start(dirfd, &start);
    if (!error) {
        error = vfs_lookup_parent(path, start, dir, last);
        inode_put(start);
    }
    kfree(path);
    return error;
}

static long parent_at(int dirfd, const char *user_path, struct inode **dir, char last[NAME_MAX + 1])
{
    return parent_at_slash(dirfd, user_path, dir, last, NULL);
}

/* "name/" must name a directory: -ENOTDIR if `name` in `dir` is something else. */
static long check_slash(struct inode *dir, const char *name, bool slash)
{
    struct inode *inode;
    if (!slash || vfs_lookup(name, dir, 0, &inode) < 0)
        return 0;
    long error = S_ISDIR(inode->mode) ? 0 : -ENOTDIR;
    inode_put(inode);
    return error;
}

static long stat_to_user(struct inode *inode, void *statbuf)
{
    struct kstat st;
    vfs_stat(inode, &st);
    return copy_to_user(statbuf, &st, sizeof st) < 0 ? -EFAULT : 0;
}

long sys_newfstatat(int dirfd, const char *path, void *statbuf, int flags)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    struct inode *inode;
    long error = lookup_at(dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW,
                           flags & AT_EMPTY_PATH, &inode);
    if (error)
        return error;
    error = stat_to_user(inode, statbuf);
    inode_put(inode);
    return error;
}

long sys_stat(const char *path, void *statbuf)
{
    return sys_newfstatat(AT_FDCWD, path, statbuf, 0);
}
long sys_lstat(const char *path, void *statbuf)
{
    return sys_newfstatat(AT_FDCWD, path, statbuf, AT_SYMLINK_NOFOLLOW);
}

long sys_fstat(int fd, void *statbuf)
{
    struct file *file = fd_get(fd);
    return file ? stat_to_user(file->inode, statbuf) : -EBADF;
}

#define R_OK 4
#define W_OK 2
#define X_OK 1

long sys_faccessat2(int dirfd, const char *path, int mode, int flags)
{
    if (mode & ~(R_OK | W_OK | X_OK))
        return -EINVAL;
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EACCESS | AT_EMPTY_PATH))
        return -EINVAL;
    /* access() answers for the real user: would *they* be allowed?  (So a
     * set-user-ID program can check on behalf of whoever ran it.) */
    struct cred saved = current->cred;
    if (!(flags & AT_EACCESS)) {
        struct cred *c = &current->cred;
        c->fsuid = c->uid;
        c->fsgid = c->gid;
        /* ... and with the rights the real user would have: root's permitted
         * set, nothing for anyone else (a set-user-ID root program's caller). */
        c->cap_effective = c->uid == 0 ? c->cap_permitted : 0;
    }
    struct inode *inode;
    long error = lookup_at(dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW,
                           flags & AT_EMPTY_PATH, &inode);
    if (!error) {
        if (mode)
            error = inode_permission(inode, mode); /* R_OK, W_OK, X_OK are MAY_* */
        inode_put(inode);
    }
    current->cred = saved;
    return error;
}

long sys_faccessat(int dirfd, const char *path, int mode, int flags)
{
    return sys_faccessat2(dirfd, path, mode, flags);
}
long sys_access(const char *path, int mode) { return sys_faccessat2(AT_FDCWD, path, mode, 0); }

/* May we make dir/name?  An existing name is EEXIST before any permission
 * check, as Linux (mkdir /bin as a user says "File exists"). */
static long may_create(struct inode *dir, const char *name)
{
    struct inode *existing;
    if (vfs_lookup(name, dir, 0, &existing) == 0) {
        inode_put(existing);
        return -EEXIST;
    }
    return inode_permission(dir, MAY_WRITE | MAY_EXEC);
}

long sys_mkdirat(int dirfd, const char *path, u32 mode)
{
    struct inode *dir;
    char last[NAME_MAX + 1];
    long error = parent_at(dirfd, path, &dir, last);
    if (error)
        return error;
    if (!last[0] || strcmp(last, ".") == 0 || strcmp(last, "..") == 0)
        error = -EEXIST;
    else if (!dir->ops->mkdir)
        error = -EPERM;
    else if ((error = may_create(dir, last)) == 0)
        error = dir->ops->mkdir(dir, last, mode & ~current->umask & 07777);
    inode_put(dir);
    return error;
}

long sys_mkdir(const char *path, u32 mode) { return sys_mkdirat(AT_FDCWD, path, mode); }

/* May we remove dir/name (unlink, rmdir, rename's source and target)?  When
 * it does not exist: 0 (the file system's own call then says ENOENT, as
 * Linux looks the name up first), or for a name to be made (rename's
 * target), whether we may write the directory. */
static long may_delete_name(struct inode *dir, const char *name, bool absent_is_new)
{
    struct inode *victim;
    if (vfs_lookup(name, dir, 0, &victim) != 0)
        return absent_is_new ? inode_permission(dir, MAY_WRITE | MAY_EXEC) : 0;
    long error = inode_may_delete(dir, victim);
    inode_put(victim);
    return error;
}

long sys_unlinkat(int dirfd, const char *path, int flags)
{
    if (flags & ~AT_REMOVEDIR)
        return -EINVAL;
    struct inode *dir;
    char last[NAME_MAX + 1];
    bool slash;
    long error = parent_at_slash(dirfd, path, &dir, last, &slash);
    if (error)
        return error;
    bool rmdir = flags & AT_REMOVEDIR;
    if ((error = check_slash(dir, last, slash)) < 0) {
        inode_put(dir);
        return error;
    }
    if (!last[0])
        error = rmdir ? -EBUSY : -EISDIR; /* "/" */
    else if (strcmp(last, ".") == 0)
        error = rmdir ? -EINVAL : -EISDIR;
    else if (strcmp(last, "..") == 0)
        error = rmdir ? -ENOTEMPTY : -EISDIR;
    else if (!(rmdir ? dir->ops->rmdir : dir->ops->unlink))
        error = -EPERM;
    else if ((error = may_delete_name(dir, last, false)) == 0)
        error = rmdir ? dir->ops->rmdir(dir, last) : dir->ops->unlink(dir, last);
    inode_put(dir);
    return error;
}

long sys_unlink(const char *path) { return sys_unlinkat(AT_FDCWD, path, 0); }
long sys_rmdir(const char *path) { return sys_unlinkat(AT_FDCWD, path, AT_REMOVEDIR); }

#define RENAME_NOREPLACE 1

/* Is dir/name a mount point?  Renaming one (or over one) would take a file
 * system such as /proc away from every process: Linux says EBUSY. */
static bool is_mount_point(struct inode *dir, const char *name)
{
    struct inode *inode;
    if (vfs_lookup(name, dir, 0, &inode) != 0)
        return false;
    bool busy = inode->mounted || inode->covered; /* the lookup may have crossed into it */
    inode_put(inode);
    return busy;
}

long sys_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, u32 flags)
{
    if (flags & ~RENAME_NOREPLACE)
        return -EINVAL;
    struct inode *old_dir, *new_dir;
    char old_last[NAME_MAX + 1], new_last[NAME_MAX + 1];
    bool old_slash, new_slash;
    long error = parent_at_slash(olddirfd, oldpath, &old_dir, old_last, &old_slash);
    if (error)
        return error;
    error = parent_at_slash(newdirfd, newpath, &new_dir, new_last, &new_slash);
    if (error) {
        inode_put(old_dir);
        return error;
    }
    /* A trailing slash on either name means "the source is a directory". */
    error = check_slash(old_dir, old_last, old_slash || new_slash);
    if (error) {
        inode_put(old_dir);
        inode_put(new_dir);
        return error;
    }
    bool special = !old_last[0] || !new_last[0] || strcmp(old_last, ".") == 0 ||
                   strcmp(old_last, "..") == 0 || strcmp(new_last, ".") == 0 ||
                   strcmp(new_last, "..") == 0;
    if (special || is_mount_point(old_dir, old_last) || is_mount_point(new_dir, new_last)) {
        error = -EBUSY;
    } else if (old_dir->dev != new_dir->dev || !old_dir->ops->rename) {
        error = -EXDEV;
    } else {
        struct inode *existing;
        if ((flags & RENAME_NOREPLACE) && vfs_lookup(new_last, new_dir, 0, &existing) == 0) {
            inode_put(existing);
            error = -EEXIST;
        } else if ((error = may_delete_name(old_dir, old_last, false)) < 0 ||
                   (error = may_delete_name(new_dir, new_last, true)) < 0) {
            /* no write permission on a directory, or someone else's file in /tmp */
        } else {
            error = old_dir->ops->rename(old_dir, old_last, new_dir, new_last);
        }
    }
    inode_put(old_dir);
    inode_put(new_dir);
    return error;
}

long sys_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
    return sys_renameat2(olddirfd, oldpath, newdirfd, newpath, 0);
}
long sys_rename(const char *oldpath, const char *newpath)
{
    return sys_renameat2(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

long sys_symlinkat(const char *user_target, int newdirfd, const char *linkpath)
{
    char *target;
    long error = get_path(user_target, &target);
    if (error)
        return error;
    struct inode *dir;
    char last[NAME_MAX + 1];
    error = parent_at(newdirfd, linkpath, &dir, last);
    if (!error) {
        if (!last[0] || strcmp(last, ".") == 0 || strcmp(last, "..") == 0)
            error = -EEXIST;
        else if (!dir->ops->symlink)
            error = -EPERM;
        else if ((error = may_create(dir, last)) == 0)
            error = dir->ops->symlink(dir, last, target);
        inode_put(dir);
    }
    kfree(target);
    return error;
}

long sys_symlink(const char *target, const char *linkpath)
{
    return sys_symlinkat(target, AT_FDCWD, linkpath);
}

long sys_readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
    if ((long)size <= 0)
        return -EINVAL;
    struct inode *inode;
    long error = lookup_at(dirfd, path, 0, false, &inode);
    if (error)
        return error;
    if (!S_ISLNK(inode->mode) || !inode->ops->readlink) {
        inode_put(inode);
        return -EINVAL;
    }
    char *target = kmalloc(PATH_MAX);
    long len = target ? inode->ops->readlink(inode, target, MIN(size, (size_t)PATH_MAX)) : -ENOMEM;
    inode_put(inode);
    if (len > 0 && copy_to_user(buf, target, (size_t)len) < 0)
        len = -EFAULT;
    kfree(target);
    return len;
}

long sys_readlink(const char *path, char *buf, size_t size)
{
    return sys_readlinkat(AT_FDCWD, path, buf, size);
}

/* Takes over the reference to dir.  Tasks made with CLONE_FS share the
 * directory (the threads of a process, and any clone(CLONE_FS) child):
 * every one of them moves. */
static void set_cwd(struct inode *dir)
{
    struct inode *old = current->cwd;
    current->cwd = dir;
    for (;;) {
        inode_put(old); /* (may sleep: so the ring is walked afresh each time) */
        old = NULL;
        bool irq = irq_save();
        for (struct list_node *n = current->fs_peer.next; n != &current->fs_peer; n = n->next) {
            struct proc *t = container_of(n, struct proc, fs_peer);
            if (t->cwd && t->cwd != dir) {
                old = t->cwd;
                inode_get(dir);
                t->cwd = dir;
                break;
            }
        }
        irq_restore(irq);
        if (!old)
            return;
    }
}

long sys_chdir(const char *path)
{
    struct inode *dir;
    long error = lookup_at(AT_FDCWD, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, false, &dir);
    if (!error && (error = inode_permission(dir, MAY_EXEC)) < 0)
        inode_put(dir);
    else if (!error)
        set_cwd(dir);
    return error;
}

/*
 * chroot(path): path becomes the caller's "/" -- absolute names start there
 * and ".." stops there (kernel/fs/namei.c).  Only root may (CAP_SYS_CHROOT
 * in Linux, EPERM otherwise), and the cwd stays where it is, as Linux.
 */
long sys_chroot(const char *path)
{
    struct inode *dir;
    long error = lookup_at(AT_FDCWD, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, false, &dir);
    if (error)
        return error;
    if ((error = inode_permission(dir, MAY_EXEC)) < 0 || !capable(CAP_SYS_CHROOT)) {
        inode_put(dir);
        return error ? error : -EPERM;
    }
    struct inode *old = current->root;
    current->root = dir;
    if (old)
        inode_put(old);
    return 0;
}

long sys_fchdir(int fd)
{
    struct file *file = fd_get(fd);
    if (!file)
        return -EBADF;
    if (!S_ISDIR(file->inode->mode))
        return -ENOTDIR;
    long error = inode_permission(file->inode, MAY_EXEC);
    if (error)
        return error;
    inode_get(file->inode);
    set_cwd(file->inode);
    return 0;
}

long sys_getcwd(char *buf, size_t size)
{
    char *path = kmalloc(PATH_MAX);
    if (!path)
        return -ENOMEM;
    long len = vfs_directory_path(current->cwd, path, PATH_MAX);
    if (len > 0 && (size_t)len > size)
        len = -ERANGE;
    if (len > 0 && copy_to_user(buf, path, (size_t)len) < 0)
        len = -EFAULT;
    kfree(path);
    return len;
}

static long truncate_inode(struct inode *inode, i64 length)
{
    if (length < 0)
        return -EINVAL;
    if (S_ISDIR(inode->mode))
        return -EISDIR;
    if (!S_ISREG(inode->mode) || !inode->ops->truncate)
        return -EINVAL;
    inode_kill_suid(inode);
    long error = inode->ops->truncate(inode, (u64)length);
    vm_unmap_file_from(inode, inode->size); /* pages past the new end: SIGBUS from now on */
    return error;
}

long sys_truncate(const char *path, i64 length)
{
    struct inode *inode;
    long error = lookup_at(AT_FDCWD, path, LOOKUP_FOLLOW, false, &inode);
    if (error)
        return error;
    error = inode_permission(inode, MAY_WRITE);
    /* A running program may not be cut (ETXTBSY; a bad length is found first); write access is
     * held while the file system truncates, which may sleep, so no execve starts meanwhile. */
    bool writer = !error && length >= 0 && S_ISREG(inode->mode);
    if (writer && (error = inode_get_write_access(inode)) < 0)
        writer = false;
    if (!error)
        error = truncate_inode(inode, length);
    if (writer)
        inode_put_write_access(inode);
    inode_put(inode);
    return error;
}

long sys_ftruncate(int fd, i64 length)
{
    struct file *file = fd_get(fd);
    if (!file)
        return -EBADF;
    if ((file->flags & O_ACCMODE) == O_RDONLY)
        return -EINVAL;
    return truncate_inode(file->inode, length);
}

long sys_umask(u32 mask)
{
    u32 old = current->umask;
    current->umask = mask & 0777;
    /* (shared with CLONE_FS, like the working directory) */
    for (struct list_node *n = current->fs_peer.next; n != &current->fs_peer; n = n->next)
        container_of(n, struct proc, fs_peer)->umask = mask & 0777;
    return old;
}

static long chmod_inode(struct inode *inode, u32 mode)
{
    long error = inode_chmod_check(inode, &mode);
    if (error)
        return error;
    if (inode->ops->chmod && (error = inode->ops->chmod(inode, mode)) < 0)
        return error;
    inode->mode = (inode->mode & S_IFMT) | (mode & 07777);
    inode->ctime = vfs_now();
    return 0;
}

long sys_fchmodat(int dirfd, const char *path, u32 mode, int flags)
{
    struct inode *inode;
    long error = lookup_at(dirfd, path, LOOKUP_FOLLOW, false, &inode);
    if (error)
        return error;
    error = chmod_inode(inode, mode);
    inode_put(inode);
    return error;
}

long sys_chmod(const char *path, u32 mode) { return sys_fchmodat(AT_FDCWD, path, mode, 0); }

long sys_fchmod(int fd, u32 mode)
{
    struct file *file = fd_get(fd);
    return file ? chmod_inode(file->inode, mode) : -EBADF;
}

/* chown's rules are in permission.c (inode_chown). */
long sys_fchownat(int dirfd, const char *path, u32 uid, u32 gid, int flags)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    struct inode *inode;
    long error = lookup_at(dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW,
                           flags & AT_EMPTY_PATH, &inode);
    if (!error) {
        error = inode_chown(inode, uid, gid);
        inode_put(inode);
    }
    return error;
}

long sys_chown(const char *path, u32 uid, u32 gid)
{
    return sys_fchownat(AT_FDCWD, path, uid, gid, 0);
}
long sys_lchown(const char *path, u32 uid, u32 gid)
{
    return sys_fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}
long sys_fchown(int fd, u32 uid, u32 gid)
{
    struct file *file = fd_get(fd);
    return file ? inode_chown(file->inode, uid, gid) : -EBADF;
}

long sys_utimensat(int dirfd, const char *path, const void *times, int flags)
{
    struct inode *inode;
    long error =
        path ? lookup_at(dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, false,
                         &inode)
             : (fd_get(dirfd) ? (inode = fd_get(dirfd)->inode, inode_get(inode), 0) : -EBADF);
    if (error)
        return error;
    /* Setting "now" needs write permission or ownership (touch); sprout
     * always sets "now". */
    if (!inode_owner_or_capable(inode) && inode_permission(inode, MAY_WRITE) < 0) {
        inode_put(inode);
        return -EACCES;
    }
    inode->atime = inode->mtime = vfs_now(); /* "now" is what touch asks for */
    inode_put(inode);
    return 0;
}

/* A hard link: a second name for an existing file (not a directory), on the
 * same file system.  link() does not follow a symlink; linkat() does with
 * AT_SYMLINK_FOLLOW. */
long sys_linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)
{
    if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    struct inode *target, *dir;
    char last[NAME_MAX + 1];
    long error = lookup_at(olddirfd, oldpath, flags & AT_SYMLINK_FOLLOW ? LOOKUP_FOLLOW : 0,
                           flags & AT_EMPTY_PATH, &target);
    if (error)
        return error;
    if ((error = parent_at(newdirfd, newpath, &dir, last)))
        goto out_target;
    struct inode *existing = NULL;
    if (!last[0] || strcmp(last, ".") == 0 || strcmp(last, "..") == 0 ||
        vfs_lookup(last, dir, 0, &existing) == 0)
        error = -EEXIST;
    else if (dir->dev != target->dev)
        error = -EXDEV;
    else if (S_ISDIR(target->mode))
        error = -EPERM;
    else if (!dir->ops->link)
        error = -EPERM; /* ramfs, /proc...: no hard links */
    else
        error = dir->ops->link(dir, last, target);
    inode_put(existing);
    inode_put(dir);
out_target:
    inode_put(target);
    return error;
}

long sys_link(const char *oldpath, const char *newpath)
{
    return sys_linkat(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}
