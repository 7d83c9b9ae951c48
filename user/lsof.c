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
 *
 * lsof -i [TCP|UDP][:PORT] lists only IPv4 sockets (all, one protocol, or
 * those with PORT at either end), named as lsof does:
 *   httpd        12    3u IPv4    TCP *:8080 (LISTEN)
 *   httpd        12    4u IPv4    TCP 127.0.0.1:8080->127.0.0.1:40312 (ESTABLISHED)
 * A socket's inode ("socket:[N]") is found in /proc/net/tcp or udp.
 * A socket's link says only "socket:[INODE]"; /proc/net/unix, found by
 * that inode number, tells that it is a Unix socket, its type and its name.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "user/lib/netinfo.h"
#include "user/lib/procfs.h"

/* lsof -i: the IPv4 sockets, and which of them to show. */
static struct inet_entry *inet_entries;
static int inet_count, inet_only;
static char inet_proto[4]; /* "" for both */
static unsigned inet_port; /* 0 for any */

static const struct inet_entry *inet_find(const char *target)
{
    unsigned long inode;
    if (sscanf(target, "socket:[%lu]", &inode) != 1)
        return NULL;
    for (int i = 0; i < inet_count; i++)
        if (inet_entries[i].inode == inode)
            return &inet_entries[i];
    return NULL;
}

static void inet_endpoint(unsigned addr, unsigned port, char *out, size_t size)
{
    if (addr == 0) {
        snprintf(out, size, port ? "*:%u" : "*:*", port);
        return;
    }
    netinfo_format_addr(addr, port, out, size);
}

/* "TCP 127.0.0.1:8080->127.0.0.1:40312 (ESTABLISHED)" */
static void inet_name(const struct inet_entry *e, char *out, size_t size)
{
    char local[32], remote[32];
    inet_endpoint(e->local_addr, e->local_port, local, sizeof local);
    const char *proto = e->proto[0] == 't' ? "TCP" : "UDP";
    if (e->remote_port) {
        inet_endpoint(e->remote_addr, e->remote_port, remote, sizeof remote);
        snprintf(out, size, "%s %s->%s", proto, local, remote);
    } else {
        snprintf(out, size, "%s %s", proto, local);
    }
    if (e->proto[0] == 't') {
        size_t len = strlen(out);
        snprintf(out + len, size - len, " (%s)", netinfo_state_name(e->state));
    }
}

static int inet_wanted(const struct inet_entry *e)
{
    if (inet_proto[0] && strcmp(inet_proto, e->proto) != 0)
        return 0;
    return !inet_port || e->local_port == inet_port || e->remote_port == inet_port;
}

/* Parse -i's argument: [TCP|UDP][:PORT].  0, or -1 if malformed. */
static int parse_inet_spec(const char *spec)
{
    inet_only = 1;
    if (strncasecmp(spec, "tcp", 3) == 0 || strncasecmp(spec, "udp", 3) == 0) {
        inet_proto[0] = (char)(spec[0] | 0x20);
        inet_proto[1] = (char)(spec[1] | 0x20);
        inet_proto[2] = (char)(spec[2] | 0x20);
        spec += 3;
    }
    if (*spec == ':') {
        int port = procfs_name_to_number(spec + 1);
        if (port <= 0 || port > 65535)
            return -1;
        inet_port = (unsigned)port;
    } else if (*spec) {
        return -1;
    }
    return 0;
}

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
        const struct inet_entry *inet = inet_find(target);
        if (inet_only && (!inet || !inet_wanted(inet)))
            continue;
        if (inet) {
            char inet_text[96];
            inet_name(inet, inet_text, sizeof inet_text);
            printf("%-9.9s %5d %5s %-7s %s\n", process.comm, pid, fd_column, "IPv4", inet_text);
            continue;
        }
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

    if (argc >= 2 && strncmp(argv[1], "-i", 2) == 0) {
        /* lsof -i, lsof -i :8080, lsof -i TCP:8080, lsof -iTCP */
        const char *spec = argv[1][2] ? argv[1] + 2 : argc == 3 ? argv[2] : "";
        if (argc > 3 || (argv[1][2] && argc != 2) || parse_inet_spec(spec) < 0) {
            fprintf(stderr, "usage: lsof [-p PID] [-i [TCP|UDP][:PORT]]\n");
            return 2;
        }
        argc = 1;
    }
    inet_count = netinfo_read(1, 1, &inet_entries);
    if (inet_count < 0)
        inet_count = 0; /* no /proc/net: no IPv4 names */

    if (argc == 3 && strcmp(argv[1], "-p") == 0) {
        int pid = procfs_name_to_number(argv[2]);
        if (pid <= 0) {
            fprintf(stderr, "usage: lsof [-p PID] [-i [TCP|UDP][:PORT]]\n");
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
        fprintf(stderr, "usage: lsof [-p PID] [-i [TCP|UDP][:PORT]]\n");
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
