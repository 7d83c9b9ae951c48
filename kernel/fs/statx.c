/*
 * statx.c - statx, the extensible stat, and fadvise64, advice about caching.
 *
 * glibc's and coreutils' newer programs ask statx first (Debian's `ls` and
 * `stat` do); glibc would fall back to newfstatat on ENOSYS, but not for
 * every flag, so sprout answers it.  The answer is the same inode as stat's
 * (vfs_stat), laid out as Linux's struct statx: the basic fields, mask
 * STATX_BASIC_STATS (sprout keeps no birth time).
 *
 * fadvise64 is a hint (sequential, random, will need, do not need): sprout's
 * page cache takes no hints, so after Linux's checks it succeeds doing
 * nothing, as Linux does for most advice on most file systems.
 */
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/syscalls_fs.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/uaccess.h"

#define AT_NO_AUTOMOUNT 0x800
#define AT_STATX_SYNC_TYPE 0x6000 /* FORCE_SYNC 0x2000 | DONT_SYNC 0x4000: not both */
#define STATX_BASIC_STATS 0x7ffu  /* type, mode, nlink, uid, gid, times, ino, size, blocks */
#define STATX_RESERVED 0x80000000u

struct statx_timestamp {
    i64 tv_sec;
    u32 tv_nsec;
    i32 reserved;
};

struct statx_user { /* Linux's struct statx: 256 bytes */
    u32 stx_mask, stx_blksize;
    u64 stx_attributes;
    u32 stx_nlink, stx_uid, stx_gid;
    u16 stx_mode, spare0;
    u64 stx_ino, stx_size, stx_blocks, stx_attributes_mask;
    struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
    u32 stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
    u64 stx_mnt_id;
    u32 stx_dio_mem_align, stx_dio_offset_align;
    u64 spare3[12];
};
_Static_assert(sizeof(struct statx_user) == 256, "struct statx is 256 bytes");
STATIC_ASSERT_OFFSET(struct statx_user, stx_ino, 32);
STATIC_ASSERT_OFFSET(struct statx_user, stx_atime, 64);
STATIC_ASSERT_OFFSET(struct statx_user, stx_rdev_major, 128);

/* A device number's halves, as Linux's MAJOR/MINOR of a dev_t (new_decode_dev). */
static u32 dev_major(u64 dev) { return (u32)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffull)); }
static u32 dev_minor(u64 dev) { return (u32)((dev & 0xff) | ((dev >> 12) & ~0xffull)); }

static struct statx_timestamp stamp(i64 sec, i64 nsec)
{
    return (struct statx_timestamp){.tv_sec = sec, .tv_nsec = (u32)nsec};
}

long sys_statx(int dirfd, const char *path, int flags, unsigned mask, void *user_buf)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE))
        return -EINVAL;
    if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (mask & STATX_RESERVED))
        return -EINVAL;
    struct inode *inode;
    long error = lookup_at(dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW,
                           flags & AT_EMPTY_PATH, &inode);
    if (error)
        return error;
    struct kstat st;
    vfs_stat(inode, &st);
    inode_put(inode);
    struct statx_user stx;
    memset(&stx, 0, sizeof stx);
    stx.stx_mask = STATX_BASIC_STATS;
    stx.stx_blksize = (u32)st.blksize;
    stx.stx_nlink = (u32)st.nlink;
    stx.stx_uid = st.uid;
    stx.stx_gid = st.gid;
    stx.stx_mode = (u16)st.mode;
    stx.stx_ino = st.ino;
    stx.stx_size = (u64)st.size;
    stx.stx_blocks = (u64)st.blocks;
    stx.stx_atime = stamp(st.atime_sec, st.atime_nsec);
    stx.stx_mtime = stamp(st.mtime_sec, st.mtime_nsec);
    stx.stx_ctime = stamp(st.ctime_sec, st.ctime_nsec);
    stx.stx_rdev_major = dev_major(st.rdev);
    stx.stx_rdev_minor = dev_minor(st.rdev);
    stx.stx_dev_major = dev_major(st.dev);
    stx.stx_dev_minor = dev_minor(st.dev);
    return copy_to_user(user_buf, &stx, sizeof stx) < 0 ? -EFAULT : 0;
}

#define POSIX_FADV_NOREUSE 5 /* the highest advice: NORMAL 0 .. NOREUSE 5 */

long sys_fadvise64(int fd, i64 offset, i64 length, int advice)
{
    struct file *file = fd_get(fd);
    if (!file)
        return -EBADF;
    if (S_ISFIFO(file->inode->mode))
        return -ESPIPE; /* a pipe has no cache to advise about */
    if (length < 0 || advice < 0 || advice > POSIX_FADV_NOREUSE)
        return -EINVAL;
    return 0;
}
