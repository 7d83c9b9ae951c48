/*
 * super.c - mounting ext2: read and check the superblock and the group
 * descriptors, and write them back on sync.
 *
 * Everything read from the disk is checked before it is trusted: a count
 * that does not add up, a group whose bitmap lies outside the disk, a block
 * size sprout cannot handle.  A bad image is refused with -EUCLEAN and a
 * message saying what is wrong, never a crash.
 */
#include "kernel/errno.h"
#include "kernel/fs/ext2/ext2.h"
#include "kernel/fs/ext2/ext2fs.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "mm/kheap.h"

#define SUPPORTED_INCOMPAT EXT2_FEATURE_INCOMPAT_FILETYPE
#define SUPPORTED_RO_COMPAT                                                                        \
    (EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | EXT2_FEATURE_RO_COMPAT_LARGE_FILE)

static struct ext2_fs *mounted[8]; /* for sync() of everything and /proc/mounts */

void ext2_error(struct ext2_fs *fs, const char *what, u64 number)
{
    pr_err("ext2 (%s): %s %lu\n", fs->device->name, what, (unsigned long)number);
}

/* Read or write `size` bytes at byte `offset` of the disk through the cache. */
static int disk_bytes(struct ext2_fs *fs, u64 offset, void *data, u32 size, bool write)
{
    while (size) {
        u64 block = offset / fs->block_size;
        u32 within = offset % fs->block_size, chunk = MIN(size, fs->block_size - within);
        int error;
        struct buffer *b = bcache_read(fs->device, block, fs->block_size, &error);
        if (!b)
            return error;
        if (write) {
            memcpy(b->data + within, data, chunk);
            bcache_mark_dirty(b);
        } else {
            memcpy(data, b->data + within, chunk);
        }
        bcache_release(b);
        offset += chunk, data = (u8 *)data + chunk, size -= chunk;
    }
    return 0;
}

/* Does the superblock describe a file system sprout can use?  0 or -errno. */
static int check_super(struct ext2_fs *fs)
{
    struct ext2_super_block *s = &fs->super;
    const char *bad = NULL;
    if (s->s_magic != EXT2_SUPER_MAGIC)
        bad = "no ext2 magic number";
    else if (s->s_log_block_size > 2)
        bad = "block size above 4096";
    else if (s->s_rev_level > 1)
        bad = "unknown revision";
    else if (!s->s_blocks_per_group || !s->s_inodes_per_group || !s->s_inodes_count)
        bad = "zero blocks or inodes per group";
    else if (s->s_blocks_per_group > 8 * (1024u << s->s_log_block_size) ||
             s->s_inodes_per_group > 8 * (1024u << s->s_log_block_size))
        bad = "a group larger than its bitmap";
    else if (s->s_first_data_block != (s->s_log_block_size == 0 ? 1u : 0u))
        bad = "wrong first data block";
    else if ((u64)s->s_blocks_count * (1024u << s->s_log_block_size) / 512 >
             fs->device->sector_count)
        bad = "file system larger than the disk";
    else if (s->s_free_blocks_count > s->s_blocks_count ||
             s->s_free_inodes_count > s->s_inodes_count)
        bad = "more free than exist";
    if (bad) {
        pr_err("ext2 (%s): bad superblock: %s\n", fs->device->name, bad);
        return -EUCLEAN;
    }
    fs->block_size = 1024u << s->s_log_block_size;
    fs->inode_size = s->s_rev_level == 0 ? 128 : s->s_inode_size;
    if (fs->inode_size < 128 || fs->inode_size > fs->block_size ||
        (fs->inode_size & (fs->inode_size - 1))) {
        pr_err("ext2 (%s): bad superblock: inode size %u\n", fs->device->name, fs->inode_size);
        return -EUCLEAN;
    }
    fs->groups = (s->s_blocks_count - s->s_first_data_block + s->s_blocks_per_group - 1) /
                 s->s_blocks_per_group;
    if (fs->groups == 0 || (u64)fs->groups * s->s_inodes_per_group != s->s_inodes_count) {
        pr_err("ext2 (%s): bad superblock: %u groups for %u inodes\n", fs->device->name, fs->groups,
               s->s_inodes_count);
        return -EUCLEAN;
    }
    if (s->s_rev_level >= 1 && (s->s_feature_incompat & ~SUPPORTED_INCOMPAT)) {
        pr_err("ext2 (%s): unsupported features %#x (an ext3/ext4?)\n", fs->device->name,
               s->s_feature_incompat & ~SUPPORTED_INCOMPAT);
        return -EINVAL;
    }
    if (s->s_rev_level >= 1 && (s->s_feature_ro_compat & ~SUPPORTED_RO_COMPAT) && !fs->read_only) {
        pr_warn("ext2 (%s): features %#x not known: mounting read-only\n", fs->device->name,
                s->s_feature_ro_compat & ~SUPPORTED_RO_COMPAT);
        fs->read_only = true;
    }
    fs->addresses_per_block = fs->block_size / 4;
    return 0;
}

/* Every group's bitmaps and inode table must lie inside the file system. */
static int check_groups(struct ext2_fs *fs)
{
    struct ext2_super_block *s = &fs->super;
    u32 table_blocks =
        (s->s_inodes_per_group * fs->inode_size + fs->block_size - 1) / fs->block_size;
    for (u32 g = 0; g < fs->groups; g++) {
        struct ext2_group_desc *d = &fs->group_desc[g];
        u32 limit = s->s_blocks_count;
        if (d->bg_block_bitmap < s->s_first_data_block || d->bg_block_bitmap >= limit ||
            d->bg_inode_bitmap < s->s_first_data_block || d->bg_inode_bitmap >= limit ||
            d->bg_inode_table < s->s_first_data_block ||
            (u64)d->bg_inode_table + table_blocks > limit ||
            d->bg_free_inodes_count > s->s_inodes_per_group ||
            d->bg_free_blocks_count > s->s_blocks_per_group) {
            pr_err("ext2 (%s): bad group descriptor %u\n", fs->device->name, g);
            return -EUCLEAN;
        }
    }
    return 0;
}

static int write_super(struct ext2_fs *fs)
{
    int error = disk_bytes(fs, EXT2_SUPERBLOCK_OFFSET, &fs->super, sizeof fs->super, true);
    if (error)
        return error;
    u64 gdt = (u64)(fs->super.s_first_data_block + 1) * fs->block_size;
    return disk_bytes(fs, gdt, fs->group_desc, fs->groups * sizeof *fs->group_desc, true);
}

int ext2_fs_sync(struct ext2_fs *fs)
{
    if (fs->read_only)
        return 0;
    int error = ext2_sync_inodes(fs);
    if (!error && fs->super_dirty) {
        fs->super.s_wtime = (u32)(vfs_now() / 1000000000);
        error = write_super(fs);
        if (!error)
            fs->super_dirty = false;
    }
    int sync_error = bcache_sync(fs->device);
    return error ? error : sync_error;
}

int ext2_mount(struct block_device *device, bool read_only, struct inode **root)
{
    struct ext2_fs *fs = kzalloc(sizeof *fs);
    int error = -ENOMEM, slot = -1;
    for (int i = 0; i < (int)ARRAY_SIZE(mounted) && slot < 0; i++) {
        if (mounted[i] && mounted[i]->device == device) {
            kfree(fs);
            return -EBUSY;
        }
        if (!mounted[i])
            slot = i;
    }
    if (!fs)
        return -ENOMEM;
    if (slot < 0)
        goto out_free;
    sleep_lock_init(&fs->lock, "ext2");
    list_init(&fs->inodes);
    fs->device = device;
    fs->dev = (device->major << 8) | device->minor;
    fs->read_only = read_only || device->read_only;
    fs->block_size = 1024; /* until the superblock says, for disk_bytes */
    if ((error = disk_bytes(fs, EXT2_SUPERBLOCK_OFFSET, &fs->super, sizeof fs->super, false)))
        goto out_free;
    if ((error = check_super(fs)))
        goto out_free;
    bcache_invalidate(device); /* the 1 KiB buffers read above, if the blocks are larger */
    error = -ENOMEM;
    if (!(fs->group_desc = kmalloc(fs->groups * sizeof *fs->group_desc)))
        goto out_free;
    u64 gdt = (u64)(fs->super.s_first_data_block + 1) * fs->block_size;
    if ((error = disk_bytes(fs, gdt, fs->group_desc, fs->groups * sizeof *fs->group_desc, false)))
        goto out_free_groups;
    if ((error = check_groups(fs)))
        goto out_free_groups;
    sleep_lock_acquire(&fs->lock);
    error = ext2_iget(fs, EXT2_ROOT_INO, &fs->root);
    if (!error && !S_ISDIR(fs->root->mode)) {
        ext2_error(fs, "root is not a directory: inode", EXT2_ROOT_INO);
        ext2_iput_locked(fs->root);
        error = -EUCLEAN;
    }
    if (!error && !fs->read_only && fs->super.s_last_orphan)
        ext2_orphan_cleanup_locked(fs); /* files a crash left unlinked but allocated */
    if (!error && !fs->read_only) {
        fs->super.s_mnt_count++;
        fs->super.s_mtime = (u32)(vfs_now() / 1000000000);
        fs->super_dirty = true;
    }
    sleep_lock_release(&fs->lock);
    if (error)
        goto out_free_groups;
    mounted[slot] = fs;
    *root = fs->root;
    inode_get(fs->root); /* one for fs->root, one for the caller */
    pr_info("ext2: %s mounted (%u KiB blocks, %u groups, %u free of %u blocks)%s\n", device->name,
            fs->block_size / 1024, fs->groups, fs->super.s_free_blocks_count,
            fs->super.s_blocks_count, fs->read_only ? " read-only" : "");
    return 0;
out_free_groups:
    kfree(fs->group_desc);
out_free:
    bcache_invalidate(device);
    kfree(fs);
    return error;
}

static struct ext2_fs *fs_of(const struct inode *inode)
{
    if (!inode || (inode->ops != &ext2_dir_inode_ops && inode->ops != &ext2_file_inode_ops &&
                   inode->ops != &ext2_link_inode_ops))
        return NULL;
    return EXT2_INFO(inode)->fs;
}

bool ext2_owns(const struct inode *inode) { return fs_of(inode) != NULL; }

const char *ext2_device_name(const struct inode *inode)
{
    struct ext2_fs *fs = fs_of(inode);
    return fs ? fs->device->name : NULL;
}

int ext2_unmount(struct inode *root)
{
    struct ext2_fs *fs = fs_of(root);
    if (!fs || fs->root != root)
        return -EINVAL;
    sleep_lock_acquire(&fs->lock);
    /* In use: any inode but the root in memory, or the root referenced by
     * more than fs->root and the mount. */
    if (root->refcount > 2 || list_length(&fs->inodes) > 1) {
        sleep_lock_release(&fs->lock);
        return -EBUSY;
    }
    if (!fs->read_only)
        fs->super_dirty = true;
    int error = ext2_fs_sync(fs);
    ext2_iput_locked(root); /* the mount's reference */
    ext2_iput_locked(root); /* fs->root's: the inode is gone now */
    fs->unmounted = true;   /* before a waiter for the lock can run */
    sleep_lock_release(&fs->lock);
    bcache_invalidate(fs->device);
    for (size_t i = 0; i < ARRAY_SIZE(mounted); i++)
        if (mounted[i] == fs)
            mounted[i] = NULL;
    pr_info("ext2: %s unmounted\n", fs->device->name);
    if (fs->pins == 0) { /* else the last sync waiting for the lock frees it */
        kfree(fs->group_desc);
        kfree(fs);
    }
    return error;
}

/* Lock a file system found in mounted[] (sync, the flusher): false if it was unmounted while
 * this waited for the lock (nothing held then). */
static bool lock_mounted(struct ext2_fs *fs)
{
    fs->pins++;
    sleep_lock_acquire(&fs->lock);
    fs->pins--;
    if (!fs->unmounted)
        return true;
    sleep_lock_release(&fs->lock);
    if (fs->pins == 0) {
        kfree(fs->group_desc);
        kfree(fs);
    }
    return false;
}

int ext2_sync(struct inode *inode)
{
    int first_error = 0;
    for (size_t i = 0; i < ARRAY_SIZE(mounted); i++) {
        struct ext2_fs *fs = mounted[i];
        if (!fs || (inode && fs_of(inode) != fs) || !lock_mounted(fs))
            continue;
        int error = ext2_fs_sync(fs);
        sleep_lock_release(&fs->lock);
        if (error && !first_error)
            first_error = error;
    }
    return first_error;
}

int ext2_writeback_expired(u64 dirtied_before)
{
    int first_error = 0;
    for (size_t i = 0; i < ARRAY_SIZE(mounted); i++) {
        struct ext2_fs *fs = mounted[i];
        if (!fs || fs->read_only || !lock_mounted(fs))
            continue;
        /* chmod, utimensat and access times change only the inode in memory: into its buffer,
         * which then ages like any other (ext2_inode_write marks it only if it changed). */
        int error = ext2_sync_inodes(fs);
        if (!error && fs->super_dirty && !(error = write_super(fs)))
            fs->super_dirty = false; /* (its buffers age from their first change) */
        long written = bcache_write_expired(fs->device, dirtied_before);
        sleep_lock_release(&fs->lock);
        if (!error && written < 0)
            error = (int)written;
        if (error && !first_error)
            first_error = error;
    }
    return first_error;
}

bool ext2_statfs(struct inode *inode, struct kstatfs *out)
{
    struct ext2_fs *fs = fs_of(inode);
    if (!fs)
        return false;
    struct ext2_super_block *s = &fs->super;
    u32 overhead = 0; /* Linux's "minixdf" would count it; bsddf (the default) does not */
    out->type = EXT2_MAGIC_STATFS;
    out->bsize = fs->block_size;
    out->blocks = s->s_blocks_count - overhead;
    out->bfree = s->s_free_blocks_count;
    out->bavail = s->s_free_blocks_count > s->s_r_blocks_count
                      ? s->s_free_blocks_count - s->s_r_blocks_count
                      : 0;
    out->files = s->s_inodes_count;
    out->ffree = s->s_free_inodes_count;
    return true;
}
