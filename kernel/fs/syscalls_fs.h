/* syscalls_fs.h - the file-system system calls (kernel/fs/sys_*.c). */
#ifndef KERNEL_FS_SYSCALLS_FS_H
#define KERNEL_FS_SYSCALLS_FS_H

#include "kernel/types.h"

struct inode;

#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR 0x200
#define AT_SYMLINK_FOLLOW 0x400
#define AT_EACCESS 0x200
#define AT_EMPTY_PATH 0x1000

/* sys_path.c: resolve (dirfd, user path) to an inode with a reference;
 * lookup_flags as vfs_lookup's, empty_ok for AT_EMPTY_PATH. */
long lookup_at(int dirfd, const char *user_path, int lookup_flags, bool empty_ok,
               struct inode **inode);

/* statx.c: stat's newer form; advice about caching (accepted, ignored) */
long sys_statx(int dirfd, const char *path, int flags, unsigned mask, void *buf);
long sys_fadvise64(int fd, i64 offset, i64 length, int advice);

/* xattr.c: extended attributes (there are none: EOPNOTSUPP, empty lists) */
long sys_getxattr(const char *path, const char *name, void *value, size_t size);
long sys_lgetxattr(const char *path, const char *name, void *value, size_t size);
long sys_fgetxattr(int fd, const char *name, void *value, size_t size);
long sys_listxattr(const char *path, char *list, size_t size);
long sys_llistxattr(const char *path, char *list, size_t size);
long sys_flistxattr(int fd, char *list, size_t size);
long sys_setxattr(const char *path, const char *name, const void *value, size_t size, int flags);
long sys_lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags);
long sys_fsetxattr(int fd, const char *name, const void *value, size_t size, int flags);
long sys_removexattr(const char *path, const char *name);
long sys_lremovexattr(const char *path, const char *name);
long sys_fremovexattr(int fd, const char *name);

/* statfs.c: the file system a path or descriptor is on */
long sys_statfs(const char *path, void *buf);
long sys_fstatfs(int fd, void *buf);

/* sys_rw.c: moving bytes */
long sys_read(int fd, void *buf, size_t count);
long sys_write(int fd, const void *buf, size_t count);
long sys_readv(int fd, const void *iov, int iovcnt);
long sys_writev(int fd, const void *iov, int iovcnt);
long sys_pread64(int fd, void *buf, size_t count, i64 offset);
long sys_pwrite64(int fd, const void *buf, size_t count, i64 offset);
long sys_lseek(int fd, i64 offset, int whence);
long sys_ioctl(int fd, u64 command, u64 arg);
long sys_getdents64(int fd, void *dirp, size_t count);

/* sys_open.c: descriptors */
long sys_open(const char *path, int flags, u32 mode);
long sys_openat(int dirfd, const char *path, int flags, u32 mode);
long sys_creat(const char *path, u32 mode);
long sys_close(int fd);
long sys_dup(int fd);
long sys_dup2(int oldfd, int newfd);
long sys_dup3(int oldfd, int newfd, int flags);
long sys_fcntl(int fd, int command, u64 arg);

/* sys_path.c: names */
long sys_stat(const char *path, void *statbuf);
long sys_lstat(const char *path, void *statbuf);
long sys_fstat(int fd, void *statbuf);
long sys_newfstatat(int dirfd, const char *path, void *statbuf, int flags);
long sys_access(const char *path, int mode);
long sys_faccessat(int dirfd, const char *path, int mode, int flags);
long sys_faccessat2(int dirfd, const char *path, int mode, int flags);
long sys_mkdir(const char *path, u32 mode);
long sys_mkdirat(int dirfd, const char *path, u32 mode);
long sys_rmdir(const char *path);
long sys_unlink(const char *path);
long sys_unlinkat(int dirfd, const char *path, int flags);
long sys_rename(const char *oldpath, const char *newpath);
long sys_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
long sys_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, u32 flags);
long sys_symlink(const char *target, const char *linkpath);
long sys_symlinkat(const char *target, int newdirfd, const char *linkpath);
long sys_readlink(const char *path, char *buf, size_t size);
long sys_readlinkat(int dirfd, const char *path, char *buf, size_t size);
long sys_chdir(const char *path);
long sys_fchdir(int fd);
long sys_chroot(const char *path);
long sys_getcwd(char *buf, size_t size);
long sys_truncate(const char *path, i64 length);
long sys_ftruncate(int fd, i64 length);
long sys_umask(u32 mask);
long sys_chmod(const char *path, u32 mode);
long sys_fchmod(int fd, u32 mode);
long sys_fchmodat(int dirfd, const char *path, u32 mode, int flags);
long sys_chown(const char *path, u32 uid, u32 gid);
long sys_fchown(int fd, u32 uid, u32 gid);
long sys_lchown(const char *path, u32 uid, u32 gid);
long sys_fchownat(int dirfd, const char *path, u32 uid, u32 gid, int flags);
long sys_utimensat(int dirfd, const char *path, const void *times, int flags);
long sys_link(const char *oldpath, const char *newpath);
long sys_linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags);

/* pipe.c */
long sys_pipe(int *fds);
long sys_pipe2(int *fds, int flags);

/* Helpers shared by the sys_*.c files. */
/* Copy a path from user space: its length, or -EFAULT / -ENAMETOOLONG / -ENOENT (empty). */
long path_from_user(char *dest, const char *user_path);
/* The directory a *at() call starts from (referenced), or -EBADF / -ENOTDIR. */
int dirfd_start(int dirfd, struct inode **start);

#endif
