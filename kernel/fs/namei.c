/*
 * namei.c - from a path name to an inode.
 *
 * "/usr/bin/../lib" is walked one component at a time from the root (or
 * from the current directory for a relative path), asking each directory's
 * file system to look up the next name.  On the way: "." and "..", mount
 * points (a directory with another file system on top), and symbolic links
 * (whose target is walked instead, at most SYMLOOP_MAX times per lookup).
 */
#include "kernel/errno.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "mm/kheap.h"
#include "proc/proc.h"

/* Replace *inode by the root of whatever is mounted on it, if anything: for
 * everyone, or in our mount namespace alone (kernel/fs/mount.c).  A mount on
 * a mount's root is crossed too, a few deep at most. */
static void cross_mounts(struct inode **inode)
{
    for (int depth = 0; depth < 8; depth++) {
        struct inode *root = (*inode)->mounted ? (*inode)->mounted : mount_ns_lookup(*inode);
        if (!root)
            return;
        inode_get(root);
        inode_put(*inode);
        *inode = root;
    }
}

/* The root directory of the process walking: its chroot, or the real one. */
static struct inode *walk_root(void) { return current && current->root ? current->root : vfs_root; }

static struct inode *parent_of(struct inode *dir)
{
    struct inode *cur = dir;
    if (dir == walk_root()) { /* ".." does not climb out of a chroot */
        inode_get(dir);
        return dir;
    }
    while (cur->covered) /* the root of a mounted file system: go to the mount point */
        cur = cur->covered;
    struct inode *parent = cur->parent ? cur->parent : cur; /* "/.." is "/" */
    inode_get(parent);
    return parent;
}

/* One step: the entry `name` of `dir`, referenced. */
static int step(struct inode *dir, const char *name, struct inode **out)
{
    if (!S_ISDIR(dir->mode))
        return -ENOTDIR;
    int error = inode_permission(dir, MAY_EXEC); /* search permission */
    if (error)
        return error;
    if (strcmp(name, ".") == 0) {
        inode_get(dir);
        *out = dir;
        return 0;
    }
    if (strcmp(name, "..") == 0) {
        *out = parent_of(dir);
        return 0;
    }
    struct inode *child = dir->ops && dir->ops->lookup ? dir->ops->lookup(dir, name) : NULL;
    if (!child)
        return -ENOENT;
    cross_mounts(&child);
    *out = child;
    return 0;
}

#define MAX_LINK_NESTING 8 /* a link to a link to a link...: limits kernel stack use */

static int walk(const char *path, struct inode *start, int flags, int *links, int depth,
                struct inode **out);

/* Replace the symlink *inode (found in `dir`) by what it points to. */
static int follow_link(struct inode *dir, struct inode **inode, int *links, int depth)
{
    if (++*links > SYMLOOP_MAX || depth >= MAX_LINK_NESTING)
        return -ELOOP;
    if ((*inode)->ops->follow_link) {
        struct inode *target = (*inode)->ops->follow_link(*inode);
        if (!target)
            return -ENOENT;
        inode_put(*inode);
        *inode = target;
        return 0;
    }
    char *target = kmalloc(PATH_MAX);
    if (!target)
        return -ENOMEM;
    long len = (*inode)->ops->readlink(*inode, target, PATH_MAX - 1);
    struct inode *resolved = NULL;
    int error = (int)len;
    if (len >= 0) {
        target[len] = '\0';
        error = walk(target, dir, LOOKUP_FOLLOW, links, depth + 1, &resolved);
    }
    kfree(target);
    if (error)
        return error;
    inode_put(*inode);
    *inode = resolved;
    return 0;
}

static int walk(const char *path, struct inode *start, int flags, int *links, int depth,
                struct inode **out)
{
    if (!*path)
        return -ENOENT;
    struct inode *cur = *path == '/' ? walk_root() : start;
    inode_get(cur);
    cross_mounts(&cur);
    char name[NAME_MAX + 1];
    const char *p = path;
    for (;;) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        size_t len = 0;
        while (p[len] && p[len] != '/')
            len++;
        if (len > NAME_MAX) {
            inode_put(cur);
            return -ENAMETOOLONG;
        }
        memcpy(name, p, len);
        name[len] = '\0';
        p += len;
        bool trailing_slash = *p == '/';
        const char *rest = p;
        while (*rest == '/')
            rest++;
        bool last = *rest == '\0';

        struct inode *next;
        int error = step(cur, name, &next);
        if (!error && next->ops && (next->ops->readlink || next->ops->follow_link) &&
            S_ISLNK(next->mode) && (!last || trailing_slash || (flags & LOOKUP_FOLLOW)))
            error = follow_link(cur, &next, links, depth);
        inode_put(cur);
        if (error)
            return error;
        cur = next;
        if (last && trailing_slash && !S_ISDIR(cur->mode)) {
            inode_put(cur);
            return -ENOTDIR;
        }
    }
    if ((flags & LOOKUP_DIRECTORY) && !S_ISDIR(cur->mode)) {
        inode_put(cur);
        return -ENOTDIR;
    }
    *out = cur;
    return 0;
}

int vfs_lookup(const char *path, struct inode *start, int flags, struct inode **result)
{
    int links = 0;
    return walk(path, start, flags, &links, 0, result);
}

int vfs_lookup_parent(const char *path, struct inode *start, struct inode **parent, char last[256])
{
    size_t len = strlen(path);
    if (len == 0)
        return -ENOENT;
    while (len > 1 && path[len - 1] == '/')
        len--; /* "dir/" names "dir" */
    size_t slash = len;
    while (slash > 0 && path[slash - 1] != '/')
        slash--;
    size_t name_len = len - slash;
    if (name_len > NAME_MAX)
        return -ENAMETOOLONG;
    memcpy(last, path + slash, name_len);
    last[name_len] = '\0'; /* "" only for "/" */

    if (slash == 0) { /* "name": in the starting directory */
        inode_get(start);
        *parent = start;
        return 0;
    }
    char *dir = kmalloc(slash + 1);
    if (!dir)
        return -ENOMEM;
    memcpy(dir, path, slash);
    dir[slash] = '\0';
    int links = 0;
    int error = walk(dir, start, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &links, 0, parent);
    kfree(dir);
    return error;
}

/* Finding a directory's name: look for its inode number in its parent. */
struct name_search {
    struct dir_sink sink;
    u64 ino;
    char name[NAME_MAX + 1];
    bool found;
};

static bool match_ino(struct dir_sink *sink, const char *name, u64 ino, u8 type)
{
    struct name_search *s = container_of(sink, struct name_search, sink);
    if (ino == s->ino && strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
        strlcpy(s->name, name, sizeof s->name);
        s->found = true;
        return false;
    }
    return true;
}

long vfs_directory_path(struct inode *dir, char *buf, size_t size)
{
    if (size < 2)
        return -ERANGE;
    size_t start = size - 1; /* build the path backwards from the end */
    buf[start] = '\0';
    struct inode *root = walk_root();
    while (dir != vfs_root && dir != root) {
        struct inode *d = dir;
        while (d->covered) /* a mounted root is named by its mount point */
            d = d->covered;
        struct inode *parent = d->parent;
        if (!parent)
            return -ENOENT; /* the directory was removed */
        struct name_search s = {{match_ino}, d->ino, "", false};
        u64 position = 0;
        parent->ops->readdir(parent, &position, &s.sink);
        size_t len = strlen(s.name);
        if (!s.found)
            return -ENOENT;
        if (len + 1 > start)
            return -ERANGE;
        start -= len;
        memcpy(buf + start, s.name, len);
        buf[--start] = '/';
        dir = parent;
    }
    if (start == size - 1)
        buf[--start] = '/';
    size_t len = size - start;
    memmove(buf, buf + start, len);
    return (long)len;
}
