/*
 * vfs.h - the virtual file system: inodes, path lookup, mounts.
 *
 * "Everything is a file": a regular file in RAM, a directory, the console,
 * /dev/null, a pipe and a /proc entry are all inodes.  An inode says what
 * it is (mode), and carries two tables of operations: inode_ops for the
 * name space (lookup, create, unlink...) and file_ops for an open file
 * (read, write, ioctl, poll...).  Each file system fills them in:
 *
 *   kernel/fs/ramfs.c   the root: directories and files kept in RAM
 *   kernel/fs/devfs.c   /dev: console, tty, null, zero, random, urandom
 *   kernel/fs/procfs.c  /proc: text generated from the kernel's state
 *   kernel/fs/pipe.c    pipes: inodes with no name
 */
#ifndef KERNEL_FS_VFS_H
#define KERNEL_FS_VFS_H

#include "kernel/types.h"

/* File types and permission bits (Linux values, in st_mode). */
#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define S_IFLNK 0120000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFIFO 0010000
#define S_ISTYPE(mode, type) (((mode)&S_IFMT) == (type))
#define S_ISDIR(m) S_ISTYPE(m, S_IFDIR)
#define S_ISREG(m) S_ISTYPE(m, S_IFREG)
#define S_ISLNK(m) S_ISTYPE(m, S_IFLNK)
#define S_ISCHR(m) S_ISTYPE(m, S_IFCHR)
#define S_ISFIFO(m) S_ISTYPE(m, S_IFIFO)
#define S_ISBLK(m) S_ISTYPE(m, S_IFBLK)
#define S_ISUID 04000 /* set-user-ID on execution */
#define S_ISGID 02000 /* set-group-ID on execution */
#define S_ISVTX 01000 /* sticky: only a file's owner may remove it from the directory */
#define S_IXGRP 00010

/* getdents64 entry types */
#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10

struct inode;
struct file;
struct file_ops;

/* Collects directory entries for getdents64; returns false when full. */
struct dir_sink {
    bool (*emit)(struct dir_sink *sink, const char *name, u64 ino, u8 type);
};

/* The first two entries of an in-memory directory: "." at position 0 and
 * ".." (naming `up`) at 1.  Moves *position past what it emitted; false if
 * the sink filled up first.  Its readdir then goes on from position 2. */
bool dir_emit_dots(struct inode *dir, struct inode *up, u64 *position, struct dir_sink *sink);

struct block_device;

struct inode_ops {
    /* The entry `name` of directory `dir`, with a reference; NULL if absent. */
    struct inode *(*lookup)(struct inode *dir, const char *name);
    /* Create a regular file / directory / symlink named `name` in `dir`. */
    int (*create)(struct inode *dir, const char *name, u32 mode, struct inode **created);
    int (*mkdir)(struct inode *dir, const char *name, u32 mode);
    int (*symlink)(struct inode *dir, const char *name, const char *target);
    /* Optional: a new name `name` in `dir` for the existing `target` (a hard link). */
    int (*link)(struct inode *dir, const char *name, struct inode *target);
    /* Remove a non-directory / an empty directory. */
    int (*unlink)(struct inode *dir, const char *name);
    int (*rmdir)(struct inode *dir, const char *name);
    /* Move old_dir/old_name to new_dir/new_name (replacing a compatible target). */
    int (*rename)(struct inode *old_dir, const char *old_name, struct inode *new_dir,
                  const char *new_name);
    /* A symlink's target, copied to a kernel buffer; the length or -errno. */
    long (*readlink)(struct inode *inode, char *buf, size_t size);
    /* Optional, for /proc's "magic" links (/proc/<pid>/fd/N): following the
     * link leads straight to this inode (referenced), whatever its name. */
    struct inode *(*follow_link)(struct inode *inode);
    /* Directory entries from *position on (an opaque cursor), into sink. */
    int (*readdir)(struct inode *dir, u64 *position, struct dir_sink *sink);
    /* Regular files: change the size; read into / write from a kernel buffer
     * (exec loads programs with read, the initrd is unpacked with write). */
    int (*truncate)(struct inode *inode, u64 size);
    long (*read)(struct inode *inode, u64 offset, void *buf, size_t size);
    long (*write)(struct inode *inode, u64 offset, const void *buf, size_t size);
    /* Optional: 512-byte blocks the data really uses (st_blocks); without
     * it, the size rounded up.  A sparse file uses fewer. */
    u64 (*blocks)(const struct inode *inode);
    /* The last reference is gone: free the file system's data. */
    void (*release)(struct inode *inode);
    /* Optional: may the mode become `mode` (chmod)?  0 or -errno; without it,
     * any mode is stored. */
    int (*chmod)(struct inode *inode, u32 mode);
    /* Optional, what makes a file mmap-able (kernel/fs/pagecache.h): the
     * page-cache frame of page `index`, filled from the file (or zeros past
     * its data) and with one reference added for the caller.  May sleep.
     * 0, -ENOMEM, -ENOSPC, -EIO. */
    int (*get_page)(struct inode *inode, u64 index, phys_addr_t *frame);
    /* Optional: write the cached page `index` (changed through a MAP_SHARED
     * mapping) back to the disk.  May sleep.  0 or -errno. */
    int (*writeback_page)(struct inode *inode, u64 index);
    /* Optional (with get_page): the cached frame of page `index` or 0, no
     * reference added, never sleeps (/proc/<pid>/smaps tells cache frames
     * from private copies). */
    phys_addr_t (*find_page)(struct inode *inode, u64 index);
    /* Optional, what makes a regular file usable as swap (mm/swap_sys.c): where
     * page `index` of the file lies on the disk.  0 with *device and *sector
     * (its first) when every block of the page is allocated and the blocks are
     * consecutive on the disk; 1 when they are scattered; -EINVAL for a hole;
     * -EIO.  May sleep. */
    int (*map_page)(struct inode *inode, u64 index, struct block_device **device, u64 *sector);
};

struct inode {
    u64 ino;      /* number, unique within its file system */
    u32 dev;      /* which file system (st_dev) */
    u32 mode;     /* S_IF* type and permission bits */
    u32 nlink;    /* names (directory entries) pointing here */
    u32 uid, gid; /* owner and group (kernel/fs/permission.c checks the mode against them) */
    u32 rdev;     /* device number, for /dev entries */
    u64 size;
    u64 atime, mtime, ctime; /* nanoseconds since 1970 */
    int refcount;            /* open files, working directories, lookups in progress */
    int write_access; /* >0: files open for writing; <0: programs running it (writes: ETXTBSY) */
    const struct inode_ops *ops;
    const struct file_ops *fops; /* how an open file of this inode behaves */
    struct inode *parent;        /* for "..": the containing directory (NULL for a root) */
    struct inode *mounted;       /* a file system mounted on this directory: its root */
    struct inode *covered;       /* for a file system's root: the directory it covers */
    void *data;                  /* the file system's own data */
    bool swapfile;               /* an active swap file (mm/swap.c): write, truncate ETXTBSY */
};

/* st_dev of each file system's inodes (one home, so they never collide). */
#define RAMFS_DEV 1
#define DEVFS_DEV 2
#define PIPE_DEV 3
#define PROCFS_DEV 4
#define TMPFS_FIRST_DEV 5 /* /tmp, /dev/shm: one each, in mount order */
#define MQUEUE_DEV 15
#define SOCKFS_DEV 16     /* sockets' inodes (kernel/net/socket.c) */
#define ANON_INODE_DEV 17 /* epoll and eventfd files: inodes with no name */
#define CGROUPFS_DEV 18   /* the cgroup2 file system (kernel/fs/cgroupfs/) */

/* What statfs reports of a file system (kernel/fs/statfs.c fills the rest). */
struct kstatfs {
    u64 type;                  /* the file system's magic number, as Linux's */
    u64 blocks, bfree, bavail; /* in pages; 0 blocks: no fixed size */
    u32 bsize;                 /* the unit of blocks if not a page (ext2's block size) */
    u64 files, ffree;          /* inodes, if the file system counts them */
};
#define RAMFS_MAGIC 0x858458f6u
#define TMPFS_MAGIC 0x01021994u
#define PROC_SUPER_MAGIC 0x9fa0u
#define PIPEFS_MAGIC 0x50495045u
#define MQUEUE_MAGIC 0x19800202u
#define CGROUP2_SUPER_MAGIC 0x63677270u

/* The root directory "/". */
extern struct inode *vfs_root;

/* Set up the root (ramfs), /dev and /proc. */
void vfs_init(void);

/* A new inode with one reference; NULL when out of memory. */
struct inode *inode_alloc(u32 dev, u32 mode, const struct inode_ops *ops,
                          const struct file_ops *fops);
void inode_get(struct inode *inode);
/* Drop a reference; the last one calls ops->release and frees the inode. */
void inode_put(struct inode *inode);
/*
 * Writers and running programs exclude each other (ETXTBSY, as Linux's
 * get_write_access / deny_write_access): a regular file open for writing
 * cannot be executed, and a program that runs cannot be opened for writing or
 * truncated.  Each returns 0 or -ETXTBSY; the counts live in write_access.
 */
int inode_get_write_access(struct inode *inode); /* open for writing */
void inode_put_write_access(struct inode *inode);
int inode_deny_write_access(struct inode *inode); /* execve: held by the mm */
void inode_allow_write_access(struct inode *inode);
/* Mount the file system whose root is `root` on directory `dir`. */
void vfs_mount(struct inode *dir, struct inode *root);

/* Path lookup flags */
#define LOOKUP_FOLLOW 1    /* follow a symlink in the last component */
#define LOOKUP_DIRECTORY 2 /* the result must be a directory */

/*
 * Resolve `path` (absolute, or relative to `start`) to an inode with a
 * reference.  Symlinks in the middle are followed (at most SYMLOOP_MAX in
 * all), the last one only with LOOKUP_FOLLOW.  Errors: -ENOENT, -ENOTDIR,
 * -ENAMETOOLONG, -ELOOP.
 */
int vfs_lookup(const char *path, struct inode *start, int flags, struct inode **result);

/*
 * Resolve everything but the last component: *parent (referenced) is the
 * directory, `last` receives the final name.  "/" alone, or a path ending
 * in "." or "..", has no usable last name: -EEXIST for creating, -EBUSY etc.
 * are up to the caller; this returns -EINVAL... see namei.c.
 */
int vfs_lookup_parent(const char *path, struct inode *start, struct inode **parent, char last[256]);

/* The absolute path of directory `dir` (for getcwd and /proc/<pid>/cwd):
 * the length written (with the NUL) or -ENOENT / -ERANGE. */
long vfs_directory_path(struct inode *dir, char *buf, size_t size);

/* Linux's struct stat on x86-64 (144 bytes). */
struct kstat {
    u64 dev, ino, nlink;
    u32 mode, uid, gid, pad0;
    u64 rdev;
    i64 size, blksize, blocks;
    u64 atime_sec, atime_nsec, mtime_sec, mtime_nsec, ctime_sec, ctime_nsec;
    i64 reserved[3];
};
_Static_assert(sizeof(struct kstat) == 144, "struct stat is 144 bytes");

/* Fill a Linux struct stat for `inode` (stat, fstat; statx reads it too). */
void vfs_stat(const struct inode *inode, struct kstat *st);

/* The next inode number for a file system that makes them up. */
u64 vfs_next_ino(void);
u64 vfs_now(void); /* current time for timestamps, ns since 1970 */

#endif
