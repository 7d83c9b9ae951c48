/*
 * initrd.c - fill the root file system from the initrd modules.
 *
 * GRUB loads build/initrd.cpio (and, from tools/run-qemu --add, a second
 * archive) into memory as multiboot2 modules.  We copy every member into
 * ramfs, so /bin/init and friends exist before the first process starts.
 */
#include "kernel/fs/initrd.h"
#include "kernel/errno.h"
#include "kernel/fs/cpio.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "kernel/param.h"

/* Write `size` bytes from kernel memory into a new file (replacing an old one). */
static int write_file(struct inode *dir, const char *name, u32 mode, const u8 *data, u64 size)
{
    dir->ops->unlink(dir, name); /* a later archive overrides an earlier file */
    struct inode *inode;
    int error = dir->ops->create(dir, name, mode, &inode);
    if (error)
        return error;
    long written = inode->ops->write(inode, 0, data, size);
    inode_put(inode);
    return written == (long)size ? 0 : -ENOSPC;
}

static void unpack_entry(const struct cpio_entry *e)
{
    const char *path = e->name;
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    if (!*path || strcmp(path, ".") == 0)
        return;
    struct inode *dir;
    char last[NAME_MAX + 1];
    int error = vfs_lookup_parent(path, vfs_root, &dir, last);
    if (error == 0) {
        u32 perms = e->mode & 07777;
        if (S_ISDIR(e->mode)) {
            error = dir->ops->mkdir(dir, last, perms);
            if (error == -EEXIST)
                error = 0;
        } else if (S_ISREG(e->mode)) {
            error = write_file(dir, last, perms, e->data, e->size);
        } else if (S_ISLNK(e->mode)) {
            char target[PATH_MAX];
            size_t n = MIN(e->size, sizeof target - 1);
            memcpy(target, e->data, n);
            target[n] = '\0';
            error = dir->ops->symlink(dir, last, target);
        }
        inode_put(dir);
    }
    if (error)
        pr_warn("initrd: cannot create /%s: error %d\n", path, error);
}

void initrd_unpack_all(const struct boot_info *boot)
{
    for (int m = 0; m < boot->module_count; m++) {
        const struct boot_module *mod = &boot->modules[m];
        const u8 *archive = phys_to_virt(mod->start);
        u64 size = mod->end - mod->start, offset = 0;
        struct cpio_entry entry;
        int files = 0, result;
        while ((result = cpio_next(archive, size, &offset, &entry)) > 0) {
            unpack_entry(&entry);
            files++;
        }
        if (result < 0)
            pr_err("initrd: module %s is not a valid cpio archive (stopped after %d files)\n",
                   mod->name, files);
        else
            pr_info("initrd: unpacked %d files from %s (%lu KiB)\n", files, mod->name, size / 1024);
    }
    /* Everything is in ramfs now: the archives' memory can be reused. */
    initrd_release_all(boot);
}

void initrd_release_all(const struct boot_info *boot)
{
    for (int m = 0; m < boot->module_count; m++)
        frame_release_boot_range(boot->modules[m].start, boot->modules[m].end);
}
