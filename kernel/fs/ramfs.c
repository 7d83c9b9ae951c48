/*
 * ramfs.c - a file system that lives entirely in memory.
 *
 * A directory is a list of (name, inode) entries; a regular file is a
 * sparse tree of page frames (kernel/fs/page_tree.c: a missing page reads
 * as zeros, and a byte written at 1 TiB costs a few frames, not an entry for
 * every page before it); a symbolic link is its target string.  Each
 * directory entry holds a reference to its inode, so a file disappears when
 * its last name is removed *and* the last process that has it open closes
 * it -- the Unix rule.
 *
 * One instance (a "super block", struct ramfs_sb) is the root file system;
 * the others are tmpfs mounts (/tmp, /dev/shm).  Each caps its data pages
 * (the root at half of RAM; a tmpfs at tmpfs_size=, default half of RAM, as
 * Linux): a write past the cap fails with ENOSPC while everything else goes
 * on, and unlink needs no memory, so a full file system can always be
 * emptied.
 */
#include "kernel/fs/ramfs.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/page_tree.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/list.h"
#include "kernel/param.h"
#include "kernel/uaccess.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/layout.h"
#include "sched/sched.h"

struct dirent {
    struct list_node node;
    struct inode *inode; /* one reference, held by this name */
    char name[];
};

/* One mounted instance. */
struct ramfs_sb {
    u32 dev;       /* st_dev of its inodes */
    u64 max_pages; /* data pages allowed (0: no limit) */
    u64 pages;     /* data pages in use */
};

struct ramfs_dir {
    struct list entries;
    struct ramfs_sb *sb;
};

struct ramfs_file {
    struct page_tree pages;
    u64 npages; /* data pages present (st_blocks) */
    struct ramfs_sb *sb;
};

static u64 pages_in_use; /* all instances */
u64 ramfs_pages_in_use(void) { return pages_in_use; }

static const struct inode_ops dir_ops, file_ops_inode, link_ops;
static const struct file_ops ramfs_file_fops, ramfs_dir_fops;

static struct dirent *find(struct inode *dir, const char *name)
{
    struct ramfs_dir *d = dir->data;
    struct dirent *e;
    list_for_each_entry (e, &d->entries, node) {
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

static struct ramfs_sb *sb_of_dir(struct inode *dir) { return ((struct ramfs_dir *)dir->data)->sb; }

/* A new inode of the given type with its ramfs data. */
static struct inode *new_inode(struct ramfs_sb *sb, u32 mode)
{
    const struct inode_ops *ops = S_ISDIR(mode)   ? &dir_ops
                                  : S_ISLNK(mode) ? &link_ops
                                                  : &file_ops_inode;
    const struct file_ops *fops = S_ISDIR(mode) ? &ramfs_dir_fops : &ramfs_file_fops;
    struct inode *inode = inode_alloc(sb->dev, mode, ops, fops);
    if (!inode)
        return NULL;
    if (S_ISDIR(mode)) {
        struct ramfs_dir *d = inode->data = kzalloc(sizeof *d);
        if (!d)
            goto out_put;
        list_init(&d->entries);
        d->sb = sb;
        inode->nlink = 2; /* its name, and its own "." */
    } else if (S_ISREG(mode)) {
        struct ramfs_file *f = inode->data = kzalloc(sizeof *f);
        if (!f)
            goto out_put;
        f->sb = sb;
    }
    return inode;
out_put:
    inode_put(inode);
    return NULL;
}

/* The root directory of a new instance; it and its super block are never freed. */
static struct inode *create_instance(u32 dev, u64 max_pages, u32 mode)
{
    struct ramfs_sb *sb = kzalloc(sizeof *sb);
    if (!sb)
        return NULL;
    *sb = (struct ramfs_sb){.dev = dev, .max_pages = max_pages};
    struct inode *root = new_inode(sb, S_IFDIR | mode);
    if (!root) {
        kfree(sb);
        return NULL;
    }
    root->refcount++; /* the root is never freed */
    return root;
}

/* The root holds at most half of RAM too (Linux's rootfs is a tmpfs of that
 * size), so filling "/" cannot take the memory every process needs. */
struct inode *ramfs_create_root(void)
{
    return create_instance(RAMFS_DEV, frames_total() / 2, 0755);
}

struct inode *tmpfs_create(u64 max_bytes)
{
    static u32 next_dev = TMPFS_FIRST_DEV;
    u64 max_pages = MAX(max_bytes / PAGE_SIZE, 1);
    return create_instance(next_dev++, max_pages, 01777);
}

bool ramfs_statfs(struct inode *inode, struct kstatfs *out)
{
    struct ramfs_sb *sb;
    if (inode->ops == &dir_ops)
        sb = sb_of_dir(inode);
    else if (inode->ops == &file_ops_inode)
        sb = ((struct ramfs_file *)inode->data)->sb;
    else
        return false; /* a symlink is never statfs'd: lookups follow it */
    out->type = sb->dev == RAMFS_DEV ? RAMFS_MAGIC : TMPFS_MAGIC;
    out->blocks = sb->max_pages;
    out->bfree = out->bavail = sb->max_pages > sb->pages ? sb->max_pages - sb->pages : 0;
    return true;
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
    struct inode *inode = new_inode(sb_of_dir(dir), mode);
    if (!inode)
        return -ENOSPC;
    inode_init_owner(inode, dir);
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
    if (new_dir->ops != &dir_ops || sb_of_dir(new_dir) != sb_of_dir(old_dir))
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
    if (add_entry(new_dir, new_name, inode) < 0)
        return -ENOSPC;
    if (dst)
        drop_name(new_dir, dst);
    /* The old entry's reference now belongs to the new entry.  (Taking one
     * more here, as this once did, kept every renamed file in memory for
     * ever: found by tests/user/t_leaks.c.) */
    remove_entry(old_dir, src);
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
    struct inode *up = dir->parent ? dir->parent : dir->covered ? dir->covered : dir;
    if (!dir_emit_dots(dir, up, position, sink))
        return 0;
    u64 index = 2;
    struct dirent *e;
    list_for_each_entry (e, &((struct ramfs_dir *)dir->data)->entries, node) {
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
        if (inode->data)
            inode->ops->truncate(inode, 0);
        kfree(inode->data);
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

static const struct inode_ops link_ops = {.readlink = ramfs_readlink, .release = ramfs_release};

/* --- regular files ------------------------------------------------------------ */

static void drop_page(phys_addr_t page, void *arg)
{
    struct ramfs_file *f = arg;
    frame_put(page);
    f->npages--;
    f->sb->pages--;
    pages_in_use--;
}

static int ramfs_truncate(struct inode *inode, u64 size)
{
    struct ramfs_file *f = inode->data;
    if (size > RAMFS_MAX_FILE_SIZE)
        return -EFBIG;
    u64 keep = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
    page_tree_truncate(&f->pages, keep, drop_page, f);
    /* Zero the tail of the last kept page so a later extension reads zeros. */
    phys_addr_t last = size % PAGE_SIZE ? page_tree_lookup(&f->pages, keep - 1) : 0;
    if (last)
        memset((u8 *)phys_to_virt(last) + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
    inode->size = size;
    inode->mtime = inode->ctime = vfs_now();
    return 0;
}

/* The page at `index` for writing, allocated if it is a hole: 0 or -ENOSPC, -EFBIG. */
static int page_for_write(struct ramfs_file *f, u64 index, phys_addr_t *page)
{
    if ((*page = page_tree_lookup(&f->pages, index)))
        return 0;
    if (f->sb->max_pages && f->sb->pages >= f->sb->max_pages)
        return -ENOSPC; /* this tmpfs is full */
    if (!(*page = frame_alloc()))
        return -ENOSPC;
    int error = page_tree_insert(&f->pages, index, *page);
    if (error) {
        frame_put(*page);
        return error == -EFBIG ? -EFBIG : -ENOSPC;
    }
    f->npages++;
    f->sb->pages++;
    pages_in_use++;
    return 0;
}

/*
 * Copy between the file and a buffer; `user` says whether buf is a user
 * pointer.  A page at a time, with a preemption point between pages: a copy
 * of hundreds of megabytes neither freezes the machine nor outlives SIGKILL.
 */
static long transfer(struct inode *inode, u64 offset, void *buf, size_t size, bool write, bool user)
{
    struct ramfs_file *f = inode->data;
    if (!write) {
        if (offset >= inode->size)
            return 0;
        size = MIN(size, inode->size - offset);
    } else {
        if (offset >= RAMFS_MAX_FILE_SIZE)
            return size ? -EFBIG : 0;
        size = MIN(size, RAMFS_MAX_FILE_SIZE - offset); /* as Linux: short write up to the limit */
    }
    size_t done = 0;
    int error = 0;
    while (done < size) {
        u64 index = (offset + done) / PAGE_SIZE, within = (offset + done) % PAGE_SIZE;
        size_t chunk = MIN(size - done, PAGE_SIZE - within);
        if (done && user && (error = sched_preempt_point()) < 0)
            break;
        phys_addr_t frame;
        if (!write)
            frame = page_tree_lookup(&f->pages, index);
        else if ((error = page_for_write(f, index, &frame)) < 0)
            break;
        /* The user copy may sleep (a page on swap), and another process may
         * truncate the file meanwhile: our reference keeps the frame from
         * being freed and reused under the copy. */
        if (frame)
            frame_get(frame);
        u8 *page = frame ? (u8 *)phys_to_virt(frame) + within : NULL;
        u8 *b = (u8 *)buf + done;
        if (write)
            error = user ? copy_from_user(page, b, chunk) : (memcpy(page, b, chunk), 0);
        else if (page)
            error = user ? copy_to_user(b, page, chunk) : (memcpy(b, page, chunk), 0);
        else
            error = user ? clear_user(b, chunk) : (memset(b, 0, chunk), 0);
        if (frame)
            frame_put(frame);
        if (error) {
            error = -EFAULT;
            break;
        }
        done += chunk;
    }
    if (write && done) {
        inode->size = MAX(inode->size, offset + done);
        inode->mtime = inode->ctime = vfs_now();
    }
    return done ? (long)done : error;
}

static long ramfs_read_kernel(struct inode *inode, u64 offset, void *buf, size_t size)
{
    return transfer(inode, offset, buf, size, false, false);
}

static long ramfs_write_kernel(struct inode *inode, u64 offset, const void *buf, size_t size)
{
    return transfer(inode, offset, (void *)buf, size, true, false);
}

static u64 ramfs_blocks(const struct inode *inode)
{
    return ((const struct ramfs_file *)inode->data)->npages * (PAGE_SIZE / 512);
}

/* inode_ops->get_page: ramfs's page tree is its page cache; a hole gets a
 * zeroed page (so a shared mapping's writes reach the file). */
static int ramfs_get_page(struct inode *inode, u64 index, phys_addr_t *frame)
{
    int error = page_for_write(inode->data, index, frame);
    if (error)
        return error == -EFBIG ? -ENOSPC : error;
    frame_get(*frame);
    return 0;
}

static phys_addr_t ramfs_find_page(struct inode *inode, u64 index)
{
    struct ramfs_file *f = inode->data;
    return index < PAGE_TREE_MAX_PAGES ? page_tree_lookup(&f->pages, index) : 0;
}

static const struct inode_ops file_ops_inode = {
    .get_page = ramfs_get_page,
    .find_page = ramfs_find_page,
    .blocks = ramfs_blocks,
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

static long dir_read(struct file *file, void *buf, size_t size, u64 *offset) { return -EISDIR; }

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
