/*
 * ramfs.c - a file system that lives entirely in memory.
 *
 * A directory is a list of (name, inode) entries; a regular file is an
 * array of page frames (a missing page reads as zeros); a symbolic link is
 * its target string.  Each directory entry holds a reference to its inode,
 * so a file disappears when its last name is removed *and* the last process
 * that has it open closes it -- the Unix rule.
 */
#include "kernel/fs/ramfs.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/list.h"
#include "kernel/param.h"
#include "kernel/uaccess.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/layout.h"

#define RAMFS_DEV 1

struct dirent {
    struct list_node node;
    struct inode *inode; /* one reference, held by this name */
    char name[];
};

struct ramfs_dir {
    struct list entries;
};

struct ramfs_file {
    u64 npages;          /* slots in pages[] */
    phys_addr_t *pages;  /* 0: a hole, reads as zeros */
};

static u64 pages_in_use;
u64 ramfs_pages_in_use(void) { return pages_in_use; }

static const struct inode_ops dir_ops, file_ops_inode, link_ops;
static const struct file_ops ramfs_file_fops, ramfs_dir_fops;

static struct dirent *find(struct inode *dir, const char *name)
{
    struct ramfs_dir *d = dir->data;
    struct dirent *e;
    list_for_each_entry(e, &d->entries, node) {
        if (strcmp(e->name, name) == 0)
            return e;
    }
    return NULL;
}

static int add_entry(struct inode *dir, const char *name, struct inode *inode)
{
    size_t len = strlen(name);
    struct dirent *e = kmalloc(sizeof *e + len + 1);
    if (!e)
        return -ENOMEM;
    memcpy(e->name, name, len + 1);
    e->inode = inode;
    list_push_back(&((struct ramfs_dir *)dir->data)->entries, &e->node);
    dir->mtime = dir->ctime = vfs_now();
    return 0;
}

static void remove_entry(struct inode *dir, struct dirent *e)
{
    list_remove(&e->node);
    kfree(e);
    dir->mtime = dir->ctime = vfs_now();
}

/* A new inode of the given type with its ramfs data. */
static struct inode *new_inode(u32 mode)
{
    const struct inode_ops *ops = S_ISDIR(mode) ? &dir_ops : S_ISLNK(mode) ? &link_ops : &file_ops_inode;
    const struct file_ops *fops = S_ISDIR(mode) ? &ramfs_dir_fops : &ramfs_file_fops;
    struct inode *inode = inode_alloc(RAMFS_DEV, mode, ops, fops);
    if (!inode)
        return NULL;
    size_t data_size = S_ISDIR(mode) ? sizeof(struct ramfs_dir) : S_ISREG(mode) ? sizeof(struct ramfs_file) : 0;
    if (data_size && !(inode->data = kzalloc(data_size))) {
        inode_put(inode);
        return NULL;
    }
    if (S_ISDIR(mode)) {
        list_init(&((struct ramfs_dir *)inode->data)->entries);
        inode->nlink = 2; /* its name, and its own "." */
    }
    return inode;
}

struct inode *ramfs_create_root(void)
{
    struct inode *root = new_inode(S_IFDIR | 0755);
    if (root)
        root->refcount++; /* the root is never freed */
    return root;
}

/* --- directories ---------------------------------------------------------- */

static struct inode *ramfs_lookup(struct inode *dir, const char *name)
{
    struct dirent *e = find(dir, name);
    if (!e)
        return NULL;
    inode_get(e->inode);
    return e->inode;
}

/* Make `name` in `dir` a new inode of `mode`; *created gets a reference. */
static int make(struct inode *dir, const char *name, u32 mode, struct inode **created)
{
    if (dir->nlink == 0)
        return -ENOENT; /* the directory was removed (someone's cwd may still be there) */
    if (find(dir, name))
        return -EEXIST;
    struct inode *inode = new_inode(mode);
    if (!inode)
        return -ENOSPC;
    if (S_ISDIR(mode)) {
        inode->parent = dir;
        inode_get(dir); /* ".." keeps the parent alive */
    }
    if (add_entry(dir, name, inode) < 0) {
        inode_put(inode);
        return -ENOSPC;
    }
    if (S_ISDIR(mode))
        dir->nlink++; /* the child's ".." */
    if (created) {
        inode_get(inode);
        *created = inode;
    }
    return 0;
}

static int ramfs_create(struct inode *dir, const char *name, u32 mode, struct inode **created)
{
    return make(dir, name, S_IFREG | (mode & 07777), created);
}

static int ramfs_mkdir(struct inode *dir, const char *name, u32 mode)
{
    return make(dir, name, S_IFDIR | (mode & 07777), NULL);
}

static int ramfs_symlink(struct inode *dir, const char *name, const char *target)
{
    struct inode *link;
    int error = make(dir, name, S_IFLNK | 0777, &link);
    if (error)
        return error;
    size_t len = strlen(target);
    link->data = kmalloc(len + 1);
    if (link->data) {
        memcpy(link->data, target, len + 1);
        link->size = len;
    }
    inode_put(link);
    return link->data ? 0 : -ENOSPC;
}

static bool dir_empty(struct inode *dir)
{
    return list_empty(&((struct ramfs_dir *)dir->data)->entries);
}

/* Drop the name `e` from `dir`; the inode goes when its last reference does. */
static void drop_name(struct inode *dir, struct dirent *e)
{
    struct inode *inode = e->inode;
    remove_entry(dir, e);
    if (S_ISDIR(inode->mode)) {
        inode->nlink = 0;
        dir->nlink--;
    } else {
        inode->nlink--;
    }
    inode->ctime = vfs_now();
    inode_put(inode);
}

static int ramfs_unlink(struct inode *dir, const char *name)
{
    struct dirent *e = find(dir, name);
    if (!e)
        return -ENOENT;
    if (S_ISDIR(e->inode->mode))
        return -EISDIR;
    drop_name(dir, e);
    return 0;
}

static int ramfs_rmdir(struct inode *dir, const char *name)
{
    struct dirent *e = find(dir, name);
    if (!e)
        return -ENOENT;
    if (!S_ISDIR(e->inode->mode))
        return -ENOTDIR;
    if (e->inode->mounted)
        return -EBUSY;
    if (!dir_empty(e->inode))
        return -ENOTEMPTY;
    drop_name(dir, e);
    return 0;
}

/* Is `dir` the directory `ancestor` or somewhere below it? */
static bool is_within(struct inode *dir, struct inode *ancestor)
{
    for (struct inode *d = dir; d; d = d->parent)
        if (d == ancestor)
            return true;
    return false;
}

static int ramfs_rename(struct inode *old_dir, const char *old_name, struct inode *new_dir,
                        const char *new_name)
{
    struct dirent *src = find(old_dir, old_name);
    if (!src)
        return -ENOENT;
    if (new_dir->ops != &dir_ops)
        return -EXDEV;
    struct inode *inode = src->inode;
    bool is_dir = S_ISDIR(inode->mode);
    if (is_dir && is_within(new_dir, inode))
        return -EINVAL; /* a directory cannot move inside itself */
    struct dirent *dst = find(new_dir, new_name);
    if (dst && dst->inode == inode)
        return 0;
    if (dst) {
        bool dst_dir = S_ISDIR(dst->inode->mode);
        if (is_dir && !dst_dir)
            return -ENOTDIR;
        if (!is_dir && dst_dir)
            return -EISDIR;
        if (dst_dir && (!dir_empty(dst->inode) || dst->inode->mounted))
            return -ENOTEMPTY;
    }
    inode_get(inode); /* keep it while it has no name */
    if (add_entry(new_dir, new_name, inode) < 0) {
        inode_put(inode);
        return -ENOSPC;
    }
    if (dst)
        drop_name(new_dir, dst);
    remove_entry(old_dir, src); /* its reference now belongs to the new entry */
    if (is_dir && old_dir != new_dir) {
        old_dir->nlink--;
        new_dir->nlink++;
        inode_get(new_dir);
        inode_put(inode->parent);
        inode->parent = new_dir;
    }
    inode->ctime = vfs_now();
    return 0;
}

static u8 dirent_type(u32 mode)
{
    switch (mode & S_IFMT) {
    case S_IFDIR:
        return DT_DIR;
    case S_IFREG:
        return DT_REG;
    case S_IFLNK:
        return DT_LNK;
    case S_IFCHR:
        return DT_CHR;
    case S_IFIFO:
        return DT_FIFO;
    }
    return DT_UNKNOWN;
}

/* position: 0 ".", 1 "..", then 2 + index of the entry. */
static int ramfs_readdir(struct inode *dir, u64 *position, struct dir_sink *sink)
{
    if (*position == 0) {
        if (!sink->emit(sink, ".", dir->ino, DT_DIR))
            return 0;
        (*position)++;
    }
    if (*position == 1) {
        struct inode *up = dir->parent ? dir->parent : dir->covered ? dir->covered : dir;
        if (!sink->emit(sink, "..", up->ino, DT_DIR))
            return 0;
        (*position)++;
    }
    u64 index = 2;
    struct dirent *e;
    list_for_each_entry(e, &((struct ramfs_dir *)dir->data)->entries, node) {
        if (index++ < *position)
            continue;
        if (!sink->emit(sink, e->name, e->inode->ino, dirent_type(e->inode->mode)))
            return 0;
        (*position)++;
    }
    return 0;
}

static void ramfs_release(struct inode *inode)
{
    if (S_ISDIR(inode->mode)) {
        inode_put(inode->parent);
        kfree(inode->data);
    } else if (S_ISREG(inode->mode)) {
        inode->ops->truncate(inode, 0);
        struct ramfs_file *f = inode->data;
        if (f)
            kfree(f->pages);
        kfree(f);
    } else {
        kfree(inode->data);
    }
}

static const struct inode_ops dir_ops = {
    .lookup = ramfs_lookup,
    .create = ramfs_create,
    .mkdir = ramfs_mkdir,
    .symlink = ramfs_symlink,
    .unlink = ramfs_unlink,
    .rmdir = ramfs_rmdir,
    .rename = ramfs_rename,
    .readdir = ramfs_readdir,
    .release = ramfs_release,
};

/* --- symbolic links --------------------------------------------------------- */

static long ramfs_readlink(struct inode *inode, char *buf, size_t size)
{
    if (!inode->data)
        return -EIO;
    size_t len = MIN(strlen(inode->data), size);
    memcpy(buf, inode->data, len);
    return (long)len;
}

static const struct inode_ops link_ops = { .readlink = ramfs_readlink, .release = ramfs_release };

/* --- regular files ------------------------------------------------------------ */

/* Make room for page index `index`; -ENOSPC when out of memory. */
static int grow_page_array(struct ramfs_file *f, u64 index)
{
    if (index < f->npages)
        return 0;
    u64 npages = MAX(f->npages * 2, MAX(index + 1, 8));
    phys_addr_t *pages = kzalloc(npages * sizeof *pages);
    if (!pages)
        return -ENOSPC;
    if (f->pages)
        memcpy(pages, f->pages, f->npages * sizeof *pages);
    kfree(f->pages);
    f->pages = pages;
    f->npages = npages;
    return 0;
}

static int ramfs_truncate(struct inode *inode, u64 size)
{
    struct ramfs_file *f = inode->data;
    u64 keep = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
    for (u64 i = keep; i < f->npages; i++) {
        if (f->pages[i]) {
            frame_put(f->pages[i]);
            f->pages[i] = 0;
            pages_in_use--;
        }
    }
    /* Zero the tail of the last kept page so a later extension reads zeros. */
    if (size % PAGE_SIZE && keep - 1 < f->npages && f->pages[keep - 1])
        memset((u8 *)phys_to_virt(f->pages[keep - 1]) + size % PAGE_SIZE, 0,
               PAGE_SIZE - size % PAGE_SIZE);
    inode->size = size;
    inode->mtime = inode->ctime = vfs_now();
    return 0;
}

/* Copy between the file and a buffer; `user` says whether buf is a user pointer. */
static long transfer(struct inode *inode, u64 offset, void *buf, size_t size, bool write, bool user)
{
    struct ramfs_file *f = inode->data;
    if (!write) {
        if (offset >= inode->size)
            return 0;
        size = MIN(size, inode->size - offset);
    }
    size_t done = 0;
    while (done < size) {
        u64 index = (offset + done) / PAGE_SIZE, within = (offset + done) % PAGE_SIZE;
        size_t chunk = MIN(size - done, PAGE_SIZE - within);
        u8 *page = NULL;
        if (write) {
            if (grow_page_array(f, index) < 0)
                break;
            if (!f->pages[index]) {
                if (!(f->pages[index] = frame_alloc()))
                    break;
                pages_in_use++;
            }
        }
        if (index < f->npages && f->pages[index])
            page = (u8 *)phys_to_virt(f->pages[index]) + within;
        u8 *b = (u8 *)buf + done;
        int error = 0;
        if (write)
            error = user ? copy_from_user(page, b, chunk) : (memcpy(page, b, chunk), 0);
        else if (page)
            error = user ? copy_to_user(b, page, chunk) : (memcpy(b, page, chunk), 0);
        else
            error = user ? clear_user(b, chunk) : (memset(b, 0, chunk), 0);
        if (error)
            return done ? (long)done : -EFAULT;
        done += chunk;
    }
    if (write && done) {
        inode->size = MAX(inode->size, offset + done);
        inode->mtime = inode->ctime = vfs_now();
    }
    if (write && done == 0 && size > 0)
        return -ENOSPC;
    return (long)done;
}

static long ramfs_read_kernel(struct inode *inode, u64 offset, void *buf, size_t size)
{
    return transfer(inode, offset, buf, size, false, false);
}

static long ramfs_write_kernel(struct inode *inode, u64 offset, const void *buf, size_t size)
{
    return transfer(inode, offset, (void *)buf, size, true, false);
}

static const struct inode_ops file_ops_inode = {
    .truncate = ramfs_truncate,
    .read = ramfs_read_kernel,
    .write = ramfs_write_kernel,
    .release = ramfs_release,
};

static long ramfs_file_read(struct file *file, void *buf, size_t size, u64 *offset)
{
    long n = transfer(file->inode, *offset, buf, size, false, true);
    if (n > 0)
        *offset += (u64)n;
    return n;
}

static long ramfs_file_write(struct file *file, const void *buf, size_t size, u64 *offset)
{
    if (file->flags & O_APPEND)
        *offset = file->inode->size;
    long n = transfer(file->inode, *offset, (void *)buf, size, true, true);
    if (n > 0)
        *offset += (u64)n;
    return n;
}

static long dir_read(struct file *file, void *buf, size_t size, u64 *offset)
{
    return -EISDIR;
}

static const struct file_ops ramfs_file_fops = {
    .read = ramfs_file_read,
    .write = ramfs_file_write,
    .seekable = true,
};

static const struct file_ops ramfs_dir_fops = {
    .read = dir_read,
    .write = NULL,
    .seekable = true,
};
