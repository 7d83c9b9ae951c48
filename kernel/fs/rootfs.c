/*
 * rootfs.c - which file system is "/": the disk or the initrd.
 *
 *   root=/dev/vda   ext2 on the virtio disk vda (the default when a disk is attached)
 *   root=initrd     the initrd unpacked into a ramfs, even with a disk attached
 *
 * A disk that is missing, or does not hold an ext2 sprout can mount (a blank
 * scratch disk, a corrupt superblock), or whose ext2 has no init program (a
 * data disk, which a test then mounts itself), is reported and the initrd is
 * used: the machine always boots.
 */
#include "kernel/fs/rootfs.h"
#include "kernel/cmdline.h"
#include "kernel/drivers/block.h"
#include "kernel/fs/ext2/ext2fs.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"

#define ROOT_DEFAULT_DISK "vda"

struct inode *rootfs_mount_disk(void)
{
    const char *option = boot_option("root");
    if (option && strcmp(option, "initrd") == 0)
        return NULL;
    const char *name = option ? option : "/dev/" ROOT_DEFAULT_DISK;
    if (str_starts_with(name, "/dev/"))
        name += 5;
    struct block_device *disk = block_find(name);
    if (!disk) {
        if (option) /* asked for, and missing: say so; no disk at all is the usual initrd boot */
            pr_warn("root: no disk %s; the root file system is the initrd\n", option);
        return NULL;
    }
    struct inode *root = NULL;
    int error = ext2_mount(disk, false, &root);
    if (error < 0) {
        pr_warn("root: cannot mount ext2 from /dev/%s (error %d); the root file system is the "
                "initrd\n",
                disk->name, error);
        return NULL;
    }
    /* A root without the program init= names is a data disk, not a system. */
    const char *init = boot_option("init") ? boot_option("init") : "/bin/init";
    struct inode *program = NULL;
    vfs_root = root; /* for absolute symbolic links on the way */
    error = vfs_lookup(init, root, LOOKUP_FOLLOW, &program);
    vfs_root = NULL;
    if (error < 0) {
        pr_warn("root: /dev/%s has no %s; the root file system is the initrd\n", disk->name, init);
        ext2_unmount(root);
        return NULL;
    }
    inode_put(program);
    pr_info("root: ext2 on /dev/%s\n", disk->name);
    return root;
}
