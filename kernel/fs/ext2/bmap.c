/*
 * bmap.c - the block map: which disk block holds block N of a file.
 *
 * An inode has 15 block pointers.  The first 12 point at data blocks; the
 * 13th at an "indirect" block, a block full of pointers to data blocks; the
 * 14th at a double-indirect block (pointers to indirect blocks), the 15th at
 * a triple-indirect one.  With 1 KiB blocks (256 pointers per block):
 *
 *   i_block[0..11] ----------------------------------> file blocks 0..11
 *   i_block[12] -> [256 pointers] -------------------> 12..267
 *   i_block[13] -> [256] -> [256 each] --------------> 268..65803
 *   i_block[14] -> [256] -> [256] -> [256 each] -----> 65804..16843019
 *
 * A pointer of 0 is a hole: the block reads as zeros and uses no space until
 * written.  Every pointer read from the disk is checked against the size of
 * the file system, so a corrupt map gives -EUCLEAN, never a wild read.
 *
 * The caller holds fs->lock (ext2.h).
 */
#include "kernel/errno.h"
#include "kernel/fs/ext2/ext2.h"
#include "kernel/lib/string.h"

u64 ext2_max_file_blocks(const struct ext2_fs *fs)
{
    u64 apb = fs->addresses_per_block;
    return EXT2_NDIR_BLOCKS + apb + apb * apb + apb * apb * apb;
}

/*
 * The path through the map to file block `n`: offsets[0] indexes i_block,
 * offsets[1..] index the indirect blocks on the way.  Returns the number of
 * offsets (1 to 4), or 0 when n lies beyond what the map can address.
 */
static int block_path(const struct ext2_fs *fs, u64 n, u32 offsets[4])
{
    u64 apb = fs->addresses_per_block;
    if (n < EXT2_NDIR_BLOCKS) {
        offsets[0] = (u32)n;
        return 1;
    }
    n -= EXT2_NDIR_BLOCKS;
    if (n < apb) {
        offsets[0] = EXT2_IND_BLOCK, offsets[1] = (u32)n;
        return 2;
    }
    n -= apb;
    if (n < apb * apb) {
        offsets[0] = EXT2_DIND_BLOCK, offsets[1] = (u32)(n / apb), offsets[2] = (u32)(n % apb);
        return 3;
    }
    n -= apb * apb;
    if (n < apb * apb * apb) {
        offsets[0] = EXT2_TIND_BLOCK, offsets[1] = (u32)(n / (apb * apb));
        offsets[2] = (u32)(n / apb % apb), offsets[3] = (u32)(n % apb);
        return 4;
    }
    return 0;
}

static bool valid_block(const struct ext2_fs *fs, u32 block)
{
    return block >= fs->super.s_first_data_block && block < fs->super.s_blocks_count;
}

/* A new block for the map, zero-filled, counted in i_blocks. */
static int new_block(struct inode *inode, u32 goal, u32 *block)
{
    struct ext2_inode_info *info = EXT2_INFO(inode);
    struct ext2_fs *fs = info->fs;
    int error = ext2_block_alloc(fs, goal, block);
    if (error)
        return error;
    struct buffer *b = bcache_get(fs->device, *block, fs->block_size, &error);
    if (!b) {
        ext2_block_free(fs, *block);
        return error;
    }
    memset(b->data, 0, fs->block_size);
    bcache_mark_dirty(b);
    bcache_release(b);
    info->blocks_512 += fs->block_size / 512;
    return 0;
}

int ext2_bmap(struct inode *inode, u64 file_block, bool create, u32 *block)
{
    struct ext2_inode_info *info = EXT2_INFO(inode);
    struct ext2_fs *fs = info->fs;
    u32 offsets[4];
    int depth = block_path(fs, file_block, offsets);
    if (depth == 0)
        return -EFBIG;
    /* A goal near the inode's table keeps a file's blocks together. */
    u32 goal = fs->group_desc[(inode->ino - 1) / fs->super.s_inodes_per_group].bg_inode_table;

    u32 here = info->block[offsets[0]];
    if (here == 0) {
        if (!create) {
            *block = 0;
            return 0;
        }
        int error = new_block(inode, goal, &here);
        if (error)
            return error;
        info->block[offsets[0]] = here;
    } else if (!valid_block(fs, here)) {
        ext2_error(fs, "bad block pointer in inode", inode->ino);
        return -EUCLEAN;
    }
    for (int level = 1; level < depth; level++) {
        int error;
        struct buffer *b = bcache_read(fs->device, here, fs->block_size, &error);
        if (!b)
            return error;
        u32 *pointers = (u32 *)b->data;
        u32 next = pointers[offsets[level]];
        if (next == 0 && create) {
            error = new_block(inode, here, &next);
            if (error) {
                bcache_release(b);
                return error;
            }
            pointers[offsets[level]] = next;
            bcache_mark_dirty(b);
        }
        bcache_release(b);
        if (next == 0) {
            *block = 0;
            return 0;
        }
        if (!valid_block(fs, next)) {
            ext2_error(fs, "bad indirect block pointer in inode", inode->ino);
            return -EUCLEAN;
        }
        here = next;
    }
    *block = here;
    return 0;
}

/*
 * Free what pointer *slot leads to, for file blocks from `first` on: a tree
 * `depth` levels of indirection deep (0: a data block) covering the file
 * blocks from `base`, `span` of them.  A subtree wholly past `first` is freed
 * with its indirect blocks and *slot becomes 0.  Returns 0 or -errno.
 */
static int trim(struct inode *inode, u32 *slot, int depth, u64 base, u64 span, u64 first)
{
    struct ext2_inode_info *info = EXT2_INFO(inode);
    struct ext2_fs *fs = info->fs;
    if (*slot == 0 || base + span <= first)
        return 0;
    if (!valid_block(fs, *slot)) {
        ext2_error(fs, "bad block pointer while truncating inode", inode->ino);
        *slot = 0; /* drop it: freeing it would corrupt a bitmap */
        return -EUCLEAN;
    }
    int error = 0;
    if (depth > 0) {
        struct buffer *b = bcache_read(fs->device, *slot, fs->block_size, &error);
        if (!b)
            return error;
        u32 *pointers = (u32 *)b->data;
        u64 child_span = span / fs->addresses_per_block;
        bool changed = false;
        for (u32 i = 0; i < fs->addresses_per_block; i++) {
            if (!pointers[i])
                continue;
            int e = trim(inode, &pointers[i], depth - 1, base + i * child_span, child_span, first);
            if (e && !error)
                error = e;
            changed = true;
        }
        if (changed)
            bcache_mark_dirty(b);
        bcache_release(b);
    }
    if (base >= first) {
        ext2_block_free(fs, *slot);
        info->blocks_512 -= MIN(info->blocks_512, fs->block_size / 512);
        *slot = 0;
    }
    return error;
}

int ext2_free_blocks_from(struct inode *inode, u64 first)
{
    struct ext2_inode_info *info = EXT2_INFO(inode);
    u64 apb = info->fs->addresses_per_block;
    int error = 0;
    for (u32 i = 0; i < EXT2_NDIR_BLOCKS; i++) {
        int e = trim(inode, &info->block[i], 0, i, 1, first);
        error = error ? error : e;
    }
    u64 base = EXT2_NDIR_BLOCKS, span = apb;
    for (int level = 1; level <= 3; level++) {
        int e = trim(inode, &info->block[EXT2_IND_BLOCK + level - 1], level, base, span, first);
        error = error ? error : e;
        base += span;
        span *= apb;
    }
    return error;
}
