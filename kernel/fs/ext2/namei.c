/*
 * namei.c - ext2's inode_ops: the name space (lookup, create, mkdir,
 * unlink, rmdir, rename, link, symlink) and the VFS entry points for file
 * data.  Each takes fs->lock for its whole run (ext2.h) and writes every
 * inode it changes to the block cache before returning.
 */
#include "kernel/drivers/block.h"
#include "kernel/errno.h"
#include "kernel/fs/buffer.h"
#include "kernel/fs/ext2/ext2.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"

static struct ext2_fs *fs_of(struct inode *inode) { return EXT2_INFO(inode)->fs; }
static void lock(struct inode *inode) { sleep_lock_acquire(&fs_of(inode)->lock); }
static void unlock(struct inode *inode) { sleep_lock_release(&fs_of(inode)->lock); }

/* The inode named `name` in `dir` (referenced). */
static int find_locked(struct inode *dir, const char *name, struct inode **result)
{
    u32 ino;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return -EINVAL; /* the VFS resolves these itself (namei.c) */
    int error = ext2_dir_find(dir, name, &ino);
    if (error)
        return error;
    if ((error = ext2_iget(fs_of(dir), ino, result)))
        return error;
    /* A directory holds its parent, for "..". */
    if (S_ISDIR((*result)->mode) && !(*result)->parent && *result != fs_of(dir)->root) {
        (*result)->parent = dir;
        inode_get(dir);
    }
    return 0;
}

static struct inode *ext2_lookup(struct inode *dir, const char *name)
{
    struct inode *inode = NULL;
    lock(dir);
    if (find_locked(dir, name, &inode))
        inode = NULL;
    unlock(dir);
    return inode;
}

/* A new inode of `mode` named `name` in `dir` (referenced in *created). */
static int new_entry(struct inode *dir, const char *name, u32 mode, struct inode **created)
{
    struct ext2_fs *fs = fs_of(dir);
    u32 ino;
    if (fs->read_only)
        return -EROFS;
    if (strlen(name) > EXT2_NAME_LEN)
        return -ENAMETOOLONG;
    if (ext2_dir_find(dir, name, &ino) == 0)
        return -EEXIST;
    if (S_ISDIR(mode) && dir->nlink >= EXT2_LINK_MAX)
        return -EMLINK;
    int error = ext2_inode_alloc(fs, (u32)dir->ino, S_ISDIR(mode), &ino);
    if (error)
        return error;
    struct inode *inode = ext2_inode_new(fs, ino, mode, dir);
    if (!inode) {
        ext2_inode_free(fs, ino, S_ISDIR(mode));
        return -ENOMEM;
    }
    if (S_ISDIR(mode)) {
        inode->parent = dir;
        inode_get(dir);
        error = ext2_dir_init(inode, (u32)dir->ino);
    }
    if (!error)
        error = ext2_dir_add(dir, name, ino, mode);
    if (error) {
        inode->nlink = 0; /* evicting it frees its blocks and the inode */
        ext2_iput_locked(inode);
        return error;
    }
    if (S_ISDIR(mode)) {
        dir->nlink++;
        ext2_inode_write(dir);
    }
    *created = inode;
    return 0;
}

static int ext2_create(struct inode *dir, const char *name, u32 mode, struct inode **created)
{
    lock(dir);
    int error = new_entry(dir, name, S_IFREG | (mode & 07777), created);
    unlock(dir);
    return error;
}

static int ext2_mkdir(struct inode *dir, const char *name, u32 mode)
{
    struct inode *inode;
    lock(dir);
    int error = new_entry(dir, name, S_IFDIR | (mode & 07777), &inode);
    if (!error)
        ext2_iput_locked(inode);
    unlock(dir);
    return error;
}

static int ext2_symlink(struct inode *dir, const char *name, const char *target)
{
    size_t length = strlen(target);
    struct inode *inode;
    lock(dir);
    int error = length >= fs_of(dir)->block_size ? -ENAMETOOLONG
                                                 : new_entry(dir, name, S_IFLNK | 0777, &inode);
    if (!error) {
        if (length < EXT2_FAST_SYMLINK_MAX) { /* a fast symlink: the target in i_block */
            memcpy(EXT2_INFO(inode)->block, target, length);
            inode->size = length;
            error = ext2_inode_write(inode);
        } else {
            long n = ext2_write_locked(inode, 0, target, length, false);
            error = n < 0 ? (int)n : 0;
        }
        if (error) {
            ext2_dir_remove(dir, name);
            inode->nlink = 0;
        }
        ext2_iput_locked(inode);
    }
    unlock(dir);
    return error;
}

static int ext2_link(struct inode *dir, const char *name, struct inode *target)
{
    u32 ino;
    lock(dir);
    int error = 0;
    if (fs_of(dir)->read_only)
        error = -EROFS;
    else if (S_ISDIR(target->mode))
        error = -EPERM;
    else if (target->nlink >= EXT2_LINK_MAX)
        error = -EMLINK;
    else if (ext2_dir_find(dir, name, &ino) == 0)
        error = -EEXIST;
    else if (!(error = ext2_dir_add(dir, name, (u32)target->ino, target->mode))) {
        target->nlink++;
        target->ctime = vfs_now();
        error = ext2_inode_write(target);
    }
    unlock(dir);
    return error;
}

/* Drop one name of `victim` (found in `dir`); a directory loses both its names. */
static void drop_name(struct inode *dir, struct inode *victim)
{
    if (S_ISDIR(victim->mode)) {
        victim->nlink = 0;
        if (dir->nlink > 2)
            dir->nlink--;
        ext2_inode_write(dir);
    } else if (victim->nlink) {
        victim->nlink--;
    }
    victim->ctime = vfs_now();
    ext2_inode_write(victim);
    if (victim->nlink == 0 && victim->refcount > 1) /* still open (beyond our lookup) */
        ext2_orphan_add_locked(victim);
}

static int remove(struct inode *dir, const char *name, bool directory)
{
    struct inode *victim;
    if (fs_of(dir)->read_only)
        return -EROFS;
    int error = find_locked(dir, name, &victim);
    if (error)
        return error;
    if (directory && !S_ISDIR(victim->mode))
        error = -ENOTDIR;
    else if (!directory && S_ISDIR(victim->mode))
        error = -EISDIR;
    else if (directory && victim->mounted)
        error = -EBUSY;
    else if (directory && (error = ext2_dir_is_empty(victim)) >= 0)
        error = error ? 0 : -ENOTEMPTY;
    if (!error && !(error = ext2_dir_remove(dir, name)))
        drop_name(dir, victim);
    ext2_iput_locked(victim);
    return error;
}

static int ext2_unlink(struct inode *dir, const char *name)
{
    lock(dir);
    int error = remove(dir, name, false);
    unlock(dir);
    return error;
}

static int ext2_rmdir(struct inode *dir, const char *name)
{
    lock(dir);
    int error = remove(dir, name, true);
    unlock(dir);
    return error;
}

/* Is `dir` the directory `ancestor` or inside it? */
static bool is_within(struct inode *dir, struct inode *ancestor)
{
    for (struct inode *d = dir; d; d = d->parent)
        if (d == ancestor)
            return true;
    return false;
}

static int rename_locked(struct inode *old_dir, const char *old_name, struct inode *new_dir,
                         const char *new_name)
{
    struct inode *source, *target = NULL;
    if (fs_of(old_dir)->read_only)
        return -EROFS;
    int error = find_locked(old_dir, old_name, &source);
    if (error)
        return error;
    error = find_locked(new_dir, new_name, &target);
    if (error == -ENOENT)
        error = 0, target = NULL;
    bool directory = S_ISDIR(source->mode);
    if (error)
        goto out;
    if (target == source)
        goto out; /* two names of one file: nothing to do */
    if (directory && is_within(new_dir, source)) {
        error = -EINVAL;
    } else if (target && directory && !S_ISDIR(target->mode)) {
        error = -ENOTDIR;
    } else if (target && !directory && S_ISDIR(target->mode)) {
        error = -EISDIR;
    } else if (target && directory) {
        error = ext2_dir_is_empty(target);
        error = error < 0 ? error : error ? 0 : -ENOTEMPTY;
        if (!error && target->mounted)
            error = -EBUSY;
    } else if (!target && directory && new_dir != old_dir && new_dir->nlink >= EXT2_LINK_MAX) {
        error = -EMLINK;
    }
    if (error)
        goto out;
    if (target) {
        if ((error = ext2_dir_set(new_dir, new_name, (u32)source->ino, source->mode)))
            goto out;
        drop_name(new_dir, target);
    } else if ((error = ext2_dir_add(new_dir, new_name, (u32)source->ino, source->mode))) {
        goto out;
    }
    if ((error = ext2_dir_remove(old_dir, old_name)))
        goto out;
    if (directory && old_dir != new_dir) {
        ext2_dir_set(source, "..", (u32)new_dir->ino, S_IFDIR);
        old_dir->nlink--;
        new_dir->nlink++;
        ext2_inode_write(old_dir);
        ext2_inode_write(new_dir);
        struct inode *old_parent = source->parent;
        source->parent = new_dir;
        inode_get(new_dir);
        if (old_parent)
            ext2_iput_locked(old_parent);
    }
    source->ctime = vfs_now();
    ext2_inode_write(source);
out:
    if (target)
        ext2_iput_locked(target);
    ext2_iput_locked(source);
    return error;
}

static int ext2_rename(struct inode *old_dir, const char *old_name, struct inode *new_dir,
                       const char *new_name)
{
    lock(old_dir);
    int error = rename_locked(old_dir, old_name, new_dir, new_name);
    unlock(old_dir);
    return error;
}

static long ext2_readlink(struct inode *inode, char *buf, size_t size)
{
    struct ext2_inode_info *info = EXT2_INFO(inode);
    lock(inode);
    long n;
    size = MIN(size, inode->size);
    if (info->blocks_512 - (info->file_acl ? info->fs->block_size / 512 : 0) == 0) {
        n = (long)MIN(size, sizeof info->block);
        memcpy(buf, info->block, (size_t)n);
    } else {
        n = ext2_read_locked(inode, 0, buf, size, false);
    }
    unlock(inode);
    return n;
}

static int ext2_readdir_op(struct inode *dir, u64 *position, struct dir_sink *sink)
{
    lock(dir);
    int error = ext2_readdir(dir, position, sink);
    unlock(dir);
    return error;
}

static int ext2_truncate(struct inode *inode, u64 size)
{
    if (inode->swapfile)
        return -ETXTBSY;
    lock(inode);
    int error = ext2_truncate_locked(inode, size);
    unlock(inode);
    return error;
}

static long ext2_read(struct inode *inode, u64 offset, void *buf, size_t size)
{
    lock(inode);
    long n = ext2_read_locked(inode, offset, buf, size, false);
    unlock(inode);
    return n;
}

static long ext2_write(struct inode *inode, u64 offset, const void *buf, size_t size)
{
    lock(inode);
    long n = ext2_write_locked(inode, offset, buf, size, false);
    unlock(inode);
    return n;
}

static u64 ext2_blocks(const struct inode *inode) { return EXT2_INFO(inode)->blocks_512; }

const struct inode_ops ext2_dir_inode_ops = {
    .lookup = ext2_lookup,
    .create = ext2_create,
    .mkdir = ext2_mkdir,
    .symlink = ext2_symlink,
    .link = ext2_link,
    .unlink = ext2_unlink,
    .rmdir = ext2_rmdir,
    .rename = ext2_rename,
    .readdir = ext2_readdir_op,
    .blocks = ext2_blocks,
    .release = ext2_release,
};

static int ext2_get_page(struct inode *inode, u64 index, phys_addr_t *frame)
{
    lock(inode);
    int error = ext2_get_page_locked(inode, index, frame);
    unlock(inode);
    return error;
}

static int ext2_writeback_page(struct inode *inode, u64 index)
{
    lock(inode);
    int error = ext2_writeback_page_locked(inode, index);
    unlock(inode);
    return error;
}

/* For swap files: page `index` as a run of consecutive disk sectors.  The
 * device's dirty buffers are written first, so nothing cached is written
 * later over what swap puts in the blocks. */
static int ext2_map_page(struct inode *inode, u64 index, struct block_device **device, u64 *sector)
{
    struct ext2_fs *fs = fs_of(inode);
    if (fs->block_size > PAGE_SIZE)
        return 1;
    lock(inode);
    u32 per_page = PAGE_SIZE / fs->block_size, first = 0;
    int result = index == 0 ? bcache_sync(fs->device) : 0;
    for (u32 i = 0; i < per_page && result == 0; i++) {
        u32 block;
        result = ext2_bmap(inode, index * per_page + i, false, &block);
        if (result == 0 && block == 0)
            result = -EINVAL; /* a hole: Linux refuses such a swap file */
        else if (result == 0 && i == 0)
            first = block;
        else if (result == 0 && block != first + i)
            result = 1;
    }
    unlock(inode);
    *device = fs->device;
    *sector = (u64)first * (fs->block_size / BLOCK_SECTOR_SIZE);
    return result == -EUCLEAN ? -EIO : result;
}

static phys_addr_t ext2_find_page(struct inode *inode, u64 index)
{
    return pagecache_find(&EXT2_INFO(inode)->cache, index);
}

const struct inode_ops ext2_file_inode_ops = {
    .get_page = ext2_get_page,
    .find_page = ext2_find_page,
    .map_page = ext2_map_page,
    .writeback_page = ext2_writeback_page,
    .truncate = ext2_truncate,
    .read = ext2_read,
    .write = ext2_write,
    .blocks = ext2_blocks,
    .release = ext2_release,
};

const struct inode_ops ext2_link_inode_ops = {
    .readlink = ext2_readlink,
    .blocks = ext2_blocks,
    .release = ext2_release,
};
