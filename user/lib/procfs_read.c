/*
 * procfs_read.c - the thin layer that touches the file system: reading
 * /proc files into buffers, listing PIDs and descriptors, following the
 * fd symlinks.  The parsing lives in procfs_pid.c and procfs_system.c.
 */
#include "user/lib/procfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

ssize_t procfs_read(const char *path, char *buf, size_t size)
{
    size_t used = 0;
    int fd = open(path, O_RDONLY);

    if (fd < 0)
        return -errno;
    /* A /proc file has no size in advance: read until end of file. */
    while (used + 1 < size) {
        ssize_t n = read(fd, buf + used, size - 1 - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int err = errno;
            close(fd);
            return -err;
        }
        if (n == 0)
            break;
        used += (size_t)n;
    }
    close(fd);
    if (size > 0)
        buf[used] = '\0';
    return (ssize_t)used;
}

ssize_t procfs_read_pid(int pid, const char *name, char *buf, size_t size)
{
    char path[64];

    snprintf(path, sizeof path, "/proc/%d/%s", pid, name);
    return procfs_read(path, buf, size);
}

int procfs_name_to_number(const char *name)
{
    long number = 0;

    if (*name == '\0')
        return -1;
    for (const char *p = name; *p; p++) {
        if (*p < '0' || *p > '9' || number > 100000000)
            return -1;
        number = number * 10 + (*p - '0');
    }
    return (int)number;
}

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return (x > y) - (x < y);
}

int procfs_list_numbers(const char *dir, int **numbers)
{
    int count = 0, capacity = 64;
    int *list = malloc((size_t)capacity * sizeof *list);
    DIR *d = opendir(dir);
    struct dirent *entry;

    if (!d || !list) {
        int err = d ? ENOMEM : errno;
        if (d)
            closedir(d);
        free(list);
        return -err;
    }
    /* /proc also holds "meminfo", "self"...: only the numeric names are PIDs. */
    while ((entry = readdir(d)) != NULL) {
        int number = procfs_name_to_number(entry->d_name);
        if (number < 0)
            continue;
        if (count == capacity) {
            int *bigger = realloc(list, (size_t)capacity * 2 * sizeof *list);
            if (!bigger) {
                closedir(d);
                free(list);
                return -ENOMEM;
            }
            list = bigger;
            capacity *= 2;
        }
        list[count++] = number;
    }
    closedir(d);
    qsort(list, (size_t)count, sizeof *list, compare_ints);
    *numbers = list;
    return count;
}

int procfs_list_pids(int **pids) { return procfs_list_numbers("/proc", pids); }

ssize_t procfs_read_fd_link(int pid, int fd, char *target, size_t size)
{
    char path[64];
    ssize_t n;

    if (size == 0)
        return -EINVAL;
    snprintf(path, sizeof path, "/proc/%d/fd/%d", pid, fd);
    /* readlink() does not NUL-terminate. */
    n = readlink(path, target, size - 1);
    if (n < 0)
        return -errno;
    target[n] = '\0';
    return n;
}

int procfs_boot_time(long long *boot_time)
{
    char text[PROCFS_BIG_TEXT_SIZE];
    struct system_stat counters;
    double uptime;
    ssize_t n = procfs_read("/proc/stat", text, sizeof text);

    if (n >= 0 && procfs_parse_system_stat(text, &counters) == 0 && counters.boot_time > 0) {
        *boot_time = counters.boot_time;
        return 0;
    }
    n = procfs_read("/proc/uptime", text, sizeof text);
    if (n < 0)
        return (int)n;
    if (procfs_parse_uptime(text, &uptime) < 0)
        return -EINVAL;
    *boot_time = (long long)time(NULL) - (long long)uptime;
    return 0;
}
