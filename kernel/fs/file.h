/*
 * file.h - open files and the per-process descriptor table.
 *
 *   process A's fd table        open files (struct file)        inodes
 *   +----+                     +---------------------+
 *   | 0  |-------------------->| /dev/console, off 0 |------> console
 *   | 1  |-------------------->|                     |
 *   | 2  |----+                +---------------------+
 *   | 3  |--+ +--------------->  (fd 1 and 2 share it: dup)
 *   +----+  |                  +---------------------+
 *           +----------------->| /tmp/log, off 120   |------> ramfs file
 *   process B (forked from A) ->                     |   (fork shares the offset)
 *                              +---------------------+
 *
 * A descriptor is an index into the table; the table holds pointers to
 * shared open-file objects, each with its own offset and flags.
 */
#ifndef KERNEL_FS_FILE_H
#define KERNEL_FS_FILE_H

#include "kernel/types.h"

struct mutex;

struct inode;
struct file;
struct poll_table;

/* open() flags (Linux x86-64 values) */
#define O_ACCMODE 00000003
#define O_RDONLY 00000000
#define O_WRONLY 00000001
#define O_RDWR 00000002
#define O_CREAT 00000100
#define O_EXCL 00000200
#define O_NOCTTY 00000400
#define O_TRUNC 00001000
#define O_APPEND 00002000
#define O_NONBLOCK 00004000
#define O_DSYNC 00010000
#define O_DIRECT 00040000
#define O_LARGEFILE 00100000
#define O_DIRECTORY 00200000
#define O_NOFOLLOW 00400000
#define O_NOATIME 01000000
#define O_CLOEXEC 02000000
#define O_PATH 010000000

/* poll events */
#define POLLIN 0x001
#define POLLPRI 0x002
#define POLLOUT 0x004
#define POLLERR 0x008
#define POLLHUP 0x010
#define POLLNVAL 0x020
#define POLLRDNORM 0x040
#define POLLWRNORM 0x100

struct file_ops {
    /* Read into / write from user memory at *offset (updated).  Bytes or -errno. */
    long (*read)(struct file *file, void *user_buf, size_t size, u64 *offset);
    long (*write)(struct file *file, const void *user_buf, size_t size, u64 *offset);
    /* Device control (terminals).  -ENOTTY when not supported. */
    long (*ioctl)(struct file *file, u64 command, u64 arg);
    /* Which of POLLIN/POLLOUT/POLLHUP... hold now; if `table` is given, also
     * register on the wait queues that will announce a change. */
    u32 (*poll)(struct file *file, struct poll_table *table);
    /* Called when a file is opened / when its last descriptor is closed. */
    int (*open)(struct file *file);
    void (*release)(struct file *file);
    /* false: lseek gives ESPIPE (pipes, terminals). */
    bool seekable;
    /* If set, held across one whole write or writev call (kernel/fs/sys_rw.c),
     * so that another process's text never lands inside it: the terminal's,
     * like Linux's atomic_write_lock.  musl's printf writes one line as a
     * writev of two pieces. */
    struct mutex *write_lock;
};

struct file {
    struct inode *inode;
    u64 offset;   /* shared by every descriptor and process using this file */
    u32 flags;    /* O_ACCMODE | O_APPEND | O_NONBLOCK ... */
    int refcount; /* descriptors pointing here (across processes) */
    const struct file_ops *ops;
    void *private;      /* per-open data: which end of a pipe, a /proc snapshot... */
    char *path;         /* the name it was opened by (for /proc/<pid>/fd); may be NULL */
    int epoll_watchers; /* epoll instances watching it (kernel/net/epoll.c) */
};

struct fd_table {
    int capacity;        /* slots in files[]; grows, up to RLIMIT_NOFILE */
    struct file **files; /* NULL: a free descriptor */
    u8 *cloexec;         /* 1: close this descriptor on execve */
    int refs;            /* tasks using it: the threads of a process share one */
};

/* A new open file for `inode` (takes a reference to the inode). */
struct file *file_open_inode(struct inode *inode, u32 flags, const char *path, long *error);
void file_get(struct file *file);
void file_put(struct file *file);
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
/* Where lseek's and a struct flock's offsets count from: 0, the file's
 * offset, or its size; -EINVAL for another whence. */
long file_whence_base(const struct file *file, int whence, i64 *base);
/* How many open-file objects exist (system-wide limit: ENFILE). */
int files_open_count(void);

struct fd_table *fd_table_create(void);
/* fork: the same open files, each with one more reference. */
struct fd_table *fd_table_fork(struct fd_table *parent);
/* exit: close everything and free the table. */
void fd_table_put(struct fd_table *table);
/* One more task uses the table (clone with CLONE_FILES). */
void fd_table_get(struct fd_table *table);
/* execve: close the descriptors marked close-on-exec. */
void fd_table_close_on_exec(struct fd_table *table);

/* The current process's file for descriptor fd (no reference taken), or NULL. */
struct file *fd_get(int fd);
/* Install `file` at the lowest free descriptor >= min_fd.  Returns the
 * descriptor or -EMFILE (RLIMIT_NOFILE reached); the table takes the
 * caller's reference on success. */
int fd_install(struct file *file, int min_fd, bool cloexec);
/* Whether fd_install(file, 0, ...) would find a free descriptor now. */
bool fd_has_room(void);
/* Install at exactly `fd`, closing what was there (dup2). */
int fd_install_at(struct file *file, int fd, bool cloexec);
int fd_close(int fd);
bool fd_is_cloexec(int fd);
void fd_set_cloexec(int fd, bool on);

#endif
