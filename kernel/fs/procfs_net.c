/*
 * procfs_net.c - /proc/net: the network's tables in Linux's formats.  Each
 * family writes its own files (AF_INET: kernel/net/inet/inet_proc.c).
 */
#include "kernel/fs/procfs.h"
#include "kernel/net/inet/af_inet.h"

static void show_tcp(struct textbuf *out, struct proc *unused) { inet_proc_tcp(out); }
static void show_udp(struct textbuf *out, struct proc *unused) { inet_proc_udp(out); }
static void show_snmp(struct textbuf *out, struct proc *unused) { inet_proc_snmp(out); }
static void show_dev(struct textbuf *out, struct proc *unused) { inet_proc_dev(out); }

const struct procfs_file procfs_net_files[] = {
    {"tcp", show_tcp, NULL}, {"udp", show_udp, NULL}, {"snmp", show_snmp, NULL},
    {"dev", show_dev, NULL}, {NULL, NULL, NULL},
};
