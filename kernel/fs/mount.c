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
#include "kernel/fs/cgroupfs/cgroupfs.h"
#include "kernel/fs/ext2/ext2fs.h"
#include "kernel/fs/file.h"
#include "kernel/fs/procfs.h"
#include "kernel/fs/syscalls_fs.h"
#include "kernel/fs/vfs.h"
#include "kernel/fs/writeback.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "kernel/uaccess.h"
#include "mm/kheap.h"
#include "proc/cred.h"
#include "proc/ns.h"
#include "proc/proc.h"

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

static struct mount *free_slot(void)
{
    for (int i = 0; i < MAX_MOUNTS; i++)
        if (!mounts[i].root)
            return &mounts[i];
    return NULL;
}

/* --- mounts of one mount namespace ------------------------------------------------ */

/* The mount namespace whose own table the current process uses, or NULL (the first one's
 * mounts are the global table above). */
static struct mnt_ns *own_table(void)
{
    struct mnt_ns *ns = current ? current->ns.mnt : NULL;
    return ns && ns != &init_mnt_ns ? ns : NULL;
}

struct inode *mount_ns_lookup(struct inode *dir)
{
    struct mnt_ns *ns = own_table();
    for (int i = 0; ns && i < MNT_NS_MOUNTS; i++)
        if (ns->mounts[i].dir == dir)
            return ns->mounts[i].root;
    return NULL;
}

static struct ns_mount *ns_slot_of_root(struct mnt_ns *ns, struct inode *root)
{
    for (int i = 0; ns && i < MNT_NS_MOUNTS; i++)
        if (ns->mounts[i].dir && ns->mounts[i].root == root)
            return &ns->mounts[i];
    return NULL;
}

/* Add dir -> root to the namespace's table (taking a reference to each): 0 or -ENOMEM. */
static int ns_mount_add(struct mnt_ns *ns, struct inode *dir, struct inode *root)
{
    for (int i = 0; i < MNT_NS_MOUNTS; i++) {
        if (!ns->mounts[i].dir) {
            inode_get(dir);
            inode_get(root);
            ns->mounts[i] = (struct ns_mount){dir, root};
            return 0;
        }
    }
    return -ENOMEM;
}

static void ns_mount_remove(struct ns_mount *m)
{
    struct inode *dir = m->dir, *root = m->root;
    *m = (struct ns_mount){NULL, NULL};
    inode_put(root);
    inode_put(dir);
}

void mount_ns_copy(struct mnt_ns *to, const struct mnt_ns *from)
{
    for (int i = 0; i < MNT_NS_MOUNTS; i++)
        if (from->mounts[i].dir)
            ns_mount_add(to, from->mounts[i].dir, from->mounts[i].root);
}

void mount_ns_release(struct mnt_ns *ns)
{
    for (int i = 0; i < MNT_NS_MOUNTS; i++)
        if (ns->mounts[i].dir)
            ns_mount_remove(&ns->mounts[i]);
}

/*
 * pivot_root(new_root, put_old): the mount namespace's root becomes new_root,
 * and the old root is mounted on put_old (inside new_root), from where
 * umount2(put_old, MNT_DETACH) lets go of it.  Every process of the namespace
 * whose root or current directory was the old root moves with it, as Linux.
 * sprout's differences: new_root need not be a mount point, and only a new
 * mount namespace may pivot (EINVAL in the first one: the host's root stays).
 */
long sys_pivot_root(const char *user_new_root, const char *user_put_old)
{
    if (!capable(CAP_SYS_ADMIN))
        return -EPERM;
    struct inode *new_root, *put_old;
    long error =
        lookup_at(AT_FDCWD, user_new_root, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, false, &new_root);
    if (error)
        return error;
    if ((error = lookup_at(AT_FDCWD, user_put_old, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, false,
                           &put_old))) {
        inode_put(new_root);
        return error;
    }
    struct mnt_ns *ns = own_table();
    struct inode *old_root = current->root ? current->root : vfs_root;
    /* put_old must be new_root or below it (a bounded climb: directories have depth). */
    struct inode *up = put_old;
    for (int depth = 0; up && up != new_root && depth < 4096; depth++)
        up = up->covered ? up->covered : up->parent;
    if (!ns || new_root == old_root || up != new_root || put_old == new_root)
        error = -EINVAL;
    else
        error = ns_mount_add(ns, put_old, old_root);
    if (!error) {
        struct proc *p;
        list_for_each_entry (p, &all_procs, all_node) {
            if (p->ns.mnt != ns)
                continue;
            if ((p->root ? p->root : vfs_root) == old_root) {
                inode_get(new_root);
                if (p->root)
                    inode_put(p->root);
                p->root = new_root;
            }
            if (p->cwd == old_root) {
                inode_get(new_root);
                inode_put(p->cwd);
                p->cwd = new_root;
            }
        }
    }
    inode_put(put_old);
    inode_put(new_root);
    return error;
}

/* --- mount -t proc ----------------------------------------------------------------- */

/* mount -t proc: another root for the process file system, as a box's own
 * /proc (what it lists depends on who reads it: kernel/fs/procfs.c).  In a
 * mount namespace other than the first, the mount is that namespace's own. */
static long mount_proc(const char *user_target, u64 flags)
{
    if (!capable(CAP_SYS_ADMIN))
        return -EPERM;
    if (flags & ~(u64)MS_ACCEPTED)
        return -EINVAL;
    struct inode *dir, *root;
    long error = lookup_at(AT_FDCWD, user_target, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, false, &dir);
    if (error)
        return error;
    struct mount *slot = free_slot();
    struct mnt_ns *ns = own_table();
    if (dir->mounted || dir->covered || mount_ns_lookup(dir))
        error = -EBUSY;
    else if (ns && !(root = procfs_new_root()))
        error = -ENOMEM;
    else if (ns) {
        root->covered = dir; /* for "..": the root keeps dir (procfs.c lets go of it) */
        inode_get(dir);
        error = ns_mount_add(ns, dir, root);
        inode_put(root);
        inode_put(dir);
        return error;
    } else if (!slot || !(root = procfs_new_root()))
        error = -ENOMEM;
    if (error) {
        inode_put(dir);
        return error;
    }
    vfs_mount(dir, root);
    inode_put(root); /* the mount holds it */
    *slot = (struct mount){dir, root, flags & MS_RDONLY};
    return 0;
}

/* mount -t cgroup2 none DIR: the control groups' file system (no device). */
static long mount_cgroup2(const char *user_target, u64 flags)
{
    if (flags & ~(u64)MS_ACCEPTED)
        return -EINVAL;
    struct inode *dir;
    long error = lookup_at(AT_FDCWD, user_target, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, false, &dir);
    if (error)
        return error;
    error = mount_ns_lookup(dir) ? -EBUSY : cgroupfs_mount(dir);
    inode_put(dir);
    return error;
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
    if (error >= 0 && strcmp(fstype, "cgroup2") == 0) {
        error = mount_cgroup2(user_target, flags);
        goto out;
    }
    bool proc = error >= 0 && strcmp(fstype, "proc") == 0;
    if (proc) {
        error = mount_proc(user_target, flags);
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
        writeback_start();
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
    struct ns_mount *own = ns_slot_of_root(own_table(), inode);
    if (own) { /* a mount of our namespace alone: nothing to write back */
        inode_put(inode);
        ns_mount_remove(own);
        return 0;
    }
    struct mount *m = NULL;
    for (int i = 0; i < MAX_MOUNTS; i++)
        if (mounts[i].root && mounts[i].root == inode)
            m = &mounts[i];
    inode_put(inode);
    if (!capable(CAP_SYS_ADMIN)) /* Linux: after the lookup, before "is it mounted?" */
        return -EPERM;
    if (!m && cgroupfs_umount(inode) == 0)
        return 0;
    if (!m)
        return inode == vfs_root ? -EBUSY : -EINVAL; /* not a mount point */
    /* Detach first, so no lookup enters it while it is written back. */
    struct inode *dir = m->dir, *root = m->root;
    dir->mounted = NULL;
    if (root->dev == PROCFS_DEV) { /* a /proc: nothing to write back */
        root->covered = NULL;
        m->root = m->dir = NULL;
        inode_put(root);
        inode_put(dir);
        return 0;
    }
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
    cgroupfs_show_mount(out);
    char *path = kmalloc(PATH_MAX);
    struct mnt_ns *ns = own_table();
    for (int i = 0; path && ns && i < MNT_NS_MOUNTS; i++) {
        if (!ns->mounts[i].dir)
            continue;
        if (vfs_directory_path(ns->mounts[i].dir, path, PATH_MAX) < 0)
            strlcpy(path, "?", PATH_MAX);
        textbuf_printf(out, "%s %s %s rw,relatime 0 0\n",
                       ns->mounts[i].root->dev == PROCFS_DEV ? "proc" : "rootfs", path,
                       ns->mounts[i].root->dev == PROCFS_DEV ? "proc" : "ramfs");
    }
    for (int i = 0; path && i < MAX_MOUNTS; i++) {
        if (!mounts[i].root)
            continue;
        if (vfs_directory_path(mounts[i].dir, path, PATH_MAX) < 0)
            strlcpy(path, "?", PATH_MAX);
        if (mounts[i].root->dev == PROCFS_DEV) {
            textbuf_printf(out, "proc %s proc rw,relatime 0 0\n", path);
            continue;
        }
        textbuf_printf(out, "/dev/%s %s ext2 %s,relatime 0 0\n", ext2_device_name(mounts[i].root),
                       path, mounts[i].read_only ? "ro" : "rw");
    }
    kfree(path);
}
