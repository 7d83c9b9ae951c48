/* tmpfs.c - mount size-limited ramfs instances on /tmp and /dev/shm (see tmpfs.h). */
#include "kernel/fs/tmpfs.h"
#include "kernel/cmdline.h"
#include "kernel/fs/ramfs.h"
#include "kernel/fs/vfs.h"
#include "kernel/panic.h"
#include "kernel/param.h"
#include "kernel/printk.h"
#include "mm/frame.h"

static void mount_at(const char *path, u64 max_bytes)
{
    struct inode *dir = NULL, *root = tmpfs_create(max_bytes);
    if (!root || vfs_lookup(path, vfs_root, 0, &dir) < 0)
        panic("tmpfs: cannot mount %s", path);
    vfs_mount(dir, root); /* keeps our reference to dir: a disk's inode must stay */
    inode_put(root);
}

void tmpfs_mount_all(void)
{
    u64 ram = frames_total() * PAGE_SIZE, size = ram / 2; /* Linux's default */
    const char *option = boot_option("tmpfs_size");
    if (option && !cmdline_parse_size(option, ram, &size)) {
        pr_warn("tmpfs: bad tmpfs_size=%s (bytes with K/M/G, or N%%); using half of RAM\n", option);
        size = ram / 2;
    }
    mount_at("/tmp", size);
    mount_at("/dev/shm", size);
    pr_info("tmpfs: /tmp and /dev/shm, %lu KiB each\n", size / 1024);
}
