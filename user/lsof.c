/*
 * lsof - list the open files of every process (or of one: lsof -p PID).
 *
 *   COMMAND     PID   FD TYPE  NAME
 *   sh            5   0u CHR   /dev/console
 *   sh            5   3r FIFO  pipe:[7]
 *   cat           9   4w REG   /tmp/x
 *   srv          12   3u unix  socket:[31] /tmp/srv type=STREAM
 *
 * A process's descriptors are the entries of /proc/PID/fd: each is a
 * symbolic link whose text names the open file.  stat() follows the link
 * to the file itself, which tells its type; /proc/PID/fdinfo/FD has the
 * flags it was opened with, which give r (read), w (write) or u (both).
 * A socket's link says only "socket:[INODE]"; /proc/net/unix, found by
 * that inode number, tells that it is a Unix socket, its type and its name.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "user/lib/procfs.h"

/* If target is "socket:[N]" and N is in /proc/net/unix: true, and what
 * lsof shows after the link text ("/path type=STREAM") in `extra`. */
static int unix_socket_info(const char *target, char *extra, size_t size)
{
    unsigned long ino, line_ino;
    if (sscanf(target, "socket:[%lu]", &ino) != 1)
        return 0;
    FILE *f = fopen("/proc/net/unix", "r");
    if (!f)
        return 0;
    char line[256];
    int found = 0;
    fgets(line, sizeof line, f); /* the header */
    while (!found && fgets(line, sizeof line, f)) {
        unsigned flags, type, state;
        int end = 0;
        if (sscanf(line, "%*s %*x %*x %x %x %x %lu%n", &flags, &type, &state, &line_ino, &end) <
                4 ||
            line_ino != ino)
            continue;
        char *path = line + end;
        path += strspn(path, " ");
        path[strcspn(path, "\n")] = '\0';
        const char *kind = type == 1   ? "STREAM"
                           : type == 2 ? "DGRAM"
                           : type == 5 ? "SEQPACKET"
                                       : "?";
        snprintf(extra, size, "%s%stype=%s", path, *path ? " " : "", kind);
        found = 1;
    }
    fclose(f);
    return found;
}

/* lsof's TYPE column for an open file. */
static const char *file_type(int pid, int fd, const char *target)
{
    char path[64];
    struct stat st;

    /* Files with no path name say what they are in the link text. */
    if (strncmp(target, "pipe:", 5) == 0)
        return "FIFO";
    char extra[200];
    if (strncmp(target, "socket:", 7) == 0)
        return unix_socket_info(target, extra, sizeof extra) ? "unix" : "sock";
    if (strncmp(target, "anon_inode:", 11) == 0)
        return "a_inode";
    snprintf(path, sizeof path, "/proc/%d/fd/%d", pid, fd);
    if (stat(path, &st) < 0)
        return "unknown";
    if (S_ISREG(st.st_mode))
        return "REG";
    if (S_ISDIR(st.st_mode))
        return "DIR";
    if (S_ISCHR(st.st_mode))
        return "CHR";
    if (S_ISBLK(st.st_mode))
        return "BLK";
    if (S_ISFIFO(st.st_mode))
        return "FIFO";
    if (S_ISSOCK(st.st_mode))
        return "sock";
    return "unknown";
}

/* Lists one process's descriptors.  Returns 0, or -errno if it cannot be read. */
static int lsof_process(int pid)
{
    char path[64], text[PROCFS_LINE_SIZE], target[PROCFS_TEXT_SIZE], fd_column[16];
    struct proc_stat process;
    int *fds;
    int count;

    if (procfs_read_pid(pid, "stat", text, sizeof text) < 0 ||
        procfs_parse_pid_stat(text, &process) < 0)
        return -ESRCH;
    snprintf(path, sizeof path, "/proc/%d/fd", pid);
    count = procfs_list_numbers(path, &fds);
    if (count < 0)
        return count;
    for (int i = 0; i < count; i++) {
        char name[32];
        if (procfs_read_fd_link(pid, fds[i], target, sizeof target) < 0)
            continue; /* closed while we looked */
        snprintf(name, sizeof name, "fdinfo/%d", fds[i]);
        char access =
            procfs_read_pid(pid, name, text, sizeof text) >= 0 ? procfs_fdinfo_access(text) : 0;
        snprintf(fd_column, sizeof fd_column, "%d%c", fds[i], access ? access : ' ');
        char extra[200] = "";
        unix_socket_info(target, extra, sizeof extra);
        printf("%-9.9s %5d %5s %-7s %s%s%s\n", process.comm, pid, fd_column,
               file_type(pid, fds[i], target), target, *extra ? " " : "", extra);
    }
    free(fds);
    return 0;
}

int main(int argc, char **argv)
{
    int *pids;
    int count, err;

    if (argc == 3 && strcmp(argv[1], "-p") == 0) {
        int pid = procfs_name_to_number(argv[2]);
        if (pid <= 0) {
            fprintf(stderr, "usage: lsof [-p PID]\n");
            return 2;
        }
        printf("COMMAND     PID    FD TYPE    NAME\n");
        err = lsof_process(pid);
        if (err < 0) {
            fprintf(stderr, "lsof: process %d: %s\n", pid, strerror(-err));
            return 1;
        }
        return 0;
    }
    if (argc != 1) {
        fprintf(stderr, "usage: lsof [-p PID]\n");
        return 2;
    }
    count = procfs_list_pids(&pids);
    if (count < 0) {
        fprintf(stderr, "lsof: cannot read /proc: %s\n", strerror(-count));
        return 1;
    }
    printf("COMMAND     PID    FD TYPE    NAME\n");
    /* Processes that exit meanwhile, or whose fds we may not read, are skipped. */
    for (int i = 0; i < count; i++)
        lsof_process(pids[i]);
    free(pids);
    return 0;
}
