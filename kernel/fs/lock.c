/*
 * lock.c - advisory file locks: POSIX record locks (fcntl) and flock.
 *
 * Two kinds, as on Linux, that do not see each other:
 *
 *   record locks  fcntl(F_SETLK/F_SETLKW/F_GETLK): a byte range of a file,
 *                 owned by a *process*.  Any close() by that process of any
 *                 descriptor of the file drops all its locks on the file
 *                 (POSIX's famous surprise), and so does its exit.
 *   flock locks   flock(LOCK_SH/LOCK_EX/LOCK_UN): the whole file, owned by
 *                 the *open file* (shared by dup and fork); they go when the
 *                 last descriptor of that open file is closed.
 *
 * Readers share, a writer excludes: two locks conflict when they overlap,
 * belong to different owners and at least one is a write lock.  Every lock
 * in the system is in one list, so each operation costs time in proportion
 * to the locks that exist.  A process that must wait (F_SETLKW, flock
 * without LOCK_NB) sleeps on one wait queue that every unlock wakes.
 *
 * Deadlock: before sleeping for a record lock held by process B, follow
 * "B waits for C, C waits for D ..." through the waiters; if the chain comes
 * back to us, sleeping would never end, so F_SETLKW fails with EDEADLK.
 */
#include "kernel/fs/lock.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/uaccess.h"
#include "mm/kheap.h"
#include "proc/proc.h"
#include "sched/wait.h"

#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2
#define OFFSET_MAX 0x7fffffffffffffffull

#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8

struct file_lock {
    struct list_node node; /* in all_locks */
    struct inode *inode;
    bool write;        /* F_WRLCK / LOCK_EX */
    u64 start, end;    /* bytes [start, end]; a whole-file flock is [0, OFFSET_MAX] */
    int pid;           /* record lock: the owning process (0 for flock) */
    struct file *file; /* flock: the owning open file (NULL for record locks) */
};

/* A process sleeping in F_SETLKW, and the process whose lock it waits for. */
struct lock_waiter {
    struct list_node node;
    int pid, blocker;
};

/* Every lock and waiter; changed only with interrupts off (single CPU). */
static struct list all_locks = LIST_INIT(all_locks);
static struct list waiters = LIST_INIT(waiters);
static struct wait_queue lock_wait = WAIT_QUEUE_INIT(lock_wait);

static bool same_owner(const struct file_lock *a, const struct file_lock *b)
{
    return a->file ? a->file == b->file : a->pid == b->pid;
}

static bool conflicts(const struct file_lock *held, const struct file_lock *wanted)
{
    return held->inode == wanted->inode && !held->file == !wanted->file &&
           !same_owner(held, wanted) && (held->write || wanted->write) &&
           held->start <= wanted->end && wanted->start <= held->end;
}

static struct file_lock *find_conflict(const struct file_lock *wanted)
{
    struct file_lock *l;
    list_for_each_entry (l, &all_locks, node)
        if (conflicts(l, wanted))
            return l;
    return NULL;
}

static struct file_lock *lock_new(const struct file_lock *from)
{
    struct file_lock *l = kmalloc(sizeof *l);
    if (l) {
        *l = *from;
        list_node_init(&l->node);
    }
    return l;
}

/*
 * Remove the owner's locks inside [start, end] of `like`'s file, splitting
 * a lock that sticks out on both sides.  `spare` is a preallocated lock for
 * that split (taken, and *spare set to NULL, when used).
 */
static void unlock_range(const struct file_lock *like, struct file_lock **spare)
{
    struct file_lock *l, *tmp;
    list_for_each_entry_safe (l, tmp, &all_locks, node) {
        if (l->inode != like->inode || !l->file != !like->file || !same_owner(l, like) ||
            l->end < like->start || l->start > like->end)
            continue;
        if (l->start < like->start && l->end > like->end && *spare) {
            struct file_lock *right = *spare; /* [like->end+1, l->end] stays too */
            *spare = NULL;
            *right = *l;
            list_node_init(&right->node);
            right->start = like->end + 1;
            list_push_back(&all_locks, &right->node);
            l->end = like->start - 1;
        } else if (l->start < like->start) {
            l->end = like->start - 1;
        } else if (l->end > like->end) {
            l->start = like->end + 1;
        } else {
            list_remove(&l->node);
            kfree(l);
        }
    }
    wake_up(&lock_wait);
}

/* Would waiting for `blocker` come back around to the current process? */
static bool would_deadlock(int blocker)
{
    int hops = 0, limit = 0;
    struct lock_waiter *w;
    list_for_each_entry (w, &waiters, node)
        limit++;
    while (hops++ <= limit) {
        if (blocker == current->tgid)
            return true;
        int next = 0;
        list_for_each_entry (w, &waiters, node)
            if (w->pid == blocker)
                next = w->blocker;
        if (!next)
            return false;
        blocker = next;
    }
    return false;
}

/*
 * Take `wanted` (or, with unlock, drop that range) for its owner.  wait:
 * sleep while another owner holds a conflicting lock.  Interrupts are
 * turned off inside; may sleep.  0, -EAGAIN, -EDEADLK, -ENOMEM, -ERESTARTSYS.
 */
static long lock_apply(struct file_lock *wanted, bool unlock, bool wait)
{
    /* Allocate before looking, so nothing can fail half way. */
    struct file_lock *lock = unlock ? NULL : lock_new(wanted);
    struct file_lock *spare = lock_new(wanted);
    struct lock_waiter me = {.pid = current->tgid};
    long result = 0;
    if ((!unlock && !lock) || !spare) {
        kfree(lock);
        kfree(spare);
        return -ENOMEM;
    }
    list_node_init(&me.node);
    bool irq = irq_save();
    struct file_lock *held;
    while (!unlock && (held = find_conflict(wanted))) {
        if (!wait) {
            result = -EAGAIN;
            break;
        }
        if (!held->file && would_deadlock(held->pid)) {
            result = -EDEADLK;
            break;
        }
        me.blocker = held->pid;
        list_push_back(&waiters, &me.node);
        int error = sleep_on(&lock_wait, "file_lock", 0);
        list_remove(&me.node);
        if (error) {
            result = -ERESTARTSYS;
            break;
        }
    }
    if (result == 0) {
        unlock_range(wanted, &spare);
        if (lock) {
            list_push_back(&all_locks, &lock->node);
            lock = NULL;
        }
    }
    irq_restore(irq);
    kfree(lock);
    kfree(spare);
    return result;
}

/* --- fcntl record locks --------------------------------------------------- */

struct flock_user { /* Linux's struct flock on x86-64 */
    i16 l_type, l_whence;
    i32 pad;
    i64 l_start, l_len;
    i32 l_pid, pad2;
};

/* The byte range a struct flock describes, from the file's point of view. */
static long range_from_user(struct file *file, const struct flock_user *f, u64 *start, u64 *end)
{
    i64 base;
    long error = file_whence_base(file, f->l_whence, &base);
    if (error)
        return error;
    i64 first;
    if (__builtin_add_overflow(base, f->l_start, &first))
        return -EOVERFLOW;
    i64 last;
    if (f->l_len > 0) {
        if (__builtin_add_overflow(first, f->l_len - 1, &last))
            return -EOVERFLOW;
    } else if (f->l_len == 0) {
        last = (i64)OFFSET_MAX;
    } else {
        last = first - 1;
        if (__builtin_add_overflow(first, f->l_len, &first))
            return -EINVAL;
    }
    if (first < 0)
        return -EINVAL;
    *start = (u64)first;
    *end = (u64)last;
    return 0;
}

long lock_fcntl(struct file *file, int command, void *user_flock)
{
    struct flock_user f;
    if (copy_from_user(&f, user_flock, sizeof f) < 0)
        return -EFAULT;
    if (f.l_type != F_RDLCK && f.l_type != F_WRLCK && f.l_type != F_UNLCK)
        return -EINVAL;
    struct file_lock wanted = {
        .inode = file->inode, .write = f.l_type == F_WRLCK, .pid = current->tgid};
    long error = range_from_user(file, &f, &wanted.start, &wanted.end);
    if (error)
        return error;
    if (command == LOCK_CMD_GET) {
        if (f.l_type == F_UNLCK)
            return -EINVAL;
        bool irq = irq_save();
        struct file_lock *held = find_conflict(&wanted);
        if (held) {
            f.l_type = held->write ? F_WRLCK : F_RDLCK;
            f.l_whence = SEEK_SET;
            f.l_start = (i64)held->start;
            f.l_len = held->end == OFFSET_MAX ? 0 : (i64)(held->end - held->start + 1);
            f.l_pid = held->pid;
        } else {
            f.l_type = F_UNLCK;
        }
        irq_restore(irq);
        return copy_to_user(user_flock, &f, sizeof f) < 0 ? -EFAULT : 0;
    }
    /* A read lock needs a file open for reading, a write lock one open for writing. */
    u32 access = file->flags & O_ACCMODE;
    if ((f.l_type == F_RDLCK && access == O_WRONLY) || (f.l_type == F_WRLCK && access == O_RDONLY))
        return -EBADF;
    return lock_apply(&wanted, f.l_type == F_UNLCK, command == LOCK_CMD_SET_WAIT);
}

void lock_release_posix(struct inode *inode, int pid)
{
    struct file_lock like = {.inode = inode, .pid = pid, .start = 0, .end = OFFSET_MAX};
    struct file_lock *spare = NULL;
    bool irq = irq_save();
    unlock_range(&like, &spare);
    irq_restore(irq);
}

void lock_release_process(int pid)
{
    bool irq = irq_save();
    struct file_lock *l, *tmp;
    list_for_each_entry_safe (l, tmp, &all_locks, node) {
        if (!l->file && l->pid == pid) {
            list_remove(&l->node);
            kfree(l);
        }
    }
    wake_up(&lock_wait);
    irq_restore(irq);
}

/* --- flock ------------------------------------------------------------- */

long sys_flock(int fd, int operation)
{
    struct file *file = fd_get(fd);
    if (!file)
        return -EBADF;
    int kind = operation & ~LOCK_NB;
    if (kind != LOCK_SH && kind != LOCK_EX && kind != LOCK_UN)
        return -EINVAL;
    struct file_lock wanted = {.inode = file->inode,
                               .write = kind == LOCK_EX,
                               .file = file,
                               .start = 0,
                               .end = OFFSET_MAX};
    long result = lock_apply(&wanted, kind == LOCK_UN, !(operation & LOCK_NB));
    return result; /* -EAGAIN is EWOULDBLOCK */
}

void lock_release_file(struct file *file)
{
    bool irq = irq_save();
    struct file_lock *l, *tmp;
    list_for_each_entry_safe (l, tmp, &all_locks, node) {
        if (l->file == file) {
            list_remove(&l->node);
            kfree(l);
        }
    }
    wake_up(&lock_wait);
    irq_restore(irq);
}
