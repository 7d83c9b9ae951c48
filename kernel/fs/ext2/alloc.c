/*
 * alloc.c - which blocks and inodes are free: the bitmaps.
 *
 * Each block group has one block of bitmap for its blocks and one for its
 * inodes (bit i set: block/inode i of the group is in use).  The group
 * descriptor and the superblock keep counts of the free ones, so statfs and
 * the search below need not read every bitmap; every change updates all
 * three.  A bit found in the wrong state (freeing a free block) means the
 * image is corrupt: it is reported, never trusted further.
 */
#include "kernel/errno.h"
#include "kernel/fs/ext2/ext2.h"
#include "kernel/lib/string.h"

static int find_zero_bit(const u8 *bitmap, u32 start, u32 limit)
{
    for (u32 bit = start; bit < limit; bit++) {
        if ((bit & 7) == 0 && bitmap[bit / 8] == 0xff && bit + 8 <= limit) {
            bit += 7; /* a full byte: skip it */
            continue;
        }
        if (!(bitmap[bit / 8] & (1u << (bit % 8))))
            return (int)bit;
    }
    return -1;
}

static u32 blocks_in_group(struct ext2_fs *fs, u32 group)
{
    struct ext2_super_block *s = &fs->super;
    u32 first = s->s_first_data_block + group * s->s_blocks_per_group;
    return MIN(s->s_blocks_per_group, s->s_blocks_count - first);
}

int ext2_block_alloc(struct ext2_fs *fs, u32 goal, u32 *block)
{
    struct ext2_super_block *s = &fs->super;
    if (fs->read_only)
        return -EROFS;
    if (s->s_free_blocks_count == 0)
        return -ENOSPC;
    if (goal < s->s_first_data_block || goal >= s->s_blocks_count)
        goal = s->s_first_data_block;
    u32 goal_group = (goal - s->s_first_data_block) / s->s_blocks_per_group;
    for (u32 i = 0; i < fs->groups; i++) {
        u32 g = (goal_group + i) % fs->groups;
        struct ext2_group_desc *d = &fs->group_desc[g];
        if (d->bg_free_blocks_count == 0)
            continue;
        int error;
        struct buffer *b = bcache_read(fs->device, d->bg_block_bitmap, fs->block_size, &error);
        if (!b)
            return error;
        u32 start = i == 0 ? (goal - s->s_first_data_block) % s->s_blocks_per_group : 0;
        int bit = find_zero_bit(b->data, start, blocks_in_group(fs, g));
        if (bit < 0 && start)
            bit = find_zero_bit(b->data, 0, start);
        if (bit < 0) { /* the count said there was one: the image is inconsistent */
            bcache_release(b);
            ext2_error(fs, "free block count wrong in group", g);
            continue;
        }
        b->data[bit / 8] |= (u8)(1u << (bit % 8));
        bcache_mark_dirty(b);
        bcache_release(b);
        d->bg_free_blocks_count--;
        s->s_free_blocks_count--;
        fs->super_dirty = true;
        *block = s->s_first_data_block + g * s->s_blocks_per_group + (u32)bit;
        return 0;
    }
    return -ENOSPC;
}

/*
 * Clear bit `bit` of the bitmap in block `bitmap`: true when it was set.  One already clear means
 * the image is corrupt: reported (`message`, `number`), and false.
 */
static bool clear_bitmap_bit(struct ext2_fs *fs, u32 bitmap, u32 bit, const char *message,
                             u32 number)
{
    int error;
    struct buffer *b = bcache_read(fs->device, bitmap, fs->block_size, &error);
    if (!b)
        return false;
    bool was_set = b->data[bit / 8] & (1u << (bit % 8));
    if (!was_set) {
        ext2_error(fs, message, number);
    } else {
        b->data[bit / 8] &= (u8) ~(1u << (bit % 8));
        bcache_mark_dirty(b);
    }
    bcache_release(b);
    return was_set;
}

void ext2_block_free(struct ext2_fs *fs, u32 block)
{
    struct ext2_super_block *s = &fs->super;
    if (block < s->s_first_data_block || block >= s->s_blocks_count) {
        ext2_error(fs, "freeing a block outside the file system:", block);
        return;
    }
    u32 g = (block - s->s_first_data_block) / s->s_blocks_per_group;
    u32 bit = (block - s->s_first_data_block) % s->s_blocks_per_group;
    if (clear_bitmap_bit(fs, fs->group_desc[g].bg_block_bitmap, bit, "freeing a free block",
                         block)) {
        fs->group_desc[g].bg_free_blocks_count++;
        s->s_free_blocks_count++;
        fs->super_dirty = true;
    }
}

int ext2_inode_alloc(struct ext2_fs *fs, u32 parent_ino, bool directory, u32 *ino)
{
    struct ext2_super_block *s = &fs->super;
    if (fs->read_only)
        return -EROFS;
    if (s->s_free_inodes_count == 0)
        return -ENOSPC;
    u32 first_ino = s->s_rev_level ? s->s_first_ino : 11;
    u32 start_group = parent_ino ? (parent_ino - 1) / s->s_inodes_per_group : 0;
    for (u32 i = 0; i < fs->groups; i++) {
        u32 g = (start_group + i) % fs->groups;
        struct ext2_group_desc *d = &fs->group_desc[g];
        if (d->bg_free_inodes_count == 0)
            continue;
        int error;
        struct buffer *b = bcache_read(fs->device, d->bg_inode_bitmap, fs->block_size, &error);
        if (!b)
            return error;
        u32 start = g == 0 && first_ino > 1 ? first_ino - 1 : 0;
        int bit = find_zero_bit(b->data, start, s->s_inodes_per_group);
        if (bit < 0) {
            bcache_release(b);
            ext2_error(fs, "free inode count wrong in group", g);
            continue;
        }
        b->data[bit / 8] |= (u8)(1u << (bit % 8));
        bcache_mark_dirty(b);
        bcache_release(b);
        d->bg_free_inodes_count--;
        s->s_free_inodes_count--;
        if (directory)
            d->bg_used_dirs_count++;
        fs->super_dirty = true;
        *ino = g * s->s_inodes_per_group + (u32)bit + 1;
        return 0;
    }
    return -ENOSPC;
}

void ext2_inode_free(struct ext2_fs *fs, u32 ino, bool directory)
{
    struct ext2_super_block *s = &fs->super;
    if (ino == 0 || ino > s->s_inodes_count)
        return;
    u32 g = (ino - 1) / s->s_inodes_per_group, bit = (ino - 1) % s->s_inodes_per_group;
    if (clear_bitmap_bit(fs, fs->group_desc[g].bg_inode_bitmap, bit, "freeing a free inode", ino)) {
        fs->group_desc[g].bg_free_inodes_count++;
        s->s_free_inodes_count++;
        if (directory && fs->group_desc[g].bg_used_dirs_count)
            fs->group_desc[g].bg_used_dirs_count--;
        fs->super_dirty = true;
    }
}
