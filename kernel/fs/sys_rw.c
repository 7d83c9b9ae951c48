/* sys_rw.c - read, write and friends: moving bytes through descriptors. */
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/syscalls_fs.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/lock/mutex.h"
#include "kernel/uaccess.h"
#include "mm/kheap.h"
#include "proc/proc.h"

#define MAX_RW_COUNT 0x7FFFF000L /* Linux caps one read/write at this */
#define IOV_MAX 1024

struct iovec {
    void *base;
    u64 len;
};

static long check_rw(struct file *file, const void *buf, size_t count, bool write)
{
    if (!file)
        return -EBADF;
    u32 mode = file->flags & O_ACCMODE;
    if (write ? mode == O_RDONLY : mode == O_WRONLY)
        return -EBADF;
    if (write ? !file->ops->write : !file->ops->read)
        return -EINVAL;
    if (!user_range_ok(buf, count))
        return -EFAULT;
    return 0;
}

/* The file's write lock (file_ops.write_lock), if it has one. */
static void write_lock(struct file *file, bool write)
{
    if (write && file->ops->write_lock)
        mutex_lock(file->ops->write_lock);
}

static void write_unlock(struct file *file, bool write)
{
    if (write && file->ops->write_lock)
        mutex_unlock(file->ops->write_lock);
}

/* One read or write; the caller holds the file's write lock if it has one. */
static long do_rw(struct file *file, void *buf, size_t count, u64 *offset, bool write)
{
    long error = check_rw(file, buf, count, write);
    if (error)
        return error;
    count = MIN(count, (size_t)MAX_RW_COUNT);
    if (write && count > 0)
        inode_kill_suid(file->inode); /* a changed program must not keep its owner's rights */
    /* A read or write may sleep (for data, or in a copy whose page is on
     * swap), and a thread sharing our descriptors may close fd meanwhile:
     * the file (and *offset inside it) stays until we are done. */
    file_get(file);
    long result = write ? file->ops->write(file, buf, count, offset)
                        : file->ops->read(file, buf, count, offset);
    file_put(file);
    return result;
}

long sys_read(int fd, void *buf, size_t count)
{
    struct file *file = fd_get(fd);
    return do_rw(file, buf, count, file ? &file->offset : NULL, false);
}

/* One write or pwrite, under the file's write lock if it has one.  Most
 * files have none and take the short way (pipe_switch measures it: inlined,
 * since the kernel is built at -Og). */
static ALWAYS_INLINE long whole_write(struct file *file, void *buf, size_t count, u64 *offset)
{
    if (!file || !file->ops->write_lock)
        return do_rw(file, buf, count, offset, true);
    file_get(file); /* the lock may sleep: see do_rw */
    write_lock(file, true);
    long result = do_rw(file, buf, count, offset, true);
    write_unlock(file, true);
    file_put(file);
    return result;
}

long sys_write(int fd, const void *buf, size_t count)
{
    struct file *file = fd_get(fd);
    return whole_write(file, (void *)buf, count, file ? &file->offset : NULL);
}

static long positioned(int fd, void *buf, size_t count, i64 position, bool write)
{
    struct file *file = fd_get(fd);
    if (!file)
        return -EBADF;
    if (!file->ops->seekable)
        return -ESPIPE;
    if (position < 0)
        return -EINVAL;
    u64 offset = (u64)position; /* the file's own offset does not move */
    return write ? whole_write(file, buf, count, &offset) : do_rw(file, buf, count, &offset, false);
}

long sys_pread64(int fd, void *buf, size_t count, i64 offset)
{
    return positioned(fd, buf, count, offset, false);
}

long sys_pwrite64(int fd, const void *buf, size_t count, i64 offset)
{
    return positioned(fd, (void *)buf, count, offset, true);
}

static long vectored(int fd, const void *user_iov, int iovcnt, bool write)
{
    struct file *file = fd_get(fd);
    if (!file)
        return -EBADF;
    if (iovcnt < 0 || iovcnt > IOV_MAX)
        return -EINVAL;
    struct iovec *iov = kmalloc((size_t)iovcnt * sizeof *iov + 1);
    if (!iov)
        return -ENOMEM;
    long total = 0;
    file_get(file); /* the copies may sleep: see do_rw */
    if (copy_from_user(iov, user_iov, (size_t)iovcnt * sizeof *iov) < 0) {
        total = -EFAULT;
        goto out;
    }
    u64 sum = 0;
    for (int i = 0; i < iovcnt; i++) {
        sum += iov[i].len;
        if ((i64)iov[i].len < 0 || sum > MAX_RW_COUNT) {
            total = -EINVAL;
            goto out;
        }
    }
    write_lock(file, write); /* one writev: one piece of text on a terminal */
    for (int i = 0; i < iovcnt; i++) {
        if (iov[i].len == 0)
            continue;
        long n = do_rw(file, iov[i].base, iov[i].len, &file->offset, write);
        if (n < 0) {
            if (total == 0)
                total = n;
            break;
        }
        total += n;
        if ((u64)n < iov[i].len)
            break; /* a short transfer ends the call, as for read/write */
    }
    write_unlock(file, write);
out:
    file_put(file);
    kfree(iov);
    return total;
}

long sys_readv(int fd, const void *iov, int iovcnt) { return vectored(fd, iov, iovcnt, false); }
long sys_writev(int fd, const void *iov, int iovcnt) { return vectored(fd, iov, iovcnt, true); }

long sys_lseek(int fd, i64 offset, int whence)
{
    struct file *file = fd_get(fd);
    if (!file)
        return -EBADF;
    if (!file->ops->seekable)
        return -ESPIPE;
    i64 base;
    long error = file_whence_base(file, whence, &base);
    if (error)
        return error;
    i64 result = base + offset;
    if ((offset > 0 && result < base) || result < 0)
        return -EINVAL;
    file->offset = (u64)result;
    return result;
}

long sys_ioctl(int fd, u64 command, u64 arg)
{
    struct file *file = fd_get(fd);
    if (!file)
        return -EBADF;
    if (!file->ops->ioctl)
        return -ENOTTY;
    return file->ops->ioctl(file, command, arg);
}

/* --- getdents64 ------------------------------------------------------------------ */

struct dirent_buffer {
    struct dir_sink sink;
    u8 *buf;
    size_t size, used;
};

static bool emit_dirent(struct dir_sink *sink, const char *name, u64 ino, u8 type)
{
    struct dirent_buffer *b = container_of(sink, struct dirent_buffer, sink);
    size_t name_len = strlen(name);
    size_t reclen = ALIGN_UP(19 + name_len + 1, 8); /* ino, off, reclen, type, name, NUL */
    if (b->used + reclen > b->size)
        return false;
    u8 *rec = b->buf + b->used;
    memset(rec, 0, reclen);
    i64 next = 0; /* d_off: an opaque cookie; we do not support seekdir to it */
    u16 len16 = (u16)reclen;
    memcpy(rec, &ino, 8);
    memcpy(rec + 8, &next, 8);
    memcpy(rec + 16, &len16, 2);
    rec[18] = type;
    memcpy(rec + 19, name, name_len);
    b->used += reclen;
    return true;
}

long sys_getdents64(int fd, void *dirp, size_t count)
{
    struct file *file = fd_get(fd);
    if (!file)
        return -EBADF;
    struct inode *dir = file->inode;
    if (!S_ISDIR(dir->mode) || !dir->ops->readdir)
        return -ENOTDIR;
    if (!user_range_ok(dirp, count))
        return -EFAULT;
    count = MIN(count, (size_t)65536);
    struct dirent_buffer b = {{emit_dirent}, kmalloc(MAX(count, 4096)), count, 0};
    if (!b.buf)
        return -ENOMEM;
    int error = dir->ops->readdir(dir, &file->offset, &b.sink);
    long result = error ? error : (long)b.used;
    if (result == 0) {
        /* Nothing fitted: the end of the directory, or a buffer too small for the next entry. */
        u64 probe = file->offset;
        struct dirent_buffer t = {{emit_dirent}, b.buf, 4096, 0};
        if (count < 4096 && dir->ops->readdir(dir, &probe, &t.sink) == 0 && t.used > 0)
            result = -EINVAL;
    }
    if (result > 0 && copy_to_user(dirp, b.buf, b.used) < 0)
        result = -EFAULT;
    kfree(b.buf);
    return result;
}
