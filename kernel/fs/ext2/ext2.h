/*
 * ext2.h - the second extended file system: what is on the disk, and the
 * in-memory state of a mounted one.  docs/ext2.md draws the layout.
 *
 *   block 0 (1 KiB blocks) or bytes 0..1023 of block 0: boot area, unused
 *   byte 1024: the superblock (sizes, counts, features)
 *   then the group descriptor table, then for each block group:
 *     [block bitmap][inode bitmap][inode table][data blocks ...]
 *
 * Files are inodes (numbered from 1; 2 is the root directory); an inode's
 * data is found through its block map (bmap.c), a directory's data is a list
 * of entries (dir.c).  All multi-byte numbers are little-endian, as x86 is.
 *
 * Locking: every operation on a mounted ext2 holds its `fs->lock` (a
 * sleeping lock) from start to end, so one operation at a time changes the
 * bitmaps, inodes and directories of one file system; buffers are locked
 * under it (buffer.h).  inode_ops entry points take the lock; the helpers
 * below expect it held.
 */
#ifndef KERNEL_FS_EXT2_EXT2_H
#define KERNEL_FS_EXT2_EXT2_H

#include "kernel/drivers/block.h"
#include "kernel/fs/buffer.h"
#include "kernel/fs/pagecache.h"
#include "kernel/fs/vfs.h"
#include "kernel/list.h"
#include "kernel/types.h"

#define EXT2_SUPER_MAGIC 0xef53
#define EXT2_SUPERBLOCK_OFFSET 1024
#define EXT2_ROOT_INO 2
#define EXT2_NDIR_BLOCKS 12 /* i_block[0..11]: direct */
#define EXT2_IND_BLOCK 12   /* i_block[12]: single indirect */
#define EXT2_DIND_BLOCK 13  /* double indirect */
#define EXT2_TIND_BLOCK 14  /* triple indirect */
#define EXT2_N_BLOCKS 15
#define EXT2_NAME_LEN 255
#define EXT2_LINK_MAX 32000
#define EXT2_FAST_SYMLINK_MAX 60 /* targets shorter than this live in i_block */

/* Feature flags sprout understands. */
#define EXT2_FEATURE_INCOMPAT_FILETYPE 0x0002      /* entries carry a file type */
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001 /* backups in a few groups only */
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE 0x0002   /* i_size_high for files >= 2 GiB */
#define EXT2_INDEX_FL 0x00001000                   /* hashed directory (we clear it on change) */
#define EXT2_VALID_FS 1                            /* s_state: cleanly unmounted */

struct ext2_super_block {
    u32 s_inodes_count, s_blocks_count, s_r_blocks_count;
    u32 s_free_blocks_count, s_free_inodes_count;
    u32 s_first_data_block; /* 1 with 1 KiB blocks, else 0 */
    u32 s_log_block_size;   /* block size = 1024 << this */
    u32 s_log_frag_size;
    u32 s_blocks_per_group, s_frags_per_group, s_inodes_per_group;
    u32 s_mtime, s_wtime;
    u16 s_mnt_count;
    i16 s_max_mnt_count;
    u16 s_magic, s_state, s_errors, s_minor_rev_level;
    u32 s_lastcheck, s_checkinterval, s_creator_os, s_rev_level;
    u16 s_def_resuid, s_def_resgid;
    /* revision 1: */
    u32 s_first_ino;
    u16 s_inode_size, s_block_group_nr;
    u32 s_feature_compat, s_feature_incompat, s_feature_ro_compat;
    u8 s_uuid[16];
    char s_volume_name[16];
    char s_last_mounted[64];
    u32 s_algorithm_usage_bitmap;
    u8 prealloc_and_journal[28]; /* kept as read */
    u32 s_last_orphan;           /* the first inode of the orphan list (inode.c), 0: none */
    u8 rest[1024 - 236];         /* hash seeds, ...: kept as read */
};
_Static_assert(sizeof(struct ext2_super_block) == 1024, "the superblock is 1 KiB");

struct ext2_group_desc {
    u32 bg_block_bitmap, bg_inode_bitmap, bg_inode_table;
    u16 bg_free_blocks_count, bg_free_inodes_count, bg_used_dirs_count;
    u16 bg_pad;
    u32 bg_reserved[3];
};
_Static_assert(sizeof(struct ext2_group_desc) == 32, "a group descriptor is 32 bytes");

struct ext2_disk_inode {
    u16 i_mode, i_uid;
    u32 i_size, i_atime, i_ctime, i_mtime, i_dtime;
    u16 i_gid, i_links_count;
    u32 i_blocks; /* 512-byte units, indirect blocks included */
    u32 i_flags, i_osd1;
    u32 i_block[EXT2_N_BLOCKS];
    u32 i_generation, i_file_acl;
    u32 i_size_high; /* i_dir_acl in revision 0 */
    u32 i_faddr;
    u8 i_osd2_frag, i_osd2_fsize;
    u16 i_osd2_pad;
    u16 i_uid_high, i_gid_high;
    u32 i_osd2_reserved;
};
_Static_assert(sizeof(struct ext2_disk_inode) == 128, "a revision-0 inode is 128 bytes");

struct ext2_dir_entry { /* followed by the name, padded to 4 bytes */
    u32 inode;          /* 0: an unused entry */
    u16 rec_len;        /* bytes to the next entry */
    u8 name_len, file_type;
    char name[];
};
#define EXT2_DIR_ENTRY_SIZE(name_len) ((8 + (name_len) + 3) & ~3u)

/* File types in directory entries. */
#define EXT2_FT_UNKNOWN 0
#define EXT2_FT_REG_FILE 1
#define EXT2_FT_DIR 2
#define EXT2_FT_CHRDEV 3
#define EXT2_FT_BLKDEV 4
#define EXT2_FT_FIFO 5
#define EXT2_FT_SOCK 6
#define EXT2_FT_SYMLINK 7

/* One mounted ext2. */
struct ext2_fs {
    struct sleep_lock lock; /* held by every operation, see above */
    struct block_device *device;
    u32 dev; /* st_dev of its inodes */
    bool read_only;
    u32 block_size, inode_size, groups;
    u32 addresses_per_block; /* block numbers in an indirect block */
    struct ext2_super_block super;
    struct ext2_group_desc *group_desc; /* `groups` of them */
    u32 group_desc_blocks;
    bool super_dirty;
    /* sync and the flusher find it in the mount table and may sleep on `lock` while
     * unmount frees it: they pin it first; the last pin out frees an unmounted one. */
    int pins;
    bool unmounted;
    struct list inodes; /* struct ext2_inode_info of inodes in memory */
    struct inode *root;
};

/* The file system's part of a struct inode (inode->data). */
struct ext2_inode_info {
    struct list_node node; /* in fs->inodes */
    struct ext2_fs *fs;
    struct inode *inode;
    u32 block[EXT2_N_BLOCKS];
    u32 blocks_512; /* i_blocks */
    u32 flags;
    u32 uid, gid, generation, file_acl;
    u32 dtime;               /* on the orphan list: the next orphan's number (0: the last) */
    bool orphan;             /* on the orphan list: no name left, still open */
    struct page_cache cache; /* pages of the file mmap has asked for (kernel/fs/pagecache.h) */
};

#define EXT2_INFO(inode) ((struct ext2_inode_info *)(inode)->data)

/* super.c */
int ext2_fs_sync(struct ext2_fs *fs); /* superblock, group descriptors, inodes, buffers */
void ext2_error(struct ext2_fs *fs, const char *what, u64 number);

/* alloc.c: bitmaps; the block is taken near `goal` when possible. */
int ext2_block_alloc(struct ext2_fs *fs, u32 goal, u32 *block);
void ext2_block_free(struct ext2_fs *fs, u32 block);
int ext2_inode_alloc(struct ext2_fs *fs, u32 parent_ino, bool directory, u32 *ino);
void ext2_inode_free(struct ext2_fs *fs, u32 ino, bool directory);

/* file.c: the page cache's side (fs->lock held). */
int ext2_get_page_locked(struct inode *inode, u64 index, phys_addr_t *frame);
int ext2_writeback_page_locked(struct inode *inode, u64 index);

/* inode.c */
int ext2_iget(struct ext2_fs *fs, u32 ino, struct inode **result);
void ext2_iput_locked(struct inode *inode); /* inode_put with fs->lock held */
int ext2_inode_write(struct inode *inode);
struct inode *ext2_inode_new(struct ext2_fs *fs, u32 ino, u32 mode, const struct inode *dir);
int ext2_truncate_locked(struct inode *inode, u64 size);
int ext2_sync_inodes(struct ext2_fs *fs);
/* The orphan list: an inode whose last name went while it is in use goes on it, so a crash
 * before its last close does not leak it; mount frees what a crash left there. */
void ext2_orphan_add_locked(struct inode *inode);
void ext2_orphan_cleanup_locked(struct ext2_fs *fs);
void ext2_release(struct inode *inode); /* inode_ops->release */
extern const struct inode_ops ext2_dir_inode_ops, ext2_file_inode_ops, ext2_link_inode_ops;
extern const struct file_ops ext2_file_fops, ext2_dir_fops;

/* bmap.c: the block map.  Returns 0 and *block (0: a hole), or -errno. */
int ext2_bmap(struct inode *inode, u64 file_block, bool create, u32 *block);
/* Free every block of the file from file block `first` on. */
int ext2_free_blocks_from(struct inode *inode, u64 first);
u64 ext2_max_file_blocks(const struct ext2_fs *fs);

/* dir.c */
int ext2_dir_find(struct inode *dir, const char *name, u32 *ino);
int ext2_dir_add(struct inode *dir, const char *name, u32 ino, u32 mode);
int ext2_dir_remove(struct inode *dir, const char *name);
int ext2_dir_set(struct inode *dir, const char *name, u32 ino, u32 mode); /* repoint ".." */
int ext2_dir_is_empty(struct inode *dir);
int ext2_dir_init(struct inode *dir, u32 parent_ino);
int ext2_readdir(struct inode *dir, u64 *position, struct dir_sink *sink);

/* file.c: data of regular files, directories and slow symlinks. */
long ext2_read_locked(struct inode *inode, u64 offset, void *buf, size_t size, bool user);
long ext2_write_locked(struct inode *inode, u64 offset, const void *buf, size_t size, bool user);

#endif
