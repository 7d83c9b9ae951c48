/*
 * inode.c - ext2 inodes in memory: reading them from the inode table,
 * writing them back, creating, truncating and finally freeing them.
 *
 * Each inode in use has one struct inode, found through fs->inodes, so two
 * names (hard links) of one file share its size and times.  Changes made by
 * ext2's own operations are written to the inode's buffer at once; the
 * buffer reaches the disk on sync.  Changes made by the VFS behind ext2's
 * back (chmod, utimensat, access times) are written by the flusher within
 * an interval (ext2_writeback_expired), on sync and when the inode leaves
 * memory.  An inode whose last name is gone is freed when its last user
 * lets go of it (release), the Unix rule.
 */
#include "kernel/errno.h"
#include "kernel/fs/ext2/ext2.h"
#include "kernel/fs/permission.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/param.h"
#include "mm/kheap.h"
#include "mm/layout.h"

#define NS_PER_SECOND 1000000000ull

/* The buffer holding inode `ino` (locked) and where in it the inode starts. */
static struct buffer *inode_buffer(struct ext2_fs *fs, u32 ino, u32 *offset, int *error)
{
    struct ext2_super_block *s = &fs->super;
    if (ino == 0 || ino > s->s_inodes_count) {
        *error = -EUCLEAN;
        return NULL;
    }
    u32 group = (ino - 1) / s->s_inodes_per_group, index = (ino - 1) % s->s_inodes_per_group;
    u64 byte = (u64)index * fs->inode_size;
    *offset = (u32)(byte % fs->block_size);
    return bcache_read(fs->device, fs->group_desc[group].bg_inode_table + byte / fs->block_size,
                       fs->block_size, error);
}

static void choose_ops(struct inode *inode)
{
    if (S_ISDIR(inode->mode)) {
        inode->ops = &ext2_dir_inode_ops;
        inode->fops = &ext2_dir_fops;
    } else if (S_ISLNK(inode->mode)) {
        inode->ops = &ext2_link_inode_ops;
        inode->fops = &ext2_file_fops;
    } else {
        inode->ops = &ext2_file_inode_ops;
        inode->fops = &ext2_file_fops;
    }
}

/* A struct inode with its ext2 part, entered in fs->inodes. */
static struct inode *make_inode(struct ext2_fs *fs, u32 ino, u32 mode)
{
    struct inode *inode = inode_alloc(fs->dev, mode, NULL, NULL);
    struct ext2_inode_info *info = kzalloc(sizeof *info);
    if (!inode || !info) {
        kfree(inode);
        kfree(info);
        return NULL;
    }
    inode->ino = ino;
    inode->data = info;
    info->fs = fs;
    info->inode = inode;
    choose_ops(inode);
    list_push_back(&fs->inodes, &info->node);
    return inode;
}

/* Read inode `ino`; an `orphan` (mount, from the orphan list) may have no links and a dtime. */
static int read_inode(struct ext2_fs *fs, u32 ino, struct inode **result, bool orphan)
{
    u32 offset;
    int error;
    struct buffer *b = inode_buffer(fs, ino, &offset, &error);
    if (!b)
        return error;
    struct ext2_disk_inode raw;
    memcpy(&raw, b->data + offset, sizeof raw);
    bcache_release(b);

    u32 type = raw.i_mode & S_IFMT;
    if ((!orphan && (raw.i_links_count == 0 || raw.i_dtime)) ||
        (type != S_IFREG && type != S_IFDIR && type != S_IFLNK && type != S_IFCHR &&
         type != S_IFBLK && type != S_IFIFO && type != S_IFSOCK)) {
        ext2_error(fs, "a directory entry names a free or bad inode", ino);
        return -EUCLEAN;
    }
    struct inode *inode = make_inode(fs, ino, raw.i_mode);
    if (!inode)
        return -ENOMEM;
    struct ext2_inode_info *info = EXT2_INFO(inode);
    inode->nlink = raw.i_links_count;
    inode->size = raw.i_size;
    if (S_ISREG(inode->mode))
        inode->size |= (u64)raw.i_size_high << 32;
    inode->atime = raw.i_atime * NS_PER_SECOND;
    inode->mtime = raw.i_mtime * NS_PER_SECOND;
    inode->ctime = raw.i_ctime * NS_PER_SECOND;
    memcpy(info->block, raw.i_block, sizeof info->block);
    info->blocks_512 = raw.i_blocks;
    info->flags = raw.i_flags;
    info->uid = raw.i_uid | (u32)raw.i_uid_high << 16;
    info->gid = raw.i_gid | (u32)raw.i_gid_high << 16;
    info->generation = raw.i_generation;
    info->file_acl = raw.i_file_acl;
    if (orphan)
        info->dtime = raw.i_dtime; /* the next one on the list */
    if (S_ISCHR(inode->mode) || S_ISBLK(inode->mode))
        inode->rdev = raw.i_block[0] ? raw.i_block[0] : raw.i_block[1];
    if (S_ISDIR(inode->mode) && inode->size % fs->block_size) {
        ext2_error(fs, "directory size not a multiple of the block size: inode", ino);
        ext2_iput_locked(inode);
        return -EUCLEAN;
    }
    *result = inode;
    return 0;
}

int ext2_iget(struct ext2_fs *fs, u32 ino, struct inode **result)
{
    struct ext2_inode_info *info;
    list_for_each_entry (info, &fs->inodes, node) {
        if (info->inode->ino == ino) {
            inode_get(info->inode);
            *result = info->inode;
            return 0;
        }
    }
    return read_inode(fs, ino, result, false);
}

int ext2_inode_write(struct inode *inode)
{
    struct ext2_inode_info *info = EXT2_INFO(inode);
    struct ext2_fs *fs = info->fs;
    if (fs->read_only)
        return 0;
    u32 offset;
    int error;
    struct buffer *b = inode_buffer(fs, (u32)inode->ino, &offset, &error);
    if (!b)
        return error;
    struct ext2_disk_inode *raw = (struct ext2_disk_inode *)(b->data + offset);
    struct ext2_disk_inode before = *raw;
    raw->i_mode = (u16)inode->mode;
    raw->i_uid = (u16)info->uid, raw->i_uid_high = (u16)(info->uid >> 16);
    raw->i_gid = (u16)info->gid, raw->i_gid_high = (u16)(info->gid >> 16);
    raw->i_size = (u32)inode->size;
    if (S_ISREG(inode->mode))
        raw->i_size_high = (u32)(inode->size >> 32);
    raw->i_atime = (u32)(inode->atime / NS_PER_SECOND);
    raw->i_mtime = (u32)(inode->mtime / NS_PER_SECOND);
    raw->i_ctime = (u32)(inode->ctime / NS_PER_SECOND);
    raw->i_dtime = info->dtime;
    raw->i_links_count = (u16)inode->nlink;
    raw->i_blocks = info->blocks_512;
    raw->i_flags = info->flags;
    memcpy(raw->i_block, info->block, sizeof raw->i_block);
    raw->i_generation = info->generation;
    raw->i_file_acl = info->file_acl;
    if (memcmp(&before, raw, sizeof before) != 0)
        bcache_mark_dirty(b); /* unchanged: nothing to write (the flusher asks every interval) */
    bcache_release(b);
    return 0;
}

struct inode *ext2_inode_new(struct ext2_fs *fs, u32 ino, u32 mode, const struct inode *dir)
{
    u32 offset;
    int error;
    struct buffer *b = inode_buffer(fs, ino, &offset, &error);
    if (!b)
        return NULL;
    memset(b->data + offset, 0, fs->inode_size); /* whatever a deleted file left */
    if (fs->inode_size > 128)
        *(u16 *)(b->data + offset + 128) = 32; /* i_extra_isize, as mke2fs sets it */
    bcache_mark_dirty(b);
    bcache_release(b);
    struct inode *inode = make_inode(fs, ino, mode);
    if (!inode)
        return NULL;
    inode->nlink = S_ISDIR(mode) ? 2 : 1;
    EXT2_INFO(inode)->generation = (u32)(vfs_now() / 1000);
    inode_init_owner(inode, dir);
    if (ext2_inode_write(inode) < 0) {
        ext2_iput_locked(inode);
        return NULL;
    }
    return inode;
}

static bool is_fast_symlink(const struct inode *inode)
{
    const struct ext2_inode_info *info = EXT2_INFO(inode);
    u32 acl_blocks = info->file_acl ? info->fs->block_size / 512 : 0;
    return S_ISLNK(inode->mode) && info->blocks_512 - acl_blocks == 0;
}

int ext2_truncate_locked(struct inode *inode, u64 size)
{
    struct ext2_fs *fs = EXT2_INFO(inode)->fs;
    if (fs->read_only)
        return -EROFS;
    if (is_fast_symlink(inode))
        return -EINVAL;
    if (size > ext2_max_file_blocks(fs) * fs->block_size)
        return -EFBIG;
    int error = 0;
    if (size < inode->size) {
        error = ext2_free_blocks_from(inode, (size + fs->block_size - 1) / fs->block_size);
        u32 tail = size % fs->block_size;
        u32 block;
        /* Zero the rest of the last block, so growing the file again reads zeros. */
        if (tail && ext2_bmap(inode, size / fs->block_size, false, &block) == 0 && block) {
            int e;
            struct buffer *b = bcache_read(fs->device, block, fs->block_size, &e);
            if (b) {
                memset(b->data + tail, 0, fs->block_size - tail);
                bcache_mark_dirty(b);
                bcache_release(b);
            }
        }
    }
    /* The page cache forgets the pages past the end and zeros the tail of the last one. */
    struct page_cache *cache = &EXT2_INFO(inode)->cache;
    pagecache_truncate(cache, ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE);
    phys_addr_t last = size % PAGE_SIZE ? pagecache_find(cache, size / PAGE_SIZE) : 0;
    if (last)
        memset((u8 *)phys_to_virt(last) + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
    inode->size = size;
    inode->mtime = inode->ctime = vfs_now();
    int e = ext2_inode_write(inode);
    return error ? error : e;
}

/*
 * The orphan list, as ext3 and ext4 keep it (Linux's ext2 has none).  A file
 * unlinked while open lives on until its last close; if the machine stops
 * before that, its inode and blocks would stay allocated with no name.  So
 * such an inode is chained from the superblock through its i_dtime, which a
 * live inode does not otherwise use:
 *
 *   superblock s_last_orphan -> inode 14 (i_dtime 12) -> inode 12 (i_dtime 0)
 *
 * The last close takes it off the list and frees it (evict_locked); mount
 * frees whatever a crash left on it (ext2_orphan_cleanup_locked).  The list
 * reaches the disk with the superblock (sync, the flusher).
 */
void ext2_orphan_add_locked(struct inode *inode)
{
    struct ext2_inode_info *info = EXT2_INFO(inode);
    struct ext2_fs *fs = info->fs;
    if (fs->read_only || info->orphan)
        return;
    info->dtime = fs->super.s_last_orphan;
    info->orphan = true;
    fs->super.s_last_orphan = (u32)inode->ino;
    fs->super_dirty = true;
    ext2_inode_write(inode);
}

static void orphan_remove_locked(struct inode *inode)
{
    struct ext2_inode_info *info = EXT2_INFO(inode), *other;
    struct ext2_fs *fs = info->fs;
    if (!info->orphan)
        return;
    u32 next = info->dtime;
    info->orphan = false;
    info->dtime = 0;
    if (fs->super.s_last_orphan == inode->ino) {
        fs->super.s_last_orphan = next;
        fs->super_dirty = true;
        return;
    }
    list_for_each_entry (other, &fs->inodes, node) { /* every orphan is in memory: it is open */
        if (other->orphan && other->dtime == inode->ino) {
            other->dtime = next;
            ext2_inode_write(other->inode);
            return;
        }
    }
}

void ext2_orphan_cleanup_locked(struct ext2_fs *fs)
{
    u32 ino = fs->super.s_last_orphan, freed = 0;
    u32 first = fs->super.s_rev_level ? fs->super.s_first_ino : 11;
    /* At most one visit per inode: a corrupt list that loops still ends. */
    for (u32 steps = 0; ino && steps < fs->super.s_inodes_count; steps++) {
        struct inode *inode;
        if (ino < first || ino > fs->super.s_inodes_count) {
            ext2_error(fs, "orphan list names a bad inode", ino);
            break;
        }
        if (read_inode(fs, ino, &inode, true) < 0)
            break;
        struct ext2_inode_info *info = EXT2_INFO(inode);
        ino = info->dtime;
        fs->super.s_last_orphan = ino;
        info->dtime = 0;
        if (inode->nlink == 0) /* (one with links left was being truncated: it stays) */
            freed++;
        ext2_iput_locked(inode); /* no links: evict_locked frees blocks and inode */
    }
    fs->super.s_last_orphan = 0;
    fs->super_dirty = true;
    if (freed)
        pr_info("ext2: %s: freed %u orphan inode(s), unlinked while open when the system stopped\n",
                fs->device->name, freed);
}

/* The inode leaves memory; free it on the disk if it has no name left. */
static void evict_locked(struct inode *inode)
{
    struct ext2_inode_info *info = EXT2_INFO(inode);
    struct ext2_fs *fs = info->fs;
    if (list_node_linked(&info->node))
        list_remove(&info->node);
    if (inode->nlink == 0 && !fs->read_only) {
        orphan_remove_locked(inode);
        if (!is_fast_symlink(inode))
            ext2_free_blocks_from(inode, 0);
        memset(info->block, 0, sizeof info->block);
        inode->size = 0;
        info->dtime = (u32)(vfs_now() / NS_PER_SECOND);
        ext2_inode_write(inode);
        ext2_inode_free(fs, (u32)inode->ino, S_ISDIR(inode->mode));
    } else {
        ext2_inode_write(inode);
    }
    struct inode *parent = inode->parent;
    inode->parent = NULL;
    if (parent)
        ext2_iput_locked(parent);
    pagecache_truncate(&info->cache, 0);
    kfree(info);
    inode->data = NULL;
}

void ext2_iput_locked(struct inode *inode)
{
    if (--inode->refcount > 0)
        return;
    evict_locked(inode);
    kfree(inode);
}

/* inode_ops->release: the VFS dropped the last reference. */
void ext2_release(struct inode *inode)
{
    struct ext2_inode_info *info = EXT2_INFO(inode);
    struct ext2_fs *fs = info->fs;
    list_remove(&info->node); /* before sleeping: a lookup meanwhile reads it afresh */
    list_node_init(&info->node);
    sleep_lock_acquire(&fs->lock);
    evict_locked(inode);
    sleep_lock_release(&fs->lock);
}

/*
 * Write every inode in memory.  Writing sleeps, and meanwhile an inode may
 * leave the list (ext2_release): each inode is held by a reference while it is
 * written and until the next one is held, so `node` stays valid.
 */
int ext2_sync_inodes(struct ext2_fs *fs)
{
    int first_error = 0;
    struct inode *held = NULL;
    struct list_node *node = fs->inodes.head.next;
    while (node != &fs->inodes.head) {
        struct inode *inode = list_entry(node, struct ext2_inode_info, node)->inode;
        inode_get(inode);
        if (held)
            ext2_iput_locked(held);
        held = inode;
        int error = ext2_inode_write(inode);
        if (error && !first_error)
            first_error = error;
        node = node->next;
    }
    if (held)
        ext2_iput_locked(held);
    return first_error;
}
