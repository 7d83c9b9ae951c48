/*
 * blockdev_check.c - the virtio disk as a file, /dev/vda, from processes.
 *
 * Run by tests/qemu/test_disk.sh with an empty 8 MiB scratch disk attached
 * (tools/run-qemu --disk): reads and writes at any offset reach the disk,
 * several processes sleeping on the disk at once each get their own data
 * back, /proc/diskstats counts it all, and the last case leaves a marker
 * that the host then finds in the image file.  (Not a t_ program: the user
 * tests boot without a disk.)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "tests/user/utest.h"

#define DISK "/dev/vda"
#define DISK_BYTES (8l << 20) /* the size test_disk.sh gives the image */
#define MARKER "sprout wrote this through /dev/vda"
#define MARKER_OFFSET (5l << 20) /* test_disk.sh looks for it here */

static void fill(char *buf, size_t n, int seed)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)(seed * 31 + i * 7 + (i >> 9));
}

static void vda_is_a_block_device(void)
{
    struct stat st;
    CHECK_EQ(stat(DISK, &st), 0);
    CHECK(S_ISBLK(st.st_mode));
    CHECK_EQ(major(st.st_rdev), 254);
    CHECK_EQ(minor(st.st_rdev), 0);
}

/* A write that starts and ends inside sectors changes only its own bytes. */
static void unaligned_write_reads_back(void)
{
    static char before[8192], data[3000], after[8192];
    int fd = open(DISK, O_RDWR);
    CHECK(fd >= 0);
    CHECK_EQ(pread(fd, before, sizeof before, 0), (long)sizeof before);
    fill(data, sizeof data, 1);
    CHECK_EQ(pwrite(fd, data, sizeof data, 1000), (long)sizeof data);
    CHECK_EQ(pread(fd, after, sizeof after, 0), (long)sizeof after);
    CHECK(memcmp(after, before, 1000) == 0);
    CHECK(memcmp(after + 1000, data, sizeof data) == 0);
    CHECK(memcmp(after + 4000, before + 4000, sizeof after - 4000) == 0);
    close(fd);
}

/* The end of the disk: a read there gives 0 bytes, a write ENOSPC, one across it is cut short. */
static void end_of_disk(void)
{
    char buf[1024];
    int fd = open(DISK, O_RDWR);
    CHECK(fd >= 0);
    CHECK_EQ(pread(fd, buf, sizeof buf, DISK_BYTES), 0);
    CHECK_ERRNO(pwrite(fd, buf, sizeof buf, DISK_BYTES), ENOSPC);
    CHECK_EQ(pread(fd, buf, sizeof buf, DISK_BYTES - 100), 100);
    CHECK_EQ(pwrite(fd, buf, sizeof buf, DISK_BYTES - 100), 100);
    CHECK_ERRNO(pread(fd, (void *)16, 512, 0), EFAULT);
    CHECK_ERRNO(pwrite(fd, (void *)16, 512, 0), EFAULT);
    close(fd);
}

/* Four processes, each writing and re-reading its own 256 KiB, all sleeping on the disk. */
static void concurrent_processes(void)
{
    enum { WRITERS = 4, REGION = 256 << 10, CHUNK = 16 << 10, ROUNDS = 3 };
    for (int w = 0; w < WRITERS; w++) {
        pid_t pid = fork_or_fail();
        if (pid == 0) {
            static char out[CHUNK], in[CHUNK];
            int fd = open(DISK, O_RDWR);
            if (fd < 0)
                _exit(2);
            for (int round = 0; round < ROUNDS; round++) {
                for (long off = 0; off < REGION; off += CHUNK) {
                    long at = (1l << 20) + w * REGION + off;
                    fill(out, CHUNK, w * 1000 + round * 100 + (int)(off / CHUNK));
                    if (pwrite(fd, out, CHUNK, at) != CHUNK)
                        _exit(3);
                    if (pread(fd, in, CHUNK, at) != CHUNK || memcmp(in, out, CHUNK) != 0)
                        _exit(4);
                }
            }
            _exit(0);
        }
    }
    for (int w = 0; w < WRITERS; w++) {
        int status;
        CHECK(wait(&status) > 0);
        CHECK(WIFEXITED(status));
        CHECK_EQ(WEXITSTATUS(status), 0);
    }
    /* What each left behind: its last round. */
    static char expect[CHUNK], got[CHUNK];
    int fd = open(DISK, O_RDONLY);
    CHECK(fd >= 0);
    for (int w = 0; w < WRITERS; w++) {
        for (long off = 0; off < REGION; off += CHUNK) {
            fill(expect, CHUNK, w * 1000 + (ROUNDS - 1) * 100 + (int)(off / CHUNK));
            CHECK_EQ(pread(fd, got, CHUNK, (1l << 20) + w * REGION + off), CHUNK);
            CHECK(memcmp(got, expect, CHUNK) == 0);
        }
    }
    close(fd);
}

/* vda's line of /proc/diskstats: reads completed, sectors read, writes, sectors written. */
static void diskstats(unsigned long *reads, unsigned long *rsect, unsigned long *writes,
                      unsigned long *wsect)
{
    static char text[4096];
    int fd = open("/proc/diskstats", O_RDONLY);
    CHECK(fd >= 0);
    long n = read(fd, text, sizeof text - 1);
    close(fd);
    CHECK(n > 0);
    text[n] = '\0';
    char *line = strstr(text, " vda ");
    CHECK(line != NULL);
    unsigned long merged, ms;
    CHECK_EQ(sscanf(line, " vda %lu %lu %lu %lu %lu %lu %lu", reads, &merged, rsect, &ms, writes,
                    &merged, wsect),
             7);
    int fields = 0;
    for (char *p = line + 5; *p && *p != '\n'; p++)
        fields += (p[-1] == ' ' && *p != ' ');
    CHECK_EQ(fields, 17); /* Linux 5.5's columns after the name */
}

static void diskstats_count_the_transfers(void)
{
    unsigned long r0, rs0, w0, ws0, r1, rs1, w1, ws1;
    diskstats(&r0, &rs0, &w0, &ws0);
    static char buf[4096];
    int fd = open(DISK, O_RDWR);
    CHECK(fd >= 0);
    CHECK_EQ(pwrite(fd, buf, sizeof buf, 2l << 20), (long)sizeof buf); /* aligned: no read */
    CHECK_EQ(pread(fd, buf, sizeof buf, 2l << 20), (long)sizeof buf);
    close(fd);
    diskstats(&r1, &rs1, &w1, &ws1);
    CHECK_EQ(w1 - w0, 1);
    CHECK_EQ(ws1 - ws0, 8);
    CHECK_EQ(r1 - r0, 1);
    CHECK_EQ(rs1 - rs0, 8);
}

static void leave_a_marker_for_the_host(void)
{
    int fd = open(DISK, O_WRONLY);
    CHECK(fd >= 0);
    CHECK_EQ(pwrite(fd, MARKER, strlen(MARKER), MARKER_OFFSET), (long)strlen(MARKER));
    close(fd);
}

static const struct utest_case cases[] = {
    UTEST(vda_is_a_block_device),
    UTEST(unaligned_write_reads_back),
    UTEST(end_of_disk),
    UTEST(concurrent_processes),
    UTEST(diskstats_count_the_transfers),
    UTEST(leave_a_marker_for_the_host),
};
UTEST_MAIN("blockdev", cases)
