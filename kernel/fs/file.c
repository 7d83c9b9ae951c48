/* file.c - open-file objects and descriptor tables (see file.h). */
#include "kernel/fs/file.h"
#include "kernel/fs/lock.h"
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/net/epoll.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "mm/kheap.h"
#include "proc/proc.h"

static int open_files; /* system-wide, against NR_OPEN_FILES_MAX */

int files_open_count(void) { return open_files; }

/* Does this open hold write access to a regular file (against ETXTBSY)?  The access mode never
 * changes after open, so open and the last close agree. */
static bool file_counts_as_writer(const struct inode *inode, u32 flags)
{
    return S_ISREG(inode->mode) && (flags & O_ACCMODE) != O_RDONLY;
}

struct file *file_open_inode(struct inode *inode, u32 flags, const char *path, long *error)
{
    if (open_files >= NR_OPEN_FILES_MAX) {
        *error = -ENFILE;
        return NULL;
    }
    bool writer = file_counts_as_writer(inode, flags);
    if (writer && (*error = inode_get_write_access(inode)) < 0)
        return NULL; /* a running program: ETXTBSY */
    struct file *file = kzalloc(sizeof *file);
    if (!file) {
        if (writer)
            inode_put_write_access(inode);
        *error = -ENOMEM;
        return NULL;
    }
    file->inode = inode;
    inode_get(inode);
    file->flags = flags; /* open() sees them all, then the one-time flags are dropped */
    file->refcount = 1;
    file->ops = inode->fops;
    if (path) {
        size_t len = strlen(path);
        if ((file->path = kmalloc(len + 1)))
            memcpy(file->path, path, len + 1);
    }
    open_files++;
    if (file->ops && file->ops->open) {
        int e = file->ops->open(file);
        if (e < 0) {
            file->ops = NULL; /* no release for an open that failed */
            file_put(file);
            *error = e;
            return NULL;
        }
    }
    file->flags &= ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
    *error = 0;
    return file;
}

void file_get(struct file *file) { file->refcount++; }

long file_whence_base(const struct file *file, int whence, i64 *base)
{
    switch (whence) {
    case SEEK_SET:
        *base = 0;
        return 0;
    case SEEK_CUR:
        *base = (i64)file->offset;
        return 0;
    case SEEK_END:
        *base = (i64)file->inode->size;
        return 0;
    default:
        return -EINVAL;
    }
}

void file_put(struct file *file)
{
    if (!file || --file->refcount > 0)
        return;
    lock_release_file(file);
    if (file->epoll_watchers)
        epoll_file_closed(file); /* no epoll may watch a file that is gone */
    if (file->ops && file->ops->release)
        file->ops->release(file);
    if (file_counts_as_writer(file->inode, file->flags))
        inode_put_write_access(file->inode);
    inode_put(file->inode);
    kfree(file->path);
    kfree(file);
    open_files--;
}

/* --- descriptor tables --------------------------------------------------------- */

static int grow(struct fd_table *t, int needed)
{
    if (needed <= t->capacity)
        return 0;
    int capacity = MAX(t->capacity * 2, 64);
    while (capacity < needed)
        capacity *= 2;
    struct file **files = kzalloc((size_t)capacity * sizeof *files);
    u8 *cloexec = kzalloc((size_t)capacity);
    if (!files || !cloexec) {
        kfree(files);
        kfree(cloexec);
        return -ENOMEM;
    }
    if (t->capacity) {
        memcpy(files, t->files, (size_t)t->capacity * sizeof *files);
        memcpy(cloexec, t->cloexec, (size_t)t->capacity);
    }
    kfree(t->files);
    kfree(t->cloexec);
    t->files = files;
    t->cloexec = cloexec;
    t->capacity = capacity;
    return 0;
}

struct fd_table *fd_table_create(void)
{
    struct fd_table *t = kzalloc(sizeof *t);
    if (t && grow(t, 64) < 0) {
        kfree(t);
        return NULL;
    }
    if (t)
        t->refs = 1;
    return t;
}

struct fd_table *fd_table_fork(struct fd_table *parent)
{
    struct fd_table *t = kzalloc(sizeof *t);
    if (!t || grow(t, parent->capacity) < 0) {
        kfree(t);
        return NULL;
    }
    memcpy(t->cloexec, parent->cloexec, (size_t)parent->capacity);
    for (int fd = 0; fd < parent->capacity; fd++)
        if ((t->files[fd] = parent->files[fd]))
            file_get(t->files[fd]);
    t->refs = 1;
    return t;
}

void fd_table_get(struct fd_table *t) { t->refs++; }

void fd_table_put(struct fd_table *t)
{
    if (!t || --t->refs > 0)
        return;
    for (int fd = 0; fd < t->capacity; fd++)
        if (t->files[fd]) /* (a call for each of the free ones showed in fork + exit) */
            file_put(t->files[fd]);
    kfree(t->files);
    kfree(t->cloexec);
    kfree(t);
}

void fd_table_close_on_exec(struct fd_table *t)
{
    for (int fd = 0; fd < t->capacity; fd++) {
        if (t->files[fd] && t->cloexec[fd]) {
            lock_release_posix(t->files[fd]->inode, current->tgid);
            file_put(t->files[fd]);
            t->files[fd] = NULL;
            t->cloexec[fd] = 0;
        }
    }
}

struct file *fd_get(int fd)
{
    struct fd_table *t = current->files;
    if (!t || fd < 0 || fd >= t->capacity)
        return NULL;
    return t->files[fd];
}

static u64 nofile_limit(void) { return current->rlimits[RLIMIT_NOFILE].cur; }

int fd_install(struct file *file, int min_fd, bool cloexec)
{
    struct fd_table *t = current->files;
    if (min_fd < 0)
        return -EINVAL;
    for (int fd = min_fd; (u64)fd < nofile_limit(); fd++) {
        if (fd >= t->capacity && grow(t, fd + 1) < 0)
            return -ENOMEM;
        if (!t->files[fd]) {
            t->files[fd] = file;
            t->cloexec[fd] = cloexec;
            return fd;
        }
    }
    return -EMFILE; /* every descriptor below the soft limit is in use */
}

bool fd_has_room(void)
{
    struct fd_table *t = current->files;
    for (int fd = 0; (u64)fd < nofile_limit(); fd++)
        if (fd >= t->capacity || !t->files[fd])
            return true;
    return false;
}

int fd_install_at(struct file *file, int fd, bool cloexec)
{
    struct fd_table *t = current->files;
    if (fd < 0 || (u64)fd >= nofile_limit())
        return -EBADF;
    if (fd >= t->capacity && grow(t, fd + 1) < 0)
        return -ENOMEM;
    struct file *old = t->files[fd];
    t->files[fd] = file;
    t->cloexec[fd] = cloexec;
    if (old)
        lock_release_posix(old->inode, current->tgid);
    file_put(old);
    return fd;
}

int fd_close(int fd)
{
    struct file *file = fd_get(fd);
    if (!file)
        return -EBADF;
    current->files->files[fd] = NULL;
    current->files->cloexec[fd] = 0;
    lock_release_posix(file->inode, current->tgid);
    file_put(file);
    return 0;
}

bool fd_is_cloexec(int fd) { return fd_get(fd) && current->files->cloexec[fd]; }

void fd_set_cloexec(int fd, bool on)
{
    if (fd_get(fd))
        current->files->cloexec[fd] = on;
}
