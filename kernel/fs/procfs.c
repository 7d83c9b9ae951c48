/*
 * procfs.c - the /proc file system: directories and links made up on demand.
 *
 *   /proc                  meminfo uptime loadavg stat ... self -> <pid>, <pid>/...
 *   /proc/<pid>            status stat maps cmdline environ comm wchan ... fd/ fdinfo/ exe cwd
 *   /proc/<pid>/fd/<n>     a link to whatever descriptor n has open
 *   /proc/<pid>/task/<tid> the same files again, for each thread of the process
 *   /proc/<pid>/ns/<kind>  links to the process's namespaces: "uts:[4026531838]"
 *   /proc/net              unix (and what the network families add: procfs_net_files)
 *
 * Nothing here is stored: an inode is made when a name is looked up and
 * freed when the last user lets go; a file's text is generated when it is
 * opened (a snapshot), so a reader sees one consistent version.
 *
 * PIDs in names and texts are the reader's: a process in a PID namespace
 * sees only its namespace's processes, numbered as it numbers them
 * (proc/ns_pid.c); nodes keep the kernel's PID inside.
 */
#include "kernel/fs/procfs.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/textfile.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/param.h"
#include "kernel/uaccess.h"
#include "mm/kheap.h"
#include "mm/vm.h"
#include "proc/cred.h"
#include "proc/ns.h"
#include "proc/proc.h"

enum node_kind {
    NODE_ROOT,
    NODE_PID_DIR,
    NODE_FD_DIR,
    NODE_FDINFO_DIR,
    NODE_TASK_DIR, /* /proc/<pid>/task: one <tid> directory per thread */
    NODE_NET_DIR,  /* /proc/net */
    NODE_NS_DIR,   /* /proc/<pid>/ns */
    NODE_FILE,     /* a generated text file */
    NODE_FDINFO,   /* /proc/<pid>/fdinfo/<fd> */
    NODE_NS_FILE,  /* what a /proc/<pid>/ns link leads to: open it for setns() */
    NODE_SELF,     /* /proc/self -> <pid> */
    NODE_EXE,      /* /proc/<pid>/exe */
    NODE_CWD,      /* /proc/<pid>/cwd */
    NODE_FD,       /* /proc/<pid>/fd/<fd> */
    NODE_NS,       /* /proc/<pid>/ns/<kind>: fd is the enum ns_type */
};

struct node {
    enum node_kind kind;
    int pid; /* 0: not about a process */
    int fd;
    const struct procfs_file *file;
    struct ns_common *ns; /* NODE_NS_FILE: the namespace (counted) */
};

static const struct inode_ops dir_ops, link_ops, fd_link_ops, file_inode_ops, ns_file_ops;
static const struct file_ops dir_fops, file_fops;
static struct inode *root;

static struct node *node_of(struct inode *inode) { return inode->data; }

/*
 * /proc/<pid>/... belongs to the process's effective user, and what would
 * show another user's secrets (environ, the fd/ and fdinfo/ directories) is
 * for the owner alone, as Linux's modes: -r-------- and dr-x------.  Root
 * reads them anyway (CAP_DAC_OVERRIDE).  Everything else is root's.
 */
static void set_owner(struct inode *inode, enum node_kind kind, int pid,
                      const struct procfs_file *file)
{
    struct proc *p = pid > 0 ? proc_find(pid) : NULL;
    inode->uid = p ? p->cred.euid : 0;
    inode->gid = p ? p->cred.egid : 0;
    if (kind == NODE_FD_DIR || kind == NODE_FDINFO_DIR)
        inode->mode = S_IFDIR | 0500;
    else if (kind == NODE_FILE && file && strcmp(file->name, "environ") == 0)
        inode->mode = S_IFREG | 0400;
}

static struct inode *make_inode(enum node_kind kind, int pid, int fd,
                                const struct procfs_file *file, u64 ino)
{
    bool dir = kind <= NODE_NS_DIR;
    bool link = kind >= NODE_SELF;
    u32 mode = dir    ? S_IFDIR | 0555
               : link ? S_IFLNK | 0777
                      : S_IFREG | (file && file->store ? 0644 : 0444);
    const struct inode_ops *ops = dir                                  ? &dir_ops
                                  : kind == NODE_FD || kind == NODE_NS ? &fd_link_ops
                                  : link                               ? &link_ops
                                  : kind == NODE_NS_FILE               ? &ns_file_ops
                                                                       : &file_inode_ops;
    struct inode *inode = inode_alloc(PROCFS_DEV, mode, ops, dir ? &dir_fops : &file_fops);
    struct node *n = inode ? kmalloc(sizeof *n) : NULL;
    if (!n) {
        inode_put(inode);
        return NULL;
    }
    *n = (struct node){kind, pid, fd, file, NULL};
    inode->data = n;
    set_owner(inode, kind, pid, file);
    inode->ino = ino;
    if (dir)
        inode->nlink = 2;
    return inode;
}

/* Stable inode numbers: the same name gives the same number each time. */
static u64 ino_for(enum node_kind kind, int pid, int fd, int index)
{
    return ((u64)pid << 32) | ((u64)kind << 24) | ((u64)(fd + 1) << 8) | (u64)index;
}

static void node_release(struct inode *inode)
{
    struct node *n = inode->data;
    if (n && n->ns)
        ns_put(n->ns);
    if (n && n->kind == NODE_ROOT && inode->covered) /* a mount namespace's own /proc */
        inode_put(inode->covered);
    kfree(n);
}

/* Nothing in /proc is stored, so a new mode could not be kept: refuse it
 * (Linux refuses it for every /proc/<pid> entry too). */
static int procfs_chmod(struct inode *inode, u32 mode)
{
    (void)inode, (void)mode;
    return -EPERM;
}

/* --- directories ---------------------------------------------------------------- */

static bool parse_number(const char *s, int *value)
{
    long v = 0;
    if (!*s || (*s == '0' && s[1]))
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > PID_MAX * 16L)
            return false;
        v = v * 10 + (*s - '0');
    }
    *value = (int)v;
    return true;
}

static struct inode *lookup_file(const struct procfs_file *table, const char *name, int pid,
                                 u64 base)
{
    for (int i = 0; table[i].name; i++)
        if (strcmp(table[i].name, name) == 0)
            return make_inode(NODE_FILE, pid, -1, &table[i], base + (u64)i);
    return NULL;
}

/* The entries of /proc/<pid> that are not generated files. */
static const struct {
    const char *name;
    enum node_kind kind;
    u8 type;
} pid_entries[] = {
    {"fd", NODE_FD_DIR, DT_DIR}, {"fdinfo", NODE_FDINFO_DIR, DT_DIR}, {"exe", NODE_EXE, DT_LNK},
    {"cwd", NODE_CWD, DT_LNK},   {"task", NODE_TASK_DIR, DT_DIR},     {"ns", NODE_NS_DIR, DT_DIR},
};

/* The thread the reader calls `tid`, of the process the kernel calls `tgid`, or NULL. */
static struct proc *find_thread(int tgid, int tid)
{
    struct proc *t = proc_find_vnr(tid);
    return t && t->tgid == tgid ? t : NULL;
}

/* The process the kernel calls `pid`, if the reader's PID namespace shows it. */
static struct proc *find_visible(int pid)
{
    struct proc *p = proc_find(pid);
    return p && pid_visible(p) ? p : NULL;
}

static struct inode *procfs_lookup(struct inode *dir, const char *name)
{
    struct node *d = node_of(dir);
    int number;
    struct proc *p;
    switch (d->kind) {
    case NODE_ROOT:
        if (strcmp(name, "self") == 0)
            return make_inode(NODE_SELF, 0, -1, NULL, ino_for(NODE_SELF, 0, -1, 0));
        if (strcmp(name, "net") == 0)
            return make_inode(NODE_NET_DIR, 0, -1, NULL, ino_for(NODE_NET_DIR, 0, -1, 0));
        if (parse_number(name, &number) && (p = proc_find_vnr(number)))
            return make_inode(NODE_PID_DIR, p->pid, -1, NULL, ino_for(NODE_PID_DIR, p->pid, -1, 0));
        return lookup_file(procfs_system_files, name, 0, ino_for(NODE_FILE, 0, -1, 0));
    case NODE_NS_DIR:
        for (int type = 0; type < NS_TYPES && find_visible(d->pid); type++) {
            if (strcmp(name, ns_type_name(type)) == 0)
                return make_inode(NODE_NS, d->pid, type, NULL, ino_for(NODE_NS, d->pid, type, 0));
        }
        return NULL;
    case NODE_PID_DIR:
        if (!find_visible(d->pid))
            return NULL;
        for (size_t i = 0; i < ARRAY_SIZE(pid_entries); i++) {
            enum node_kind kind = pid_entries[i].kind;
            if (strcmp(name, pid_entries[i].name) == 0)
                return make_inode(kind, d->pid, -1, NULL, ino_for(kind, d->pid, -1, 0));
        }
        return lookup_file(procfs_pid_files, name, d->pid, ino_for(NODE_FILE, d->pid, -1, 0));
    case NODE_NET_DIR:
        return lookup_file(procfs_net_files, name, 0, ino_for(NODE_NET_DIR, 0, 0, 0));
    case NODE_FD_DIR:
    case NODE_FDINFO_DIR: {
        p = proc_find(d->pid);
        if (!p || !p->files || !parse_number(name, &number) || number >= p->files->capacity ||
            !p->files->files[number])
            return NULL;
        enum node_kind kind = d->kind == NODE_FD_DIR ? NODE_FD : NODE_FDINFO;
        return make_inode(kind, d->pid, number, NULL, ino_for(kind, d->pid, number, 0));
    }
    case NODE_TASK_DIR:
        /* A thread's directory is a <pid> directory named by its TID. */
        if (!parse_number(name, &number) || !(p = find_thread(d->pid, number)))
            return NULL;
        return make_inode(NODE_PID_DIR, p->pid, -1, NULL, ino_for(NODE_PID_DIR, p->pid, -1, 0));
    default:
        return NULL;
    }
}

/* Directory positions: 0 ".", 1 "..", 2.. fixed names, then numbered entries at 0x10000 + n. */
#define NUMBERED 0x10000

static bool emit_number(struct dir_sink *sink, int n, u64 ino, u8 type)
{
    char name[16];
    snprintf(name, sizeof name, "%d", n);
    return sink->emit(sink, name, ino, type);
}

static int procfs_readdir(struct inode *dir, u64 *position, struct dir_sink *sink)
{
    struct node *d = node_of(dir);
    struct inode *up = d->kind == NODE_ROOT ? (dir->covered ? dir->covered : dir) : dir;
    if (!dir_emit_dots(dir, up, position, sink))
        return 0;

    /* The fixed names. */
    const struct procfs_file *table = d->kind == NODE_ROOT      ? procfs_system_files
                                      : d->kind == NODE_PID_DIR ? procfs_pid_files
                                      : d->kind == NODE_NET_DIR ? procfs_net_files
                                                                : NULL;
    u64 file_ino = d->kind == NODE_NET_DIR ? ino_for(NODE_NET_DIR, 0, 0, 0)
                                           : ino_for(NODE_FILE, d->pid, -1, 0);
    int nfixed = 0;
    while (table && table[nfixed].name)
        nfixed++;
    int nextra = d->kind == NODE_ROOT      ? 2 /* self, net */
                 : d->kind == NODE_PID_DIR ? (int)ARRAY_SIZE(pid_entries)
                 : d->kind == NODE_NS_DIR  ? NS_TYPES
                                           : 0;
    for (; *position < NUMBERED && *position < 2 + (u64)(nfixed + nextra); (*position)++) {
        int i = (int)*position - 2;
        bool ok;
        if (i < nfixed)
            ok = sink->emit(sink, table[i].name, file_ino + (u64)i, DT_REG);
        else if (d->kind == NODE_ROOT && i == nfixed)
            ok = sink->emit(sink, "self", ino_for(NODE_SELF, 0, -1, 0), DT_LNK);
        else if (d->kind == NODE_ROOT)
            ok = sink->emit(sink, "net", ino_for(NODE_NET_DIR, 0, -1, 0), DT_DIR);
        else if (d->kind == NODE_NS_DIR)
            ok = sink->emit(sink, ns_type_name(i), ino_for(NODE_NS, d->pid, i, 0), DT_LNK);
        else
            ok = sink->emit(sink, pid_entries[i - nfixed].name,
                            ino_for(pid_entries[i - nfixed].kind, d->pid, -1, 0),
                            pid_entries[i - nfixed].type);
        if (!ok)
            return 0;
    }
    if (*position < NUMBERED)
        *position = NUMBERED;

    /* The numbered entries, in increasing order: PIDs, or open descriptors. */
    if (d->kind == NODE_ROOT) {
        for (int pid = (int)(*position - NUMBERED); pid < PID_MAX; pid++) {
            struct proc *p = find_visible(pid);
            if (!p || p->pid != p->tgid)
                continue; /* one entry per process: threads are listed in its task/ */
            *position = NUMBERED + (u64)pid;
            if (!emit_number(sink, pid_vnr(p), ino_for(NODE_PID_DIR, pid, -1, 0), DT_DIR))
                return 0;
        }
        *position = NUMBERED + PID_MAX;
    } else if (d->kind == NODE_TASK_DIR) {
        for (int tid = (int)(*position - NUMBERED); tid < PID_MAX; tid++) {
            struct proc *t = find_visible(tid);
            if (!t || t->tgid != d->pid)
                continue;
            *position = NUMBERED + (u64)tid;
            if (!emit_number(sink, pid_vnr(t), ino_for(NODE_PID_DIR, tid, -1, 0), DT_DIR))
                return 0;
        }
        *position = NUMBERED + PID_MAX;
    } else if (d->kind == NODE_FD_DIR || d->kind == NODE_FDINFO_DIR) {
        struct proc *p = proc_find(d->pid);
        int capacity = p && p->files ? p->files->capacity : 0;
        for (int fd = (int)(*position - NUMBERED); fd < capacity; fd++) {
            if (!p->files->files[fd])
                continue;
            *position = NUMBERED + (u64)fd;
            bool is_fd = d->kind == NODE_FD_DIR;
            if (!emit_number(sink, fd, ino_for(is_fd ? NODE_FD : NODE_FDINFO, d->pid, fd, 0),
                             is_fd ? DT_LNK : DT_REG))
                return 0;
        }
        *position = NUMBERED + (u64)capacity;
    }
    return 0;
}

static const struct inode_ops dir_ops = {
    .lookup = procfs_lookup,
    .readdir = procfs_readdir,
    .release = node_release,
    .chmod = procfs_chmod,
};

/* --- links -------------------------------------------------------------------------- */

static long link_text(struct inode *inode, struct textbuf *out)
{
    struct node *n = node_of(inode);
    if (n->kind == NODE_SELF) {
        textbuf_printf(out, "%d", tgid_vnr(current));
        return 0;
    }
    struct proc *p = proc_find(n->pid);
    if (!p)
        return -ENOENT;
    /* Where another user's program lives and works is theirs to know (Linux:
     * ptrace_may_access); fd/ is closed by its mode already. */
    if ((n->kind == NODE_EXE || n->kind == NODE_CWD) && !cred_may_inspect(p))
        return -EACCES;
    switch (n->kind) {
    case NODE_EXE:
        if (!p->mm || !p->mm->exe_path[0])
            return -ENOENT;
        textbuf_printf(out, "%s", p->mm->exe_path);
        return 0;
    case NODE_CWD: {
        char *path = kmalloc(PATH_MAX);
        long len = path && p->cwd ? vfs_directory_path(p->cwd, path, PATH_MAX) : -ENOENT;
        if (len > 0)
            textbuf_printf(out, "%s", path);
        kfree(path);
        return len > 0 ? 0 : -ENOENT;
    }
    case NODE_FD:
        procfs_fd_target(out, p, n->fd);
        return out->len ? 0 : -ENOENT;
    case NODE_NS:
        textbuf_printf(out, "%s:[%u]", ns_type_name(n->fd), ns_of(p, n->fd)->inum);
        return 0;
    default:
        return -EINVAL;
    }
}

static long procfs_readlink(struct inode *inode, char *buf, size_t size)
{
    struct textbuf text = {0};
    long error = link_text(inode, &text);
    if (!error) {
        error = (long)MIN(text.len, size);
        memcpy(buf, text.data, (size_t)error);
    }
    textbuf_free(&text);
    return error;
}

/* /proc/<pid>/fd/<n> leads to the open file itself (even a pipe, which has no name). */
static struct inode *procfs_follow_link(struct inode *inode)
{
    struct node *n = node_of(inode);
    struct proc *p = proc_find(n->pid);
    if (n->kind == NODE_NS && p && p->pid_ns) {
        /* A file that holds the namespace itself, so setns works after p is gone. */
        struct ns_common *ns = ns_of(p, n->fd);
        struct inode *file = make_inode(NODE_NS_FILE, n->pid, n->fd, NULL, ns->inum);
        if (file) {
            ns_get(ns);
            node_of(file)->ns = ns;
        }
        return file;
    }
    if (n->kind != NODE_FD || !p || !p->files || n->fd >= p->files->capacity ||
        !p->files->files[n->fd])
        return NULL;
    struct inode *target = p->files->files[n->fd]->inode;
    inode_get(target);
    return target;
}

static const struct inode_ops link_ops = {
    .readlink = procfs_readlink,
    .release = node_release,
    .chmod = procfs_chmod,
};

/* fd links are "magic": following one reaches the open file, not a path. */
static const struct inode_ops fd_link_ops = {
    .readlink = procfs_readlink,
    .follow_link = procfs_follow_link,
    .release = node_release,
    .chmod = procfs_chmod,
};

/* --- generated files ------------------------------------------------------------------ */

static int procfs_open(struct file *file)
{
    struct node *n = node_of(file->inode);
    struct proc *p = n->pid ? proc_find(n->pid) : NULL;
    if (n->pid && !p && n->kind != NODE_NS_FILE)
        return -ESRCH; /* the process is gone */
    bool writable = n->kind == NODE_FILE && n->file->store;
    if ((file->flags & O_ACCMODE) != O_RDONLY && !writable)
        return -EACCES;
    struct textbuf *text = kzalloc(sizeof *text);
    if (!text)
        return -ENOMEM;
    if (n->kind == NODE_FDINFO)
        procfs_show_fdinfo(text, p, n->fd);
    else if (n->kind != NODE_NS_FILE) /* a namespace file reads as empty */
        n->file->show(text, p);
    return textfile_keep(file, text);
}

/* Writing a control file: the text goes to the file's store() (one line at most). */
static long procfs_write(struct file *file, const void *buf, size_t size, u64 *offset)
{
    struct node *n = node_of(file->inode);
    struct proc *p = n->pid ? proc_find(n->pid) : NULL;
    if (n->kind != NODE_FILE || !n->file->store)
        return -EINVAL;
    if (n->pid && !p)
        return -ESRCH;
    char command[TEXTFILE_COMMAND_MAX];
    long len = textfile_command(command, buf, size);
    if (len < 0)
        return len;
    if (len == 0 && size > 0)
        return (long)size; /* writev's last piece: musl sends "nice 5" then "\n" */
    int error = n->file->store(p, command);
    return error ? error : (long)size;
}

static long dir_read(struct file *file, void *buf, size_t size, u64 *offset) { return -EISDIR; }

static const struct inode_ops file_inode_ops = {.release = node_release, .chmod = procfs_chmod};
static const struct inode_ops ns_file_ops = {.release = node_release, .chmod = procfs_chmod};

struct ns_common *procfs_ns_of(struct inode *inode)
{
    return inode->ops == &ns_file_ops ? node_of(inode)->ns : NULL;
}

struct inode *procfs_new_root(void) { return make_inode(NODE_ROOT, 0, -1, NULL, 1); }
static const struct file_ops file_fops = {
    .open = procfs_open,
    .read = textfile_read,
    .write = procfs_write,
    .release = textfile_release,
    .seekable = true,
};
static const struct file_ops dir_fops = {.read = dir_read, .seekable = true};

void procfs_mount(void)
{
    root = make_inode(NODE_ROOT, 0, -1, NULL, 1);
    struct inode *dir = NULL;
    int made = root ? vfs_root->ops->mkdir(vfs_root, "proc", 0555) : -ENOMEM;
    if ((made < 0 && made != -EEXIST) || vfs_lookup("/proc", vfs_root, 0, &dir) < 0)
        panic("procfs: cannot create /proc");
    vfs_mount(dir, root); /* keeps our reference to dir: a disk's inode must stay */
}
