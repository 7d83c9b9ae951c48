/*
 * ext2_check.c - ext2 on a real (virtio) disk, from user space.  Run by
 * tests/qemu/test_ext2.sh with an image made by mke2fs attached as /dev/vda
 * (it holds /hello.txt and /echo); the script then checks the image on the
 * host with e2fsck and debugfs, and boots again to run the `persisted` case.
 */
#define _GNU_SOURCE
#include "tests/user/utest.h"

#include <fcntl.h>
#include <setjmp.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/swap.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static char big[3 << 20];

static void mount_the_disk(void)
{
    mkdir("/mnt", 0755);
    CHECK_EQ(mount("/dev/vda", "/mnt", "ext2", 0, NULL), 0);
    CHECK_ERRNO(mount("vda", "/mnt", "ext2", 0, NULL), EBUSY);
    struct statfs st;
    CHECK_EQ(statfs("/mnt", &st), 0);
    CHECK_EQ(st.f_type, 0xef53);
    CHECK_EQ(st.f_bsize, 1024);
    char buf[64] = {0};
    int fd = open("/mnt/hello.txt", O_RDONLY);
    CHECK(fd >= 0);
    CHECK_EQ(read(fd, buf, sizeof buf), 12);
    CHECK_STR(buf, "from mke2fs\n");
    close(fd);
}

static void files_written_and_read(void)
{
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)(i * 13 + i / 4096);
    int fd = open("/mnt/big", O_CREAT | O_RDWR | O_TRUNC, 0640);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, big, sizeof big), (ssize_t)sizeof big);
    CHECK_EQ(fsync(fd), 0);
    static char back[sizeof big];
    CHECK_EQ(pread(fd, back, sizeof back, 0), (ssize_t)sizeof back);
    CHECK(memcmp(back, big, sizeof big) == 0);
    struct stat st;
    CHECK_EQ(fstat(fd, &st), 0);
    CHECK_EQ(st.st_size, (off_t)sizeof big);
    CHECK(st.st_blocks >= (blkcnt_t)(sizeof big / 512));
    CHECK_EQ(st.st_mode & 07777, 0640);
    CHECK_EQ(ftruncate(fd, 1000), 0);
    CHECK_EQ(fstat(fd, &st), 0);
    CHECK_EQ(st.st_size, 1000);
    close(fd);
}

static void names_links_and_directories(void)
{
    CHECK_EQ(link("/mnt/hello.txt", "/mnt/hard"), 0);
    struct stat st;
    CHECK_EQ(stat("/mnt/hard", &st), 0);
    CHECK_EQ(st.st_nlink, 2);
    CHECK_ERRNO(link("/mnt/hello.txt", "/tmp/cross"), EXDEV);
    CHECK_EQ(symlink("hello.txt", "/mnt/fast"), 0);
    char target[300];
    memset(target, 'z', 200);
    target[200] = '\0';
    CHECK_EQ(symlink(target, "/mnt/slow"), 0);
    char buf[300];
    CHECK_EQ(readlink("/mnt/fast", buf, sizeof buf), 9);
    CHECK_EQ(readlink("/mnt/slow", buf, sizeof buf), 200);
    CHECK_EQ(mkdir("/mnt/dir", 0750), 0);
    CHECK_EQ(mkdir("/mnt/dir/sub", 0755), 0);
    CHECK_ERRNO(rmdir("/mnt/dir"), ENOTEMPTY);
    CHECK_EQ(rename("/mnt/dir/sub", "/mnt/moved"), 0);
    CHECK_EQ(rmdir("/mnt/dir"), 0);
    CHECK_EQ(stat("/mnt/moved/..", &st), 0);
    CHECK_EQ(st.st_ino, 2); /* the root of the disk */
    int fd = open("/mnt/moved/note", O_CREAT | O_WRONLY, 0600);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, "kept\n", 5), 5);
    close(fd);
    CHECK_EQ(unlink("/mnt/hard"), 0);
    CHECK_EQ(stat("/mnt/hello.txt", &st), 0);
    CHECK_EQ(st.st_nlink, 1);
}

static void programs_run_from_the_disk(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        dup2(fd, 1);
        execl("/mnt/echo", "echo", "from the disk", (char *)NULL);
        _exit(99);
    }
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Four processes create, write and remove files at once: each waits for the
 * disk while holding nothing the others need for long (the fs lock). */
static void processes_share_the_disk(void)
{
    mkdir("/mnt/shared", 0755);
    for (int child = 0; child < 4; child++) {
        if (fork() == 0) {
            char name[64], text[64];
            for (int i = 0; i < 25; i++) {
                snprintf(name, sizeof name, "/mnt/shared/p%d-%d", child, i);
                int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644);
                if (fd < 0)
                    _exit(1);
                int n = snprintf(text, sizeof text, "child %d file %d\n", child, i);
                for (int k = 0; k < 40; k++) /* 40 small writes: many waits for the disk */
                    if (write(fd, text, (size_t)n) != n)
                        _exit(2);
                close(fd);
                if (i % 2 && unlink(name) < 0)
                    _exit(3);
            }
            _exit(0);
        }
    }
    for (int child = 0; child < 4; child++) {
        int status;
        CHECK(wait(&status) > 0);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    sync();
    char buf[64] = {0};
    int fd = open("/mnt/shared/p3-24", O_RDONLY);
    CHECK(fd >= 0);
    CHECK(read(fd, buf, 16) == 16);
    CHECK_STR(buf, "child 3 file 24\n");
    close(fd);
    CHECK_ERRNO(access("/mnt/shared/p2-23", F_OK), ENOENT);
}

/* Initialised data: in a program run from the disk, a page of the page cache until written. */
static char data_buffer[3 * 4096] = "not yet read";

/* Run from the disk (`ext2_check read-into-data FILE`): read() into the program's own data and
 * write() from its text, both file pages of the same ext2 as FILE, not yet faulted in. */
static int read_into_data(const char *path)
{
    int fd = open(path, O_RDWR);
    if (fd < 0 || read(fd, data_buffer + 4096, 12) != 12 ||
        memcmp(data_buffer + 4096, "from mke2fs\n", 12))
        return 1;
    if (pwrite(fd, (const void *)read_into_data, 64, 4096) != 64)
        return 2;
    close(fd);
    return 0;
}

static void program_on_disk_reads_into_its_data(void)
{
    /* A copy of this program on the disk, and a file to read there. */
    int in = open("/bin/ext2_check", O_RDONLY),
        out = open("/mnt/ext2_check", O_CREAT | O_WRONLY | O_TRUNC, 0755);
    CHECK(in >= 0 && out >= 0);
    ssize_t n;
    while ((n = read(in, big, sizeof big)) > 0)
        CHECK_EQ(write(out, big, n), n);
    close(in);
    close(out);
    pid_t pid = fork();
    if (pid == 0) {
        execl("/mnt/ext2_check", "ext2_check", "read-into-data", "/mnt/hello.txt", (char *)NULL);
        _exit(127);
    }
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
    CHECK_EQ(truncate("/mnt/hello.txt", 12), 0);
    CHECK_EQ(unlink("/mnt/ext2_check"), 0);
}

/* mmap of ext2 files: the page cache.  The host reads /mapped with debugfs afterwards. */
static void mmap_writes_reach_the_disk(void)
{
    int fd = open("/mnt/mapped", O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK(fd >= 0);
    static char dots[8192];
    memset(dots, '.', sizeof dots);
    CHECK_EQ(write(fd, dots, sizeof dots), (ssize_t)sizeof dots);
    char *p = mmap(NULL, sizeof dots, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(p != MAP_FAILED);
    memcpy(p, "mapped via mmap\n", 16);
    char buf[16];
    CHECK_EQ(pread(fd, buf, 16, 0), 16); /* read() sees the page cache at once */
    CHECK(memcmp(buf, "mapped via mmap\n", 16) == 0);
    CHECK_EQ(msync(p, sizeof dots, MS_SYNC), 0);
    /* A child's writes reach the file when it exits, without msync. */
    pid_t pid = fork();
    if (pid == 0) {
        memcpy(p + 5000, "from exit", 9);
        _exit(0);
    }
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK_EQ(munmap(p, sizeof dots), 0);
    CHECK_EQ(pread(fd, buf, 9, 5000), 9);
    CHECK(memcmp(buf, "from exit", 9) == 0);
    close(fd);
    sync();
}

/* A private map of a file mke2fs wrote: the file's bytes, and writes stay private (the
 * write after a read copies the page cache's frame: mm/cow.c's write fault, the cow lab). */
static void private_map_writes_stay_private(void)
{
    char buf[16];
    int fd = open("/mnt/hello.txt", O_RDONLY);
    char *q = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK(q != MAP_FAILED);
    CHECK(memcmp(q, "from mke2fs\n", 12) == 0);
    q[0] = 'F';
    CHECK_EQ(pread(fd, buf, 1, 0), 1);
    CHECK_EQ(buf[0], 'f');
    CHECK_EQ(munmap(q, 4096), 0);
    close(fd);
    sync();
}

/* --- swap files ------------------------------------------------------------------ */

#define SWAP_FILE_PAGES 16 /* 64 KiB: 15 slots after the header */

/* The page mkswap writes: version 1, the last page, the signature. */
static void swap_header(char page[4096], unsigned pages)
{
    memset(page, 0, 4096);
    unsigned version = 1, last = pages - 1;
    memcpy(page + 1024, &version, 4);
    memcpy(page + 1028, &last, 4);
    memcpy(page + 4086, "SWAPSPACE2", 10);
}

/* A swap file as `dd` then `mkswap` leave it: every block written. */
static void make_swap_file(const char *path)
{
    static char page[4096];
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    CHECK(fd >= 0);
    swap_header(page, SWAP_FILE_PAGES);
    CHECK_EQ(write(fd, page, 4096), 4096);
    memset(page, 0, sizeof page);
    for (int i = 1; i < SWAP_FILE_PAGES; i++)
        CHECK_EQ(write(fd, page, 4096), 4096);
    close(fd);
}

/* The Used (KiB) and Priority columns of `path` in /proc/swaps; 0 if absent. */
static int swaps_line(const char *path, long *used, int *priority)
{
    static char text[2048];
    int fd = open("/proc/swaps", O_RDONLY);
    CHECK(fd >= 0);
    size_t n = read_all(fd, text, sizeof text - 1);
    close(fd);
    text[n] = '\0';
    for (char *line = text; line && *line;
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        char name[64], type[16];
        long size;
        if (sscanf(line, "%63s %15s %ld %ld %d", name, type, &size, used, priority) == 5 &&
            strcmp(name, path) == 0) {
            CHECK_STR(type, "file");
            CHECK_EQ(size, (SWAP_FILE_PAGES - 1) * 4);
            return 1;
        }
    }
    return 0;
}

static long used_kib(const char *path)
{
    long used = -1;
    int priority;
    CHECK(swaps_line(path, &used, &priority));
    return used;
}

/* Fill `pages` fresh pages and swap them out at once (MADV_PAGEOUT). */
static char *paged_out(int pages, char seed)
{
    char *block =
        mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(block != MAP_FAILED);
    for (int i = 0; i < pages * 4096; i++)
        block[i] = (char)(seed + i * 7 + i / 4096);
    CHECK_EQ(madvise(block, pages * 4096, MADV_PAGEOUT), 0);
    return block;
}

static void check_paged_in(char *block, int pages, char seed)
{
    for (int i = 0; i < pages * 4096; i++)
        if (block[i] != (char)(seed + i * 7 + i / 4096))
            utest_fail(__FILE__, __LINE__, "byte %d of the swapped block is wrong", i);
    CHECK_EQ(munmap(block, pages * 4096), 0);
}

#define PREFER(prio) (SWAP_FLAG_PREFER | (prio))

/* Two swap files at priorities 5 and 10: pages go to 10; a third file at 10
 * too: the two take turns.  What comes back was read from the files' blocks. */
static void swap_files_by_priority(void)
{
    if (!is_sprout())
        return; /* needs root and a scratch file system */
    make_swap_file("/mnt/swapA");
    make_swap_file("/mnt/swapB");
    /* The third as a user would make it: /bin/mkswap -s (zeros, then the header). */
    char out[256] = {0};
    char *argv[] = {"mkswap", "-s", "64K", "/mnt/swapC", NULL};
    CHECK_EQ(run_capture("/bin/mkswap", argv, NULL, out, sizeof out - 1), 0);
    CHECK(strstr(out, "Setting up swapspace version 1, size = 60 KiB") != NULL);
    CHECK_EQ(swapon("/mnt/swapA", PREFER(5)), 0);
    CHECK_EQ(swapon("/mnt/swapB", PREFER(10)), 0);
    CHECK_ERRNO(swapon("/mnt/swapB", 0), EBUSY);
    int fd = open("/mnt/swapB", O_WRONLY);
    CHECK(fd >= 0);
    CHECK_ERRNO(write(fd, "x", 1), ETXTBSY); /* swap owns its blocks */
    CHECK_ERRNO(ftruncate(fd, 0), ETXTBSY);
    close(fd);
    long used;
    int priority;
    CHECK(swaps_line("/mnt/swapA", &used, &priority));
    CHECK_EQ(priority, 5);
    CHECK(swaps_line("/mnt/swapB", &used, &priority));
    CHECK_EQ(priority, 10);
    char *first = paged_out(4, 1);
    CHECK_EQ(used_kib("/mnt/swapB"), 16);
    CHECK_EQ(used_kib("/mnt/swapA"), 0);
    CHECK_EQ(swapon("/mnt/swapC", PREFER(10)), 0);
    char *second = paged_out(8, 2);
    long b = used_kib("/mnt/swapB") - 16, c = used_kib("/mnt/swapC");
    if (b != 16 || c != 16)
        utest_fail(__FILE__, __LINE__, "8 pages at equal priority: B got %ld KiB, C %ld KiB", b, c);
    CHECK_EQ(used_kib("/mnt/swapA"), 0);
    check_paged_in(first, 4, 1);
    check_paged_in(second, 8, 2);
    CHECK_EQ(used_kib("/mnt/swapB"), 0);
    CHECK_EQ(swapoff("/mnt/swapA"), 0);
    CHECK_EQ(swapoff("/mnt/swapB"), 0);
    CHECK_EQ(swapoff("/mnt/swapC"), 0);
    CHECK_ERRNO(swapoff("/mnt/swapC"), EINVAL);
    CHECK(!swaps_line("/mnt/swapC", &used, &priority));
    CHECK_EQ(unlink("/mnt/swapA"), 0);
    CHECK_EQ(unlink("/mnt/swapB"), 0);
    CHECK_EQ(unlink("/mnt/swapC"), 0);
}

/* A file with holes, a tmpfs file, a directory, bad flags: EINVAL as on Linux. */
static void bad_swap_files_are_einval(void)
{
    if (!is_sprout())
        return;
    static char page[4096];
    swap_header(page, SWAP_FILE_PAGES);
    int fd = open("/mnt/sparse", O_CREAT | O_WRONLY | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, page, 4096), 4096);
    CHECK_EQ(ftruncate(fd, SWAP_FILE_PAGES * 4096), 0); /* the rest is a hole */
    close(fd);
    CHECK_ERRNO(swapon("/mnt/sparse", 0), EINVAL);
    CHECK_EQ(unlink("/mnt/sparse"), 0);
    fd = open("/tmp/swapfile", O_CREAT | O_WRONLY | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, page, 4096), 4096);
    close(fd);
    CHECK_ERRNO(swapon("/tmp/swapfile", 0), EINVAL); /* tmpfs has no disk blocks */
    CHECK_EQ(unlink("/tmp/swapfile"), 0);
    CHECK_ERRNO(swapon("/mnt", 0), EINVAL);
    make_swap_file("/mnt/swapA");
    CHECK_ERRNO(swapon("/mnt/swapA", 0x100000), EINVAL); /* an unknown flag */
    CHECK_ERRNO(swapon("/mnt/swapA", (int)0x80000000u), EINVAL);
    CHECK_ERRNO(swapoff("/mnt/swapA"), EINVAL); /* not active */
    CHECK_EQ(unlink("/mnt/swapA"), 0);
}

/* Unlinked while open: readable and writable until the last close, which frees every block
 * and the inode (on the orphan list meanwhile, docs/ext2.md). */
static void unlinked_open_file_lives_until_closed(void)
{
    struct statfs before, st;
    CHECK_EQ(statfs("/mnt", &before), 0);
    int fd = open("/mnt/orphan", O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK(fd >= 0);
    for (int i = 0; i < 256 << 10; i++)
        big[i] = (char)(i % 253);
    CHECK_EQ(write(fd, big, 256 << 10), 256 << 10);
    CHECK_EQ(unlink("/mnt/orphan"), 0);
    CHECK_ERRNO(access("/mnt/orphan", F_OK), ENOENT);
    CHECK_EQ(write(fd, "tail", 4), 4);
    struct stat s;
    CHECK_EQ(fstat(fd, &s), 0);
    CHECK_EQ(s.st_nlink, 0);
    CHECK_EQ(s.st_size, (256 << 10) + 4);
    CHECK_EQ(statfs("/mnt", &st), 0);
    CHECK(st.f_bfree + 256 < before.f_bfree);
    char link[64], target[128] = "";
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    CHECK(readlink(link, target, sizeof target - 1) > 0);
    CHECK_STR(target, "/mnt/orphan (deleted)");
    int other = dup(fd);
    close(fd); /* another descriptor still holds it */
    char buf[8];
    CHECK_EQ(pread(other, buf, 4, 256 << 10), 4);
    CHECK(memcmp(buf, "tail", 4) == 0);
    CHECK_EQ(pread(other, buf, 8, 1000), 8);
    CHECK(memcmp(buf, big + 1000, 8) == 0);
    close(other);
    CHECK_EQ(statfs("/mnt", &st), 0);
    CHECK_EQ(st.f_bfree, before.f_bfree);
    CHECK_EQ(st.f_ffree, before.f_ffree);
}

static sigjmp_buf bus_jump;
static void on_bus(int sig)
{
    (void)sig;
    siglongjmp(bus_jump, 1);
}

/* ftruncate of a mapped ext2 file: pages past the new end are unmapped (SIGBUS). */
static void truncate_unmaps_mapped_pages(void)
{
    int fd = open("/mnt/cut", O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, big, 3 * 4096), 3 * 4096);
    volatile char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(p != MAP_FAILED);
    CHECK_EQ(p[2 * 4096 + 3], big[2 * 4096 + 3]);
    CHECK_EQ(ftruncate(fd, 4096 + 10), 0);
    CHECK_EQ(p[4096 + 9], big[4096 + 9]);
    CHECK_EQ(p[4096 + 10], 0); /* zeroed past the end */
    signal(SIGBUS, on_bus);
    volatile int bus = 0;
    if (sigsetjmp(bus_jump, 1) == 0)
        (void)p[2 * 4096 + 3];
    else
        bus = 1;
    CHECK_EQ(bus, 1);
    signal(SIGBUS, SIG_DFL);
    munmap((void *)p, 3 * 4096);
    close(fd);
    CHECK_EQ(unlink("/mnt/cut"), 0);
}

static void full_disk_gives_enospc(void)
{
    int fd = open("/mnt/fill", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    CHECK(fd >= 0);
    ssize_t n;
    errno = 0;
    while ((n = write(fd, big, 1 << 20)) > 0)
        ;
    CHECK_EQ(errno, ENOSPC);
    close(fd);
    struct statfs st;
    CHECK_EQ(statfs("/mnt", &st), 0);
    CHECK_EQ(st.f_bfree, 0);
    CHECK_EQ(unlink("/mnt/fill"), 0);
    CHECK_EQ(statfs("/mnt", &st), 0);
    CHECK(st.f_bfree > 1000);
}

static void umount_waits_for_users(void)
{
    int fd = open("/mnt/hello.txt", O_RDONLY);
    CHECK(fd >= 0);
    CHECK_ERRNO(umount2("/mnt", 0), EBUSY);
    close(fd);
    CHECK_EQ(umount2("/mnt", 0), 0);
    CHECK_ERRNO(access("/mnt/hello.txt", F_OK), ENOENT);
    CHECK_EQ(mount("vda", "/mnt", "ext2", MS_RDONLY, NULL), 0);
    CHECK_ERRNO(open("/mnt/new", O_CREAT | O_WRONLY, 0644), EROFS);
    CHECK_EQ(umount2("/mnt", 0), 0);
    /* Mounted again, and left mounted: power-off must write it back. */
    CHECK_EQ(mount("vda", "/mnt", "ext2", 0, NULL), 0);
    fd = open("/mnt/marker", O_CREAT | O_WRONLY, 0644);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, "written before power-off\n", 25), 25);
    close(fd);
}

/* The second boot: what the first wrote is there. */
static void persisted(void)
{
    mkdir("/mnt", 0755);
    CHECK_EQ(mount("/dev/vda", "/mnt", "ext2", 0, NULL), 0);
    char buf[64] = {0};
    int fd = open("/mnt/moved/note", O_RDONLY);
    CHECK(fd >= 0);
    CHECK_EQ(read(fd, buf, sizeof buf), 5);
    CHECK_STR(buf, "kept\n");
    close(fd);
    struct stat st;
    CHECK_EQ(stat("/mnt/big", &st), 0);
    CHECK_EQ(st.st_size, 1000);
    CHECK_EQ(st.st_mode & 07777, 0640);
    CHECK_EQ(lstat("/mnt/fast", &st), 0);
    CHECK(S_ISLNK(st.st_mode));
    CHECK_EQ(access("/mnt/marker", F_OK), 0);
    CHECK_EQ(umount2("/mnt", 0), 0);
}

static const struct utest_case first_boot[] = {
    UTEST(mount_the_disk),
    UTEST(files_written_and_read),
    UTEST(names_links_and_directories),
    UTEST(programs_run_from_the_disk),
    UTEST(processes_share_the_disk),
    UTEST(mmap_writes_reach_the_disk),
    UTEST(private_map_writes_stay_private),
    UTEST(program_on_disk_reads_into_its_data),
    UTEST(swap_files_by_priority),
    UTEST(bad_swap_files_are_einval),
    UTEST(unlinked_open_file_lives_until_closed),
    UTEST(truncate_unmaps_mapped_pages),
    UTEST(full_disk_gives_enospc),
    UTEST(umount_waits_for_users),
};
static const struct utest_case second_boot[] = {UTEST(persisted)};

/* ext2_check: the first boot's cases; ext2_check again: the second boot's. */
int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "read-into-data") == 0)
        return read_into_data(argv[2]);
    if (argc > 1 && strcmp(argv[1], "again") == 0)
        return utest_main("ext2", second_boot, ARRAY_SIZE(second_boot), 1, argv);
    return utest_main("ext2", first_boot, ARRAY_SIZE(first_boot), argc, argv);
}
