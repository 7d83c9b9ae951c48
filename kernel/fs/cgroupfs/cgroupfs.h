/*
 * cgroupfs.h - the cgroup2 file system: control groups as directories.
 *
 *   /sys/fs/cgroup                 the root group
 *   /sys/fs/cgroup/cgroup.procs    its processes, one PID a line; write a PID to move it here
 *   /sys/fs/cgroup/demo/           mkdir makes a group, rmdir removes an empty one
 *   /sys/fs/cgroup/demo/pids.max   a controller's file (when the parent enables it)
 *
 * cgroupfs.c is the file system (lookup, mkdir, rmdir, readdir, open, read,
 * write); files.c is the table of files and what each shows and accepts.
 * The groups themselves are proc/cgroup.c's.
 */
#ifndef KERNEL_FS_CGROUPFS_CGROUPFS_H
#define KERNEL_FS_CGROUPFS_CGROUPFS_H

#include "kernel/lib/textbuf.h"
#include "kernel/types.h"

struct cgroup;
struct inode;

/* Where a file appears. */
#define CGROUPFS_ROOT 1     /* in the root group */
#define CGROUPFS_NON_ROOT 2 /* in every other group */
#define CGROUPFS_BOTH (CGROUPFS_ROOT | CGROUPFS_NON_ROOT)

struct cgroupfs_file {
    const char *name;
    u32 controller; /* CGROUP_PIDS...: only where the parent enables it; 0: always */
    u32 where;      /* CGROUPFS_ROOT / NON_ROOT / BOTH */
    u32 mode;       /* permission bits */
    /* The whole text, generated at open (a snapshot). NULL: write-only. */
    void (*show)(struct textbuf *out, struct cgroup *cg);
    /* One write's text (trailing newline removed): 0 or -errno. NULL: read-only. */
    int (*store)(struct cgroup *cg, const char *text);
};

/* The table (NULL-terminated), in files.c. */
extern const struct cgroupfs_file cgroupfs_files[];

/* Does `file` exist in group cg? */
bool cgroupfs_file_visible(const struct cgroupfs_file *file, const struct cgroup *cg);

/* Build the root directory (at boot). */
void cgroupfs_init(void);
/* mount -t cgroup2 on directory `dir`: 0, -EBUSY (already mounted somewhere). */
long cgroupfs_mount(struct inode *dir);
/* umount: is `root` the cgroup2 root?  Then detach it (0) or say -EINVAL. */
long cgroupfs_umount(struct inode *root);
/* /proc/mounts: the line for cgroup2, if mounted. */
void cgroupfs_show_mount(struct textbuf *out);

#endif
