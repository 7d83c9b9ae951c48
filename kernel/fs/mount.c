/*
 * mount.c - attaching disk file systems to the tree, and writing them back.
 *
 * The in-memory file systems (the root ramfs, /dev, /proc, /tmp...) are
 * mounted once at boot by vfs_init.  A disk file system (ext2) is mounted
 * with the mount system call on a directory: the directory's `mounted`
 * points at the disk's root, and path lookup crosses over (namei.c).
 * umount2 undoes it when nothing on the disk is in use.
 */
#include "kernel/fs/mount.h"
#include "kernel/drivers/block.h"
#include "kernel/errno.h"
#include "kernel/fs/ext2/ext2fs.h"
#include "kernel/fs/file.h"
#include "kernel/fs/syscalls_fs.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "kernel/uaccess.h"
#include "mm/kheap.h"
#include "proc/cred.h"

/* Linux's mount flags that sprout accepts (and mostly ignores). */
#define MS_RDONLY 1
#define MS_NOSUID 2
#define MS_NODEV 4
#define MS_NOEXEC 8
#define MS_SYNCHRONOUS 16
#define MS_NOATIME 1024
#define MS_NODIRATIME 2048
#define MS_SILENT 32768
#define MS_RELATIME (1 << 21)
#define MS_MGC_MASK 0xffff0000u /* old programs put 0xC0ED in the high half */
#define MS_MGC_VAL 0xc0ed0000u
#define MS_ACCEPTED                                                                                \
    (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS | MS_NOATIME | MS_NODIRATIME |  \
     MS_SILENT | MS_RELATIME)

#define MNT_FORCE 1
#define MNT_DETACH 2
#define MNT_EXPIRE 4
#define UMOUNT_NOFOLLOW 8

#define MAX_MOUNTS 8

/* Disk file systems mounted by the mount call. */
static struct mount {
    struct inode *dir;  /* the directory covered (referenced) */
    struct inode *root; /* the file system's root */
    bool read_only;
} mounts[MAX_MOUNTS];

/* "/dev/vda" or "vda" -> the registered block device. */
static struct block_device *device_named(const char *name)
{
    if (str_starts_with(name, "/dev/"))
        name += 5;
    return block_find(name);
}

long sys_mount(const char *user_source, const char *user_target, const char *user_fstype, u64 flags,
               const void *data)
{
    char fstype[16], *source = kmalloc(PATH_MAX);
    long error = -ENOMEM;
    if (!source)
        return -ENOMEM;
    if ((flags & MS_MGC_MASK) == MS_MGC_VAL)
        flags &= ~(u64)MS_MGC_MASK;
    error = strncpy_from_user(fstype, user_fstype, sizeof fstype);
    if (error == -EFAULT)
        goto out;
    if (!capable(CAP_SYS_ADMIN)) { /* Linux asks before it looks for the file system type */
        error = -EPERM;
        goto out;
    }
    if (error < 0 || strcmp(fstype, "ext2") != 0) { /* too long is unknown too */
        error = -ENODEV;                            /* Linux: a file system type it does not know */
        goto out;
    }
    if (flags & ~(u64)MS_ACCEPTED) {
        error = -EINVAL;
        goto out;
    }
    if ((error = path_from_user(source, user_source)) < 0)
        goto out;
    struct block_device *device = device_named(source);
    if (!device) {
        error = -ENOENT;
        goto out;
    }
    struct inode *dir;
    if ((error = lookup_at(AT_FDCWD, user_target, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, false, &dir)))
        goto out;
    struct mount *slot = NULL;
    for (int i = 0; i < MAX_MOUNTS; i++)
        if (!mounts[i].root && !slot)
            slot = &mounts[i];
    struct inode *root;
    if (dir->mounted || dir->covered)
        error = -EBUSY; /* already a mount point (or a root) */
    else if (!slot)
        error = -ENOMEM;
    else if (!(error = ext2_mount(device, flags & MS_RDONLY, &root))) {
        vfs_mount(dir, root);
        inode_put(root); /* the mount's reference (vfs_mount) and the file system's remain */
        slot->dir = dir;
        slot->root = root;
        slot->read_only = flags & MS_RDONLY;
        dir = NULL; /* the table keeps the reference */
    }
    inode_put(dir);
out:
    kfree(source);
    return error;
}

long sys_umount2(const char *user_target, int flags)
{
    if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
        return -EINVAL;
    struct inode *inode;
    long error = lookup_at(AT_FDCWD, user_target, flags & UMOUNT_NOFOLLOW ? 0 : LOOKUP_FOLLOW,
                           false, &inode);
    if (error)
        return error;
    struct mount *m = NULL;
    for (int i = 0; i < MAX_MOUNTS; i++)
        if (mounts[i].root && mounts[i].root == inode)
            m = &mounts[i];
    inode_put(inode);
    if (!capable(CAP_SYS_ADMIN)) /* Linux: after the lookup, before "is it mounted?" */
        return -EPERM;
    if (!m)
        return inode == vfs_root ? -EBUSY : -EINVAL; /* not a mount point */
    /* Detach first, so no lookup enters it while it is written back. */
    struct inode *dir = m->dir, *root = m->root;
    dir->mounted = NULL;
    if ((error = ext2_unmount(root)) < 0) {
        dir->mounted = root; /* in use: leave it where it was */
        return error;
    }
    m->root = m->dir = NULL;
    inode_put(dir);
    return 0;
}

void mount_sync_all(void) { ext2_sync(NULL); }

long sys_sync(void)
{
    mount_sync_all();
    return 0;
}

long sys_syncfs(int fd)
{
    struct file *file = fd_get(fd);
    if (!file)
        return -EBADF;
    return ext2_owns(file->inode) ? ext2_sync(file->inode) : 0;
}

/* The whole file system is written: more than fsync needs, never less. */
long sys_fsync(int fd) { return sys_syncfs(fd); }
long sys_fdatasync(int fd) { return sys_syncfs(fd); }

void procfs_show_mounts(struct textbuf *out, struct proc *unused)
{
    if (ext2_owns(vfs_root))
        textbuf_printf(out, "/dev/%s / ext2 rw,relatime 0 0\n", ext2_device_name(vfs_root));
    else
        textbuf_printf(out, "rootfs / ramfs rw 0 0\n");
    textbuf_printf(out, "devtmpfs /dev devtmpfs rw,relatime 0 0\n"
                        "proc /proc proc rw,relatime 0 0\n"
                        "tmpfs /tmp tmpfs rw,relatime 0 0\n"
                        "tmpfs /dev/shm tmpfs rw,relatime 0 0\n"
                        "mqueue /dev/mqueue mqueue rw,relatime 0 0\n");
    char *path = kmalloc(PATH_MAX);
    for (int i = 0; path && i < MAX_MOUNTS; i++) {
        if (!mounts[i].root)
            continue;
        if (vfs_directory_path(mounts[i].dir, path, PATH_MAX) < 0)
            strlcpy(path, "?", PATH_MAX);
        textbuf_printf(out, "/dev/%s %s ext2 %s,relatime 0 0\n", ext2_device_name(mounts[i].root),
                       path, mounts[i].read_only ? "ro" : "rw");
    }
    kfree(path);
}
