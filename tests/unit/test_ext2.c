/*
 * test_ext2.c - ext2 and the block cache, on the host, against the real tools.
 *
 * Each case makes an image with Debian's `mke2fs -t ext2 -d DIR`, mounts it
 * with sprout's ext2 code (kernel/fs/ext2/, kernel/fs/buffer.c) over a block
 * device backed by the image file, works on it through the same inode_ops the
 * VFS calls, unmounts, and then asks `e2fsck -fn` (must find nothing to fix)
 * and `debugfs` (must see the contents written) about the image.  Corrupted
 * images must give errors, never a crash.
 */
#include "kernel/drivers/block.h"
#include "kernel/errno.h"
#include "kernel/fs/buffer.h"
#include "kernel/fs/ext2/ext2.h"
#include "kernel/fs/ext2/ext2fs.h"
#include "kernel/fs/vfs.h"
#include "kernel/fs/permission.h"
#include "tests/unit/unit.h"
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int open(const char *path, int flags, ...); /* <fcntl.h> would clash with vfs.h's S_IF* */
#define HOST_O_RDWR 2

/* --- what the ext2 code needs of the rest of the kernel --------------------- */

void *kmalloc(size_t size) { return malloc(size); }
void *kzalloc(size_t size) { return calloc(1, size); }
void kfree(void *ptr) { free(ptr); }
static int quiet = 1; /* kernel messages: only when debugging a case */
void printk(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    if (!quiet)
        vfprintf(stderr, fmt, args);
    va_end(args);
}
void panic(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    abort();
}
volatile u64 jiffies; /* the block cache stamps dirty buffers with it */
u64 vfs_now(void) { return (u64)time(NULL) * 1000000000ull; }
u64 vfs_next_ino(void)
{
    static u64 last;
    return ++last;
}
struct inode *inode_alloc(u32 dev, u32 mode, const struct inode_ops *ops,
                          const struct file_ops *fops)
{
    struct inode *inode = calloc(1, sizeof *inode);
    inode->ino = vfs_next_ino();
    inode->dev = dev, inode->mode = mode, inode->nlink = 1, inode->refcount = 1;
    inode->ops = ops, inode->fops = fops;
    return inode;
}
/* Credentials are the VFS's business: the host test's files stay root's. */
void inode_init_owner(struct inode *inode, const struct inode *dir) { (void)inode, (void)dir; }
void inode_get(struct inode *inode)
{
    if (inode)
        inode->refcount++;
}
void inode_put(struct inode *inode)
{
    if (!inode || --inode->refcount > 0)
        return;
    if (inode->ops && inode->ops->release)
        inode->ops->release(inode);
    free(inode);
}
/* The page cache over physical frames: none on the host, so nothing is ever
 * cached (ext2's read and write then go to the blocks, which is what runs
 * here; mmap and exec of ext2 files are checked in QEMU by test_ext2.sh). */
phys_addr_t frame_alloc(void) { return 0; }
void frame_get(phys_addr_t frame) { (void)frame; }
void frame_put(phys_addr_t frame) { (void)frame; }
u16 frame_refcount(phys_addr_t frame) { return (void)frame, 1; }
void filemap_prefault_user(const void *buf, size_t size, u32 access)
{
    (void)buf, (void)size, (void)access;
}
int copy_to_user(void *to, const void *from, size_t size) { return memcpy(to, from, size), 0; }
int copy_from_user(void *to, const void *from, size_t size) { return memcpy(to, from, size), 0; }
int clear_user(void *to, size_t size) { return memset(to, 0, size), 0; }
int sched_preempt_point(void) { return 0; }

/* --- a block device backed by an image file ------------------------------- */

struct host_disk {
    struct block_device device;
    int fd;
    u64 reads, writes;
};

static int disk_read(struct block_device *device, u64 sector, void *buffer, u32 count)
{
    struct host_disk *disk = device->driver_data;
    disk->reads++;
    ssize_t n = pread(disk->fd, buffer, count * 512ul, (off_t)(sector * 512));
    return n == (ssize_t)(count * 512ul) ? 0 : -EIO;
}

static int disk_write(struct block_device *device, u64 sector, const void *buffer, u32 count)
{
    struct host_disk *disk = device->driver_data;
    disk->writes++;
    ssize_t n = pwrite(disk->fd, buffer, count * 512ul, (off_t)(sector * 512));
    return n == (ssize_t)(count * 512ul) ? 0 : -EIO;
}

static const struct block_operations disk_ops = {.read = disk_read, .write = disk_write};

static char workdir[] = "/tmp/sprout-ext2-XXXXXX";
static char image[300], source[300];

static void disk_open(struct host_disk *disk, const char *path)
{
    memset(disk, 0, sizeof *disk);
    disk->fd = open(path, HOST_O_RDWR);
    snprintf(disk->device.name, sizeof disk->device.name, "vdtest");
    disk->device.major = 254;
    disk->device.sector_count = (u64)lseek(disk->fd, 0, SEEK_END) / 512;
    disk->device.ops = &disk_ops;
    disk->device.driver_data = disk;
}

static void disk_close(struct host_disk *disk)
{
    bcache_invalidate(&disk->device);
    close(disk->fd);
}

static int run(const char *command)
{
    int status = system(command);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A fresh image from the source directory (filled by the caller). */
static void make_image(int block_size, int kib, const char *extra)
{
    char command[1000];
    snprintf(command, sizeof command,
             "rm -f %s && mke2fs -q -F -t ext2 -b %d %s -d %s %s %dk >/dev/null 2>&1", image,
             block_size, extra, source, image, kib);
    if (run(command) != 0)
        unit_fail(__FILE__, __LINE__, "mke2fs failed (is e2fsprogs installed?)");
}

static int fsck_clean(void)
{
    char command[700];
    snprintf(command, sizeof command, "e2fsck -fn %s >%s/fsck.log 2>&1", image, workdir);
    int status = run(command);
    if (status != 0) {
        snprintf(command, sizeof command, "cat %s/fsck.log", workdir);
        run(command);
    }
    return status;
}

/* What debugfs prints for a command, in `out`. */
static void debugfs(const char *request, char *out, size_t size)
{
    char command[700];
    snprintf(command, sizeof command, "debugfs -R '%s' %s 2>/dev/null", request, image);
    FILE *pipe = popen(command, "r");
    size_t n = pipe ? fread(out, 1, size - 1, pipe) : 0;
    out[n] = '\0';
    if (pipe)
        pclose(pipe);
}

static void write_source_file(const char *name, const char *contents)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", source, name);
    FILE *f = fopen(path, "w");
    fputs(contents, f);
    fclose(f);
}

static void fresh_source(void)
{
    char command[700];
    snprintf(command, sizeof command, "rm -rf %s && mkdir -p %s", source, source);
    run(command);
}

/* Walk "a/b/c" from root through inode_ops->lookup: referenced, or NULL. */
static struct inode *walk(struct inode *root, const char *path)
{
    char copy[256];
    snprintf(copy, sizeof copy, "%s", path);
    struct inode *at = root;
    inode_get(at);
    for (char *name = strtok(copy, "/"); name; name = strtok(NULL, "/")) {
        struct inode *next = S_ISDIR(at->mode) ? at->ops->lookup(at, name) : NULL;
        inode_put(at);
        if (!(at = next))
            return NULL;
    }
    return at;
}

static long read_all(struct inode *root, const char *path, char *buf, size_t size)
{
    struct inode *inode = walk(root, path);
    if (!inode)
        return -ENOENT;
    long n = inode->ops->read(inode, 0, buf, size - 1);
    buf[n > 0 ? n : 0] = '\0';
    inode_put(inode);
    return n;
}

static int write_file(struct inode *dir, const char *name, const void *data, size_t size,
                      u64 offset)
{
    struct inode *inode = dir->ops->lookup(dir, name);
    if (!inode) {
        int error = dir->ops->create(dir, name, 0644, &inode);
        if (error)
            return error;
    }
    long n = inode->ops->write(inode, offset, data, size);
    inode_put(inode);
    return n < 0 ? (int)n : n == (long)size ? 0 : -ENOSPC;
}

static int mount(struct host_disk *disk, struct inode **root)
{
    disk_open(disk, image);
    int error = ext2_mount(&disk->device, false, root);
    if (error)
        disk_close(disk);
    return error;
}

static int unmount(struct host_disk *disk, struct inode *root)
{
    int error = ext2_unmount(root);
    disk_close(disk);
    return error;
}

/* --- cases ------------------------------------------------------------------- */

struct names_sink {
    struct dir_sink sink;
    char names[4096];
    int count;
};
static bool collect(struct dir_sink *sink, const char *name, u64 ino, u8 type)
{
    struct names_sink *s = (struct names_sink *)sink;
    strcat(s->names, name);
    strcat(s->names, type == DT_DIR ? "/ " : " ");
    s->count++;
    return true;
}

/* Files mke2fs put there read back through sprout's code, 1 KiB blocks. */
static void read_tree_made_by_mke2fs(void)
{
    fresh_source();
    write_source_file("hello.txt", "hello, disk\n");
    char command[900];
    snprintf(command, sizeof command,
             "cd %s && mkdir -p sub/deeper && echo nested >sub/deeper/file && "
             "seq 1 100000 >big && ln -s hello.txt fast && ln hello.txt hard && "
             "ln -s $(printf 'x%%.0s' $(seq 1 100)) slow",
             source);
    CHECK_EQ(run(command), 0);
    make_image(1024, 4096, "");
    struct host_disk disk;
    struct inode *root;
    CHECK_EQ(mount(&disk, &root), 0);
    if (!root)
        return;
    char buf[700000];
    CHECK_EQ(read_all(root, "hello.txt", buf, sizeof buf), 12);
    CHECK_STR(buf, "hello, disk\n");
    CHECK_EQ(read_all(root, "sub/deeper/file", buf, sizeof buf), 7);
    CHECK_STR(buf, "nested\n");
    long n = read_all(root, "big", buf, sizeof buf); /* 588895 bytes: double indirect */
    CHECK_EQ(n, 588895);
    CHECK(strncmp(buf, "1\n2\n3\n", 6) == 0);
    CHECK(strcmp(buf + n - 13, "99999\n100000\n") == 0);
    struct inode *hello = walk(root, "hello.txt"), *hard = walk(root, "hard");
    CHECK(hello && hello == hard); /* two names, one inode in memory */
    CHECK_EQ(hello ? hello->nlink : 0, 2);
    inode_put(hello), inode_put(hard);
    struct inode *fast = walk(root, "fast"), *slow = walk(root, "slow");
    CHECK(fast && S_ISLNK(fast->mode) && slow && S_ISLNK(slow->mode));
    if (fast && slow) {
        CHECK_EQ(fast->ops->readlink(fast, buf, 100), 9);
        CHECK(memcmp(buf, "hello.txt", 9) == 0);
        CHECK_EQ(slow->ops->readlink(slow, buf, 200), 100);
        CHECK(buf[0] == 'x' && buf[99] == 'x');
    }
    inode_put(fast), inode_put(slow);
    struct names_sink s = {.sink.emit = collect};
    u64 position = 0;
    CHECK_EQ(root->ops->readdir(root, &position, &s.sink), 0);
    CHECK(strstr(s.names, "sub/ ") && strstr(s.names, "hello.txt ") && strstr(s.names, "./ ") &&
          strstr(s.names, "../ "));
    CHECK(walk(root, "missing") == NULL);
    CHECK_EQ(unmount(&disk, root), 0);
    CHECK_EQ(fsck_clean(), 0);
}

/* Many files and directories created, written, renamed, linked and removed. */
static void create_write_delete_many(int block_size)
{
    fresh_source();
    make_image(block_size, block_size == 1024 ? 20000 : 8192, ""); /* 1 KiB: 3 groups */
    struct host_disk disk;
    struct inode *root;
    CHECK_EQ(mount(&disk, &root), 0);
    if (!root)
        return;
    CHECK_EQ(root->ops->mkdir(root, "many", 0755), 0);
    CHECK_EQ(root->ops->mkdir(root, "many", 0755), -EEXIST);
    struct inode *many = walk(root, "many");
    char name[64], text[64];
    for (int i = 0; i < 400; i++) {
        snprintf(name, sizeof name, "file-with-a-longish-name-%d", i);
        snprintf(text, sizeof text, "contents of %d\n", i);
        CHECK_EQ(write_file(many, name, text, strlen(text), 0), 0);
    }
    for (int i = 0; i < 400; i += 2) {
        snprintf(name, sizeof name, "file-with-a-longish-name-%d", i);
        CHECK_EQ(many->ops->unlink(many, name), 0);
    }
    CHECK_EQ(many->ops->unlink(many, "file-with-a-longish-name-0"), -ENOENT);
    /* directories: nested, renamed across parents, removed */
    CHECK_EQ(root->ops->mkdir(root, "a", 0700), 0);
    struct inode *a = walk(root, "a");
    CHECK_EQ(a->ops->mkdir(a, "b", 0755), 0);
    struct inode *b = walk(root, "a/b");
    CHECK_EQ(write_file(b, "deep", "deep\n", 5, 0), 0);
    CHECK_EQ(root->ops->rmdir(root, "a"), -ENOTEMPTY);
    CHECK_EQ(root->ops->rename(a, "b", root, "moved"), 0);
    CHECK_EQ(a->nlink, 2);
    CHECK_EQ(root->ops->rmdir(root, "a"), 0);
    CHECK_EQ(root->ops->rename(root, "moved", many, "into-many"), 0);
    /* hard links and renames of files */
    struct inode *target = walk(root, "many/file-with-a-longish-name-1");
    CHECK_EQ(root->ops->link(root, "link-to-1", target), 0);
    CHECK_EQ(target->nlink, 2);
    CHECK_EQ(root->ops->link(root, "link-to-1", target), -EEXIST);
    CHECK_EQ(root->ops->link(root, "dir-link", many), -EPERM);
    CHECK_EQ(many->ops->rename(many, "file-with-a-longish-name-3", root, "renamed"), 0);
    CHECK_EQ(root->ops->rename(root, "renamed", root, "link-to-1"), 0); /* replaces */
    CHECK_EQ(target->nlink, 1);
    CHECK_EQ(root->ops->symlink(root, "sym", "many/into-many/deep"), 0);
    char long_target[300];
    memset(long_target, 'y', 299);
    long_target[299] = '\0';
    CHECK_EQ(root->ops->symlink(root, "slowsym", long_target), 0);
    /* times and modes persist */
    target->mode = S_IFREG | 0600; /* as chmod does: written at sync/eviction */
    inode_put(target), inode_put(b), inode_put(a), inode_put(many);
    CHECK_EQ(unmount(&disk, root), 0);
    CHECK_EQ(fsck_clean(), 0);

    char out[8192];
    debugfs("cat /many/into-many/deep", out, sizeof out);
    CHECK_STR(out, "deep\n");
    debugfs("cat /link-to-1", out, sizeof out);
    CHECK_STR(out, "contents of 3\n");
    debugfs("cat /many/file-with-a-longish-name-399", out, sizeof out);
    CHECK_STR(out, "contents of 399\n");
    debugfs("stat /many/file-with-a-longish-name-1", out, sizeof out);
    CHECK(strstr(out, "Mode:  0600") != NULL);
    debugfs("stat /sym", out, sizeof out);
    CHECK(strstr(out, "Fast link dest: \"many/into-many/deep\"") != NULL);
    debugfs("ls /many", out, sizeof out);
    CHECK(strstr(out, "file-with-a-longish-name-0") == NULL);
}
static void many_files_1k(void) { create_write_delete_many(1024); }
static void many_files_4k(void) { create_write_delete_many(4096); }

/* Big files through the indirect blocks, a sparse one through the triple
 * indirect, truncated, and a disk filled up to ENOSPC. */
static void large_files_and_enospc(void)
{
    fresh_source();
    make_image(1024, 4096, "-N 64");
    struct host_disk disk;
    struct inode *root;
    CHECK_EQ(mount(&disk, &root), 0);
    if (!root)
        return;
    static u8 data[1 << 20];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (u8)(i * 7 + i / 1024);
    CHECK_EQ(write_file(root, "mib", data, sizeof data, 0), 0);
    /* 70 MiB in: past 12 + 256 + 65536 blocks, into the triple-indirect tree */
    CHECK_EQ(write_file(root, "sparse", "end", 3, 70ull << 20), 0);
    struct inode *sparse = walk(root, "sparse");
    CHECK_EQ(sparse->size, (70ull << 20) + 3);
    char small[8];
    CHECK_EQ(sparse->ops->read(sparse, 70ull << 20, small, 8), 3);
    CHECK_EQ(sparse->ops->read(sparse, 1000, small, 4), 4);
    CHECK(small[0] == 0 && small[3] == 0);
    CHECK_EQ(sparse->ops->blocks(sparse), 2 * 4); /* data + 3 levels of map */
    inode_put(sparse);
    struct inode *mib = walk(root, "mib");
    static u8 back[1 << 20];
    CHECK_EQ(mib->ops->read(mib, 0, back, sizeof back), (long)sizeof back);
    CHECK(memcmp(back, data, sizeof data) == 0);
    CHECK_EQ(mib->ops->truncate(mib, 5000), 0);
    CHECK_EQ(mib->ops->truncate(mib, 9000), 0);
    CHECK_EQ(mib->ops->read(mib, 4990, back, 100), 100);
    CHECK(memcmp(back, data + 4990, 10) == 0 && back[10] == 0 && back[99] == 0);
    inode_put(mib);
    /* fill the disk */
    struct kstatfs st = {0};
    CHECK(ext2_statfs(root, &st));
    CHECK_EQ(st.bsize, 1024);
    int error = 0;
    u64 written = 0;
    for (int i = 0; i < 100000 && !error; i++) {
        error = write_file(root, "filler", data, 64 * 1024, written);
        if (!error)
            written += 64 * 1024;
    }
    CHECK_EQ(error, -ENOSPC);
    CHECK(written > 2 * 1024 * 1024);
    CHECK(ext2_statfs(root, &st) && st.bfree == 0);
    /* full: new names may still fit in free directory space, unlink works */
    CHECK_EQ(root->ops->unlink(root, "filler"), 0);
    CHECK(ext2_statfs(root, &st) && st.bfree > 2000);
    int files = 0;
    for (; files < 100; files++) {
        char name[32];
        snprintf(name, sizeof name, "f%d", files);
        struct inode *created;
        if ((error = root->ops->create(root, name, 0644, &created)))
            break;
        inode_put(created);
    }
    CHECK_EQ(error, -ENOSPC); /* out of inodes: 64 of them */
    CHECK_EQ(unmount(&disk, root), 0);
    CHECK_EQ(fsck_clean(), 0);
    char out[8192];
    debugfs("stat /sparse", out, sizeof out);
    CHECK(strstr(out, "Size: 73400323") != NULL);
}

/* A file larger than a block group takes blocks from the next groups, and
 * directories spread their inodes: the bitmaps and counts of every group. */
static void files_span_block_groups(void)
{
    fresh_source();
    make_image(1024, 24576, ""); /* 3 groups of 8192 blocks */
    struct host_disk disk;
    struct inode *root;
    CHECK_EQ(mount(&disk, &root), 0);
    if (!root)
        return;
    static u8 chunk[1 << 16];
    for (size_t i = 0; i < sizeof chunk; i++)
        chunk[i] = (u8)(i ^ (i >> 8));
    int error = 0;
    for (u64 offset = 0; offset < (20ull << 20) && !error; offset += sizeof chunk)
        error = write_file(root, "twenty-mib", chunk, sizeof chunk, offset);
    CHECK_EQ(error, 0);
    struct kstatfs st;
    CHECK(ext2_statfs(root, &st) && st.bfree < 4096);
    CHECK_EQ(root->ops->unlink(root, "twenty-mib"), 0);
    CHECK(ext2_statfs(root, &st) && st.bfree > 20000);
    CHECK_EQ(write_file(root, "again", chunk, sizeof chunk, 0), 0);
    CHECK_EQ(unmount(&disk, root), 0);
    CHECK_EQ(fsck_clean(), 0);
}

static void poke_image(const char *bytes, long offset);

/* A file unlinked while open: readable until the last close, then freed; a crash before that
 * leaves it on the orphan list, and the next mount frees it. */
static void unlinked_open_files_are_orphans(void)
{
    fresh_source();
    make_image(1024, 4096, "");
    struct host_disk disk;
    struct inode *root;
    CHECK_EQ(mount(&disk, &root), 0);
    if (!root)
        return;
    struct kstatfs before, st;
    CHECK(ext2_statfs(root, &before));
    static u8 data[40 * 1024];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (u8)(i * 7);
    CHECK_EQ(write_file(root, "doomed", data, sizeof data, 0), 0);
    CHECK_EQ(write_file(root, "doomed-too", "x", 1, 0), 0);
    struct inode *open1 = walk(root, "doomed"), *open2 = walk(root, "doomed-too");
    CHECK(open1 && open2);
    if (!open1 || !open2)
        return;
    CHECK_EQ(root->ops->unlink(root, "doomed"), 0);
    CHECK_EQ(root->ops->unlink(root, "doomed-too"), 0);
    CHECK(walk(root, "doomed") == NULL);
    /* Still readable and writable through what is open. */
    static u8 back[sizeof data];
    CHECK_EQ(open1->ops->read(open1, 0, back, sizeof back), (long)sizeof back);
    CHECK(memcmp(back, data, sizeof data) == 0);
    CHECK_EQ(open1->ops->write(open1, sizeof data, "tail", 4), 4);
    CHECK(ext2_statfs(root, &st) && st.bfree < before.bfree - 40);
    /* The list is on the disk after a sync: the superblock names the last one unlinked. */
    CHECK_EQ(ext2_sync(root), 0);
    char out[4096];
    debugfs("stats", out, sizeof out);
    char expect[64];
    snprintf(expect, sizeof expect, "First orphan inode:       %lu", (unsigned long)open2->ino);
    CHECK(strstr(out, expect) != NULL);
    char command[700];
    snprintf(command, sizeof command, "cp %s %s.crash", image, image);
    CHECK_EQ(run(command), 0); /* the disk as a crash now would leave it */
    /* Closing, in either order, frees them: nothing is left over. */
    inode_put(open1);
    CHECK(ext2_statfs(root, &st) && st.bfree == before.bfree - 1);
    inode_put(open2);
    CHECK(ext2_statfs(root, &st) && st.bfree == before.bfree && st.ffree == before.ffree);
    CHECK_EQ(unmount(&disk, root), 0);
    CHECK_EQ(fsck_clean(), 0);
    /* The crash: the next mount frees the orphans, and e2fsck finds nothing to fix. */
    snprintf(command, sizeof command, "mv %s.crash %s", image, image);
    CHECK_EQ(run(command), 0);
    CHECK_EQ(mount(&disk, &root), 0);
    if (!root)
        return;
    CHECK(ext2_statfs(root, &st) && st.bfree == before.bfree && st.ffree == before.ffree);
    CHECK_EQ(unmount(&disk, root), 0);
    CHECK_EQ(fsck_clean(), 0);
    debugfs("stats", out, sizeof out);
    CHECK(strstr(out, "First orphan inode") == NULL);
    /* A damaged list never stops a mount nor frees a live file: a number past the inode table,
     * a free inode, a file that still has its name (inode 12, the first mke2fs -d made). */
    static const char *const heads[] = {"\\x9f\\x86\\x01\\x00", "\\x64\\x00\\x00\\x00",
                                        "\\x0c\\x00\\x00\\x00"};
    for (int i = 0; i < 3; i++) {
        fresh_source();
        write_source_file("kept", "still here\n");
        make_image(1024, 4096, "");
        poke_image(heads[i], 1024 + 232); /* s_last_orphan */
        CHECK_EQ(mount(&disk, &root), 0);
        if (!root)
            continue;
        char buf[64];
        CHECK_EQ(read_all(root, "kept", buf, sizeof buf), 11);
        CHECK_EQ(unmount(&disk, root), 0);
        CHECK_EQ(fsck_clean(), 0);
    }
}

/* A block cache with two references to one block shares one buffer. */
static void cache_shares_buffers(void)
{
    fresh_source();
    make_image(1024, 4096, ""); /* more blocks than buffers */
    struct host_disk disk;
    disk_open(&disk, image);
    int error;
    struct buffer *b = bcache_read(&disk.device, 1, 1024, &error);
    CHECK(b && b->valid && *(u16 *)(b->data + 56) == EXT2_SUPER_MAGIC);
    u64 reads = disk.reads;
    bcache_release(b);
    struct buffer *again = bcache_read(&disk.device, 1, 1024, &error);
    CHECK(again == b && disk.reads == reads); /* cached: no second read */
    bcache_release(again);
    struct host_disk other; /* the same block number on another device: another buffer */
    disk_open(&other, image);
    struct buffer *b2 = bcache_read(&other.device, 1, 1024, &error);
    CHECK(b2 && b2 != b && other.reads == 1);
    bcache_release(b2);
    disk_close(&other);
    CHECK(bcache_read(&disk.device, 5000, 1024, &error) == NULL &&
          error == -EIO); /* past the end */
    /* more blocks than buffers: old ones are reused, dirty ones written back */
    for (u64 i = 0; i < 2 * BCACHE_BUFFERS; i++) {
        struct buffer *x = bcache_read(&disk.device, 100 + i, 1024, &error);
        x->data[0] = (u8)i;
        bcache_mark_dirty(x);
        bcache_release(x);
    }
    CHECK(disk.writes >= BCACHE_BUFFERS);
    CHECK_EQ(bcache_sync(&disk.device), 0);
    struct bcache_stats stats;
    bcache_get_stats(&stats);
    CHECK_EQ(stats.dirty, 0);
    CHECK_EQ(stats.dirty_bytes, 0);
    /* The flusher's writeback: only blocks dirty since before the given time, by age of their
     * first change (a second change does not make a block younger). */
    jiffies = 1000;
    struct buffer *old = bcache_read(&disk.device, 50, 1024, &error);
    bcache_mark_dirty(old);
    bcache_release(old);
    jiffies = 1300;
    for (int i = 0; i < 2; i++) {
        struct buffer *young = bcache_read(&disk.device, 51 + i, 1024, &error);
        bcache_mark_dirty(young);
        bcache_release(young);
    }
    old = bcache_read(&disk.device, 50, 1024, &error);
    bcache_mark_dirty(old); /* changed again: still dirty since 1000 */
    bcache_release(old);
    bcache_get_stats(&stats);
    CHECK_EQ(stats.dirty_bytes, 3 * 1024);
    CHECK_EQ(bcache_write_expired(&disk.device, 1000), 0); /* nothing older than 1000 */
    u64 writes = disk.writes;
    CHECK_EQ(bcache_write_expired(&disk.device, 1001), 1);
    CHECK_EQ(disk.writes, writes + 1);
    bcache_get_stats(&stats);
    CHECK_EQ(stats.dirty_bytes, 2 * 1024);
    CHECK_EQ(bcache_write_expired(&disk.device, 1301), 2);
    bcache_get_stats(&stats);
    CHECK_EQ(stats.dirty, 0);
    jiffies = 0;
    disk_close(&disk);
    u8 byte = 0;
    int fd = open(image, HOST_O_RDWR);
    CHECK_EQ(pread(fd, &byte, 1, 1024 * 105), 1);
    close(fd);
    CHECK_EQ(byte, 5);
}

/* Corrupt images: errors, never a crash. */
/* Overwrite the image's bytes at `offset` with `bytes` (printf escapes). */
static void poke_image(const char *bytes, long offset)
{
    char command[900];
    snprintf(command, sizeof command,
             "printf '%s' | dd of=%s bs=1 seek=%ld conv=notrunc 2>/dev/null", bytes, image, offset);
    run(command);
}

static void corrupt_images(void)
{
    char command[900];
    struct host_disk disk;
    struct inode *root = NULL;
    fresh_source();
    write_source_file("victim", "some data that will be lost\n");
    make_image(1024, 2048, "");
    /* the magic number */
    poke_image("\\x00\\x00", 1080);
    CHECK_EQ(mount(&disk, &root), -EUCLEAN);
    /* the blocks-per-group count */
    make_image(1024, 2048, "");
    poke_image("\\xff\\xff\\xff\\x7f", 1056);
    CHECK_EQ(mount(&disk, &root), -EUCLEAN);
    /* a group descriptor's inode table past the end */
    make_image(1024, 2048, "");
    poke_image("\\xff\\xff\\xff\\x00", 2056);
    CHECK_EQ(mount(&disk, &root), -EUCLEAN);
    /* a block pointer far outside the disk, and a directory with a bad entry */
    make_image(1024, 2048, "");
    snprintf(command, sizeof command,
             "debugfs -w -R 'sif /victim block[0] 99999999' %s >/dev/null 2>&1 && "
             "debugfs -w -R 'mkdir /d' %s >/dev/null 2>&1",
             image, image);
    CHECK_EQ(run(command), 0);
    char out[200];
    debugfs("bmap /d 0", out, sizeof out);
    long dir_block = atol(out);
    poke_image("\\x00\\x00", dir_block * 1024 + 4);
    CHECK_EQ(mount(&disk, &root), 0);
    if (root) {
        char buf[100];
        CHECK_EQ(read_all(root, "victim", buf, sizeof buf), -EUCLEAN);
        struct inode *d = walk(root, "d");
        CHECK(d != NULL);
        if (d) {
            CHECK(d->ops->lookup(d, "anything") == NULL);
            struct names_sink s = {.sink.emit = collect};
            u64 position = 0;
            CHECK_EQ(d->ops->readdir(d, &position, &s.sink), -EUCLEAN);
            CHECK_EQ(d->ops->mkdir(d, "new", 0755), -EUCLEAN);
            inode_put(d);
        }
        CHECK_EQ(unmount(&disk, root), 0);
    }
}

static const struct unit_case cases[] = {
    UNIT(cache_shares_buffers),   UNIT(read_tree_made_by_mke2fs),
    UNIT(many_files_1k),          UNIT(many_files_4k),
    UNIT(large_files_and_enospc), UNIT(files_span_block_groups),
    UNIT(corrupt_images),         UNIT(unlinked_open_files_are_orphans),
};

int main(void)
{
    /* mke2fs, e2fsck and debugfs live in /usr/sbin, not always on a user's PATH */
    char path[4096];
    snprintf(path, sizeof path, "%s:/usr/sbin:/sbin",
             getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    setenv("PATH", path, 1);
    if (!mkdtemp(workdir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(image, sizeof image, "%s/disk.img", workdir);
    snprintf(source, sizeof source, "%s/source", workdir);
    int status = unit_run("ext2", cases, ARRAY_SIZE(cases));
    char command[400];
    snprintf(command, sizeof command, "rm -rf %s", workdir);
    run(command);
    return status;
}
