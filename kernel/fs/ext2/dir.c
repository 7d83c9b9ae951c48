/*
 * dir.c - ext2 directories: blocks of variable-length entries.
 *
 *   one directory block:
 *   +-------+---------+---+---+------+-------+---------+---+---+----------+
 *   | inode | rec_len |len|typ| name | inode | rec_len |len|typ| name ... |
 *   +-------+---------+---+---+------+-------+---------+---+---+----------+
 *   |<------ rec_len ------------->|
 *
 * rec_len leads to the next entry; the last entry of a block stretches to
 * the block's end.  An entry never crosses a block.  Removing an entry adds
 * its space to the one before it (or, first in its block, sets its inode to
 * 0); adding one takes the slack at the end of an entry, or a new block.
 *
 * Large directories may carry a hash index (the dir_index feature) hidden
 * inside what looks like ordinary empty entries; sprout reads them linearly
 * and clears the index flag when it changes one, as Linux's ext2 does, so
 * e2fsck rebuilds the index if it wants one.  The caller holds fs->lock.
 */
#include "kernel/errno.h"
#include "kernel/fs/ext2/ext2.h"
#include "kernel/lib/string.h"

static u8 file_type(const struct ext2_fs *fs, u32 mode)
{
    if (!(fs->super.s_feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE))
        return EXT2_FT_UNKNOWN;
    switch (mode & S_IFMT) {
    case S_IFREG:
        return EXT2_FT_REG_FILE;
    case S_IFDIR:
        return EXT2_FT_DIR;
    case S_IFCHR:
        return EXT2_FT_CHRDEV;
    case S_IFBLK:
        return EXT2_FT_BLKDEV;
    case S_IFIFO:
        return EXT2_FT_FIFO;
    case S_IFSOCK:
        return EXT2_FT_SOCK;
    case S_IFLNK:
        return EXT2_FT_SYMLINK;
    }
    return EXT2_FT_UNKNOWN;
}

/* Block `index` of directory `dir`, locked, every entry in it checked. */
static int read_dir_block(struct inode *dir, u32 index, struct buffer **result)
{
    struct ext2_fs *fs = EXT2_INFO(dir)->fs;
    u32 block;
    int error = ext2_bmap(dir, index, false, &block);
    if (error)
        return error;
    if (block == 0) {
        ext2_error(fs, "hole in directory", dir->ino);
        return -EUCLEAN;
    }
    struct buffer *b = bcache_read(fs->device, block, fs->block_size, &error);
    if (!b)
        return error;
    for (u32 offset = 0; offset < fs->block_size;) {
        struct ext2_dir_entry *e = (struct ext2_dir_entry *)(b->data + offset);
        if (e->rec_len < 8 || e->rec_len % 4 || offset + e->rec_len > fs->block_size ||
            (e->inode && EXT2_DIR_ENTRY_SIZE(e->name_len) > e->rec_len) ||
            e->inode > fs->super.s_inodes_count) {
            bcache_release(b);
            ext2_error(fs, "bad directory entry in directory", dir->ino);
            return -EUCLEAN;
        }
        offset += e->rec_len;
    }
    *result = b;
    return 0;
}

static u32 dir_blocks(struct inode *dir)
{
    return (u32)(dir->size / EXT2_INFO(dir)->fs->block_size);
}

static bool name_is(const struct ext2_dir_entry *e, const char *name, size_t length)
{
    return e->inode && e->name_len == length && memcmp(e->name, name, length) == 0;
}

#define FOR_EACH_ENTRY(e, b, block_size)                                                           \
    for (struct ext2_dir_entry *e = (struct ext2_dir_entry *)(b)->data;                            \
         (u8 *)e < (b)->data + (block_size); e = (struct ext2_dir_entry *)((u8 *)e + e->rec_len))

/*
 * Look up `name`: the block it is in (locked; the caller releases it), its entry, and the entry
 * before it in that block (NULL when it is the block's first).
 */
static int find_entry(struct inode *dir, const char *name, struct buffer **result,
                      struct ext2_dir_entry **entry, struct ext2_dir_entry **previous)
{
    struct ext2_fs *fs = EXT2_INFO(dir)->fs;
    size_t length = strlen(name);
    for (u32 i = 0; i < dir_blocks(dir); i++) {
        struct buffer *b;
        int error = read_dir_block(dir, i, &b);
        if (error)
            return error;
        struct ext2_dir_entry *before = NULL;
        FOR_EACH_ENTRY(e, b, fs->block_size)
        {
            if (name_is(e, name, length)) {
                *result = b;
                *entry = e;
                *previous = before;
                return 0;
            }
            before = e;
        }
        bcache_release(b);
    }
    return -ENOENT;
}

int ext2_dir_find(struct inode *dir, const char *name, u32 *ino)
{
    struct buffer *b;
    struct ext2_dir_entry *e, *previous;
    int error = find_entry(dir, name, &b, &e, &previous);
    if (error)
        return error;
    *ino = e->inode;
    bcache_release(b);
    return 0;
}

static void fill_entry(struct ext2_fs *fs, struct ext2_dir_entry *e, const char *name, u32 ino,
                       u32 mode)
{
    e->inode = ino;
    e->name_len = (u8)strlen(name);
    e->file_type = file_type(fs, mode);
    memcpy(e->name, name, e->name_len);
}

/* The directory changed: times, and no more hash index. */
static int touch_dir(struct inode *dir)
{
    dir->mtime = dir->ctime = vfs_now();
    EXT2_INFO(dir)->flags &= ~EXT2_INDEX_FL;
    return ext2_inode_write(dir);
}

int ext2_dir_add(struct inode *dir, const char *name, u32 ino, u32 mode)
{
    struct ext2_fs *fs = EXT2_INFO(dir)->fs;
    size_t length = strlen(name);
    if (length == 0 || length > EXT2_NAME_LEN)
        return -ENAMETOOLONG;
    u32 needed = EXT2_DIR_ENTRY_SIZE(length);
    for (u32 i = 0; i < dir_blocks(dir); i++) {
        struct buffer *b;
        int error = read_dir_block(dir, i, &b);
        if (error)
            return error;
        FOR_EACH_ENTRY(e, b, fs->block_size)
        {
            u32 used = e->inode ? EXT2_DIR_ENTRY_SIZE(e->name_len) : 0;
            if (e->rec_len - used < needed)
                continue;
            if (used) { /* split: the new entry takes the slack after this one */
                struct ext2_dir_entry *n = (struct ext2_dir_entry *)((u8 *)e + used);
                n->rec_len = (u16)(e->rec_len - used);
                e->rec_len = (u16)used;
                e = n;
            }
            fill_entry(fs, e, name, ino, mode);
            bcache_mark_dirty(b);
            bcache_release(b);
            return touch_dir(dir);
        }
        bcache_release(b);
    }
    /* No room: a new block, one entry covering it. */
    u32 block;
    int error = ext2_bmap(dir, dir_blocks(dir), true, &block);
    if (error)
        return error;
    struct buffer *b = bcache_read(fs->device, block, fs->block_size, &error);
    if (!b)
        return error;
    struct ext2_dir_entry *e = (struct ext2_dir_entry *)b->data;
    e->rec_len = (u16)fs->block_size;
    fill_entry(fs, e, name, ino, mode);
    bcache_mark_dirty(b);
    bcache_release(b);
    dir->size += fs->block_size;
    return touch_dir(dir);
}

int ext2_dir_remove(struct inode *dir, const char *name)
{
    struct buffer *b;
    struct ext2_dir_entry *e, *previous;
    int error = find_entry(dir, name, &b, &e, &previous);
    if (error)
        return error;
    if (previous)
        previous->rec_len = (u16)(previous->rec_len + e->rec_len);
    else
        e->inode = 0;
    bcache_mark_dirty(b);
    bcache_release(b);
    return touch_dir(dir);
}

int ext2_dir_set(struct inode *dir, const char *name, u32 ino, u32 mode)
{
    struct buffer *b;
    struct ext2_dir_entry *e, *previous;
    int error = find_entry(dir, name, &b, &e, &previous);
    if (error)
        return error;
    e->inode = ino;
    e->file_type = file_type(EXT2_INFO(dir)->fs, mode);
    bcache_mark_dirty(b);
    bcache_release(b);
    return touch_dir(dir);
}

int ext2_dir_is_empty(struct inode *dir)
{
    struct ext2_fs *fs = EXT2_INFO(dir)->fs;
    for (u32 i = 0; i < dir_blocks(dir); i++) {
        struct buffer *b;
        int error = read_dir_block(dir, i, &b);
        if (error)
            return error;
        FOR_EACH_ENTRY(e, b, fs->block_size)
        {
            if (e->inode && !name_is(e, ".", 1) && !name_is(e, "..", 2)) {
                bcache_release(b);
                return 0;
            }
        }
        bcache_release(b);
    }
    return 1;
}

int ext2_dir_init(struct inode *dir, u32 parent_ino)
{
    struct ext2_fs *fs = EXT2_INFO(dir)->fs;
    u32 block;
    int error = ext2_bmap(dir, 0, true, &block);
    if (error)
        return error;
    struct buffer *b = bcache_read(fs->device, block, fs->block_size, &error);
    if (!b)
        return error;
    struct ext2_dir_entry *dot = (struct ext2_dir_entry *)b->data;
    dot->rec_len = 12;
    fill_entry(fs, dot, ".", (u32)dir->ino, S_IFDIR);
    struct ext2_dir_entry *dotdot = (struct ext2_dir_entry *)(b->data + 12);
    dotdot->rec_len = (u16)(fs->block_size - 12);
    fill_entry(fs, dotdot, "..", parent_ino, S_IFDIR);
    bcache_mark_dirty(b);
    bcache_release(b);
    dir->size = fs->block_size;
    return ext2_inode_write(dir);
}

static u8 dirent_type(u8 type)
{
    static const u8 types[] = {DT_UNKNOWN,     DT_REG,  DT_DIR,           DT_CHR,
                               6 /* DT_BLK */, DT_FIFO, 12 /* DT_SOCK */, DT_LNK};
    return type < ARRAY_SIZE(types) ? types[type] : DT_UNKNOWN;
}

int ext2_readdir(struct inode *dir, u64 *position, struct dir_sink *sink)
{
    struct ext2_fs *fs = EXT2_INFO(dir)->fs;
    while (*position < dir->size) {
        u32 index = (u32)(*position / fs->block_size);
        u32 start = (u32)(*position % fs->block_size);
        struct buffer *b;
        int error = read_dir_block(dir, index, &b);
        if (error)
            return error;
        u32 offset = 0;
        FOR_EACH_ENTRY(e, b, fs->block_size)
        {
            u32 here = offset;
            offset += e->rec_len;
            if (here < start || !e->inode)
                continue;
            char name[EXT2_NAME_LEN + 1];
            memcpy(name, e->name, e->name_len);
            name[e->name_len] = '\0';
            if (!sink->emit(sink, name, e->inode, dirent_type(e->file_type))) {
                *position = (u64)index * fs->block_size + here;
                bcache_release(b);
                return 0;
            }
        }
        bcache_release(b);
        *position = (u64)(index + 1) * fs->block_size;
    }
    return 0;
}
