/*
 * t_tmpfs.c - file data in RAM: sparse files cost only the pages written,
 * /tmp and /dev/shm are tmpfs mounts of their own, and file pages show in
 * /proc/meminfo.  (Filling a tmpfs to its limit needs a small limit: that is
 * tests/user/tmpfs_check.c, booted with tmpfs_size=1M by test_tmpfs.sh.)
 *
 * The same binary runs on Linux (to prove the expectations) and in sprout.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include "tests/user/utest.h"

#define TIB (1ll << 40)
#define SPROUT_MAX_FILE_SIZE (1ll << 48) /* Linux's tmpfs allows up to 2^63-1 */
#define SLACK_KIB 512                    /* other activity during a case */

/* One "Name:   N kB" line of /proc/meminfo, in KiB. */
static long meminfo_kib(const char *name)
{
    static char buf[4096];
    int fd = open("/proc/meminfo", O_RDONLY);
    CHECK(fd >= 0);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    CHECK(n > 0);
    buf[n] = '\0';
    char *line = strstr(buf, name);
    CHECK(line != NULL);
    return atol(line + strlen(name));
}

/* One byte at 1 TiB: success, the size follows, almost nothing is used. */
static void sparse_write_far_away(const char *path)
{
    long free_before = meminfo_kib("MemFree:");
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK_EQ(pwrite(fd, "z", 1, TIB), 1);
    struct stat st;
    CHECK_EQ(fstat(fd, &st), 0);
    CHECK_EQ(st.st_size, TIB + 1);
    CHECK(st.st_blocks <= 64); /* a page or a few (Linux: 8, one page) */
    long used = free_before - meminfo_kib("MemFree:");
    if (used > SLACK_KIB)
        utest_fail(__FILE__, __LINE__, "one byte at 1 TiB used %ld KiB", used);
    char c = 0, zeros[16], expect[16] = {0};
    CHECK_EQ(pread(fd, &c, 1, TIB), 1);
    CHECK_EQ(c, 'z');
    CHECK_EQ(pread(fd, zeros, sizeof zeros, TIB / 2), (long)sizeof zeros); /* a hole */
    CHECK(memcmp(zeros, expect, sizeof zeros) == 0);
    CHECK_EQ(pread(fd, zeros, sizeof zeros, 0), (long)sizeof zeros);
    CHECK(memcmp(zeros, expect, sizeof zeros) == 0);
    close(fd);
    CHECK_EQ(unlink(path), 0);
    long lost = free_before - meminfo_kib("MemFree:");
    if (lost > SLACK_KIB)
        utest_fail(__FILE__, __LINE__, "%ld KiB not back after unlink", lost);
}

static void sparse_write_at_1_tib_in_tmp(void) { sparse_write_far_away("/tmp/t_tmpfs.sparse"); }
static void sparse_write_at_1_tib_in_shm(void) { sparse_write_far_away("/dev/shm/t_tmpfs.sparse"); }
static void sparse_write_at_1_tib_in_root(void)
{
    if (!is_sprout()) /* Linux's / may be a disk file system */
        return;
    sparse_write_far_away("/t_tmpfs.sparse");
}

/* Many far pages: each costs its page and a little, and truncating gives all back. */
static void scattered_pages_come_back_on_truncate(void)
{
    long free_before = meminfo_kib("MemFree:");
    int fd = open("/tmp/t_tmpfs.scatter", O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK_EQ(unlink("/tmp/t_tmpfs.scatter"), 0);
    for (long long i = 0; i < 64; i++)
        CHECK_EQ(pwrite(fd, "s", 1, i * (TIB / 64) + i), 1);
    struct stat st;
    CHECK_EQ(fstat(fd, &st), 0);
    CHECK(st.st_blocks >= 64 * 8 && st.st_blocks <= 64 * 8 * 2);
    CHECK_EQ(ftruncate(fd, 4096), 0);
    CHECK_EQ(fstat(fd, &st), 0);
    CHECK_EQ(st.st_size, 4096);
    CHECK_EQ(st.st_blocks, 8); /* only page 0 is left */
    char c = 0;
    CHECK_EQ(pread(fd, &c, 1, 0), 1);
    CHECK_EQ(c, 's');
    close(fd);
    long lost = free_before - meminfo_kib("MemFree:");
    if (lost > SLACK_KIB)
        utest_fail(__FILE__, __LINE__, "%ld KiB not back after truncate and close", lost);
}

/* ftruncate far out makes a hole: size without pages. */
static void truncate_up_makes_a_hole(void)
{
    int fd = open("/tmp/t_tmpfs.hole", O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK_EQ(unlink("/tmp/t_tmpfs.hole"), 0);
    CHECK_EQ(ftruncate(fd, TIB), 0);
    struct stat st;
    CHECK_EQ(fstat(fd, &st), 0);
    CHECK_EQ(st.st_size, TIB);
    CHECK_EQ(st.st_blocks, 0);
    char c = 1;
    CHECK_EQ(pread(fd, &c, 1, TIB - 1), 1);
    CHECK_EQ(c, 0);
    CHECK_EQ(pread(fd, &c, 1, TIB), 0); /* end of file */
    close(fd);
}

/* Past the largest file sprout can index: EFBIG, with the file unchanged. */
static void beyond_the_largest_file_is_efbig(void)
{
    if (!is_sprout()) {
        printf("note: Linux's tmpfs files may reach 2^63-1 bytes; sprout's stop at 2^48\n");
        return;
    }
    int fd = open("/tmp/t_tmpfs.big", O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK_EQ(unlink("/tmp/t_tmpfs.big"), 0);
    CHECK_ERRNO(pwrite(fd, "x", 1, SPROUT_MAX_FILE_SIZE), EFBIG);
    CHECK_ERRNO(ftruncate(fd, SPROUT_MAX_FILE_SIZE + 1), EFBIG);
    CHECK_EQ(pwrite(fd, "xy", 2, SPROUT_MAX_FILE_SIZE - 1), 1); /* short, up to the limit */
    struct stat st;
    CHECK_EQ(fstat(fd, &st), 0);
    CHECK_EQ(st.st_size, SPROUT_MAX_FILE_SIZE);
    close(fd);
}

/* /tmp and /dev/shm are directories for everyone, each its own file system. */
static void tmp_and_shm_are_their_own_mounts(void)
{
    struct stat root, tmp, shm;
    CHECK_EQ(stat("/", &root), 0);
    CHECK_EQ(stat("/tmp", &tmp), 0);
    CHECK_EQ(stat("/dev/shm", &shm), 0);
    CHECK(S_ISDIR(tmp.st_mode) && S_ISDIR(shm.st_mode));
    CHECK_EQ(tmp.st_mode & 07777, 01777);
    CHECK_EQ(shm.st_mode & 07777, 01777);
    CHECK(shm.st_dev != tmp.st_dev);
    if (!is_sprout())
        return; /* Linux's /tmp may be on the root file system */
    CHECK(tmp.st_dev != root.st_dev);
    int fd = open("/tmp/t_tmpfs.move", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    close(fd);
    CHECK_ERRNO(rename("/tmp/t_tmpfs.move", "/dev/shm/t_tmpfs.move"), EXDEV);
    CHECK_ERRNO(rename("/tmp/t_tmpfs.move", "/t_tmpfs.move"), EXDEV);
    CHECK_EQ(unlink("/tmp/t_tmpfs.move"), 0);
    char cwd[64];
    CHECK_EQ(chdir("/dev/shm"), 0);
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK_STR(cwd, "/dev/shm");
    CHECK_EQ(chdir(".."), 0);
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK_STR(cwd, "/dev");
}

/* The "shared" column of `free` (KiB), or -1 if free cannot be run. */
static long free_shared_kib(void)
{
    FILE *out = popen("free", "r");
    if (!out)
        return -1;
    char line[256];
    long total, used, freed, shared = -1;
    while (fgets(line, sizeof line, out))
        if (sscanf(line, "Mem: %ld %ld %ld %ld", &total, &used, &freed, &shared) == 4)
            break;
    pclose(out);
    return shared;
}

/* File pages count as Shmem and Cached (as tmpfs pages do on Linux), and
 * `free` shows them as shared. */
static void file_pages_show_in_meminfo(void)
{
    long shmem = meminfo_kib("Shmem:"), cached = meminfo_kib("Cached:"), shared = free_shared_kib();
    CHECK(shared >= 0);
    int fd = open("/dev/shm/t_tmpfs.count", O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK_EQ(unlink("/dev/shm/t_tmpfs.count"), 0);
    static char block[4 << 20];
    memset(block, 'c', sizeof block);
    CHECK_EQ(write(fd, block, sizeof block), (long)sizeof block);
    long grew = meminfo_kib("Shmem:") - shmem;
    if (grew < 4096 - SLACK_KIB || grew > 4096 + SLACK_KIB)
        utest_fail(__FILE__, __LINE__, "Shmem grew by %ld KiB for a 4096 KiB file", grew);
    CHECK(meminfo_kib("Cached:") - cached >= 4096 - SLACK_KIB);
    long shared_grew = free_shared_kib() - shared;
    if (shared_grew < 4096 - SLACK_KIB || shared_grew > 4096 + SLACK_KIB)
        utest_fail(__FILE__, __LINE__, "free's shared column grew by %ld KiB for a 4096 KiB file",
                   shared_grew);
    close(fd);
    grew = meminfo_kib("Shmem:") - shmem;
    if (grew > SLACK_KIB || grew < -SLACK_KIB)
        utest_fail(__FILE__, __LINE__, "Shmem still %ld KiB up after the file went", grew);
}

static const struct utest_case cases[] = {
    UTEST(sparse_write_at_1_tib_in_tmp),     UTEST(sparse_write_at_1_tib_in_shm),
    UTEST(sparse_write_at_1_tib_in_root),    UTEST(scattered_pages_come_back_on_truncate),
    UTEST(truncate_up_makes_a_hole),         UTEST(beyond_the_largest_file_is_efbig),
    UTEST(tmp_and_shm_are_their_own_mounts), UTEST(file_pages_show_in_meminfo),
};
UTEST_MAIN("tmpfs", cases)
