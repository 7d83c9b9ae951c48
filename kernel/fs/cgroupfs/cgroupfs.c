/*
 * cgroupfs.c - the cgroup2 file system (see cgroupfs.h).
 *
 * Each group's directory is one inode that lives as long as the group is in
 * the tree (cgroup->dir); rmdir takes it away.  The files are made up when
 * they are looked up, as /proc's are, and hold a reference on their group,
 * so a file opened before an rmdir still reads (and refuses writes, ENODEV).
 * A file's owner is its directory's: chown a group's directory to delegate
 * the group to a user.
 */
#include "kernel/fs/cgroupfs/cgroupfs.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/textfile.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "kernel/uaccess.h"
#include "mm/kheap.h"
#include "proc/cgroup.h"
#include "proc/cred.h"
#include "proc/proc.h"

static const struct inode_ops dir_ops, file_inode_ops;
static const struct file_ops dir_fops, file_fops;
static struct inode *root;

/* What a file inode stands for: one file of one group. */
struct cgroupfs_node {
    struct cgroup *cgroup; /* referenced */
    const struct cgroupfs_file *file;
};

bool cgroupfs_file_visible(const struct cgroupfs_file *file, const struct cgroup *cg)
{
    bool is_root = cg == &cgroup_root;
    if (!(file->where & (is_root ? CGROUPFS_ROOT : CGROUPFS_NON_ROOT)))
        return false;
    return !file->controller || is_root || cgroup_controller_on(cg, file->controller);
}

/* Stable inode numbers: a group's directory, and its files after it. */
static u64 file_ino(const struct inode *dir, int index) { return dir->ino + 1 + (u64)index; }

static struct inode *make_dir(struct cgroup *cg, struct inode *parent)
{
    struct inode *inode = inode_alloc(CGROUPFS_DEV, S_IFDIR | 0755, &dir_ops, &dir_fops);
    if (!inode)
        return NULL;
    inode->ino = vfs_next_ino() << 8; /* room for the files' numbers */
    inode->nlink = 2;
    inode->parent = parent;
    inode->data = cg;
    cgroup_get(cg); /* released with the inode */
    if (parent) {
        inode_get(parent); /* ".." keeps the parent alive (a removed group may be a cwd) */
        inode->uid = current->cred.fsuid;
        inode->gid = current->cred.fsgid;
    }
    return inode;
}

static struct inode *make_file(struct inode *dir, struct cgroup *cg, int index)
{
    const struct cgroupfs_file *file = &cgroupfs_files[index];
    struct inode *inode =
        inode_alloc(CGROUPFS_DEV, S_IFREG | file->mode, &file_inode_ops, &file_fops);
    struct cgroupfs_node *node = inode ? kmalloc(sizeof *node) : NULL;
    if (!node) {
        inode_put(inode);
        return NULL;
    }
    cgroup_get(cg);
    *node = (struct cgroupfs_node){cg, file};
    inode->data = node;
    inode->ino = file_ino(dir, index);
    inode->uid = dir->uid; /* delegation: the directory's owner owns its files */
    inode->gid = dir->gid;
    return inode;
}

/* --- directories ----------------------------------------------------------------- */

static struct inode *cgroupfs_lookup(struct inode *dir, const char *name)
{
    struct cgroup *cg = dir->data;
    if (cg->removed)
        return NULL;
    struct cgroup *child = cgroup_child(cg, name);
    if (child && child->dir) {
        inode_get(child->dir);
        return child->dir;
    }
    for (int i = 0; cgroupfs_files[i].name; i++)
        if (strcmp(cgroupfs_files[i].name, name) == 0 &&
            cgroupfs_file_visible(&cgroupfs_files[i], cg))
            return make_file(dir, cg, i);
    return NULL;
}

static int cgroupfs_mkdir(struct inode *dir, const char *name, u32 mode)
{
    (void)mode; /* groups' directories are 0755, as Linux's */
    struct cgroup *cg = dir->data;
    struct cgroup *child = cgroup_create(cg, name);
    if (IS_ERR(child))
        return (int)PTR_ERR(child);
    if (!(child->dir = make_dir(child, dir))) {
        cgroup_remove(child);
        return -ENOMEM;
    }
    dir->nlink++;
    return 0;
}

static int cgroupfs_rmdir(struct inode *dir, const char *name)
{
    struct cgroup *child = cgroup_child(dir->data, name);
    if (!child) {
        for (int i = 0; cgroupfs_files[i].name; i++)
            if (strcmp(cgroupfs_files[i].name, name) == 0)
                return -ENOTDIR;
        return -ENOENT;
    }
    struct inode *inode = child->dir; /* holds a reference on child: it stays while we work */
    int error = cgroup_remove(child);
    if (error)
        return error;
    child->dir = NULL;
    inode->nlink = 0;
    dir->nlink--;
    inode_put(inode); /* the tree's reference */
    return 0;
}

/* Positions: 0 ".", 1 "..", 2.. the files, then CHILDREN + n for the n-th child group. */
#define CHILDREN 0x10000

static int cgroupfs_readdir(struct inode *dir, u64 *position, struct dir_sink *sink)
{
    struct cgroup *cg = dir->data;
    struct inode *up = dir->parent ? dir->parent : dir->covered ? dir->covered : dir;
    if (!dir_emit_dots(dir, up, position, sink))
        return 0;
    for (; *position < CHILDREN && cgroupfs_files[*position - 2].name; (*position)++) {
        int i = (int)*position - 2;
        if (!cg->removed && cgroupfs_file_visible(&cgroupfs_files[i], cg) &&
            !sink->emit(sink, cgroupfs_files[i].name, file_ino(dir, i), DT_REG))
            return 0;
    }
    if (*position < CHILDREN)
        *position = CHILDREN;
    u64 n = 0;
    struct cgroup *child;
    list_for_each_entry (child, &cg->children, sibling) {
        if (n++ < *position - CHILDREN || !child->dir)
            continue;
        if (!sink->emit(sink, child->name, child->dir->ino, DT_DIR))
            return 0;
        *position = CHILDREN + n;
    }
    return 0;
}

static void dir_release(struct inode *inode)
{
    cgroup_put(inode->data);
    if (inode->parent)
        inode_put(inode->parent);
}

static long dir_read(struct file *file, void *buf, size_t size, u64 *offset)
{
    (void)file, (void)buf, (void)size, (void)offset;
    return -EISDIR;
}

static const struct inode_ops dir_ops = {
    .lookup = cgroupfs_lookup,
    .mkdir = cgroupfs_mkdir,
    .rmdir = cgroupfs_rmdir,
    .readdir = cgroupfs_readdir,
    .release = dir_release,
};
static const struct file_ops dir_fops = {.read = dir_read, .seekable = true};

/* --- files ----------------------------------------------------------------------- */

static struct cgroupfs_node *node_of(struct file *file) { return file->inode->data; }

static int cgroupfs_open(struct file *file)
{
    struct cgroupfs_node *node = node_of(file);
    if ((file->flags & O_ACCMODE) != O_WRONLY && !node->file->show)
        return -EINVAL; /* write-only (cgroup.kill) */
    if ((file->flags & O_ACCMODE) != O_RDONLY && !node->file->store)
        return -EACCES;
    if (!node->file->show)
        return 0;
    struct textbuf *text = kzalloc(sizeof *text);
    if (!text)
        return -ENOMEM;
    node->file->show(text, node->cgroup);
    return textfile_keep(file, text);
}

/* One write is one command ("+pids -cpu", "12", "50000 100000"). */
static long cgroupfs_write(struct file *file, const void *buf, size_t size, u64 *offset)
{
    (void)offset;
    struct cgroupfs_node *node = node_of(file);
    char command[TEXTFILE_COMMAND_MAX];
    long len = textfile_command(command, buf, size);
    if (len < 0)
        return len;
    if (node->cgroup->removed)
        return -ENODEV;
    if (len == 0 && size > 0)
        return (long)size; /* writev's lone newline ends the write before */
    int error = node->file->store(node->cgroup, command);
    return error ? error : (long)size;
}

static void file_release(struct inode *inode)
{
    struct cgroupfs_node *node = inode->data;
    cgroup_put(node->cgroup);
    kfree(node);
}

/* A file's inode is made anew at each lookup, so a new mode could not be
 * kept: refuse it (its directory's owner is the file's; chown the directory). */
static int file_chmod(struct inode *inode, u32 mode)
{
    (void)inode, (void)mode;
    return -EPERM;
}

static const struct inode_ops file_inode_ops = {.release = file_release, .chmod = file_chmod};
static const struct file_ops file_fops = {
    .open = cgroupfs_open,
    .read = textfile_read,
    .write = cgroupfs_write,
    .release = textfile_release,
    .seekable = true,
};

/* --- mounting -------------------------------------------------------------------- */

void cgroupfs_init(void)
{
    if (!root && (root = make_dir(&cgroup_root, NULL)))
        cgroup_root.dir = root;
}

long cgroupfs_mount(struct inode *dir)
{
    cgroupfs_init();
    if (!root)
        return -ENOMEM;
    if (root->covered || dir->mounted || dir->covered)
        return -EBUSY; /* sprout mounts the hierarchy in one place */
    inode_get(dir);    /* the mount keeps the directory */
    vfs_mount(dir, root);
    return 0;
}

long cgroupfs_umount(struct inode *inode)
{
    if (!root || inode != root || !root->covered)
        return -EINVAL;
    struct inode *dir = root->covered;
    dir->mounted = NULL;
    root->covered = NULL;
    inode_put(root); /* vfs_mount's */
    inode_put(dir);
    return 0;
}

void cgroupfs_show_mount(struct textbuf *out)
{
    if (!root || !root->covered)
        return;
    char *path = kmalloc(PATH_MAX);
    if (path && vfs_directory_path(root->covered, path, PATH_MAX) > 0)
        textbuf_printf(out, "cgroup2 %s cgroup2 rw,nosuid,nodev,noexec,relatime 0 0\n", path);
    kfree(path);
}
