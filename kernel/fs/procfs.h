/*
 * procfs.h - /proc: the kernel's state, as text files generated on open.
 *
 * The same formats as Linux, so ps, top, pmap and lsof read the same files
 * on both systems.  kernel/fs/procfs.c is the file system (directories,
 * lookups, links); procfs_pid.c and procfs_system.c write the contents.
 */
#ifndef KERNEL_FS_PROCFS_H
#define KERNEL_FS_PROCFS_H

#include "kernel/lib/textbuf.h"

struct proc;
struct inode;
struct ns_common;

/* Create /proc and mount the process file system on it. */
void procfs_mount(void);
/* Another root for mount -t proc (a box's own /proc); NULL without memory. */
struct inode *procfs_new_root(void);
/* The namespace an opened /proc/<pid>/ns/<kind> file holds, or NULL (setns). */
struct ns_common *procfs_ns_of(struct inode *inode);

/* A generated file: `show` writes its whole text (p is NULL for /proc/<file>).
 * A file with `store` may also be written: each write() hands it the text. */
struct procfs_file {
    const char *name;
    void (*show)(struct textbuf *out, struct proc *p);
    int (*store)(struct proc *p, const char *text);
};

/* The files of /proc and of /proc/<pid> (NULL-terminated tables). */
extern const struct procfs_file procfs_system_files[];
extern const struct procfs_file procfs_pid_files[];

/*
 * The files of /proc/net (kernel/net/procfs_net.c), one table for every
 * network family: a family adds its files by appending entries there, e.g.
 *     {"tcp", tcp_proc_show}, {"udp", udp_proc_show},
 * with `show` declared in the family's header (p is NULL: /proc/net is not
 * per process).  Nothing else in procfs needs to change.
 */
extern const struct procfs_file procfs_net_files[];

/* /proc/<pid>/fdinfo/<fd> and the target text of /proc/<pid>/fd/<fd>. */
void procfs_show_fdinfo(struct textbuf *out, struct proc *p, int fd);
void procfs_fd_target(struct textbuf *out, struct proc *p, int fd);

#endif
