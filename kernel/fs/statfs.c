/*
 * statfs.c - statfs and fstatfs: which file system is this, and how full?
 *
 * `df` and programs that check for free space before writing ask this.
 * ramfs and each tmpfs know their size limit and how many pages they hold
 * (ramfs_statfs), an ext2 its superblock's counts (ext2_statfs); the others are identified by their
 * st_dev, and report no size, as Linux's proc and pipe file systems do.  The type is Linux's magic
 * number, so `stat -f` and programs comparing f_type work unchanged.
 */
#include "kernel/errno.h"
#include "kernel/fs/ext2/ext2fs.h"
#include "kernel/fs/file.h"
#include "kernel/fs/ramfs.h"
#include "kernel/fs/syscalls_fs.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "kernel/uaccess.h"

#define ST_VALID 0x20 /* f_flags holds the mount flags (Linux 2.6.36 and later) */
#define NAME_MAX 255

struct statfs_user { /* Linux's struct statfs on x86-64: 120 bytes */
    i64 f_type, f_bsize;
    u64 f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    i32 f_fsid[2];
    i64 f_namelen, f_frsize, f_flags;
    i64 f_spare[4];
};
_Static_assert(sizeof(struct statfs_user) == 120, "struct statfs is 120 bytes");

static long statfs_to_user(struct inode *inode, void *buf)
{
    struct kstatfs k = {0};
    if (!ramfs_statfs(inode, &k) && !ext2_statfs(inode, &k)) {
        switch (inode->dev) {
        case DEVFS_DEV:
            k.type = TMPFS_MAGIC;
            break; /* Linux's /dev is a devtmpfs */
        case PIPE_DEV:
            k.type = PIPEFS_MAGIC;
            break;
        case PROCFS_DEV:
            k.type = PROC_SUPER_MAGIC;
            break;
        case MQUEUE_DEV:
            k.type = MQUEUE_MAGIC;
            break;
        case CGROUPFS_DEV:
            k.type = CGROUP2_SUPER_MAGIC;
            break;
        default:
            k.type = TMPFS_MAGIC;
            break;
        }
    }
    struct statfs_user st;
    memset(&st, 0, sizeof st);
    st.f_type = (i64)k.type;
    st.f_bsize = st.f_frsize = k.bsize ? k.bsize : PAGE_SIZE;
    st.f_files = k.files;
    st.f_ffree = k.ffree;
    st.f_blocks = k.blocks;
    st.f_bfree = k.bfree;
    st.f_bavail = k.bavail;
    st.f_fsid[0] = (i32)inode->dev;
    st.f_namelen = NAME_MAX;
    st.f_flags = ST_VALID;
    return copy_to_user(buf, &st, sizeof st) < 0 ? -EFAULT : 0;
}

long sys_statfs(const char *path, void *buf)
{
    struct inode *inode;
    long error = lookup_at(AT_FDCWD, path, LOOKUP_FOLLOW, false, &inode);
    if (error)
        return error;
    error = statfs_to_user(inode, buf);
    inode_put(inode);
    return error;
}

long sys_fstatfs(int fd, void *buf)
{
    struct file *file = fd_get(fd);
    return file ? statfs_to_user(file->inode, buf) : -EBADF;
}
