/* netinfo.c - /proc/net/tcp and udp for netstat and lsof (see netinfo.h). */
#include "user/lib/netinfo.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "user/lib/procfs.h"

int netinfo_parse_line(const char *line, const char *proto, struct inet_entry *entry)
{
    memset(entry, 0, sizeof(*entry));
    unsigned local, remote, lport, rport, state;
    unsigned long tx, rx, inode;
    int uid, timeout;
    /* "  0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0  0 123 ..." */
    if (sscanf(line, " %*d: %x:%x %x:%x %x %lx:%lx %*x:%*x %*x %d %d %lu", &local, &lport, &remote,
               &rport, &state, &tx, &rx, &uid, &timeout, &inode) != 10)
        return -1;
    snprintf(entry->proto, sizeof entry->proto, "%s", proto);
    /* The file shows the address as it lies in memory, read little-endian. */
    entry->local_addr = __builtin_bswap32(local);
    entry->remote_addr = __builtin_bswap32(remote);
    entry->local_port = lport;
    entry->remote_port = rport;
    entry->state = (int)state;
    entry->tx_queue = tx;
    entry->rx_queue = rx;
    entry->inode = inode;
    return 0;
}

static int read_file(const char *path, const char *proto, struct inet_entry **entries, int *count,
                     int *capacity)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -errno;
    char line[512];
    if (!fgets(line, sizeof line, f)) { /* the header */
        fclose(f);
        return 0;
    }
    while (fgets(line, sizeof line, f)) {
        if (*count == *capacity) {
            *capacity = *capacity ? *capacity * 2 : 64;
            struct inet_entry *bigger = realloc(*entries, (size_t)*capacity * sizeof **entries);
            if (!bigger) {
                fclose(f);
                return -ENOMEM;
            }
            *entries = bigger;
        }
        if (netinfo_parse_line(line, proto, &(*entries)[*count]) == 0)
            (*count)++;
    }
    fclose(f);
    return 0;
}

int netinfo_read(int want_tcp, int want_udp, struct inet_entry **entries)
{
    int count = 0, capacity = 0, err = 0;
    *entries = NULL;
    if (want_tcp)
        err = read_file("/proc/net/tcp", "tcp", entries, &count, &capacity);
    if (!err && want_udp)
        err = read_file("/proc/net/udp", "udp", entries, &count, &capacity);
    if (err) {
        free(*entries);
        *entries = NULL;
        return err;
    }
    return count;
}

const char *netinfo_state_name(int state)
{
    static const char *const names[] = {
        "",          "ESTABLISHED", "SYN_SENT",   "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
        "TIME_WAIT", "CLOSE",       "CLOSE_WAIT", "LAST_ACK", "LISTEN",    "CLOSING",
    };
    return state >= 0 && state < (int)(sizeof names / sizeof names[0]) ? names[state] : "UNKNOWN";
}

void netinfo_format_addr(unsigned addr, unsigned port, char *out, size_t size)
{
    char port_text[12] = "*";
    if (port)
        snprintf(port_text, sizeof port_text, "%u", port);
    snprintf(out, size, "%u.%u.%u.%u:%s", addr >> 24, addr >> 16 & 255, addr >> 8 & 255, addr & 255,
             port_text);
}

int netinfo_owner(unsigned long inode, char *comm, size_t size)
{
    if (inode == 0)
        return 0;
    char want[40];
    snprintf(want, sizeof want, "socket:[%lu]", inode);
    int *pids, found = 0;
    int count = procfs_list_pids(&pids);
    for (int i = 0; i < count && !found; i++) {
        char path[48];
        int *fds;
        snprintf(path, sizeof path, "/proc/%d/fd", pids[i]);
        int nfds = procfs_list_numbers(path, &fds);
        for (int j = 0; j < nfds && !found; j++) {
            char target[64];
            if (procfs_read_fd_link(pids[i], fds[j], target, sizeof target) >= 0 &&
                strcmp(target, want) == 0)
                found = pids[i];
        }
        if (nfds > 0)
            free(fds);
    }
    if (count > 0)
        free(pids);
    if (found && comm) {
        char text[PROCFS_LINE_SIZE];
        struct proc_stat st;
        if (procfs_read_pid(found, "stat", text, sizeof text) >= 0 &&
            procfs_parse_pid_stat(text, &st) == 0)
            snprintf(comm, size, "%s", st.comm);
        else
            snprintf(comm, size, "?");
    }
    return found;
}

int netinfo_set_up(const char *name, int up, const char **failed)
{
    *failed = "SIOCGIFFLAGS";
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0)
        return -1;
    struct ifreq req;
    memset(&req, 0, sizeof req);
    memcpy(req.ifr_name, name, strnlen(name, IFNAMSIZ - 1)); /* NUL-ended by the memset */
    int result = -1;
    if (ioctl(s, SIOCGIFFLAGS, &req) == 0) {
        *failed = "SIOCSIFFLAGS";
        req.ifr_flags = up ? req.ifr_flags | IFF_UP : req.ifr_flags & ~IFF_UP;
        result = ioctl(s, SIOCSIFFLAGS, &req) == 0 ? 0 : -1;
    }
    int saved = errno;
    close(s);
    errno = saved;
    return result;
}
