/* vfs.c - inodes, mounts and stat (see vfs.h). */
#include "kernel/fs/vfs.h"
#include "kernel/errno.h"
#include "kernel/fs/mqueue.h"
#include "kernel/fs/devfs.h"
#include "kernel/fs/procfs.h"
#include "kernel/fs/ramfs.h"
#include "kernel/fs/rootfs.h"
#include "kernel/fs/tmpfs.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/timer.h"
#include "kernel/x86.h"
#include "mm/kheap.h"
#include "proc/proc.h"

struct inode *vfs_root;
static u64 last_ino = 1;

u64 vfs_next_ino(void) { return ++last_ino; }
u64 vfs_now(void) { return realtime_ns(); }

struct inode *inode_alloc(u32 dev, u32 mode, const struct inode_ops *ops,
                          const struct file_ops *fops)
{
    struct inode *inode = kzalloc(sizeof *inode);
    if (!inode)
        return NULL;
    inode->ino = vfs_next_ino();
    inode->dev = dev;
    inode->mode = mode;
    inode->nlink = 1;
    if (current) { /* a new file belongs to whoever makes it */
        inode->uid = current->cred.fsuid;
        inode->gid = current->cred.fsgid;
    }
    inode->refcount = 1;
    inode->ops = ops;
    inode->fops = fops;
    inode->atime = inode->mtime = inode->ctime = vfs_now();
    return inode;
}

void inode_get(struct inode *inode)
{
    if (inode)
        inode->refcount++;
}

void inode_put(struct inode *inode)
{
    if (!inode)
        return;
    ASSERT(inode->refcount > 0);
    if (--inode->refcount > 0)
        return;
    if (inode->ops && inode->ops->release)
        inode->ops->release(inode);
    kfree(inode);
}

int inode_get_write_access(struct inode *inode)
{
    if (inode->write_access < 0)
        return -ETXTBSY;
    inode->write_access++;
    return 0;
}

void inode_put_write_access(struct inode *inode)
{
    ASSERT(inode->write_access > 0);
    inode->write_access--;
}

int inode_deny_write_access(struct inode *inode)
{
    if (inode->write_access > 0)
        return -ETXTBSY;
    inode->write_access--;
    return 0;
}

void inode_allow_write_access(struct inode *inode)
{
    ASSERT(inode->write_access < 0);
    inode->write_access++;
}

void vfs_mount(struct inode *dir, struct inode *root)
{
    dir->mounted = root;
    root->covered = dir;
    root->parent = NULL;
    inode_get(root);
}

void vfs_stat(const struct inode *inode, struct kstat *st)
{
    memset(st, 0, sizeof *st);
    st->dev = inode->dev;
    st->ino = inode->ino;
    st->nlink = inode->nlink;
    st->mode = inode->mode;
    st->uid = inode->uid;
    st->gid = inode->gid;
    st->rdev = inode->rdev;
    st->size = (i64)inode->size;
    st->blksize = 4096;
    st->blocks = (i64)(inode->ops && inode->ops->blocks ? inode->ops->blocks(inode)
                                                        : (inode->size + 511) / 512);
    st->atime_sec = inode->atime / 1000000000, st->atime_nsec = inode->atime % 1000000000;
    st->mtime_sec = inode->mtime / 1000000000, st->mtime_nsec = inode->mtime % 1000000000;
    st->ctime_sec = inode->ctime / 1000000000, st->ctime_nsec = inode->ctime % 1000000000;
}

void vfs_init(void)
{
    vfs_root = rootfs_mount_disk(); /* root=: ext2 on the disk, or NULL for the initrd */
    if (!vfs_root)
        vfs_root = ramfs_create_root();
    if (!vfs_root)
        panic("vfs: no memory for the root file system");
    devfs_mount();
    procfs_mount();
    vfs_root->ops->mkdir(vfs_root, "tmp", 01777); /* scratch space for everyone */
    tmpfs_mount_all();
    mqueue_mount();
}

bool dir_emit_dots(struct inode *dir, struct inode *up, u64 *position, struct dir_sink *sink)
{
    if (*position == 0) {
        if (!sink->emit(sink, ".", dir->ino, DT_DIR))
            return false;
        *position = 1;
    }
    if (*position == 1) {
        if (!sink->emit(sink, "..", up->ino, DT_DIR))
            return false;
        *position = 2;
    }
    return true;
}
