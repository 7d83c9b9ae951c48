/* tmpfs.c - mount size-limited ramfs instances on /tmp and /dev/shm (see tmpfs.h). */
#include "kernel/fs/tmpfs.h"
#include "kernel/cmdline.h"
#include "kernel/fs/ramfs.h"
#include "kernel/fs/vfs.h"
#include "kernel/panic.h"
#include "kernel/param.h"
#include "kernel/printk.h"
#include "mm/frame.h"

bool tmpfs_parse_size(const char *text, u64 ram_bytes, u64 *bytes)
{
    if (!text || *text < '0' || *text > '9')
        return false;
    u64 value = 0;
    const char *p = text;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (value > (~0ull - 9) / 10)
            return false;
        value = value * 10 + (u64)(*p - '0');
    }
    u64 shift = 0;
    if (*p == 'K' || *p == 'k')
        shift = 10;
    else if (*p == 'M' || *p == 'm')
        shift = 20;
    else if (*p == 'G' || *p == 'g')
        shift = 30;
    if (*p == '%') {
        if (value > 100)
            return false;
        value = ram_bytes / 100 * value;
        p++;
    } else if (shift) {
        if (value > (~0ull >> shift))
            return false;
        value <<= shift;
        p++;
    }
    if (*p || value == 0)
        return false;
    *bytes = value;
    return true;
}

static void mount_at(const char *path, u64 max_bytes)
{
    struct inode *dir = NULL, *root = tmpfs_create(max_bytes);
    if (!root || vfs_lookup(path, vfs_root, 0, &dir) < 0)
        panic("tmpfs: cannot mount %s", path);
    vfs_mount(dir, root);
    inode_put(dir);
    inode_put(root);
}

void tmpfs_mount_all(void)
{
    u64 ram = frames_total() * PAGE_SIZE, size = ram / 2; /* Linux's default */
    const char *option = boot_option("tmpfs_size");
    if (option && !tmpfs_parse_size(option, ram, &size)) {
        pr_warn("tmpfs: bad tmpfs_size=%s (bytes with K/M/G, or N%%); using half of RAM\n", option);
        size = ram / 2;
    }
    mount_at("/tmp", size);
    mount_at("/dev/shm", size);
    pr_info("tmpfs: /tmp and /dev/shm, %lu KiB each\n", size / 1024);
}
