/*
 * swap_sys.c - swapon and swapoff, the boot-time swap= option, and the text
 * of /proc/swaps (see swap.h).
 *
 * swapon(path, flags) takes a block device (/dev/vdb) whose first page has
 * Linux's swap signature: `mkswap` on the host (or tools/run-qemu --swap)
 * makes one; or a regular file of an ext2 file system with that header (a
 * swap file: its blocks are found once, at swapon, and pages are then read
 * and written straight to them, past the file system).  SWAP_FLAG_PREFER
 * gives the area a priority (0..32767): higher ones are used first, equal
 * ones in turn; without it areas get -2, -3, ... as on Linux.
 * swapoff(path) reads every page of the area back into memory first, and
 * gives up with ENOMEM if they would not fit.
 */
#include "mm/swap_sys.h"
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
#include "kernel/uaccess.h"
#include "proc/cred.h"
#include "proc/proc.h"
#include "sched/wait.h"

#define SWAP_FLAG_PREFER 0x8000 /* flags as in Linux's <sys/swap.h> */
#define SWAP_FLAG_PRIO_MASK 0x7fff
#define SWAP_FLAG_DISCARD 0x10000
#define SWAP_FLAG_DISCARD_ONCE 0x20000
#define SWAP_FLAG_DISCARD_PAGES 0x40000
#define SWAP_FLAGS_VALID                                                                           \
    (SWAP_FLAG_PRIO_MASK | SWAP_FLAG_PREFER | SWAP_FLAG_DISCARD | SWAP_FLAG_DISCARD_ONCE |         \
     SWAP_FLAG_DISCARD_PAGES)

/*
 * What a user path names as swap: a block device (*file NULL), or a regular
 * file of a file system that can map its pages to disk blocks (ext2), with a
 * reference in *file.  -EINVAL for anything else (a tmpfs file, a directory).
 */
static long source_at(const char *user_path, struct block_device **device, struct inode **file)
{
    struct inode *inode;
    long error = lookup_at(AT_FDCWD, user_path, LOOKUP_FOLLOW, false, &inode);
    if (error)
        return error;
    *device = NULL;
    *file = NULL;
    if (S_ISBLK(inode->mode)) {
        for (struct block_device *d = block_first(); d; d = d->next)
            if (blockdev_rdev(d) == inode->rdev)
                *device = d;
    } else if (S_ISREG(inode->mode) && inode->ops->map_page) {
        u64 sector;
        error = inode->ops->map_page(inode, 0, device, &sector);
        if (error >= 0) {
            *file = inode;
            return 0;
        }
        *device = NULL;
    }
    inode_put(inode);
    return *device ? 0 : error < 0 ? error : -EINVAL;
}

/* The absolute path of a swap file for /proc/swaps (cut to fit). */
static void swap_file_name(const char *user_path, char *name, size_t size)
{
    char given[SWAP_NAME_MAX];
    if (strncpy_from_user(given, user_path, sizeof given) < 0)
        given[0] = '\0';
    given[sizeof given - 1] = '\0';
    name[0] = '\0';
    if (given[0] != '/' && vfs_directory_path(current->cwd, name, size) > 0 &&
        strcmp(name, "/") != 0)
        strlcat(name, "/", size);
    strlcat(name, given, size);
}

/* One swapon or swapoff at a time: swapoff sleeps while it reads pages back,
 * and the area it works on must not be deactivated or reused meanwhile. */
static struct sleep_lock swapon_lock = SLEEP_LOCK_INIT(swapon_lock, "swapon");

long sys_swapon(const char *user_path, int flags)
{
    if (flags & ~SWAP_FLAGS_VALID)
        return -EINVAL;
    if (!capable(CAP_SYS_ADMIN))
        return -EPERM;
    struct block_device *device;
    struct inode *file;
    long error = source_at(user_path, &device, &file);
    if (error)
        return error;
    char name[SWAP_NAME_MAX];
    if (file)
        swap_file_name(user_path, name, sizeof name);
    else
        snprintf(name, sizeof name, "/dev/%s", device->name);
    int priority = flags & SWAP_FLAG_PREFER ? flags & SWAP_FLAG_PRIO_MASK : SWAP_PRIORITY_AUTO;
    sleep_lock_acquire(&swapon_lock);
    error = swap_activate(device, file, priority, name);
    struct swap_area_info info;
    if (error == 0 && swap_area_info(swap_area_of(device, file), &info))
        pr_info("Adding %luk swap on %s.  Priority:%d\n", info.size_kib, name, info.priority);
    sleep_lock_release(&swapon_lock);
    if (file)
        inode_put(file); /* the area keeps its own reference */
    return error;
}

long sys_swapoff(const char *user_path)
{
    if (!capable(CAP_SYS_ADMIN))
        return -EPERM;
    struct block_device *device;
    struct inode *file;
    long error = source_at(user_path, &device, &file);
    if (error)
        return error;
    sleep_lock_acquire(&swapon_lock);
    int area = swap_area_of(device, file);
    if (area < 0)
        error = -EINVAL; /* not an active swap area */
    /* Linux's first check: would the pages fit in free memory at all? */
    else if (swap_area_used(area) + reclaim_low_watermark() > frames_free())
        error = -ENOMEM;
    else if ((error = swap_unuse_area(area)) == 0)
        swap_deactivate(area);
    sleep_lock_release(&swapon_lock);
    if (file)
        inode_put(file);
    return error;
}

void swap_boot_activate(const char *name)
{
    if (!name)
        return;
    if (str_starts_with(name, "/dev/"))
        name += 5;
    struct block_device *device = block_find(name);
    char path[24];
    snprintf(path, sizeof path, "/dev/%s", name);
    int error = device ? swap_activate(device, NULL, SWAP_PRIORITY_AUTO, path) : -ENOENT;
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
        /* Linux's columns: a file's type is "file" and a tab, to line up. */
        textbuf_printf(out, "%-40s%s\t%lu\t\t%lu\t\t%d\n", info.name,
                       info.is_file ? "file\t" : "partition", info.size_kib, info.used_kib,
                       info.priority);
    }
}
