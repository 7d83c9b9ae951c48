/*
 * swap_sys.c - swapon and swapoff, the boot-time swap= option, and the text
 * of /proc/swaps (see swap.h).
 *
 * swapon(path, flags) takes a block device (/dev/vdb) whose first page has
 * Linux's swap signature: `mkswap` on the host (or tools/run-qemu --swap)
 * makes one.  Swap files on a file system are not supported (EINVAL).
 * swapoff(path) reads every page of the area back into memory first, and
 * gives up with ENOMEM if they would not fit.
 */
#include "mm/swap_sys.h"
#include "kernel/lock/mutex.h"
#include "kernel/drivers/block.h"
#include "kernel/errno.h"
#include "kernel/fs/blockdev.h"
#include "kernel/fs/syscalls_fs.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/lib/textbuf.h"
#include "kernel/printk.h"
#include "mm/frame.h"
#include "mm/swap.h"
#include "proc/cred.h"
#include "sched/wait.h"

#define SWAP_FLAG_PREFER 0x8000 /* flags as in Linux's <sys/swap.h> */
#define SWAP_FLAG_PRIO_MASK 0x7fff
#define SWAP_FLAG_DISCARD 0x10000
#define SWAP_FLAG_DISCARD_ONCE 0x20000
#define SWAP_FLAG_DISCARD_PAGES 0x40000
#define SWAP_FLAGS_VALID                                                                           \
    (SWAP_FLAG_PRIO_MASK | SWAP_FLAG_PREFER | SWAP_FLAG_DISCARD | SWAP_FLAG_DISCARD_ONCE |         \
     SWAP_FLAG_DISCARD_PAGES)

/* The block device a user path names: EINVAL if it is not a block device. */
static long device_at(const char *user_path, struct block_device **device)
{
    struct inode *inode;
    long error = lookup_at(AT_FDCWD, user_path, LOOKUP_FOLLOW, false, &inode);
    if (error)
        return error;
    *device = NULL;
    if (S_ISBLK(inode->mode))
        for (struct block_device *d = block_first(); d; d = d->next)
            if (blockdev_rdev(d) == inode->rdev)
                *device = d;
    inode_put(inode);
    return *device ? 0 : -EINVAL;
}

/* One swapon or swapoff at a time: swapoff sleeps while it reads pages back,
 * and the area it works on must not be deactivated or reused meanwhile. */
static struct mutex swapon_lock = MUTEX_INIT(swapon_lock, "swapon");

long sys_swapon(const char *user_path, int flags)
{
    if (flags & ~SWAP_FLAGS_VALID)
        return -EINVAL;
    if (!capable(CAP_SYS_ADMIN))
        return -EPERM;
    struct block_device *device;
    long error = device_at(user_path, &device);
    if (error)
        return error;
    mutex_lock(&swapon_lock);
    error = swap_activate(device);
    if (error == 0)
        pr_info("Adding %luk swap on /dev/%s.\n", swap_total_pages() * 4, device->name);
    mutex_unlock(&swapon_lock);
    return error;
}

long sys_swapoff(const char *user_path)
{
    if (!capable(CAP_SYS_ADMIN))
        return -EPERM;
    struct block_device *device;
    long error = device_at(user_path, &device);
    if (error)
        return error;
    mutex_lock(&swapon_lock);
    int area = swap_area_of(device);
    if (area < 0)
        error = -EINVAL; /* not an active swap area */
    /* Linux's first check: would the pages fit in free memory at all? */
    else if (swap_area_used(area) + reclaim_low_watermark() > frames_free())
        error = -ENOMEM;
    else if ((error = swap_unuse_area(area)) == 0)
        swap_deactivate(area);
    mutex_unlock(&swapon_lock);
    return error;
}

void swap_boot_activate(const char *name)
{
    if (!name)
        return;
    if (str_starts_with(name, "/dev/"))
        name += 5;
    struct block_device *device = block_find(name);
    int error = device ? swap_activate(device) : -ENOENT;
    if (error)
        pr_warn("swap: cannot use /dev/%s (error %d)\n", name, error);
    else
        pr_info("Adding %luk swap on /dev/%s.\n", swap_total_pages() * 4, name);
}

void swap_show_swaps(struct textbuf *out)
{
    textbuf_printf(out, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
    for (int i = 0; i < MAX_SWAP_AREAS; i++) {
        struct swap_area_info info;
        if (!swap_area_info(i, &info))
            continue;
        char path[24];
        snprintf(path, sizeof path, "/dev/%s", info.device);
        textbuf_printf(out, "%-40s%s\t%lu\t\t%lu\t\t%d\n", path, "partition", info.size_kib,
                       info.used_kib, info.priority);
    }
}
