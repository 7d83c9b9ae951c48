/*
 * netinfo.h - the IPv4 sockets of /proc/net/tcp and /proc/net/udp, parsed,
 * and which process holds each (by the socket's inode, "socket:[N]" in
 * /proc/PID/fd).  Shared by netstat and lsof -i.  And an interface's up flag.
 */
#ifndef USER_LIB_NETINFO_H
#define USER_LIB_NETINFO_H

#include <stddef.h>

struct inet_entry {
    char proto[4];                    /* "tcp" or "udp" */
    unsigned local_addr, remote_addr; /* host order */
    unsigned local_port, remote_port;
    int state; /* Linux's numbering (1 ESTABLISHED ... 10 LISTEN) */
    unsigned long tx_queue, rx_queue, inode;
};

/* Parse one data line of /proc/net/tcp or udp.  0, or -1 if it is not one. */
int netinfo_parse_line(const char *line, const char *proto, struct inet_entry *entry);
/* Read /proc/net/tcp and /proc/net/udp (either may be skipped with
 * want_tcp/want_udp).  Returns how many entries (a malloc'd array in
 * *entries), or -errno. */
int netinfo_read(int want_tcp, int want_udp, struct inet_entry **entries);
/* "ESTABLISHED", "LISTEN", ... as netstat prints them. */
const char *netinfo_state_name(int state);
/* "127.0.0.1:8080", or "0.0.0.0:*" for port 0 (netstat's style). */
void netinfo_format_addr(unsigned addr, unsigned port, char *out, size_t size);
/* The first process holding socket inode `inode`: its PID (0 if none) and
 * command name. */
int netinfo_owner(unsigned long inode, char *comm, size_t size);

/* Bring interface `name` up (up != 0) or down: read its flags, change
 * IFF_UP, write them back (SIOCGIFFLAGS, SIOCSIFFLAGS).  0, or -1 with errno
 * set and *failed naming the step: "SIOCGIFFLAGS" (no such interface, or no
 * socket) or "SIOCSIFFLAGS" (e.g. EPERM without CAP_NET_ADMIN).  Shared by
 * ifconfig, ip and box. */
int netinfo_set_up(const char *name, int up, const char **failed);

#endif
