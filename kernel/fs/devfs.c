/*
 * devfs.c - the device directory /dev.
 *
 * Devices are inodes like any other; what makes them special is their
 * file_ops: reading /dev/zero produces zeros, writing /dev/null discards,
 * and /dev/console is the terminal (kernel/tty.c).
 */
#include "kernel/fs/devfs.h"
#include "kernel/drivers/block.h"
#include "kernel/errno.h"
#include "kernel/fs/blockdev.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/random.h"
#include "kernel/tty.h"
#include "kernel/param.h"
#include "kernel/prof.h"
#include "kernel/uaccess.h"
#include "sched/sched.h"

#define MKDEV(major, minor) (((major) << 8) | (minor))

static long null_read(struct file *f, void *buf, size_t size, u64 *offset) { return 0; }
static long null_write(struct file *f, const void *buf, size_t size, u64 *offset)
{
    return (long)size;
}

/* Zeros a page at a time, with a preemption point between pages: a read of
 * 64 MiB must neither freeze the machine nor outlive a SIGKILL. */
static long zero_read(struct file *f, void *buf, size_t size, u64 *offset)
{
    size_t done = 0;
    while (done < size) {
        size_t n = MIN(size - done, (size_t)PAGE_SIZE);
        if (sched_preempt_point() < 0)
            return done ? (long)done : -EINTR;
        if (clear_user((u8 *)buf + done, n) < 0)
            return done ? (long)done : -EFAULT;
        done += n;
    }
    return (long)done;
}

static long random_read(struct file *f, void *buf, size_t size, u64 *offset)
{
    return random_to_user(buf, size);
}

static u32 always_ready(struct file *f, struct poll_table *table) { return POLLIN | POLLOUT; }

static const struct file_ops null_fops = {
    .read = null_read, .write = null_write, .poll = always_ready, .seekable = true};
static const struct file_ops zero_fops = {
    .read = zero_read, .write = null_write, .poll = always_ready, .seekable = true};
static const struct file_ops random_fops = {
    .read = random_read, .write = null_write, .poll = always_ready, .seekable = true};

struct device {
    const char *name;
    u32 rdev;
    const struct file_ops *fops;
    struct inode *inode;
};

static struct device devices[] = {
    {"console", MKDEV(5, 1), &tty_fops, NULL},   {"tty", MKDEV(5, 0), &tty_fops, NULL},
    {"null", MKDEV(1, 3), &null_fops, NULL},     {"zero", MKDEV(1, 5), &zero_fops, NULL},
    {"random", MKDEV(1, 8), &random_fops, NULL}, {"urandom", MKDEV(1, 9), &random_fops, NULL},
    {"prof", MKDEV(10, 240), &prof_fops, NULL}, /* the profiler (kernel/prof.h) */
};

/* The disks (kernel/drivers/block.h), as block devices: /dev/vda ... */
#define DEVFS_MAX_DISKS 8
static struct device disks[DEVFS_MAX_DISKS];
static size_t disk_count;

/* Empty directories that other file systems are mounted on: /dev/shm
 * (a tmpfs, kernel/fs/tmpfs.c) and /dev/mqueue (the message queues,
 * kernel/fs/mqueue.c). */
static struct mount_point {
    const char *name;
    struct inode *inode;
} mount_points[] = {{"shm", NULL}, {"mqueue", NULL}};

static struct inode *devfs_lookup(struct inode *dir, const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(mount_points); i++) {
        if (strcmp(mount_points[i].name, name) == 0) {
            inode_get(mount_points[i].inode);
            return mount_points[i].inode;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(devices); i++) {
        if (strcmp(devices[i].name, name) == 0) {
            inode_get(devices[i].inode);
            return devices[i].inode;
        }
    }
    for (size_t i = 0; i < disk_count; i++) {
        if (strcmp(disks[i].name, name) == 0) {
            inode_get(disks[i].inode);
            return disks[i].inode;
        }
    }
    return NULL;
}

static int devfs_readdir(struct inode *dir, u64 *position, struct dir_sink *sink)
{
    const u64 dirs = 2 + ARRAY_SIZE(mount_points);
    const u64 chars = dirs + ARRAY_SIZE(devices);
    if (!dir_emit_dots(dir, dir->covered ? dir->covered : dir, position, sink))
        return 0;
    while (*position < chars + disk_count) {
        u64 i = *position;
        bool ok;
        if (i < dirs)
            ok = sink->emit(sink, mount_points[i - 2].name, mount_points[i - 2].inode->ino, DT_DIR);
        else if (i < chars)
            ok = sink->emit(sink, devices[i - dirs].name, devices[i - dirs].inode->ino, DT_CHR);
        else
            ok = sink->emit(sink, disks[i - chars].name, disks[i - chars].inode->ino, DT_BLK);
        if (!ok)
            return 0;
        (*position)++;
    }
    return 0;
}

static int read_only(void) { return -EROFS; }
static int devfs_create(struct inode *d, const char *n, u32 m, struct inode **c)
{
    return read_only();
}
static int devfs_mkdir(struct inode *d, const char *n, u32 m) { return read_only(); }
static int devfs_symlink(struct inode *d, const char *n, const char *t) { return read_only(); }
static int devfs_unlink(struct inode *d, const char *n) { return read_only(); }
static int devfs_rename(struct inode *a, const char *b, struct inode *c, const char *d)
{
    return read_only();
}

static const struct inode_ops devfs_dir_ops = {
    .lookup = devfs_lookup,
    .readdir = devfs_readdir,
    .create = devfs_create,
    .mkdir = devfs_mkdir,
    .symlink = devfs_symlink,
    .unlink = devfs_unlink,
    .rmdir = devfs_unlink,
    .rename = devfs_rename,
};
static const struct inode_ops device_ops = {0};
static long dir_read(struct file *f, void *buf, size_t size, u64 *offset) { return -EISDIR; }
static const struct file_ops devfs_dir_fops = {.read = dir_read, .seekable = true};

void devfs_mount(void)
{
    struct inode *root = inode_alloc(DEVFS_DEV, S_IFDIR | 0755, &devfs_dir_ops, &devfs_dir_fops);
    if (!root)
        panic("devfs: out of memory");
    root->nlink = 2;
    for (size_t i = 0; i < ARRAY_SIZE(devices); i++) {
        u32 mode = S_IFCHR | (devices[i].fops == &tty_fops ? 0620 : 0666);
        devices[i].inode = inode_alloc(DEVFS_DEV, mode, &device_ops, devices[i].fops);
        if (!devices[i].inode)
            panic("devfs: out of memory");
        devices[i].inode->rdev = devices[i].rdev;
    }
    for (struct block_device *b = block_first(); b && disk_count < DEVFS_MAX_DISKS; b = b->next) {
        struct device *disk = &disks[disk_count++];
        disk->name = b->name;
        disk->rdev = blockdev_rdev(b);
        disk->fops = &blockdev_fops;
        disk->inode = inode_alloc(DEVFS_DEV, S_IFBLK | 0660, &device_ops, &blockdev_fops);
        if (!disk->inode)
            panic("devfs: out of memory");
        disk->inode->rdev = disk->rdev;
    }
    for (size_t i = 0; i < ARRAY_SIZE(mount_points); i++) {
        struct inode *d = inode_alloc(DEVFS_DEV, S_IFDIR | 01777, &device_ops, &devfs_dir_fops);
        if (!d)
            panic("devfs: out of memory");
        d->nlink = 2;
        d->parent = root; /* for "/dev/shm/.." (devfs inodes live for ever) */
        mount_points[i].inode = d;
    }
    struct inode *dir = NULL;
    int made = vfs_root->ops->mkdir(vfs_root, "dev", 0755); /* a disk root already has it */
    if ((made < 0 && made != -EEXIST) || vfs_lookup("/dev", vfs_root, 0, &dir) < 0)
        panic("devfs: cannot create /dev");
    vfs_mount(dir, root); /* keeps our reference to dir: a disk's inode must stay */
    inode_put(root);
}
