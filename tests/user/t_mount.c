/*
 * t_mount.c - mount, umount2, sync, syncfs, fsync, fdatasync, link and
 * linkat with bad arguments (errno as Linux gives), and /proc/mounts.
 * Runs as root on Linux too.  The disk itself is tested by the QEMU suites
 * that attach one, and ext2 on the host by tests/unit/test_ext2.c.
 */
#define _GNU_SOURCE
#include "tests/user/utest.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define BAD_POINTER ((void *)1)

static void mount_bad_arguments(void)
{
    mkdir("/tmp/t_mount", 0755);
    CHECK_ERRNO(mount("x", "/tmp/t_mount", "no-such-fs", 0, NULL), ENODEV);
    CHECK_ERRNO(mount("x", "/tmp/t_mount", BAD_POINTER, 0, NULL), EFAULT);
    char long_type[5000];
    memset(long_type, 'e', sizeof long_type - 1);
    long_type[sizeof long_type - 1] = '\0';
    CHECK_ERRNO(mount("x", "/tmp/t_mount", long_type, 0, NULL), ENODEV);
    CHECK_ERRNO(mount(BAD_POINTER, "/tmp/t_mount", "ext2", 0, NULL), EFAULT);
    CHECK_ERRNO(mount("/dev/no-such-disk", "/tmp/t_mount", "ext2", 0, NULL), ENOENT);
    CHECK_ERRNO(mount("", "/tmp/t_mount", "ext2", 0, NULL), ENOENT);
    rmdir("/tmp/t_mount");
}

static void umount_bad_arguments(void)
{
    mkdir("/tmp/t_umount", 0755);
    CHECK_ERRNO(umount2("/tmp/t_umount", 0), EINVAL); /* not a mount point */
    CHECK_ERRNO(umount2("/tmp/t_umount", 0x100), EINVAL);
    CHECK_ERRNO(umount2("/tmp/no-such-dir", 0), ENOENT);
    CHECK_ERRNO(umount2(BAD_POINTER, 0), EFAULT);
    rmdir("/tmp/t_umount");
}

static void sync_calls(void)
{
    sync();
    CHECK_ERRNO(syncfs(-1), EBADF);
    CHECK_ERRNO(syncfs(999), EBADF);
    CHECK_ERRNO(fsync(-1), EBADF);
    CHECK_ERRNO(fdatasync(-1), EBADF);
    CHECK_ERRNO(fdatasync(12345), EBADF);
    int fd = open("/tmp/t_sync", O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, "x", 1), 1);
    CHECK_EQ(fsync(fd), 0);
    CHECK_EQ(fdatasync(fd), 0);
    CHECK_EQ(syncfs(fd), 0);
    close(fd);
    unlink("/tmp/t_sync");
}

static void link_bad_arguments(void)
{
    int fd = open("/tmp/t_link", O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK(fd >= 0);
    close(fd);
    mkdir("/tmp/t_link_dir", 0755);
    CHECK_ERRNO(link("/tmp/no-such-file", "/tmp/t_link2"), ENOENT);
    CHECK_ERRNO(link(BAD_POINTER, "/tmp/t_link2"), EFAULT);
    CHECK_ERRNO(link("/tmp/t_link", BAD_POINTER), EFAULT);
    CHECK_ERRNO(link("/tmp/t_link", "/tmp/t_link"), EEXIST);
    CHECK_ERRNO(link("/tmp/t_link", "/tmp/no-such-dir/x"), ENOENT);
    CHECK_ERRNO(link("/tmp/t_link_dir", "/tmp/t_link_dir2"), EPERM);
    CHECK_ERRNO(link("/tmp/t_link", "/proc/t_link"), EXDEV);
    CHECK_ERRNO(linkat(AT_FDCWD, "/tmp/t_link", AT_FDCWD, "/tmp/t_link2", 0x8), EINVAL);
    CHECK_ERRNO(linkat(-1, "t_link", AT_FDCWD, "/tmp/t_link2", 0), EBADF);
    unlink("/tmp/t_link");
    unlink("/tmp/t_link2");
    rmdir("/tmp/t_link_dir");
}

static void proc_mounts_lists_proc(void)
{
    FILE *f = fopen("/proc/mounts", "r");
    CHECK(f != NULL);
    char line[512];
    int proc = 0, root = 0;
    while (fgets(line, sizeof line, f)) {
        char device[256], dir[256], type[64], options[128];
        int a, b;
        CHECK_EQ(sscanf(line, "%255s %255s %63s %127s %d %d", device, dir, type, options, &a, &b),
                 6);
        proc += strcmp(dir, "/proc") == 0 && strcmp(type, "proc") == 0;
        root += strcmp(dir, "/") == 0;
    }
    fclose(f);
    CHECK_EQ(proc, 1);
    CHECK(root >= 1);
}

static const struct utest_case cases[] = {
    UTEST(mount_bad_arguments), UTEST(umount_bad_arguments),   UTEST(sync_calls),
    UTEST(link_bad_arguments),  UTEST(proc_mounts_lists_proc),
};
UTEST_MAIN("mount", cases)
